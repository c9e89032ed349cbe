/**
 * Removing a directory tree without ever following a symbolic link, as
 * Python's TemporaryDirectory cleanup does: iterative (no depth limit),
 * repairing permissions on the entries themselves, skipping entries that
 * vanish, and retrying Windows' transient sharing errors.
 * @module
 */
import { backend, type DirEntry } from "./backend.ts";
import { errorCode, fsError } from "./errors.ts";
import { drive, driveSync } from "./_io.ts";
import { joinPath } from "./_unique_path.ts";

type Request =
  | { op: "lstat"; path: string }
  | { op: "readdir"; path: string }
  | { op: "unlink"; path: string }
  | { op: "rmdir"; path: string }
  | { op: "chmod"; path: string; mode: number }
  | { op: "sleep"; ms: number };

type TreeGen<T> = Generator<Request, T, unknown>;

/** Windows reports an entry still held open by EBUSY, EPERM or ENOTEMPTY; it clears in a moment. */
const TRANSIENT = new Set(["EBUSY", "EPERM", "ENOTEMPTY"]);
const RETRIES = 10;

function* call(r: Request): TreeGen<unknown> {
  if (backend().platform !== "win32" || r.op === "sleep") return yield r;
  for (let attempt = 1;; attempt++) {
    try {
      return yield r;
    } catch (err) {
      if (attempt >= RETRIES || !TRANSIENT.has(errorCode(err) ?? "")) throw err;
      yield { op: "sleep", ms: 10 * attempt };
    }
  }
}

/** Runs `r`; ENOENT (removed meanwhile) counts as done and returns `undefined`. */
function* gone<T>(r: Request): TreeGen<T | undefined> {
  try {
    return (yield* call(r)) as T;
  } catch (err) {
    if (errorCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

function denied(err: unknown): boolean {
  const code = errorCode(err);
  return code === "EACCES" || code === "EPERM";
}

/**
 * Makes `dir` (a directory of the tree, never a link) readable, writable and
 * searchable by its owner, then retries `r` once.
 */
function* repaired<T>(dir: string, r: Request): TreeGen<T | undefined> {
  const st = yield* gone<{ isDirectory: boolean; isSymlink: boolean }>({ op: "lstat", path: dir });
  if (st === undefined) return undefined;
  if (!st.isDirectory || st.isSymlink) throw fsError("ENOTDIR", "replaced while being removed", dir);
  yield* call({ op: "chmod", path: dir, mode: 0o700 });
  return yield* gone<T>(r);
}

/** Runs `r`; on EACCES/EPERM, repairs `dir` (the entry's parent, or the entry) and retries. */
function* withRepair<T>(dir: string, r: Request): TreeGen<T | undefined> {
  try {
    return yield* gone<T>(r);
  } catch (err) {
    if (!denied(err)) throw err;
    return yield* repaired<T>(dir, r);
  }
}

interface Frame {
  path: string;
  parent: string | undefined;
  entries: DirEntry[] | undefined;
  next: number;
}

/**
 * Removes `top` and everything in it. Returns the errors met (empty when the
 * tree is gone); with them, what could not be removed is left in place.
 * `top` itself must be a real directory: a link or file there is an error and
 * is left alone.
 */
export function* removeTree(top: string): TreeGen<unknown[]> {
  const errors: unknown[] = [];
  const st = yield* gone<{ isDirectory: boolean; isSymlink: boolean }>({ op: "lstat", path: top });
  if (st === undefined) return errors; // vanished already: nothing to do
  if (st.isSymlink || !st.isDirectory) {
    errors.push(
      fsError("ENOTDIR", "temporary directory was replaced by a non-directory; not following it", top),
    );
    return errors;
  }
  const stack: Frame[] = [{ path: top, parent: undefined, entries: undefined, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.entries === undefined) {
      try {
        // An unreadable directory of ours is repaired: lstat or d_type showed it is no link.
        frame.entries = (yield* withRepair<DirEntry[]>(frame.path, { op: "readdir", path: frame.path })) ??
          [];
      } catch (err) {
        errors.push(err);
        stack.pop(); // cannot list it: leave it as it is
        continue;
      }
    }
    if (frame.next < frame.entries.length) {
      const entry = frame.entries[frame.next++];
      const path = joinPath(frame.path, entry.name);
      if (entry.isDirectory) {
        stack.push({ path, parent: frame.path, entries: undefined, next: 0 });
        continue;
      }
      try {
        // unlink removes a link itself, never its target.
        yield* withRepair(frame.path, { op: "unlink", path });
      } catch (err) {
        // readdir may not know an entry's type; one that is a directory after all is descended into.
        const s = ["EISDIR", "EPERM"].includes(errorCode(err) ?? "")
          ? yield* gone<{ isDirectory: boolean; isSymlink: boolean }>({ op: "lstat", path })
          : undefined;
        if (s?.isDirectory && !s.isSymlink) {
          stack.push({ path, parent: frame.path, entries: undefined, next: 0 });
        } else errors.push(err);
      }
      continue;
    }
    stack.pop();
    try {
      // The top's parent is not ours: it is never repaired.
      const rmdir: Request = { op: "rmdir", path: frame.path };
      yield* frame.parent === undefined ? gone(rmdir) : withRepair(frame.parent, rmdir);
    } catch (err) {
      errors.push(err);
    }
  }
  return errors;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function performSync(r: Request): unknown {
  const b = backend();
  switch (r.op) {
    case "sleep":
      return sleepSync(r.ms);
    case "lstat":
      return b.lstatSync(r.path);
    case "readdir":
      return b.readdirSync(r.path);
    case "unlink":
      return b.unlinkSync(r.path);
    case "rmdir":
      return b.rmdirSync(r.path);
    case "chmod":
      return b.chmodSync(r.path, r.mode);
  }
}

function perform(r: Request): Promise<unknown> {
  const b = backend();
  switch (r.op) {
    case "sleep":
      return new Promise((ok) => setTimeout(ok, r.ms));
    case "lstat":
      return b.lstat(r.path);
    case "readdir":
      return b.readdir(r.path);
    case "unlink":
      return b.unlink(r.path);
    case "rmdir":
      return b.rmdir(r.path);
    case "chmod":
      return b.chmod(r.path, r.mode);
  }
}

/** Runs a removal generator with synchronous calls. */
export function runTreeSync<T>(gen: TreeGen<T>): T {
  return driveSync(gen, performSync);
}

/** Runs a removal generator with asynchronous calls. */
export function runTree<T>(gen: TreeGen<T>): Promise<T> {
  return drive(gen, perform);
}
