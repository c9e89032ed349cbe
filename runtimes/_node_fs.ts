// The filesystem half of every backend, over `node:fs`, which Node, Bun and
// Deno all implement with real descriptors. Callbacks, not `fs.promises`:
// they skip the FileHandle wrapper, which costs time on every call.
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { Backend, DirEntry, OpenFlags, Stat } from "../src/backend.ts";

type FsPart = Omit<Backend, "runtime" | "hooks" | "env">;

function toStat(s: fs.Stats): Stat {
  return {
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymlink: s.isSymbolicLink(),
    mode: s.mode,
    size: s.size,
    nlink: s.nlink,
  };
}

function toEntries(list: fs.Dirent[]): DirEntry[] {
  return list.map((d) => ({ name: d.name, isDirectory: d.isDirectory() }));
}

/** Wraps a callback-style `node:fs` call in a Promise. */
function call<T>(
  start: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => err ? reject(err) : resolve(value)));
}

function flags(): OpenFlags {
  const c = fs.constants;
  return {
    O_RDONLY: c.O_RDONLY,
    O_WRONLY: c.O_WRONLY,
    O_RDWR: c.O_RDWR,
    O_CREAT: c.O_CREAT,
    O_EXCL: c.O_EXCL,
    O_TRUNC: c.O_TRUNC,
    O_APPEND: c.O_APPEND,
    O_NOFOLLOW: c.O_NOFOLLOW ?? 0,
    // No runtime exports O_TMPFILE. __O_TMPFILE is 0o20000000 on Linux's
    // common architectures; it always travels with O_DIRECTORY.
    O_TMPFILE: process.platform === "linux" && c.O_DIRECTORY ? 0o20000000 | c.O_DIRECTORY : undefined,
  };
}

/** The `node:fs` implementation of everything but process hooks and env. */
export function nodeFs(): FsPart {
  return {
    platform: process.platform,
    flags: flags(),
    resolve: (p) => path.resolve(p),
    fromFileUrl: (url) => fileURLToPath(url),
    homedir: () => os.homedir() || undefined,

    openSync: (p, f, mode) => fs.openSync(p, f, mode),
    open: (p, f, mode) => call((cb) => fs.open(p, f, mode, cb)),
    mkdirSync: (p, mode) => void fs.mkdirSync(p, mode),
    mkdir: (p, mode) => call((cb) => fs.mkdir(p, mode, (e) => cb(e, undefined))),

    readSync: (fd, buf, pos) => fs.readSync(fd, buf, 0, buf.length, pos),
    read: (fd, buf, pos) => call((cb) => fs.read(fd, buf, 0, buf.length, pos, (e, n) => cb(e, n))),
    writeSync: (fd, buf, pos) => fs.writeSync(fd, buf, 0, buf.length, pos),
    write: (fd, buf, pos) => call((cb) => fs.write(fd, buf, 0, buf.length, pos, (e, n) => cb(e, n))),
    fstatSync: (fd) => toStat(fs.fstatSync(fd)),
    fstat: async (fd) => toStat(await call<fs.Stats>((cb) => fs.fstat(fd, cb))),
    ftruncateSync: (fd, len) => fs.ftruncateSync(fd, len),
    ftruncate: (fd, len) => call((cb) => fs.ftruncate(fd, len, (e) => cb(e, undefined))),
    fsyncSync: (fd) => fs.fsyncSync(fd),
    fsync: (fd) => call((cb) => fs.fsync(fd, (e) => cb(e, undefined))),
    closeSync: (fd) => fs.closeSync(fd),
    close: (fd) => call((cb) => fs.close(fd, (e) => cb(e ?? null, undefined))),

    lstatSync: (p) => toStat(fs.lstatSync(p)),
    lstat: async (p) => toStat(await call<fs.Stats>((cb) => fs.lstat(p, cb))),
    unlinkSync: (p) => fs.unlinkSync(p),
    unlink: (p) => call((cb) => fs.unlink(p, (e) => cb(e, undefined))),
    rmdirSync: (p) => fs.rmdirSync(p),
    rmdir: (p) => call((cb) => fs.rmdir(p, (e) => cb(e, undefined))),
    readdirSync: (p) => toEntries(fs.readdirSync(p, { withFileTypes: true })),
    readdir: async (p) =>
      toEntries(
        await call<fs.Dirent[]>((cb) => fs.readdir(p, { withFileTypes: true }, cb)),
      ),
    chmodSync: (p, mode) => fs.chmodSync(p, mode),
    chmod: (p, mode) => call((cb) => fs.chmod(p, mode, (e) => cb(e, undefined))),
    renameSync: (a, b) => fs.renameSync(a, b),
    rename: (a, b) => call((cb) => fs.rename(a, b, (e) => cb(e, undefined))),
    linkSync: (a, b) => fs.linkSync(a, b),
    link: (a, b) => call((cb) => fs.link(a, b, (e) => cb(e, undefined))),
  };
}
