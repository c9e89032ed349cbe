import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import {
  mkdtempSync,
  mkstempSync,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  TemporaryDirectorySync,
  TemporaryFileSync,
} from "../mod.ts";
import { ALPHABET, nextRandomChars } from "../src/_random_names.ts";
import {
  cleanupScratch,
  errno,
  failure,
  injectFaults,
  listDir,
  MOD,
  ROOT,
  runAsNobody,
  RUNTIME,
  runtimeBinary,
  scratchDir,
  startChild,
  trackDescriptors,
  writeScript,
} from "./_helpers.ts";
import { posixOnly, skipIf, WINDOWS } from "./_windows.ts";

afterEach(cleanupScratch);

describe("hostile options (property test)", () => {
  const anything = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom("", "/", "\\", "..", "../x", "a\0b", "\ud800", "x".repeat(300), "w+b", "utf-8", "\n"),
    fc.integer({ min: -3, max: 20000 }),
    fc.double(),
    fc.constantFrom(-0, NaN, Infinity, -Infinity, 0.5, 0o777, 0o1000, 0o7777, 2 ** 30, 2 ** 30 + 1),
    fc.constantFrom(null, true, [], {}, ["a"], new URL("file:///tmp")),
  );
  const keys = [
    "prefix",
    "suffix",
    "mode",
    "buffering",
    "encoding",
    "errors",
    "newline",
    "delete",
    "text",
    "permissions",
    "bogus",
  ];
  const creators: [string, (o: object) => string][] = [
    ["mkstempSync", (o) => {
      const [fd, name] = mkstempSync(o);
      fs.closeSync(fd);
      return name;
    }],
    ["mkdtempSync", (o) => mkdtempSync(o)],
    ["NamedTemporaryFileSync", (o) => {
      const f = NamedTemporaryFileSync({ ...o, delete: false });
      f.closeSync();
      return f.name;
    }],
    ["TemporaryDirectorySync", (o) => TemporaryDirectorySync({ ...o, delete: false }).name],
  ];

  it.each(creators)(
    "%s: succeeds inside dir, or throws TypeError/RangeError (or a clean ENAMETOOLONG; Windows: ENOENT)",
    (_, create) => {
      const dir = scratchDir();
      const made = new Set<string>();
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...keys), anything, { maxKeys: 3 }), (options) => {
          let name: string | undefined;
          try {
            name = create({ ...options, dir });
          } catch (err) {
            const ok = err instanceof TypeError || err instanceof RangeError ||
              (err as { code?: string }).code === (WINDOWS ? "ENOENT" : "ENAMETOOLONG"); // Win32's answer
            if (!ok) throw err;
          }
          if (name !== undefined) {
            expect(path.dirname(name)).toBe(dir);
            made.add(path.basename(name));
          }
          expect(listDir(dir)).toEqual([...made].sort());
        }),
        { numRuns: 300 },
      );
    },
  );
});

describe("injected faults: the exact error, no descriptor leaked, no file left", () => {
  it.each(["write", "flush", "close"])(
    "ENOSPC on %s reaches the caller and the file is still removed",
    async (stage) => {
      const dir = scratchDir();
      const fds = trackDescriptors();
      injectFaults({
        write: {
          before: () => {
            if (stage !== "close") throw errno("ENOSPC");
          },
        },
        close: {
          after: () => {
            if (stage === "close") throw errno("ENOSPC");
          },
        },
      });
      const f = NamedTemporaryFileSync({ dir });
      const big = new Uint8Array(100_000); // larger than the buffer: written at once
      const small = new Uint8Array(10);
      let err;
      if (stage === "write") err = await failure(() => f.writeSync(big));
      else f.writeSync(small);
      if (stage === "flush") err = await failure(() => f.flushSync());
      const closeErr = await failure(() => f.closeSync());
      err ??= closeErr;
      expect(err?.code).toBe("ENOSPC");
      expect(listDir(dir)).toEqual([]);
      expect(fds.open.size).toBe(0);
    },
  );

  it("EMFILE while creating propagates, leaving nothing", async () => {
    const dir = scratchDir();
    injectFaults({
      open: {
        before: (r) => {
          throw errno("EMFILE", r.path);
        },
      },
    });
    expect((await failure(() => NamedTemporaryFileSync({ dir }))).code).toBe("EMFILE");
    expect((await failure(() => NamedTemporaryFile({ dir }))).code).toBe("EMFILE");
    expect((await failure(() => TemporaryFileSync({ dir }))).code).toBe("EMFILE");
    expect(listDir(dir)).toEqual([]);
  });

  it("EIO on read reaches the caller; the file is still removed at close", async () => {
    const dir = scratchDir();
    const fds = trackDescriptors();
    injectFaults({
      read: {
        before: () => {
          throw errno("EIO");
        },
      },
    });
    const f = await NamedTemporaryFile({ dir });
    await f.write(new Uint8Array(5));
    await f.seek(0);
    expect((await failure(() => f.read())).code).toBe("EIO");
    expect((await failure(() => f.readSync())).code).toBe("EIO");
    await f.close();
    expect(listDir(dir)).toEqual([]);
    expect(fds.open.size).toBe(0);
  });

  skipIf(posixOnly("permission bits, and another user (uid 65534)"))(
    "EACCES for real, as an unprivileged user, with the path",
    () => {
      const base = scratchDir();
      fs.chmodSync(base, 0o755);
      const ro = path.join(base, "ro");
      fs.mkdirSync(ro, 0o555);
      const script = writeScript(
        base,
        `import * as m from "MOD";
      const dir = ${JSON.stringify(ro)};
      for (const make of [() => m.NamedTemporaryFileSync({ dir }), () => m.TemporaryFileSync({ dir })]) {
        try { make(); console.log("created"); } catch (e) { console.log(e.code + " " + e.path.startsWith(dir)); }
      }`,
      );
      const r = runAsNobody(script);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("EACCES true\nEACCES true\n");
      expect(listDir(ro)).toEqual([]);
    },
  );
});

describe("concurrency", () => {
  // 2,000 at once: 4x the largest pool that runs the requests (libuv's 4 threads, Deno's blocking pool of 512),
  // so most wait queued, and past descriptor 1,024 (select()'s limit); 10,000 tested nothing more for 4x the time.
  // Windows' C runtime gives a process at most 8,192 descriptors (libuv's and Rust's files are CRT ones).
  const N = 2_000;
  it(`${N.toLocaleString("en")} unawaited async creates, writes and closes all succeed, leaving no descriptor open`, async () => {
    const dir = scratchDir();
    const fds = trackDescriptors();
    const files = await Promise.all(Array.from({ length: N }, () => NamedTemporaryFile({ dir })));
    expect(new Set(files.map((f) => f.name)).size).toBe(N);
    expect(fds.open.size).toBe(N);
    await Promise.all(files.map((f, i) => f.write(new Uint8Array([i & 0xff]))));
    await Promise.all(files.map((f) => f.close()));
    expect(listDir(dir)).toEqual([]);
    expect(fds.open.size).toBe(0);
  });

  // The four start creating together (each waits for GO, made once all four are ready): they overlap from the
  // first name whatever their start-up times, which 5,000 files each only made likely.
  const [FILES, DIRS] = [1000, 100];
  it(`4 processes of Node, Bun and Deno in one dir: ${FILES.toLocaleString("en")} files and ${DIRS} directories each, no collision`, async () => {
    const dir = scratchDir();
    const scripts = scratchDir();
    const go = path.join(scripts, "GO");
    const script = writeScript(
      scripts,
      `import * as fs from "node:fs";
      import { NamedTemporaryFileSync, TemporaryDirectorySync } from "MOD";
      const dir = ${JSON.stringify(dir)};
      console.log("ready");
      while (!fs.existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 1));
      const names = [];
      const dirs = [];
      for (let i = 0; i < ${FILES}; i++) {
        const f = NamedTemporaryFileSync({ dir, delete: false });
        f.closeSync();
        names.push(f.name);
      }
      for (let i = 0; i < ${DIRS}; i++) dirs.push(TemporaryDirectorySync({ dir, delete: false }));
      console.log(JSON.stringify([...names, ...dirs.map((d) => d.name)]));
      for (const n of names) fs.unlinkSync(n);
      for (const d of dirs) d.cleanupSync();`,
    );
    const bin = runtimeBinary;
    // The Node on PATH may be older than type stripping: tsx, when the script imports the .ts sources.
    const tsx = new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
    const nodeArgs = MOD.endsWith(".ts") ? ["--import", tsx, script] : [script];
    const node = bin("node");
    const commands: [string, string[]][] = [
      [node, nodeArgs],
      [bin("bun"), [script]],
      [bin("deno"), ["run", "-A", script]],
      ...(RUNTIME === "node"
        ? [[node, nodeArgs]]
        : RUNTIME === "bun"
        ? [[bin("bun"), [script]]]
        : [[bin("deno"), ["run", "-A", script]]]) as [string, string[]][],
    ];
    const started = Date.now();
    const children = commands.map(([cmd, args]) => startChild(script, {}, [], [cmd, args]));
    await Promise.all(children.map((c) => c.line(/^ready$/)));
    fs.writeFileSync(go, "");
    const results = await Promise.all(children.map((c) => c.done));
    for (const r of results) expect(r.stderr).toBe("");
    const all = results.flatMap((r) => JSON.parse(r.stdout.split("\n")[1]));
    expect(all.length).toBe(4 * (FILES + DIRS));
    expect(new Set(all).size).toBe(4 * (FILES + DIRS));
    expect(listDir(dir)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(120_000);
  });

  const PER_WORKER = WINDOWS ? 200 : 500; // Wine's file calls cost 1-5 ms
  it("worker threads create files at the same time without colliding", async () => {
    const dir = scratchDir();
    const scripts = scratchDir();
    const worker = writeScript(
      scripts,
      `import { parentPort } from "node:worker_threads";
      import { NamedTemporaryFileSync } from "MOD";
      const names = [];
      for (let i = 0; i < ${PER_WORKER}; i++) {
        const f = NamedTemporaryFileSync({ dir: ${JSON.stringify(dir)}, delete: false });
        f.closeSync();
        names.push(f.name);
      }
      parentPort.postMessage(names);`,
      "worker.mjs",
    );
    const { Worker } = await import("node:worker_threads");
    // A Node without type stripping cannot import the .ts sources in a worker: a small entry registers tsx first.
    const tsxApi = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/esm/api/index.mjs")).href;
    const entry = RUNTIME === "node" && MOD.endsWith(".ts")
      ? writeScript(
        scripts,
        `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${
          JSON.stringify(pathToFileURL(worker).href)
        });`,
        "worker_entry.mjs",
      )
      : worker;
    const names =
      (await Promise.all(Array.from({ length: 4 }, () =>
        new Promise<string[]>((resolve, reject) => {
          const w = new Worker(entry);
          w.once("message", (m) => resolve(m));
          w.once("error", reject);
        })))).flat();
    expect(names.length).toBe(4 * PER_WORKER);
    expect(new Set(names).size).toBe(4 * PER_WORKER);
    expect(listDir(dir).length).toBe(4 * PER_WORKER);
  });
});

describe("names are uniform over the alphabet", () => {
  it("a chi-square test on 1,000,000 characters passes at p = 1e-6", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 125_000; i++) {
      for (const c of nextRandomChars()) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(ALPHABET.length);
    const expected = 1_000_000 / ALPHABET.length;
    let chi2 = 0;
    for (const n of counts.values()) chi2 += (n - expected) ** 2 / expected;
    // 36 degrees of freedom: the 1 - 1e-6 quantile is about 92.0 (Wilson-Hilferty). At p = 0.001 a correct
    // generator failed one run in a thousand per runtime; modulo bias gives a chi-square in the thousands.
    expect(chi2).toBeLessThan(92.0);
  });
});

describe("modes are never looser than requested", () => {
  skipIf(posixOnly("permission bits and the umask"))(
    "with umask 0, files are exactly 0o600 and directories 0o700",
    () => {
      const dir = scratchDir();
      const old = process.umask(0);
      try {
        const [fd, name] = mkstempSync({ dir });
        fs.closeSync(fd);
        expect(fs.statSync(name).mode & 0o777).toBe(0o600);
        expect(fs.statSync(mkdtempSync({ dir })).mode & 0o777).toBe(0o700);
        using f = NamedTemporaryFileSync({ dir });
        expect(fs.statSync(f.name).mode & 0o777).toBe(0o600);
      } finally {
        process.umask(old);
      }
    },
  );
});
