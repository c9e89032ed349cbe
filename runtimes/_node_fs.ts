// The filesystem half of every backend, over `node:fs`, which Node, Bun and
// Deno all implement with real descriptors. Callbacks, not `fs.promises`:
// they skip the FileHandle wrapper, which costs time on every call.
import type * as NodeFs from "node:fs";
import { processes } from "./_processes.ts";
import type { Backend, OpenFlags } from "../src/backend.ts";
import type { DirEntry, Lstat, Op, Ops, Request, RequestOf } from "../src/_requests.ts";

type Sync = { [K in Op]: (r: RequestOf<K>) => Ops[K]["result"] };
type Async = { [K in Op]: (r: RequestOf<K>) => Promise<Ops[K]["result"]> };

// Builtins come from process.getBuiltinModule on first use, not from
// imports: an ES import of a builtin builds a facade that reads every export
// (node:fs's streams, node:process's stdin and stdout), 4-7 ms of a cold start.
let fs: typeof NodeFs;

function toLstat(s: NodeFs.Stats): Lstat {
  return {
    isDirectory: s.isDirectory(),
    isSymlink: s.isSymbolicLink(),
    mode: s.mode,
    dev: s.dev,
    ino: s.ino,
    uid: s.uid,
    mtimeMs: s.mtimeMs,
  };
}

function toEntries(list: NodeFs.Dirent[]): DirEntry[] {
  return list.map((d) => ({ name: d.name, isDirectory: d.isDirectory() }));
}

/** Wraps a callback-style `node:fs` call in a Promise. */
function cb<T = void>(
  start: (done: (err: NodeJS.ErrnoException | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => err ? reject(err) : resolve(value as T)));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const SYNC: Sync = {
  open: (r) => fs.openSync(r.path, r.flags, r.mode),
  mkdir: (r) => void fs.mkdirSync(r.path, r.mode),
  read: (r) => fs.readSync(r.fd, r.buf, 0, r.buf.length, r.pos),
  write: (r) => fs.writeSync(r.fd, r.buf, 0, r.buf.length, r.pos),
  size: (r) => fs.fstatSync(r.fd).size,
  truncate: (r) => fs.ftruncateSync(r.fd, r.length),
  fsync: (r) => fs.fsyncSync(r.fd),
  close: (r) => fs.closeSync(r.fd),
  lstat: (r) => toLstat(fs.lstatSync(r.path)),
  fstat: (r) => toLstat(fs.fstatSync(r.fd)),
  readdir: (r) => toEntries(fs.readdirSync(r.path, { withFileTypes: true })),
  unlink: (r) => fs.unlinkSync(r.path),
  rmdir: (r) => fs.rmdirSync(r.path),
  // node:fs's recursive rm is no safe removal to lean on in Node and Bun: the core walks the tree.
  removeAll: () => false,
  chmod: (r) => fs.chmodSync(r.path, r.mode),
  fchmod: (r) => fs.fchmodSync(r.fd, r.mode),
  rename: (r) => fs.renameSync(r.from, r.to),
  link: (r) => fs.linkSync(r.from, r.to),
  sleep: (r) => sleepSync(r.ms),
};

const ASYNC: Async = {
  open: (r) => cb((done) => fs.open(r.path, r.flags, r.mode, done)),
  mkdir: (r) => cb((done) => fs.mkdir(r.path, r.mode, (e) => done(e))),
  read: (r) => cb((done) => fs.read(r.fd, r.buf, 0, r.buf.length, r.pos, (e, n) => done(e, n))),
  write: (r) => cb((done) => fs.write(r.fd, r.buf, 0, r.buf.length, r.pos, (e, n) => done(e, n))),
  size: (r) => cb<NodeFs.Stats>((done) => fs.fstat(r.fd, done)).then((s) => s.size),
  truncate: (r) => cb((done) => fs.ftruncate(r.fd, r.length, done)),
  fsync: (r) => cb((done) => fs.fsync(r.fd, done)),
  close: (r) => cb((done) => fs.close(r.fd, (e) => done(e ?? null))),
  lstat: (r) => cb<NodeFs.Stats>((done) => fs.lstat(r.path, done)).then(toLstat),
  fstat: (r) => cb<NodeFs.Stats>((done) => fs.fstat(r.fd, done)).then(toLstat),
  readdir: (r) =>
    cb<NodeFs.Dirent[]>((done) => fs.readdir(r.path, { withFileTypes: true }, done)).then(toEntries),
  unlink: (r) => cb((done) => fs.unlink(r.path, done)),
  rmdir: (r) => cb((done) => fs.rmdir(r.path, done)),
  removeAll: () => Promise.resolve(false),
  chmod: (r) => cb((done) => fs.chmod(r.path, r.mode, done)),
  fchmod: (r) => cb((done) => fs.fchmod(r.fd, r.mode, done)),
  rename: (r) => cb((done) => fs.rename(r.from, r.to, done)),
  link: (r) => cb((done) => fs.link(r.from, r.to, done)),
  sleep: (r) => new Promise((resolve) => setTimeout(resolve, r.ms)),
};

function flags(): OpenFlags {
  const c = fs.constants;
  return {
    O_WRONLY: c.O_WRONLY,
    O_RDWR: c.O_RDWR,
    O_CREAT: c.O_CREAT,
    O_EXCL: c.O_EXCL,
    O_APPEND: c.O_APPEND,
    O_NOFOLLOW: c.O_NOFOLLOW ?? 0,
    // No runtime exports O_TMPFILE. __O_TMPFILE is 0o20000000 on Linux's
    // common architectures; it always travels with O_DIRECTORY.
    O_TMPFILE: process.platform === "linux" && c.O_DIRECTORY ? 0o20000000 | c.O_DIRECTORY : undefined,
    // libuv's UV_FS_O_TEMPORARY (FILE_FLAG_DELETE_ON_CLOSE), which node:fs passes through but does not export.
    O_TEMPORARY: process.platform === "win32" ? 0x40 : 0,
  };
}

/**
 * The kernel's CSPRNG. Node loads its whole Web Crypto implementation on the
 * first `crypto.getRandomValues` (5 ms in Node 26, a process's first temp
 * name); /dev/urandom gives the same bytes for three syscalls.
 */
function randomFill(buf: Uint8Array): void {
  if (process.platform !== "win32") {
    try {
      const fd = fs.openSync("/dev/urandom", fs.constants.O_RDONLY);
      try {
        if (fs.readSync(fd, buf) === buf.length) return;
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // No /dev (a bare chroot): the runtime's own source below.
    }
  }
  crypto.getRandomValues(buf as Uint8Array<ArrayBuffer>);
}

let utf8: TextDecoder | undefined;
const STREAM = { stream: true };

/**
 * Streamed, then flushed (so nothing stays pending): Node 22 and 24 decode a
 * stream with ICU, twice as fast as their one-shot decoder (V8's), 7 against
 * 14 ms per 8 MB; Node 26 and Bun are as fast either way.
 */
function decodeUtf8(bytes: Uint8Array): string {
  const d = utf8 ??= new TextDecoder("utf-8", { ignoreBOM: true });
  return d.decode(bytes, STREAM) + d.decode();
}

/** The `node:` part of a backend: everything but process-ending hooks and the environment. */
export type FsPart = Omit<Backend, "hooks" | "env">;

/** The `node:fs` implementation of every request, and the path helpers. */
export function nodeFs(): FsPart {
  fs = process.getBuiltinModule("node:fs");
  return {
    platform: process.platform,
    flags: flags(),
    ...processes,
    randomFill,
    decodeUtf8,
    // Loaded when first needed: each costs up to 2 ms to start.
    resolve: (p) => process.getBuiltinModule("node:path").resolve(p),
    fromFileUrl: (url) => process.getBuiltinModule("node:url").fileURLToPath(url),
    homedir: () => process.getBuiltinModule("node:os").homedir() || undefined,
    performSync: (r: Request) => SYNC[r.op](r as never),
    perform: (r: Request) => ASYNC[r.op](r as never),
  };
}
