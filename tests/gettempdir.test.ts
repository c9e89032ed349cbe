import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { spawnSync } from "node:child_process";
import {
  gettempdir,
  gettempprefix,
  mkdtempSync,
  mkstempSync,
  mktemp,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  setTempdir,
  TemporaryFileSync,
} from "../mod.ts";
import {
  cleanupScratch,
  errno,
  injectFaults,
  listDir,
  runChild,
  runtimeBinary,
  scratchDir,
  writeScript,
} from "./_helpers.ts";
import { WINDOWS } from "./_windows.ts";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
  setTempdir(undefined);
  cleanupScratch();
});

/** Replaces the environment the backend sees. */
function fakeEnv(vars: Record<string, string>) {
  restore = injectFaults({}, { env: (name: string) => vars[name] });
  setTempdir(undefined);
}

describe("gettempdir", () => {
  it("prefers TMPDIR, then TEMP, then TMP", () => {
    const [a, b, c] = [scratchDir(), scratchDir(), scratchDir()];
    fakeEnv({ TMPDIR: a, TEMP: b, TMP: c });
    expect(gettempdir()).toBe(a);
    restore!();
    fakeEnv({ TEMP: b, TMP: c });
    expect(gettempdir()).toBe(b);
    restore!();
    fakeEnv({ TMP: c });
    expect(gettempdir()).toBe(c);
  });

  it("skips empty variables and unusable directories", () => {
    const c = scratchDir();
    fakeEnv({ TMPDIR: "", TEMP: path.join(c, "missing"), TMP: c });
    expect(gettempdir()).toBe(c);
  });

  it("falls back to /tmp (on Windows the user's AppData\\Local\\Temp) when no variable is set", () => {
    fakeEnv({});
    expect(gettempdir()).toBe(WINDOWS ? path.join(os.homedir(), "AppData", "Local", "Temp") : "/tmp");
  });

  it("reads the real environment", () => {
    const a = scratchDir();
    const old = process.env.TMPDIR;
    process.env.TMPDIR = a;
    try {
      setTempdir(undefined);
      expect(gettempdir()).toBe(a);
    } finally {
      if (old === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = old;
    }
  });

  it("returns an absolute path and caches it", () => {
    const a = scratchDir();
    const rel = path.relative(process.cwd(), a);
    fakeEnv({ TMPDIR: rel });
    expect(gettempdir()).toBe(a);
    restore!();
    const other = scratchDir();
    restore = injectFaults({}, { env: (name: string) => (name === "TMPDIR" ? other : undefined) });
    expect(gettempdir()).toBe(a); // cached: the new environment is not read
  });

  it("the probe leaves nothing behind", () => {
    const a = scratchDir();
    fakeEnv({ TMPDIR: a });
    gettempdir();
    expect(listDir(a)).toEqual([]);
  });

  it("the probe leaves nothing behind when its write fails, and moves on", () => {
    const [a, b] = [scratchDir(), scratchDir()];
    const inA = new Set<number>();
    restore = injectFaults({
      open: { after: (r, fd) => void (r.path.startsWith(a) && inA.add(fd)) },
      write: {
        before: (r) => {
          if (inA.delete(r.fd)) throw errno("ENOSPC");
        },
      },
    }, { env: (name: string) => ({ TMPDIR: a, TEMP: b } as Record<string, string>)[name] });
    setTempdir(undefined);
    expect(gettempdir()).toBe(b);
    expect(listDir(a)).toEqual([]);
    expect(listDir(b)).toEqual([]);
  });

  it.each([["ENOSPC", "ENOENT"], ["EROFS", "ENOENT"], ["EACCES", "EACCES"], ["EPERM", "EACCES"]])(
    "when every candidate fails with %s it throws %s, listing every candidate",
    (injected, expected) => {
      restore = injectFaults({
        open: {
          before: (r) => {
            throw errno(injected, r.path);
          },
        },
      }, { env: (name: string) => (name === "TMPDIR" ? "/nonexistent-xtf" : undefined) });
      setTempdir(undefined);
      let err: { code?: string; message: string } | undefined;
      try {
        gettempdir();
      } catch (e) {
        err = e as typeof err;
      }
      expect(err?.code).toBe(expected);
      const defaults = WINDOWS
        ? [path.join(os.homedir(), "AppData", "Local", "Temp"), "c:\\temp", "c:\\tmp", path.resolve("\\temp")]
        : ["/tmp", "/var/tmp", "/usr/tmp"];
      for (const dir of [path.resolve("/nonexistent-xtf"), ...defaults, process.cwd()]) {
        expect(err?.message).toContain(dir);
      }
    },
  );

  it("setTempdir overrides the default and undefined resets it", () => {
    const a = scratchDir();
    setTempdir(a);
    expect(gettempdir()).toBe(a);
    setTempdir(undefined);
    expect(gettempdir()).not.toBe(a);
    expect(() => setTempdir(42 as unknown as string)).toThrow(TypeError);
  });

  it("gettempprefix is tmp", () => {
    expect(gettempprefix()).toBe("tmp");
  });

  it("in Deno without env permission, skips the variables without prompting", () => {
    const a = scratchDir();
    const file = writeScript(a, `import { gettempdir } from "MOD"; console.log(gettempdir());`);
    const deno = runtimeBinary("deno");
    const r = runChild(file, {
      env: { ...process.env, TMPDIR: a, DENO_NO_PROMPT: "1" },
      input: "",
    });
    expect(r.stdout.trim()).toBe(a); // the running runtime honours TMPDIR
    const d = spawnSync(deno, ["run", "--allow-read", "--allow-write", "--no-prompt", file], {
      encoding: "utf8",
      env: { ...process.env, TMPDIR: a },
    });
    // Reported once, not silently ignored: the warning names the permission to grant.
    expect(d.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/no env permission.*--allow-env=TMPDIR/),
    ]);
    // The first default candidate that needs no permission: /tmp; on Windows (no home without --allow-sys, no
    // SYSTEMROOT without env) c:\temp, c:\tmp, \temp, \tmp or the working directory, whichever exists.
    if (WINDOWS) expect(d.stdout.trim()).not.toBe(a);
    else expect(d.stdout.trim()).toBe("/tmp");
  });

  it("in Deno, write permission alone is enough for gettempdir and mkdtemp, as for Deno.makeTempFile", () => {
    const a = scratchDir();
    const file = writeScript(
      a,
      `import { gettempdir, mkdtempSync } from "MOD";
      const d = mkdtempSync({ prefix: "w-only-" });
      console.log(gettempdir(), d.startsWith(gettempdir()));
      Deno.removeSync(d);`,
    );
    // /tmp on POSIX: npm test's scratch directories are under /dev/shm, where Deno asks for --allow-all.
    const tmp = WINDOWS ? a : "/tmp";
    const deno = runtimeBinary("deno");
    const d = spawnSync(deno, ["run", `--allow-write=${tmp}`, "--allow-env", "--no-prompt", file], {
      encoding: "utf8",
      env: { ...process.env, TMPDIR: tmp },
    });
    expect(d.stderr).toBe("");
    expect(d.stdout.trim()).toBe(`${tmp} true`);
  });

  it("in Deno without any permission, the error is EACCES naming the permission, never ENOENT", () => {
    const a = scratchDir();
    const file = writeScript(
      a,
      `import { NamedTemporaryFileSync, TemporaryDirectorySync } from "MOD";
      for (const make of [NamedTemporaryFileSync, TemporaryDirectorySync]) {
        try { make(); } catch (e) { console.log(e.code, /--allow-write/.test(e.message)); }
      }`,
    );
    const deno = runtimeBinary("deno");
    const d = spawnSync(deno, ["run", "--allow-env", "--no-prompt", file], { encoding: "utf8" });
    expect(d.stdout).toBe("EACCES true\nEACCES true\n");
  });

  it("in Deno without write permission, the error names the permission", () => {
    const a = scratchDir();
    const file = writeScript(
      a,
      `import { mkstempSync } from "MOD";
      try { mkstempSync({ dir: ${JSON.stringify(a)} }); } catch (e) { console.log(e.code, e.message); }`,
    );
    const deno = runtimeBinary("deno");
    const d = spawnSync(deno, ["run", "--allow-read", "--allow-env", "--no-prompt", file], {
      encoding: "utf8",
    });
    expect(d.stdout).toMatch(/^EACCES .*write access.*--allow-write/);
    expect(fs.readdirSync(a)).toEqual(["child.mjs"]);
  });
});

describe("the default directory's first creation is its probe", () => {
  /** Records the paths of the creations that follow (open and mkdir requests). */
  function countOpens(vars: Record<string, string>): { opens: string[] } {
    const seen = { opens: [] as string[] };
    const note = (r: { path: string }) => void seen.opens.push(r.path);
    restore = injectFaults({ open: { before: note }, mkdir: { before: note } }, {
      env: (name: string) => vars[name],
    });
    setTempdir(undefined);
    return seen;
  }

  it.each([
    ["NamedTemporaryFileSync", () => NamedTemporaryFileSync().closeSync()],
    ["mkstempSync", () => {
      const [fd, name] = mkstempSync();
      fs.closeSync(fd);
      fs.unlinkSync(name); // the caller's to remove
    }],
    ["mkdtempSync", () => fs.rmdirSync(mkdtempSync())],
    ["TemporaryFileSync", () => TemporaryFileSync().closeSync()],
  ])("%s in a usable TMPDIR: no probe file, and gettempdir() answers that directory", (_, create) => {
    const dir = scratchDir();
    const seen = countOpens({ TMPDIR: dir });
    create();
    expect(gettempdir()).toBe(dir);
    expect(seen.opens).toHaveLength(1); // the creation's own (O_TMPFILE opens the directory), and no probe's
    expect(listDir(dir)).toEqual([]);
  });

  it.each([
    ["NamedTemporaryFileSync", () => NamedTemporaryFileSync().closeSync()],
    ["NamedTemporaryFile (async)", async () => await (await NamedTemporaryFile()).close()],
    ["mkdtempSync", () => fs.rmdirSync(mkdtempSync())],
    ["TemporaryFileSync", () => TemporaryFileSync().closeSync()],
  ])(
    "%s where TMPDIR is unusable: Python's probe then finds TEMP, and the creation is made there",
    async (_, create) => {
      const good = scratchDir();
      const seen = countOpens({ TMPDIR: path.join(good, "missing"), TEMP: good });
      await create();
      expect(gettempdir()).toBe(good);
      expect(seen.opens.at(-1)?.startsWith(good)).toBe(true);
      expect(listDir(good)).toEqual([]);
    },
  );

  it("mktemp, which creates nothing, probes first", () => {
    const good = scratchDir();
    countOpens({ TMPDIR: path.join(good, "missing"), TEMP: good });
    expect(path.dirname(mktemp())).toBe(good);
  });
});
