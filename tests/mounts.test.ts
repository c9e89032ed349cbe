// Real Linux variations, mounted for the test: a loop-mounted vfat image (no
// modes, no hard links, no O_TMPFILE, case-insensitive names) and an
// overlayfs. Mounting needs root, a loop device and mkfs.vfat; without them
// each group is skipped and says why on stdout.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { spawnSync } from "node:child_process";
import {
  mkdtempSync,
  mkstemp,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  TemporaryDirectory,
  TemporaryFile,
  TemporaryFileSync,
} from "../mod.ts";
import { removeTree } from "../src/_remove_tree.ts";
import { runSync } from "../src/_requests.ts";
import { cleanupScratch, failure, injectFaults, listDir, predictableNames, scratchDir } from "./_helpers.ts";
import { posixOnly } from "./_windows.ts";

afterEach(cleanupScratch);

const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" });
const has = (cmd: string) => sh("sh", ["-c", `command -v ${cmd}`]).status === 0;

/** Why mounting is impossible here, or `undefined`. */
function mountBlocker(fsType: "vfat" | "overlay"): string | undefined {
  if (process.platform !== "linux") {
    return posixOnly("Linux mounts (a vfat loop device, overlayfs)") ?? `not Linux (${process.platform})`;
  }
  if (process.getuid?.() !== 0) return "not root";
  if (!has("mount") || !has("umount")) return "no mount(8)";
  if (fsType === "vfat") {
    if (!fs.existsSync("/dev/loop-control")) return "no loop device (/dev/loop-control)";
    if (!has("mkfs.vfat")) return "no mkfs.vfat (install dosfstools)";
  }
  return undefined;
}

/** Mounts a file system for one group; returns the mount point, or the reason it could not. */
function mount(fsType: "vfat" | "overlay"): { at?: string; why?: string; undo: () => void } {
  const why = mountBlocker(fsType);
  if (why) return { why, undo: () => {} };
  const base = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", `xtf-${fsType}-`));
  const at = path.join(base, "mnt");
  fs.mkdirSync(at);
  let r;
  if (fsType === "vfat") {
    const img = path.join(base, "fat.img");
    fs.writeFileSync(img, "");
    fs.truncateSync(img, 16 * 1024 * 1024);
    r = sh("mkfs.vfat", [img]);
    if (r.status === 0) r = sh("mount", ["-o", "loop,umask=077", img, at]);
  } else {
    for (const d of ["lower", "upper", "work"]) fs.mkdirSync(path.join(base, d));
    fs.mkdirSync(path.join(base, "lower", "old"));
    fs.writeFileSync(path.join(base, "lower", "old", "f"), "from the lower layer");
    const o = `lowerdir=${base}/lower,upperdir=${base}/upper,workdir=${base}/work`;
    r = sh("mount", ["-t", "overlay", "overlay", "-o", o, at]);
  }
  const undo = () => {
    sh("umount", [at]);
    fs.rmSync(base, { recursive: true, force: true });
  };
  if (r.status !== 0) {
    undo();
    return { why: `mount failed: ${(r.stderr || r.stdout).trim()}`, undo: () => {} };
  }
  return { at, undo };
}

/** Counts unlink requests until the end of the test. */
function countUnlinks(): { n: number } {
  const c = { n: 0 };
  injectFaults({ unlink: { before: () => void c.n++ } });
  return c;
}

const vfat = mount("vfat");
if (vfat.why) console.log(`tests/mounts.test.ts: vfat tests skipped: ${vfat.why}`);

describe.skipIf(vfat.at === undefined)("a loop-mounted vfat file system", () => {
  let n = 0;
  const dir = () => {
    const d = path.join(vfat.at!, `t${n++}`);
    fs.mkdirSync(d);
    return d;
  };
  afterAll(() => vfat.undo());

  it("TemporaryFile falls back to create-then-unlink there, and only there: tmpfs keeps O_TMPFILE", async () => {
    const unlinks = countUnlinks();
    const d = dir();
    const f = TemporaryFileSync({ dir: d });
    f.writeSync(new Uint8Array([1, 2]));
    f.seekSync(0);
    expect(f.readSync()).toEqual(new Uint8Array([1, 2]));
    expect(unlinks.n).toBe(1);
    expect(listDir(d)).toEqual([]);
    const g = await TemporaryFile({ dir: scratchDir() });
    expect(unlinks.n).toBe(1); // /dev/shm still takes O_TMPFILE
    expect(fs.fstatSync(g.fileno()).nlink).toBe(0);
    f.closeSync();
    await g.close();
  });

  it("persist overwrite: false works without hard links, and still refuses an existing dest", async () => {
    const d = dir();
    const f = await NamedTemporaryFile({ dir: d, mode: "w" });
    await f.write("first");
    await f.persist(path.join(d, "out.txt"), { overwrite: false });
    await f.close();
    expect(fs.readFileSync(path.join(d, "out.txt"), "utf8")).toBe("first");
    const g = NamedTemporaryFileSync({ dir: d, mode: "w" });
    g.writeSync("second");
    const err = await failure(() => g.persistSync(path.join(d, "out.txt"), { overwrite: false }));
    expect(err.code).toBe("EEXIST");
    expect(err.path).toBe(path.join(d, "out.txt"));
    g.closeSync();
    expect(fs.readFileSync(path.join(d, "out.txt"), "utf8")).toBe("first");
    expect(listDir(d)).toEqual(["out.txt"]);
  });

  it("names differing only in case collide (EEXIST): the next name is used", () => {
    const d = dir();
    const at = predictableNames();
    fs.mkdirSync(path.join(d, ("tmp" + at(0)).toUpperCase()));
    expect(mkdtempSync({ dir: d })).toBe(path.join(d, "tmp" + at(1)));
  });

  it("permissions: an exact mode the file system refuses fails with the code and leaves no entry", async () => {
    const d = dir();
    const err = await failure(async () => {
      const [fd] = await mkstemp({ dir: d, permissions: 0o640 });
      fs.closeSync(fd);
    });
    if (err !== undefined) expect(err.code).toBe("EPERM");
    expect(listDir(d).length).toBe(err === undefined ? 1 : 0);
  });

  it("a TemporaryDirectory tree is removed", async () => {
    const t = await TemporaryDirectory({ dir: dir() });
    fs.mkdirSync(path.join(t.name, "a"));
    fs.writeFileSync(path.join(t.name, "a", "f"), "x");
    await t.cleanup();
    expect(fs.existsSync(t.name)).toBe(false);
  });
});

const overlay = mount("overlay");
if (overlay.why) console.log(`tests/mounts.test.ts: overlayfs tests skipped: ${overlay.why}`);

describe.skipIf(overlay.at === undefined)("an overlayfs mount", () => {
  afterAll(() => overlay.undo());

  it("anonymous and named files work and leave nothing", async () => {
    const f = TemporaryFileSync({ dir: overlay.at! });
    const g = await NamedTemporaryFile({ dir: overlay.at! });
    f.writeSync(new Uint8Array(3));
    await g.write(new Uint8Array(4));
    f.closeSync();
    await g.close();
    expect(listDir(overlay.at!)).toEqual(["old"]);
  });

  it("a tree removal leaves whiteouts over the lower layer: the tree is gone from view", async () => {
    const t = await TemporaryDirectory({ dir: overlay.at! });
    fs.writeFileSync(path.join(t.name, "f"), "x");
    await t.cleanup();
    expect(fs.existsSync(t.name)).toBe(false);
    // A tree that came from the lower layer, removed as a TemporaryDirectory's would be.
    expect(runSync(removeTree(path.join(overlay.at!, "old")))).toEqual([]);
    expect(listDir(overlay.at!)).toEqual([]);
  });
});

beforeAll(() => {
  // Nothing mounted is left if the process ends early.
  process.once("exit", () => {
    vfat.undo();
    overlay.undo();
  });
});
