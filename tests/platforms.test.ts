// The behaviour suite once per platform profile (tests/_profiles.ts): the real
// core over a backend that answers as Windows, macOS or a Linux file system
// without O_TMPFILE would. Then one test per finding of issue 15, under the
// profile where it shows. What only Linux can show is guarded. On a host
// other than Linux (the public CI) the behaviour suite runs on the real
// platform and the simulations are skipped.
import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  gettempdir,
  mkdtemp,
  mkdtempSync,
  mkstemp,
  mkstempSync,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  TemporaryDirectory,
  TemporaryDirectorySync,
  TemporaryFile,
  TemporaryFileSync,
} from "../mod.ts";
import { registryState } from "../src/_cleanup_registry.ts";
import { backend } from "../src/backend.ts";
import { platform } from "../src/_platform.ts";
import { useNameSource } from "../src/_random_names.ts";
import {
  afterTest,
  cleanupScratch,
  failure,
  injectFaults,
  listDir,
  predictableNames,
  runChild,
  RUNTIME,
  scratchDir,
  writeScript,
} from "./_helpers.ts";
import { type Installed, installProfile, PROFILES, type ProfileSpec, SIMULATING } from "./_profiles.ts";
import { describeSkipIf, posixOnly, skipIf, UNLINKED_NAMES_STAY } from "./_windows.ts";

/** Why the simulations cannot run here: they rewrite Linux's answers (this machine's own run is above). */
const SIMULATION = SIMULATING
  ? undefined
  : posixOnly("a simulation that rewrites Linux's answers; this machine's own behaviour is tested above") ??
    `Linux-only: a simulation that rewrites Linux's answers (this is ${process.platform})`;
const DELETE_PENDING_HERE = UNLINKED_NAMES_STAY;

afterEach(cleanupScratch);

const bytes = (...b: number[]) => new Uint8Array(b);
const byName = (name: string) => PROFILES.find((p) => p.name.startsWith(name))!;
const WINDOWS = PROFILES.filter((p) => p.platform === "win32");

describe.each(PROFILES.map((p) => [p.name, p] as [string, ProfileSpec]))("behaviour on %s", (_name, spec) => {
  const win = spec.platform === "win32";
  let P: Installed;
  const install = async () => (P = await installProfile(spec));

  it("gettempdir is the profile's temp directory, as the environment names it", async () => {
    await install();
    expect(gettempdir()).toBe(P.tempDir);
    if (spec.platform === "darwin") expect(fs.realpathSync(gettempdir())).not.toBe(gettempdir());
  });

  it("NamedTemporaryFile: written, read back, removed at close (sync and async)", async () => {
    await install();
    const f = NamedTemporaryFileSync({ prefix: "n-", suffix: ".bin" });
    expect(path.dirname(f.name)).toBe(P.tempDir);
    f.writeSync(bytes(1, 2, 3));
    f.seekSync(0);
    expect(f.readSync()).toEqual(bytes(1, 2, 3));
    f.closeSync();
    const g = await NamedTemporaryFile({ mode: "w+" });
    await g.write("a\nb");
    await g.seek(0);
    expect(await g.read()).toBe("a\nb");
    expect(fs.readFileSync(g.name, "utf8")).toBe(win ? "a\r\nb" : "a\nb");
    await g.close();
    expect(listDir(P.tempDir)).toEqual([]);
  });

  it("TemporaryFile: no entry is left once closed, content intact", async () => {
    await install();
    const f = TemporaryFileSync();
    const g = await TemporaryFile({ mode: "w+" });
    f.writeSync(bytes(7, 8));
    f.seekSync(0);
    expect(f.readSync()).toEqual(bytes(7, 8));
    await g.write("text");
    await g.seek(0);
    expect(await g.read()).toBe("text");
    f.closeSync();
    await g.close();
    expect(listDir(P.tempDir)).toEqual([]);
  });

  it("TemporaryFile uses O_TMPFILE only where the platform and file system have it", async () => {
    await install();
    TemporaryFileSync({ dir: scratchDir() }).closeSync();
    // O_TMPFILE opens the directory itself; create-then-unlink calls unlink.
    const anonymous = spec.platform === "linux" && !spec.noTmpfile;
    expect(P.counts.get("unlink") ?? 0).toBe(anonymous ? 0 : 1);
  });

  it("TemporaryDirectory: a tree with files is removed by cleanup, disposal and exit", async () => {
    await install();
    const d = TemporaryDirectorySync();
    fs.mkdirSync(path.join(d.name, "sub"));
    fs.writeFileSync(path.join(d.name, "sub", "f"), "x");
    d.cleanupSync();
    const e = await TemporaryDirectory();
    fs.writeFileSync(path.join(e.name, "f"), "x");
    await e[Symbol.asyncDispose]();
    const atExit = await TemporaryDirectory();
    fs.writeFileSync(path.join(atExit.name, "f"), "x");
    P.proc.emit("exit", 0);
    expect(listDir(P.tempDir)).toEqual([]);
  });

  it("a TemporaryDirectory holding an open anonymous file is removed once the file closes", async () => {
    await install();
    const d = await TemporaryDirectory();
    const f = await TemporaryFile({ dir: d.name });
    await f.write(bytes(1));
    await f.close();
    await d.cleanup();
    expect(listDir(P.tempDir)).toEqual([]);
  });

  it("mkstemp and mkdtemp create inside dir with prefix and suffix", async () => {
    await install();
    const [fd, name] = mkstempSync({ prefix: "p-", suffix: ".s" });
    fs.closeSync(fd);
    const [fd2, name2] = await mkstemp();
    fs.closeSync(fd2);
    const d1 = mkdtempSync({ prefix: "d-" });
    const d2 = await mkdtemp({ suffix: "_x" });
    expect(path.basename(name)).toMatch(/^p-[a-z0-9_]{8}\.s$/);
    expect(path.basename(d1)).toMatch(/^d-[a-z0-9_]{8}$/);
    expect(path.basename(d2)).toMatch(/^tmp[a-z0-9_]{8}_x$/);
    expect(listDir(P.tempDir)).toEqual([name, name2, d1, d2].map((p) => path.basename(p)).sort());
  });

  it("SpooledTemporaryFile rolls over to an anonymous file", async () => {
    await install();
    const s = SpooledTemporaryFileSync({ maxSize: 4 });
    s.writeSync(bytes(1, 2, 3, 4, 5, 6));
    expect(typeof s.fileno()).toBe("number");
    s.seekSync(0);
    expect(s.readSync()).toEqual(bytes(1, 2, 3, 4, 5, 6));
    s.closeSync();
    expect(listDir(P.tempDir)).toEqual([]);
  });

  it("persist moves the file; overwrite: false refuses an existing dest with EEXIST", async () => {
    await install();
    const dest = path.join(scratchDir(), "out.txt");
    const f = await NamedTemporaryFile({ mode: "w" });
    await f.write("one");
    await f.persist(dest);
    await f.close();
    expect(fs.readFileSync(dest, "utf8")).toBe("one");
    const g = await NamedTemporaryFile({ mode: "w" });
    await g.write("two");
    const err = await failure(() => g.persist(dest, { overwrite: false }));
    expect(err.code).toBe("EEXIST");
    expect([err.path, err.dest]).toContain(dest);
    expect(fs.readFileSync(dest, "utf8")).toBe("one");
    const dest2 = path.join(path.dirname(dest), "out2.txt");
    await g.persist(dest2, { overwrite: false });
    await g.close();
    expect(fs.readFileSync(dest2, "utf8")).toBe("two");
    expect(listDir(P.tempDir)).toEqual([]);
  });

  it("an unhandled exit signal cleans up, then ends the process with the signal's status", async () => {
    await install();
    const signals = win
      ? ["SIGINT", "SIGTERM", "SIGBREAK", "SIGHUP"] as const
      : ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    const refused = spec.runtime === "deno-2.7.5"
      ? ["SIGTERM", "SIGHUP"]
      : spec.runtime === "deno"
      ? ["SIGHUP"]
      : [];
    for (const signal of signals) {
      const f = NamedTemporaryFileSync();
      P.proc.ended = undefined;
      const ended = P.proc.deliver(signal);
      if (refused.includes(signal)) {
        // The runtime would not let us listen: the signal ends the process without us.
        expect(ended).toBeUndefined();
        expect(fs.existsSync(f.name)).toBe(true);
      } else {
        const status = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143, SIGBREAK: 149 }[signal];
        // POSIX re-raises (the shell then reports 128 + n); Windows has no self-signal and exits so.
        expect(ended).toEqual(win ? { status } : { signal });
        // Gone, or (delete-pending semantics, our descriptor still open) gone once it closes.
        expect(fs.existsSync(f.name) && !P.pending().includes(f.name) && !DELETE_PENDING_HERE).toBe(false);
      }
      f.closeSync();
      if (DELETE_PENDING_HERE && !refused.includes(signal)) expect(fs.existsSync(f.name)).toBe(false);
    }
  });

  skipIf(win ? posixOnly("permission bits") ?? "the profile is Windows: no permission bits" : undefined)(
    "modes are private: 0o600 files, 0o700 directories (POSIX only)",
    async () => {
      await install();
      const f = NamedTemporaryFileSync();
      const d = TemporaryDirectorySync();
      expect(fs.statSync(f.name).mode & 0o077).toBe(0);
      expect(fs.statSync(d.name).mode & 0o077).toBe(0);
      f.closeSync();
      d.cleanupSync();
    },
  );

  it.skipIf(!win)(
    "modes mean nothing: the entry gets the directory's default access (documented)",
    async () => {
      await install();
      const f = NamedTemporaryFileSync();
      // The simulated ACL inheritance: readable by others, as in a shared C:\TEMP.
      expect(fs.statSync(f.name).mode & 0o044).not.toBe(0);
      f.closeSync();
    },
  );
});

describeSkipIf(SIMULATION)("Windows: a path another process holds open", () => {
  it.each(WINDOWS.map((p) => [p.name, p] as [string, ProfileSpec]))(
    "%s: close retries a busy unlink until the holder lets go",
    async (_n, spec) => {
      const P = await installProfile(spec);
      const f = await NamedTemporaryFile();
      P.holdOpen(f.name, { code: "EBUSY", forMs: 100 });
      await f.close();
      expect(fs.existsSync(f.name)).toBe(false);
      const g = NamedTemporaryFileSync();
      P.holdOpen(g.name, { code: "EPERM", forMs: 100 });
      g.closeSync();
      expect(fs.existsSync(g.name)).toBe(false);
    },
  );

  it("a path that stays busy is reported and kept: a later disposal or the exit hook removes it", async () => {
    const P = await installProfile(byName("Windows, Node 22+"));
    const f = await NamedTemporaryFile();
    P.holdOpen(f.name, { code: "EBUSY" });
    const err = await failure(() => f.close());
    expect(err.code).toBe("EBUSY");
    expect(err.path).toBe(f.name);
    expect(registryState().live).toBe(1); // not forgotten
    P.holdOpen(f.name, { forMs: 0 });
    await f[Symbol.asyncDispose]();
    expect(fs.existsSync(f.name)).toBe(false);

    const g = NamedTemporaryFileSync();
    P.holdOpen(g.name, { code: "EPERM" });
    const syncErr = await failure(() => g.closeSync());
    expect(syncErr.code).toBe("EPERM");
    expect(syncErr.path).toBe(g.name);
    P.holdOpen(g.name, { forMs: 0 });
    P.proc.emit("exit", 0);
    expect(fs.existsSync(g.name)).toBe(false);
  });

  it("persist retries a rename over a destination held open", async () => {
    const P = await installProfile(byName("Windows, Node 22+"));
    const dest = path.join(scratchDir(), "busy.txt");
    fs.writeFileSync(dest, "old");
    P.holdOpen(dest, { code: "EPERM", forMs: 200 });
    const f = await NamedTemporaryFile({ mode: "w" });
    await f.write("new");
    await f.persist(dest);
    await f.close();
    expect(fs.readFileSync(dest, "utf8")).toBe("new");
  });

  it("persist overwrite: false succeeds when the old name cannot be unlinked: dest is complete, the old name goes at exit", async () => {
    const P = await installProfile(byName("Windows, Node 22+"));
    const dest = path.join(scratchDir(), "once.txt");
    const f = NamedTemporaryFileSync({ mode: "w" });
    const old = f.name;
    f.writeSync("content");
    P.holdOpen(old, { code: "EBUSY" });
    f.persistSync(dest, { overwrite: false });
    expect(f.name).toBe(dest);
    f.closeSync();
    expect(fs.readFileSync(dest, "utf8")).toBe("content");
    expect(fs.existsSync(old)).toBe(true);
    P.holdOpen(old, { forMs: 0 });
    P.proc.emit("exit", 0);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.readFileSync(dest, "utf8")).toBe("content");
  });
});

describe("a file system without hard links (FAT, exFAT, some SMB/FUSE)", () => {
  it.each(["EPERM", "EISDIR", "EOPNOTSUPP"])(
    "link refused with %s: persist overwrite: false reserves dest and renames onto it, and still refuses an existing dest",
    async (code) => {
      const dir = scratchDir();
      const dest = path.join(dir, "out.txt");
      injectFaults({
        link: {
          before: (r) => {
            throw Object.assign(new Error(`${code}: injected`), { code, path: r.from, dest: r.to });
          },
        },
      });
      const f = await NamedTemporaryFile({ dir, mode: "w" });
      await f.write("first");
      await f.persist(dest, { overwrite: false });
      await f.close();
      const g = NamedTemporaryFileSync({ dir, mode: "w" });
      g.writeSync("second");
      const err = await failure(() => g.persistSync(dest, { overwrite: false }));
      expect(err.code).toBe("EEXIST");
      expect(err.path).toBe(dest);
      g.closeSync();
      expect(fs.readFileSync(dest, "utf8")).toBe("first");
      expect(listDir(dir)).toEqual(["out.txt"]);
    },
  );
});

describeSkipIf(SIMULATION)("Windows: delete-pending names (Node 20, FAT, SMB)", () => {
  const spec = byName("Windows, Node 20");

  it("mkstemp skips a name that is delete pending (EPERM from open) and uses the next", async () => {
    const P = await installProfile(spec);
    const dir = scratchDir();
    const at = predictableNames();
    // An anonymous file in the pending state holds "tmp" + at(0).
    const f = TemporaryFileSync({ dir });
    expect(P.pending()).toEqual([path.join(dir, "tmp" + at(0))]);
    let i = 0; // the same name again, then the next
    afterTest(useNameSource(() => at(i++)));
    const [fd, name] = mkstempSync({ dir });
    fs.closeSync(fd);
    expect(name).toBe(path.join(dir, "tmp" + at(1)));
    f.closeSync();
    expect(P.pending()).toEqual([]);
    expect(listDir(dir)).toEqual(["tmp" + at(1)]);
  });

  it("a refusal from the directory itself (EPERM, the name absent) is still final", async () => {
    await installProfile(spec);
    const dir = scratchDir();
    let opens = 0;
    injectFaults({
      open: {
        before: (r) => {
          opens++;
          throw Object.assign(new Error("EPERM: injected"), { code: "EPERM", path: r.path });
        },
      },
    });
    const err = await failure(() => mkstemp({ dir }));
    expect(err.code).toBe("EPERM");
    expect(opens).toBe(1);
  });

  it("an anonymous file's name stays pending until it closes; then its directory can go", async () => {
    const P = await installProfile(spec);
    const d = TemporaryDirectorySync();
    const f = TemporaryFileSync({ dir: d.name });
    expect(listDir(d.name)).toHaveLength(1); // visible while pending
    expect(P.pending()).toHaveLength(1);
    f.closeSync();
    d.cleanupSync();
    expect(fs.existsSync(d.name)).toBe(false);
  });
});

describeSkipIf(SIMULATION)(
  "Windows: anonymous files are delete-on-close where the runtime can say so",
  () => {
    it("Node/Bun: an anonymous file whose new name another process holds still works, and goes at close", async () => {
      const P = await installProfile(byName("Windows, Node 22+"));
      const dir = scratchDir();
      const at = predictableNames();
      P.holdOpen(path.join(dir, "tmp" + at(0)), { code: "EBUSY" }); // an antivirus scanning the new file
      const f = TemporaryFileSync({ dir });
      f.writeSync(bytes(5));
      f.seekSync(0);
      expect(f.readSync()).toEqual(bytes(5));
      f.closeSync();
      expect(listDir(dir)).toEqual([]);
    });

    it("Deno (no delete-on-close): the same fails with EBUSY and the path, and leaves no entry once released", async () => {
      const P = await installProfile(byName("Windows, Deno 2.7.6+"));
      const dir = scratchDir();
      const at = predictableNames();
      const name = path.join(dir, "tmp" + at(0));
      P.holdOpen(name, { code: "EBUSY" });
      const err = await failure(() => TemporaryFile({ dir }));
      expect(err.code).toBe("EBUSY");
      expect(err.path).toBe(name);
      expect(registryState().live).toBe(1); // kept for the exit hook
      P.holdOpen(name, { forMs: 0 });
      P.proc.emit("exit", 0);
      expect(listDir(dir)).toEqual([]);
    });
  },
);

describeSkipIf(SIMULATION)("Windows: names", () => {
  const spec = byName("Windows, Node 22+");

  it.each(["a:b", "x<", "y>", 'q"', "p|", "w?", "s*", "tab\t"])(
    "prefix %j is a TypeError naming the option, before anything is created",
    async (bad) => {
      await installProfile(spec);
      const dir = scratchDir();
      for (
        const make of [() => mkstemp({ dir, prefix: bad }), () => TemporaryDirectory({ dir, suffix: bad })]
      ) {
        const err = await failure(make);
        expect(err).toBeInstanceOf(TypeError);
        expect(err.message).toMatch(/option "(prefix|suffix)"/);
      }
      expect(listDir(dir)).toEqual([]);
    },
  );

  it("a suffix ending in a dot or a space is refused (Windows would drop it from the name)", async () => {
    await installProfile(spec);
    for (const suffix of [".", "x ", "a."]) {
      expect(() => mkdtempSync({ suffix })).toThrow(TypeError);
    }
    expect(() => mkdtempSync({ suffix: ".d" })).not.toThrow();
  });

  it("without the check, ':' would open a stream of an existing file: the profile shows why", async () => {
    const P = await installProfile(spec);
    const dir = scratchDir();
    fs.writeFileSync(path.join(dir, "victim"), "data");
    // Straight to the backend, as an unchecked name would go.
    const flags = backend().flags;
    const fd = backend().performSync({
      op: "open",
      path: path.join(dir, "victim:stream"),
      flags: flags.O_RDWR | flags.O_CREAT | flags.O_EXCL,
      mode: 0o600,
    }) as number;
    fs.closeSync(fd);
    expect(listDir(dir)).toEqual(["victim"]); // no EEXIST: the "exclusive" create opened victim
    expect(P.spec.platform).toBe("win32");
  });

  it("on POSIX the same characters stay allowed, as in Python", async () => {
    await installProfile(byName("linux"));
    const dir = scratchDir();
    const name = mkdtempSync({ dir, prefix: "a:b<c>", suffix: "." });
    expect(path.basename(name)).toMatch(/^a:b<c>[a-z0-9_]{8}\.$/);
  });

  it("names differing only in case collide: the next name is used", async () => {
    await installProfile(spec);
    const dir = scratchDir();
    const at = predictableNames();
    fs.mkdirSync(path.join(dir, ("tmp" + at(0)).toUpperCase()));
    const name = mkdtempSync({ dir });
    expect(name).toBe(path.join(dir, "tmp" + at(1)));
  });
});

describeSkipIf(SIMULATION)("Windows: signals per runtime", () => {
  it("Deno before 2.7.6: SIGTERM cannot be listened to; creation still works and no listener leaks", async () => {
    const P = await installProfile(byName("Windows, Deno before 2.7.6"));
    const files = [NamedTemporaryFileSync(), await NamedTemporaryFile(), NamedTemporaryFileSync()];
    const d = await TemporaryDirectory();
    expect(P.proc.listenerCount("SIGTERM")).toBe(0);
    expect(P.proc.listenerCount("SIGINT")).toBe(1);
    expect(P.proc.listenerCount("SIGBREAK")).toBe(1);
    for (const f of files) f.closeSync();
    await d.cleanup();
  });

  it("Node/Bun: SIGBREAK and SIGHUP (the console closing) are hooked, and never re-raised with kill()", async () => {
    const P = await installProfile(byName("Windows, Node 22+"));
    const f = NamedTemporaryFileSync();
    expect(P.proc.listenerCount("SIGHUP")).toBe(1);
    expect(P.proc.deliver("SIGBREAK")).toEqual({ status: 149 }); // kill() would throw ENOSYS
    expect(fs.existsSync(f.name)).toBe(false);
    f.closeSync();
  });

  it("a signal the program handles itself is left to it on every profile", async () => {
    const P = await installProfile(byName("Windows, Node 22+"));
    const f = NamedTemporaryFileSync();
    const mine = () => {};
    P.proc.on("SIGINT", mine);
    expect(P.proc.deliver("SIGINT")).toBeUndefined();
    expect(fs.existsSync(f.name)).toBe(true);
    P.proc.off("SIGINT", mine);
    f.closeSync();
  });
});

describeSkipIf(SIMULATION)("Windows: a dangling symlink planted at the next name", () => {
  // Node and Bun (libuv, no O_NOFOLLOW, CREATE_NEW follows the link) create the
  // link's target; Deno (Rust's create_new) refuses the name as Linux does.
  const libuv = (p: ProfileSpec) => p.runtime === "node" || p.runtime === "bun";

  /** Plants a link at the first predicted name, to a target outside `dir`. */
  function plant(dir: string): { target: string; link: string; at: (i: number) => string } {
    const at = predictableNames();
    const target = path.join(scratchDir(), "target");
    const link = path.join(dir, "tmp" + at(0));
    fs.symlinkSync(target, link);
    return { target, link, at };
  }

  /** Nothing went through the link: its target is absent or empty, and the link is still a link to it. */
  function nothingThrough(target: string, link: string): void {
    if (fs.existsSync(target)) expect(fs.readFileSync(target)).toHaveLength(0);
    expect(fs.readlinkSync(link)).toBe(target);
  }

  it.each(WINDOWS.map((p) => [p.name, p] as [string, ProfileSpec]))(
    "%s: mkstemp and NamedTemporaryFile write nothing through it and use the next name",
    async (_name, spec) => {
      await installProfile(spec);
      const dir = scratchDir();
      let { target, link, at } = plant(dir);
      const [fd, name] = mkstempSync({ dir });
      fs.writeSync(fd, "secret");
      fs.closeSync(fd);
      expect(name).toBe(path.join(dir, "tmp" + at(1)));
      // libuv made the target (empty, and left: it is not ours); Deno made nothing.
      expect(fs.existsSync(target)).toBe(libuv(spec));
      nothingThrough(target, link);

      const dir2 = scratchDir();
      ({ target, link, at } = plant(dir2));
      const f = await NamedTemporaryFile({ dir: dir2, delete: false });
      await f.write(bytes(1, 2, 3));
      await f.close();
      expect(f.name).toBe(path.join(dir2, "tmp" + at(1)));
      expect(new Uint8Array(fs.readFileSync(f.name))).toEqual(bytes(1, 2, 3));
      nothingThrough(target, link);
    },
  );

  it.each(WINDOWS.map((p) => [p.name, p] as [string, ProfileSpec]))(
    "%s: TemporaryFile writes nothing through it and still works",
    async (_name, spec) => {
      await installProfile(spec);
      const dir = scratchDir();
      const { target, link } = plant(dir);
      const f = TemporaryFileSync({ dir });
      f.writeSync(bytes(4, 5));
      f.flushSync();
      nothingThrough(target, link);
      f.seekSync(0);
      expect(f.readSync()).toEqual(bytes(4, 5));
      f.closeSync();
      nothingThrough(target, link);
      expect(listDir(dir)).toEqual([path.basename(link)]);
    },
  );

  it.each(WINDOWS.filter(libuv).map((p) => [p.name, p] as [string, ProfileSpec]))(
    "%s: a link swapped for another file right after the open is caught too (device and inode differ)",
    async (_name, spec) => {
      await installProfile(spec);
      const dir = scratchDir();
      const { target, link, at } = plant(dir);
      const decoy = path.join(scratchDir(), "decoy");
      fs.writeFileSync(decoy, "theirs");
      let swapped = false;
      injectFaults({
        open: {
          after: (r) => {
            // The attacker's move, between our open and our check: a plain file where the link was.
            if (swapped || r.path !== link) return;
            swapped = true;
            fs.renameSync(decoy, link);
          },
        },
      });
      const f = NamedTemporaryFileSync({ dir, delete: false });
      f.writeSync(bytes(9));
      f.closeSync();
      expect(swapped).toBe(true);
      expect(f.name).toBe(path.join(dir, "tmp" + at(1)));
      expect(fs.readFileSync(link, "utf8")).toBe("theirs"); // left alone
      expect(fs.readFileSync(target)).toHaveLength(0); // nothing written through
    },
  );

  it.each(PROFILES.map((p) => [p.name, p] as [string, ProfileSpec]))(
    "%s: the created name is checked only where the platform has no O_NOFOLLOW",
    async (_name, spec) => {
      const P = await installProfile(spec);
      const [fd] = mkstempSync({ dir: scratchDir() });
      fs.closeSync(fd);
      expect(P.counts.get("lstat") ?? 0).toBe(backend().flags.O_NOFOLLOW === 0 ? 1 : 0);
      expect(P.counts.get("fstat") ?? 0).toBe(backend().flags.O_NOFOLLOW === 0 ? 1 : 0);
      expect(spec.platform === "win32").toBe(backend().flags.O_NOFOLLOW === 0);
    },
  );
});

describeSkipIf(SIMULATION)("append modes: truncate works, and writes land at the end", () => {
  /** The flags of every open the core makes from now on. */
  function openFlags(): number[] {
    const seen: number[] = [];
    injectFaults({ open: { before: (r) => void seen.push(r.flags) } });
    return seen;
  }
  const contents = (name: string) => new Uint8Array(fs.readFileSync(name));

  // An O_APPEND descriptor cannot be truncated on Windows (no write-data
  // access): there append modes open without it and the byte layer writes
  // at the file's size. POSIX keeps O_APPEND.
  it.each(PROFILES.map((p) => [p.name, p] as [string, ProfileSpec]))(
    "%s: an append-mode file is truncated, and a write after a seek or another writer still lands at the end",
    async (_name, spec) => {
      await installProfile(spec);
      gettempdir(); // its probe file is no append
      const flags = openFlags();
      const O_APPEND = backend().flags.O_APPEND;
      const f = NamedTemporaryFileSync({ mode: "a+b" });
      f.writeSync(bytes(1, 2, 3));
      expect(f.truncateSync(1)).toBe(1);
      f.seekSync(0);
      f.writeSync(bytes(4));
      expect(f.tellSync()).toBe(2);
      fs.appendFileSync(f.name, bytes(9)); // another writer grows the file
      f.writeSync(bytes(5));
      f.flushSync();
      expect(contents(f.name)).toEqual(bytes(1, 4, 9, 5));
      expect(f.tellSync()).toBe(4);
      f.seekSync(0);
      expect(f.readSync()).toEqual(bytes(1, 4, 9, 5));
      f.closeSync();

      const g = await TemporaryFile({ mode: "ab+" });
      await g.write(bytes(1, 2));
      await g.truncate(0);
      await g.seek(0);
      await g.write(bytes(3));
      await g.seek(0);
      await g.write(bytes(6));
      await g.seek(0);
      expect(await g.read()).toEqual(bytes(3, 6));
      await g.close();

      // A spooled file rolled over to disk keeps appending at the end, and truncates.
      const h = SpooledTemporaryFileSync({ mode: "ab+", maxSize: 2 });
      h.writeSync(bytes(1, 2, 3));
      h.seekSync(0);
      h.writeSync(bytes(4));
      expect(h.truncateSync(2)).toBe(2);
      h.writeSync(bytes(7));
      h.seekSync(0);
      expect(h.readSync()).toEqual(bytes(1, 2, 7));
      h.closeSync();

      expect(flags.length).toBeGreaterThan(0);
      const withAppend = flags.filter((fl) => (fl & O_APPEND) !== 0).length;
      expect(withAppend).toBe(platform().appendByKernel ? flags.length : 0);
      expect(platform().appendByKernel).toBe(spec.platform !== "win32");
    },
  );

  it(
    "the Windows profile refuses truncate on an O_APPEND descriptor, as libuv's (EPERM)",
    async () => {
      await installProfile(byName("Windows, Node 22+"));
      const dir = scratchDir();
      const fd = backend().performSync({
        op: "open",
        path: path.join(dir, "f"),
        flags: backend().flags.O_RDWR | backend().flags.O_CREAT | backend().flags.O_APPEND,
        mode: 0o600,
      }) as number;
      const err = await failure(() => backend().performSync({ op: "truncate", fd, length: 0 }));
      expect(err.code).toBe("EPERM");
      backend().performSync({ op: "close", fd });
    },
  );
});

describeSkipIf(SIMULATION)("Linux: a file system that refuses O_TMPFILE", () => {
  it("refusal in one directory does not switch off O_TMPFILE in another", async () => {
    const P = await installProfile(byName("linux, a file system"));
    const nfs = scratchDir();
    const tmpfs = scratchDir();
    P.refuseTmpfileIn([nfs]);
    TemporaryFileSync({ dir: nfs }).closeSync();
    expect(P.counts.get("unlink")).toBe(1); // fell back: create, unlink
    TemporaryFileSync({ dir: tmpfs }).closeSync();
    (await TemporaryFile({ dir: tmpfs })).closeSync();
    expect(P.counts.get("unlink")).toBe(1); // still anonymous there
    TemporaryFileSync({ dir: nfs }).closeSync();
    expect(P.counts.get("unlink")).toBe(2);
    expect(listDir(nfs)).toEqual([]);
  });
});

describe("import smoke: the module loaded with another platform's fs.constants", () => {
  // A child whose node:fs reports Windows' or macOS's constants and whose
  // process.platform says so: the backend's flags and the platform table are
  // read from them, and a check that needs no file system runs.
  const CONSTANTS = {
    win32: {
      O_RDONLY: 0,
      O_WRONLY: 1,
      O_RDWR: 2,
      O_APPEND: 8,
      O_CREAT: 0x100,
      O_TRUNC: 0x200,
      O_EXCL: 0x400,
    },
    darwin: {
      O_RDONLY: 0,
      O_WRONLY: 1,
      O_RDWR: 2,
      O_APPEND: 8,
      O_CREAT: 0x200,
      O_TRUNC: 0x400,
      O_EXCL: 0x800,
      O_NOFOLLOW: 0x100,
      O_DIRECTORY: 0x100000,
    },
  };

  function loadAs(os: "win32" | "darwin") {
    const script = writeScript(
      scratchDir(),
      `import process from "node:process";
      const real = process.getBuiltinModule.bind(process);
      const constants = ${JSON.stringify(CONSTANTS[os])};
      Object.defineProperty(process, "platform", { value: ${JSON.stringify(os)}, configurable: true });
      process.getBuiltinModule = (id) => {
        const m = real(id);
        return id === "node:fs" || id === "fs" ? Object.create(m, { constants: { value: constants } }) : m;
      };
      const mod = await import("MOD");
      const { backend, platform, exclusiveFlags } = await import("INTERNALS");
      let refused = "";
      try {
        // A missing dir: should the name pass, the open fails and creates nothing.
        mod.mkstempSync({ prefix: "a:b", dir: ${JSON.stringify(path.join(scratchDir(), "missing"))} });
      } catch (err) {
        refused = err.code ?? err.name;
      }
      const b = backend();
      console.log(JSON.stringify({
        platform: b.platform,
        flags: { ...b.flags, O_TMPFILE: b.flags.O_TMPFILE ?? null },
        exclusive: exclusiveFlags(),
        sep: platform().sep,
        appendByKernel: platform().appendByKernel,
        refused,
      }));`,
    );
    const r = runChild(script);
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout);
  }

  it("Windows: no O_NOFOLLOW or O_TMPFILE, delete-on-close where libuv passes it, the Windows table", () => {
    const out = loadAs("win32");
    expect(out).toEqual({
      platform: "win32",
      flags: {
        O_WRONLY: 1,
        O_RDWR: 2,
        O_CREAT: 0x100,
        O_EXCL: 0x400,
        O_APPEND: 8,
        O_NOFOLLOW: 0,
        O_TMPFILE: null,
        // Deno drops flags it does not know on Windows.
        O_TEMPORARY: RUNTIME === "deno" ? 0 : 0x40,
      },
      exclusive: 2 | 0x100 | 0x400,
      sep: "\\",
      appendByKernel: false,
      refused: "TypeError", // ':' is refused before the file system is asked
    });
  });

  it("macOS: O_NOFOLLOW in every exclusive create, no O_TMPFILE, the POSIX table", () => {
    const out = loadAs("darwin");
    expect(out).toEqual({
      platform: "darwin",
      flags: {
        O_WRONLY: 1,
        O_RDWR: 2,
        O_CREAT: 0x200,
        O_EXCL: 0x800,
        O_APPEND: 8,
        O_NOFOLLOW: 0x100,
        O_TMPFILE: null,
        O_TEMPORARY: 0,
      },
      exclusive: 2 | 0x200 | 0x800 | 0x100,
      sep: "/",
      appendByKernel: true,
      refused: "ENOENT", // ':' is a name character there
    });
  });
});

describe("what no profile needs: checks of the backend itself", () => {
  it("a runtime without O_EXCL refuses to create instead of silently dropping exclusivity", async () => {
    injectFaults({}, { flags: { ...backend().flags, O_EXCL: undefined as unknown as number } });
    const dir = scratchDir();
    const err = await failure(() => mkstemp({ dir }));
    expect(err.code).toBe("ENOSYS");
    expect(listDir(dir)).toEqual([]);
  });

  it("unlink refuses a directory (EISDIR) in every runtime: Deno's node:fs would remove an empty one", async () => {
    const dir = path.join(scratchDir(), "empty");
    fs.mkdirSync(dir);
    const err = await failure(() => backend().performSync({ op: "unlink", path: dir }));
    expect(["EISDIR", "EPERM"]).toContain(err.code);
    expect(err.path).toBe(dir);
    await expect(backend().perform({ op: "unlink", path: dir })).rejects.toMatchObject({ path: dir });
    expect(fs.existsSync(dir)).toBe(true);
  });

  skipIf(posixOnly("a link to a directory, which Windows removes with rmdir"))(
    "unlink removes a link to a directory, never the directory, in every runtime",
    async () => {
      const dir = scratchDir();
      const target = path.join(dir, "target");
      fs.mkdirSync(target);
      for (const sync of [true, false]) {
        const link = path.join(dir, `link-${sync}`);
        fs.symlinkSync(target, link);
        if (sync) backend().performSync({ op: "unlink", path: link });
        else await backend().perform({ op: "unlink", path: link });
        expect(fs.existsSync(link)).toBe(false);
      }
      expect(fs.statSync(target).isDirectory()).toBe(true);
    },
  );

  it("an async close that fails rejects with EBADF; it never throws synchronously", async () => {
    const fd = fs.openSync(path.join(scratchDir(), "f"), "w");
    fs.closeSync(fd);
    let pending: Promise<unknown> | undefined;
    expect(() => void (pending = backend().perform({ op: "close", fd }))).not.toThrow();
    await expect(pending).rejects.toMatchObject({ code: "EBADF" });
  });

  skipIf(SIMULATION)(
    "Deno without --allow-sys: the Windows candidate list skips the home directory",
    async () => {
      await installProfile(byName("Windows, Deno 2.7.6+"));
      const dirs = platform().tempDirs({ homedir: () => undefined, env: () => "C:\\Windows" });
      expect(dirs).toEqual(["C:\\Windows\\Temp", "c:\\temp", "c:\\tmp", "\\temp", "\\tmp"]);
    },
  );
});
