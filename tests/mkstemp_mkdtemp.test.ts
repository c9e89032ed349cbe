import { afterAll, afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";
import { mkdtemp, mkdtempSync, mkstemp, mkstempSync, mktemp, TMP_MAX } from "../mod.ts";
import {
  cleanupScratch,
  currentUmask,
  errno,
  failure,
  injectFaults,
  listDir,
  predictableNames,
  runAsNobody,
  RUNTIME,
  scratchDir,
  writeScript,
} from "./_helpers.ts";
import { posixOnly, skipIf, WINDOWS, wineLacks } from "./_windows.ts";

afterEach(cleanupScratch);

const creators = {
  mkstemp: async (o: object) => {
    const [fd, name] = await mkstemp(o);
    fs.closeSync(fd);
    return name;
  },
  mkstempSync: (o: object) => {
    const [fd, name] = mkstempSync(o);
    fs.closeSync(fd);
    return name;
  },
  mkdtemp: (o: object) => mkdtemp(o),
  mkdtempSync: (o: object) => mkdtempSync(o),
};

/**
 * The four creators, each tried in turn by one child run as user nobody in a read-only directory (a process
 * start costs ~0.1 s of CPU); each test reads what its creator said. The directory outlives the tests' scratch.
 */
let asNobody: { ro: string; stderr: string; said: Record<string, string> } | undefined;
afterAll(() => {
  if (asNobody) fs.rmSync(path.dirname(asNobody.ro), { recursive: true, force: true });
});
function createdAsNobody(): { ro: string; stderr: string; said: Record<string, string> } {
  if (asNobody) return asNobody;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xtf-nobody-"));
  const ro = path.join(dir, "ro");
  fs.mkdirSync(ro, 0o555);
  fs.chmodSync(dir, 0o755);
  const script = writeScript(
    dir,
    `import * as m from "MOD";
    const said = {};
    for (const name of ${JSON.stringify(Object.keys(creators))}) {
      await Promise.resolve().then(() => m[name]({ dir: ${JSON.stringify(ro)} }))
        .then(() => (said[name] = "created"), (e) => (said[name] = e.code + " " + e.path));
    }
    console.log(JSON.stringify(said));`,
  );
  const r = runAsNobody(script);
  asNobody = { ro, stderr: r.stderr, said: r.stdout ? JSON.parse(r.stdout) : {} };
  return asNobody;
}

describe.each(Object.entries(creators))("%s", (fnName, create) => {
  const isDir = fnName.startsWith("mkdtemp");

  skipIf(posixOnly("permission bits and the umask"))(
    "creates an entry with the exact private mode, less the umask",
    async () => {
      const dir = scratchDir();
      const old = process.umask(0o022);
      try {
        const name = await create({ dir });
        const st = fs.lstatSync(name);
        expect(isDir ? st.isDirectory() : st.isFile()).toBe(true);
        expect(st.mode & 0o777).toBe(isDir ? 0o700 : 0o600);
      } finally {
        process.umask(old);
      }
      const tight = process.umask(0o077);
      try {
        const name = await create({ dir });
        expect(fs.lstatSync(name).mode & 0o777).toBe(isDir ? 0o700 : 0o600);
      } finally {
        process.umask(tight);
      }
      const none = process.umask(0o277);
      try {
        const name = await create({ dir });
        expect(fs.lstatSync(name).mode & 0o777).toBe(isDir ? 0o500 : 0o400);
      } finally {
        process.umask(none);
      }
      expect(currentUmask()).toBe(old);
    },
  );

  it("uses prefix and suffix, and resolves a relative dir at call time", async () => {
    const dir = scratchDir();
    const rel = path.relative(process.cwd(), dir);
    const name = await create({ dir: rel, prefix: "pre-", suffix: ".suf" });
    expect(path.dirname(name)).toBe(dir);
    expect(path.basename(name)).toMatch(/^pre-[a-z0-9_]{8}\.suf$/);
  });

  it("accepts a file: URL as dir", async () => {
    const dir = scratchDir();
    const name = await create({ dir: pathToFileURL(dir) });
    expect(path.dirname(name)).toBe(dir);
  });

  skipIf(wineLacks("symlink stub"))(
    "retries when the name is taken by a file, a directory or a symlink",
    async () => {
      const dir = scratchDir();
      const outside = scratchDir();
      const at = predictableNames();
      fs.writeFileSync(path.join(dir, `tmp${at(0)}`), "file");
      fs.mkdirSync(path.join(dir, `tmp${at(1)}`));
      fs.symlinkSync(path.join(outside, "target"), path.join(dir, `tmp${at(2)}`));
      fs.symlinkSync(outside, path.join(dir, `tmp${at(3)}`));
      const name = await create({ dir });
      expect(path.basename(name)).toBe(`tmp${at(4)}`);
      // The dangling link's target is not created, except by libuv's exclusive create on Windows (Node, Bun),
      // which follows it (README, Platforms): the name is still refused, and the empty target left alone.
      const followed = WINDOWS && RUNTIME !== "deno" && !isDir;
      expect(listDir(outside)).toEqual(followed ? ["target"] : []);
    },
  );

  it("retries five injected EEXIST answers, then succeeds", async () => {
    const dir = scratchDir();
    let calls = 0;
    const taken = { before: (r: { path: string }) => void (++calls <= 5 && raise("EEXIST", r.path)) };
    injectFaults({ open: taken, mkdir: taken });
    const name = await create({ dir });
    expect(calls).toBe(6);
    expect(listDir(dir)).toEqual([path.basename(name)]);
  });

  it("gives up with EEXIST after TMP_MAX taken names", async () => {
    const dir = scratchDir();
    let calls = 0;
    const taken = (p: string) => (calls++, errno("EEXIST", p));
    const fault = {
      before: (r: { path: string }) => {
        throw taken(r.path);
      },
    };
    injectFaults({ open: fault, mkdir: fault });
    await expect(Promise.resolve().then(() => create({ dir }))).rejects.toMatchObject({
      code: "EEXIST",
      path: dir,
    });
    expect(calls).toBe(TMP_MAX);
  });

  it.each(["ENOSPC", "EACCES", "EROFS", "EMFILE"])(
    "propagates %s at once, without retrying",
    async (code) => {
      const dir = scratchDir();
      let calls = 0;
      const fail = (p: string) => (calls++, errno(code, p));
      const fault = {
        before: (r: { path: string }) => {
          throw fail(r.path);
        },
      };
      injectFaults({ open: fault, mkdir: fault });
      await expect(Promise.resolve().then(() => create({ dir }))).rejects.toMatchObject({ code });
      expect(calls).toBe(1);
      expect(listDir(dir)).toEqual([]);
    },
  );

  it("fails with ENOENT and the path for a missing dir", async () => {
    const dir = path.join(scratchDir(), "missing");
    const err = await failure(() => create({ dir }));
    expect(err.code).toBe("ENOENT");
    expect(path.dirname(err.path)).toBe(dir);
  });

  it("fails with ENOTDIR (Windows: ENOENT, as Win32 says) and the path when dir is a file", async () => {
    const file = path.join(scratchDir(), "file");
    fs.writeFileSync(file, "");
    const err = await failure(() => create({ dir: file }));
    expect(err.code).toBe(WINDOWS ? "ENOENT" : "ENOTDIR");
    expect(path.dirname(err.path)).toBe(file);
  });

  skipIf(posixOnly("another user (uid 65534) and permission bits"))(
    "fails with EACCES and the path in a read-only dir (as user nobody)",
    () => {
      const { ro, stderr, said } = createdAsNobody();
      expect(stderr).toBe("");
      expect(said[fnName]).toMatch(new RegExp(`^EACCES ${ro}/tmp[a-z0-9_]{8}$`));
      expect(listDir(ro)).toEqual([]);
    },
  );
});

function raise(code: string, p: string): never {
  throw errno(code, p);
}

describe("mkstemp descriptors", () => {
  it("the fd works with node:fs writeSync/readSync/closeSync", async () => {
    const dir = scratchDir();
    for (const [fd, name] of [mkstempSync({ dir }), await mkstemp({ dir })]) {
      fs.writeSync(fd, "payload");
      const buf = Buffer.alloc(7);
      expect(fs.readSync(fd, buf, 0, 7, 0)).toBe(7);
      expect(buf.toString()).toBe("payload");
      fs.closeSync(fd);
      expect(fs.readFileSync(name, "utf8")).toBe("payload");
    }
  });

  it("accepts text: true and rejects a non-boolean text", () => {
    const dir = scratchDir();
    const [fd] = mkstempSync({ dir, text: true });
    fs.closeSync(fd);
    expect(() => mkstempSync({ dir, text: "yes" as unknown as boolean })).toThrow(/"text"/);
  });
});

describe("mktemp", () => {
  it("returns a path in dir that does not exist, and creates nothing", () => {
    const dir = scratchDir();
    const at = predictableNames();
    fs.writeFileSync(path.join(dir, `tmp${at(0)}`), "");
    const name = mktemp({ dir });
    expect(name).toBe(path.join(dir, `tmp${at(1)}`));
    expect(listDir(dir)).toEqual([`tmp${at(0)}`]);
  });
});
