import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  NamedTemporaryFileSync,
  TemporaryDirectory,
  TemporaryDirectorySync,
  withTemporaryDirectory,
} from "../mod.ts";
import {
  afterTest,
  cleanupScratch,
  errno,
  failure,
  injectFaults,
  listDir,
  runAsNobody,
  RUNTIME,
  scratchDir,
  startChild,
  writeScript,
} from "./_helpers.ts";
import { describeSkipIf, posixOnly, skipIf, WINDOWS, wineLacks } from "./_windows.ts";

afterEach(cleanupScratch);

/** A directory outside the tree, with canary files whose content and modes must survive. */
function canaries(): { dir: string; file: string; check: () => void } {
  const dir = scratchDir();
  const file = path.join(dir, "canary.txt");
  fs.writeFileSync(file, "alive");
  fs.chmodSync(file, 0o640);
  fs.mkdirSync(path.join(dir, "sub"), 0o750);
  fs.writeFileSync(path.join(dir, "sub", "deep.txt"), "deep");
  const check = () => {
    expect(fs.readFileSync(file, "utf8")).toBe("alive");
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.statSync(path.join(dir, "sub")).mode & 0o777).toBe(0o750);
    expect(fs.readFileSync(path.join(dir, "sub", "deep.txt"), "utf8")).toBe("deep");
  };
  return { dir, file, check };
}

describe("TemporaryDirectory lifetime (Python 3.12)", () => {
  it("is created 0o700 (POSIX) in dir with prefix and suffix; disposal removes it with its content", async () => {
    const parent = scratchDir();
    let name = "";
    {
      await using d = await TemporaryDirectory({ dir: parent, prefix: "p-", suffix: ".d" });
      name = d.name;
      expect(path.basename(name)).toMatch(/^p-[a-z0-9_]{8}\.d$/);
      if (!WINDOWS) expect(fs.statSync(name).mode & 0o777).toBe(0o700); // Windows: the parent's ACL
      fs.mkdirSync(path.join(name, "a", "b"), { recursive: true });
      fs.writeFileSync(path.join(name, "a", "b", "f"), "x");
    }
    expect(fs.existsSync(name)).toBe(false);
    {
      using d = TemporaryDirectorySync({ dir: parent });
      name = d.name;
      fs.writeFileSync(path.join(name, "f"), "x");
    }
    expect(listDir(parent)).toEqual([]);
  });

  it("delete: false keeps it at disposal; an explicit cleanup always removes it", async () => {
    const parent = scratchDir();
    const d = await TemporaryDirectory({ dir: parent, delete: false });
    await d[Symbol.asyncDispose]();
    d[Symbol.dispose]();
    expect(fs.existsSync(d.name)).toBe(true);
    await d.cleanup();
    expect(fs.existsSync(d.name)).toBe(false);
    const s = TemporaryDirectorySync({ dir: parent, delete: false });
    s.cleanupSync();
    expect(listDir(parent)).toEqual([]);
  });

  it("a second cleanup, or a directory that vanished, is not an error", async () => {
    const parent = scratchDir();
    const d = TemporaryDirectorySync({ dir: parent });
    d.cleanupSync();
    d.cleanupSync();
    await d.cleanup();
    const gone = await TemporaryDirectory({ dir: parent });
    fs.rmdirSync(gone.name);
    await gone.cleanup();
    gone.cleanupSync();
    expect(listDir(parent)).toEqual([]);
  });

  it("withTemporaryDirectory removes the directory when fn returns or throws", async () => {
    const parent = scratchDir();
    const out = await withTemporaryDirectory(async (name) => {
      await fs.promises.writeFile(path.join(name, "x"), "1");
      return name;
    }, { dir: parent });
    expect(fs.existsSync(out)).toBe(false);
    const err = await failure(() =>
      withTemporaryDirectory(() => {
        throw new Error("fn failed");
      }, { dir: parent })
    );
    expect(err.message).toBe("fn failed");
    expect(listDir(parent)).toEqual([]);
  });

  it("rejects bad options before creating anything", async () => {
    const parent = scratchDir();
    for (
      const [options, message] of [
        [{ ignoreCleanupErrors: "yes" }, /"ignoreCleanupErrors" must be a boolean/],
        [{ delete: 1 }, /"delete" must be a boolean/],
        [{ prefix: "a/b" }, /"prefix" must not contain/],
        [{ mode: 0o700 }, /unknown option "mode"/],
      ] as const
    ) {
      const err = await failure(() => TemporaryDirectory({ dir: parent, ...options } as never));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toMatch(message);
      expect(() => TemporaryDirectorySync({ dir: parent, ...options } as never)).toThrow(message);
    }
    expect(listDir(parent)).toEqual([]);
  });
});

describe("removal never follows a symbolic link", () => {
  skipIf(wineLacks("symlink stub"))(
    "links inside the tree to a file and a directory outside are removed as links",
    async () => {
      for (const sync of [true, false]) {
        const c = canaries();
        const parent = scratchDir();
        const d = TemporaryDirectorySync({ dir: parent });
        fs.mkdirSync(path.join(d.name, "nested"));
        fs.symlinkSync(c.dir, path.join(d.name, "to-dir"));
        fs.symlinkSync(c.file, path.join(d.name, "nested", "to-file"));
        fs.symlinkSync(path.join(c.dir, "sub"), path.join(d.name, "nested", "to-sub"));
        if (sync) d.cleanupSync();
        else await d.cleanup();
        expect(listDir(parent)).toEqual([]);
        c.check();
        expect(listDir(c.dir)).toEqual(["canary.txt", "sub"]);
      }
    },
  );

  skipIf(wineLacks("symlink stub"))(
    "a top directory replaced by a symlink throws ENOTDIR and is not followed",
    async () => {
      const c = canaries();
      const parent = scratchDir();
      const d = await TemporaryDirectory({ dir: parent });
      fs.rmdirSync(d.name);
      fs.symlinkSync(c.dir, d.name);
      const err = await failure(() => d.cleanup());
      expect(err.code).toBe("ENOTDIR");
      expect(err.path).toBe(d.name);
      expect(() => d.cleanupSync()).toThrow(/replaced by a non-directory/);
      expect(fs.lstatSync(d.name).isSymbolicLink()).toBe(true);
      c.check();
      fs.unlinkSync(d.name);
    },
  );

  skipIf(wineLacks("symlink stub"))(
    "a top directory replaced by a file throws unless ignoreCleanupErrors",
    async () => {
      const parent = scratchDir();
      const d = TemporaryDirectorySync({ dir: parent });
      fs.rmdirSync(d.name);
      fs.writeFileSync(d.name, "imposter");
      expect(() => d[Symbol.dispose]()).toThrow(expect.objectContaining({ code: "ENOTDIR" }));
      const quiet = await TemporaryDirectory({ dir: parent, ignoreCleanupErrors: true });
      fs.rmdirSync(quiet.name);
      fs.symlinkSync(parent, quiet.name);
      await quiet[Symbol.asyncDispose]();
      expect(fs.readFileSync(d.name, "utf8")).toBe("imposter");
      expect(fs.lstatSync(quiet.name).isSymbolicLink()).toBe(true);
    },
  );
});

describeSkipIf(posixOnly("the sticky bit, and another user (uid 65534) writing to a shared directory"))(
  "removal in a shared directory without the sticky bit",
  () => {
    /** A TemporaryDirectory of 20 files in a parent anyone may write, not sticky, as /srv/shared. */
    function sharedTree(mode: number) {
      const parent = scratchDir();
      fs.chmodSync(parent, mode);
      const d = TemporaryDirectorySync({ dir: parent });
      for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(d.name, `f${i}`), "x");
      return { parent, d };
    }
    /** Another user's move once removal has started: the top renamed away, a link to our files in its place. */
    function attackAfterFirstUnlink(top: string, target: string) {
      let done = false;
      injectFaults({
        unlink: {
          after: () => {
            if (done) return;
            done = true;
            fs.renameSync(top, `${top}.moved`);
            fs.symlinkSync(target, top);
          },
        },
      });
    }

    it.each([["sync"], ["async"]])(
      "a top swapped for a link mid-removal stops it: nothing outside the tree is touched (%s)",
      async (kind) => {
        const c = canaries();
        for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(c.dir, `f${i}`), "precious");
        const { d } = sharedTree(0o777);
        attackAfterFirstUnlink(d.name, c.dir);
        const err = await failure(() => (kind === "sync" ? d.cleanupSync() : d.cleanup()));
        expect(err.code).toBe("ENOTDIR");
        expect(err.message).toMatch(/replaced while being removed/);
        c.check();
        expect(listDir(c.dir)).toHaveLength(22); // canary.txt, sub and f0..f19, all still there
        expect(listDir(`${d.name}.moved`)).toHaveLength(19); // the tree itself stays where it was moved
        fs.unlinkSync(d.name);
      },
    );

    it("raced for real by another user (uid 65534) swapping as fast as it can: each removal stops or ends, losing at most one canary per removal on average", async () => {
      // The race left is one syscall wide (between the check and the unlink); without the
      // check, 41% of the canaries were lost (SECURITY.md has the figures).
      const base = scratchDir();
      fs.chmodSync(base, 0o755);
      const attacker = path.join(base, "attacker.cjs");
      // It never waits for a sign of removal: rename, link, unlink, rename back, again, until killed.
      fs.writeFileSync(
        attacker,
        `const fs = require("node:fs");
      const [top, precious] = process.argv.slice(2);
      console.log("ready");
      for (;;) {
        try { fs.renameSync(top, top + ".moved"); fs.symlinkSync(precious, top); } catch {}
        try { fs.unlinkSync(top); fs.renameSync(top + ".moved", top); } catch {}
      }`,
      );
      fs.chmodSync(attacker, 0o644);
      // Until the attacker got in 5 times: on a loaded machine it may not run while a removal does.
      const wanted = 5;
      const files = 1000;
      let lost = 0;
      let stopped = 0;
      let t = 0;
      for (; stopped < wanted && t < 40; t++) {
        const shared = path.join(base, `shared${t}`);
        const precious = path.join(base, `precious${t}`);
        fs.mkdirSync(shared, 0o777);
        fs.chmodSync(shared, 0o777);
        fs.mkdirSync(precious);
        for (let i = 0; i < files; i++) fs.writeFileSync(path.join(precious, `f${i}`), "x");
        const d = TemporaryDirectorySync({ dir: shared });
        for (let i = 0; i < files; i++) fs.writeFileSync(path.join(d.name, `f${i}`), "x");
        const child = startChild(attacker, { uid: 65534, gid: 65534 }, [], ["node", [
          attacker,
          d.name,
          precious,
        ]]);
        await child.line(/^ready$/);
        const err = await failure(() => t % 2 ? d.cleanup() : d.cleanupSync());
        process.kill(child.pid, "SIGKILL"); // its loop never yields to a handler
        await child.done;
        // The removal stops at a mismatch (ENOTDIR) or, when every check fell between swaps, ends.
        if (err !== undefined) expect(err.code).toBe("ENOTDIR");
        if (err !== undefined) stopped++;
        lost += files - listDir(precious).length;
        fs.rmSync(path.join(shared), { recursive: true, force: true });
      }
      expect(stopped).toBe(wanted);
      expect(lost).toBeLessThanOrEqual(t);
    });

    it("in a sticky or private parent nobody else can swap the top: no check costs a syscall", () => {
      for (const mode of [0o1777, 0o755]) {
        const { d } = sharedTree(mode);
        let lstats = 0;
        injectFaults({ lstat: { before: () => void lstats++ } });
        d.cleanupSync();
        expect(lstats).toBe(2); // the top, and its parent's mode
      }
    });
  },
);

describe("removal of big trees", () => {
  // Under Wine each file call costs 1-5 ms: a fifth as many entries, a fifth as deep, still past MAX_PATH there.
  const [ENTRIES, DEPTH] = WINDOWS ? [2_000, 200] : [10_000, 1000];
  it(`empties ${ENTRIES.toLocaleString("en")} entries in one directory`, async () => {
    const d = await TemporaryDirectory({ dir: scratchDir() });
    for (let i = 0; i < ENTRIES; i++) fs.writeFileSync(path.join(d.name, `f${i}`), "");
    await d.cleanup();
    expect(fs.existsSync(d.name)).toBe(false);
  });

  it(`removes nesting ${DEPTH.toLocaleString("en")} deep without recursion limits`, () => {
    const d = TemporaryDirectorySync({ dir: scratchDir() });
    // The path grows past 2 * DEPTH characters: past Windows' MAX_PATH (260), which the runtimes pass with \\?\\.
    const p = path.join(d.name, ...Array(DEPTH).fill("d"));
    fs.mkdirSync(p, { recursive: true });
    fs.writeFileSync(path.join(p, "leaf"), "x");
    expect(p.length).toBeGreaterThan(2 * DEPTH);
    d.cleanupSync();
    expect(fs.existsSync(d.name)).toBe(false);
  });
});

describe("removal of a listed tree", () => {
  it("each file is unlinked as listed by readdir, so no backend checks it again for a directory", () => {
    const d = TemporaryDirectorySync({ dir: scratchDir() });
    fs.mkdirSync(path.join(d.name, "sub"));
    for (const p of ["a", "b", "sub/c"]) fs.writeFileSync(path.join(d.name, p), "x");
    const unlinks: { path: string; listed?: true }[] = [];
    injectFaults({ unlink: { before: (r) => void unlinks.push(r) } });
    d.cleanupSync();
    expect(unlinks.map((r) => path.relative(d.name, r.path)).sort()).toEqual([
      "a",
      "b",
      path.join("sub", "c"),
    ]);
    expect(unlinks.every((r) => r.listed === true)).toBe(true);
    expect(fs.existsSync(d.name)).toBe(false);
  });

  it("an entry listed without its type that is a directory (unlink answers ENOTEMPTY) is descended into", async () => {
    const d = await TemporaryDirectory({ dir: scratchDir() });
    fs.mkdirSync(path.join(d.name, "sub"));
    fs.writeFileSync(path.join(d.name, "sub", "c"), "x");
    injectFaults({
      readdir: {
        after: (_r, entries) =>
          void (entries as { isDirectory: boolean }[]).forEach((e) => e.isDirectory = false),
      },
      unlink: {
        before: (r) => {
          if (fs.lstatSync(r.path).isDirectory()) throw errno("ENOTEMPTY", r.path);
        },
      },
    });
    await d.cleanup();
    expect(fs.existsSync(d.name)).toBe(false);
  });

  // The test unlinks the open file itself: under Wine, Deno's unlink leaves the name until the file closes.
  skipIf(wineLacks("Deno's DeleteFileW", "deno"))(
    "a named file's own path is never unlinked as listed: an empty directory put in its place is refused",
    () => {
      const unlinks: { path: string; listed?: true }[] = [];
      injectFaults({ unlink: { before: (r) => void unlinks.push(r) } });
      const f = NamedTemporaryFileSync({ dir: scratchDir() });
      fs.unlinkSync(f.name);
      fs.mkdirSync(f.name);
      const err = (() => {
        try {
          f.closeSync();
        } catch (e) {
          return e as NodeJS.ErrnoException;
        }
      })();
      expect(["EISDIR", "EPERM"]).toContain(err?.code);
      expect(fs.statSync(f.name).isDirectory()).toBe(true);
      expect(new Set(unlinks.map((r) => r.listed))).toEqual(new Set([undefined]));
      // Windows says EPERM, as for a busy file: retried for a while, never as listed.
      if (!WINDOWS) expect(unlinks).toHaveLength(1);
      fs.rmdirSync(f.name);
    },
  );
});

describeSkipIf(posixOnly("no native removal is offered where removals are retried (Windows)"))(
  "the runtime's own tree removal",
  () => {
    /** Records removeAll's answer and the walk's unlinks (by name). */
    function recording() {
      const unlinked: string[] = [];
      let native: boolean | undefined;
      injectFaults({
        removeAll: { after: (_r, done) => void (native = done) },
        unlink: { before: (r) => void unlinked.push(path.basename(r.path)) },
      });
      return { unlinked, native: () => native };
    }

    it.each([["sync"], ["async"]])(
      "an unguarded tree is offered to it whole; what it does not take, the walk removes (%s)",
      async (kind) => {
        const d = TemporaryDirectorySync({ dir: scratchDir() });
        for (const n of ["a", "b", "c"]) fs.writeFileSync(path.join(d.name, n), "x");
        const r = recording();
        await (kind === "sync" ? d.cleanupSync() : d.cleanup());
        // Only Deno has a removal that never follows a link (Rust's remove_dir_all): Node and Bun decline.
        expect(r.native()).toBe(RUNTIME === "deno");
        expect(r.unlinked.sort()).toEqual(RUNTIME === "deno" ? [] : ["a", "b", "c"]);
        expect(fs.existsSync(d.name)).toBe(false);
      },
    );

    it("one that fails partway leaves the rest to the walk, and its error is not reported", () => {
      const d = TemporaryDirectorySync({ dir: scratchDir() });
      for (const n of ["a", "b", "c"]) fs.writeFileSync(path.join(d.name, n), "x");
      const unlinked: string[] = [];
      injectFaults({
        removeAll: {
          before: (r) => {
            fs.unlinkSync(path.join(r.path, "a"));
            throw errno("EIO", r.path);
          },
        },
        unlink: { before: (r) => void unlinked.push(path.basename(r.path)) },
      });
      d.cleanupSync();
      expect(unlinked.sort()).toEqual(["b", "c"]);
      expect(fs.existsSync(d.name)).toBe(false);
    });

    it("a tree whose parent others may write to (no sticky bit) is never offered to it: the guarded walk removes it", () => {
      const parent = scratchDir();
      fs.chmodSync(parent, 0o777);
      const d = TemporaryDirectorySync({ dir: parent });
      fs.writeFileSync(path.join(d.name, "a"), "x");
      const r = recording();
      d.cleanupSync();
      expect(r.native()).toBeUndefined();
      expect(r.unlinked).toEqual(["a"]);
      expect(fs.existsSync(d.name)).toBe(false);
    });
  },
);

describe("removal errors", () => {
  it("with ignoreCleanupErrors no error escapes; what is left is retried by a later cleanup", () => {
    const parent = scratchDir();
    const d = TemporaryDirectorySync({ dir: parent, ignoreCleanupErrors: true });
    fs.writeFileSync(path.join(d.name, "stuck"), "");
    fs.writeFileSync(path.join(d.name, "free"), "");
    let failing = true;
    injectFaults({
      unlink: {
        before: (r) => {
          if (failing && r.path.endsWith("stuck")) throw errno("EIO", r.path);
        },
      },
    });
    d.cleanupSync();
    expect(listDir(d.name)).toEqual(["stuck"]);
    failing = false;
    d.cleanupSync();
    expect(listDir(parent)).toEqual([]);
  });

  it("without ignoreCleanupErrors a failure halfway throws its code, after removing what it can", async () => {
    const parent = scratchDir();
    const d = await TemporaryDirectory({ dir: parent });
    for (const n of ["a", "b", "c"]) fs.writeFileSync(path.join(d.name, n), "");
    injectFaults({
      unlink: {
        before: (r) => {
          if (path.basename(r.path) === "b") throw errno("EIO", r.path);
        },
      },
    });
    const err = await failure(() => d.cleanup());
    expect(err.code).toBe("EIO");
    expect(err.path).toBe(path.join(d.name, "b"));
    expect(listDir(d.name)).toEqual(["b"]);
  });

  it("on Windows, EBUSY/EPERM/ENOTEMPTY are retried a bounded number of times", async () => {
    const parent = scratchDir();
    const d = TemporaryDirectorySync({ dir: parent });
    fs.writeFileSync(path.join(d.name, "busy"), "");
    fs.writeFileSync(path.join(d.name, "locked"), "");
    afterTest(() => d.cleanupSync()); // after the faults go: a directory left tracked would hold the exit hooks
    let busy = 0;
    let locked = 0;
    injectFaults({
      unlink: {
        before: (r) => {
          if (r.path.endsWith("busy") && ++busy <= 3) throw errno("EBUSY", r.path);
          if (r.path.endsWith("locked") && ++locked) throw errno("EPERM", r.path);
        },
      },
    }, { platform: "win32" });
    const err = await failure(() => d.cleanupSync());
    expect(busy).toBe(4); // three refusals, then success
    expect(locked).toBeGreaterThanOrEqual(10); // gave up after the bounded retries
    expect(err.code).toBe("EPERM");
    expect(listDir(d.name)).toEqual(["locked"]);
  });
});

describe("the permission matrix, as an unprivileged user", () => {
  skipIf(posixOnly("permission bits, and another user (uid 65534)"))(
    "removes files and directories at every mode 0o000..0o700, and read-only directories at depth",
    () => {
      const base = scratchDir();
      fs.chmodSync(base, 0o777);
      const c = canaries();
      fs.chmodSync(c.dir, 0o755);
      const script = writeScript(
        base,
        `import * as fs from "node:fs";
      import { TemporaryDirectorySync } from "MOD";
      const d = TemporaryDirectorySync({ dir: ${JSON.stringify(base)} });
      let at = d.name;
      for (let depth = 0; depth < 4; depth++) {
        for (let m = 0; m <= 7; m++) {
          fs.writeFileSync(at + "/f" + m, "x");
          fs.chmodSync(at + "/f" + m, m * 0o100);
          fs.mkdirSync(at + "/d" + m);
          fs.writeFileSync(at + "/d" + m + "/inner", "x");
          fs.symlinkSync(${JSON.stringify(c.file)}, at + "/d" + m + "/link");
          fs.chmodSync(at + "/d" + m, m * 0o100);
        }
        fs.mkdirSync(at + "/next");
        const child = at + "/next";
        fs.chmodSync(at, 0o500); // read-only directory at this depth
        at = child;
      }
      d.cleanupSync();
      console.log(fs.existsSync(d.name) ? "left" : "removed");`,
      );
      const r = runAsNobody(script);
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe("removed");
      expect(listDir(base)).toEqual(["child.mjs"]);
      c.check();
    },
  );
});
