/**
 * Removing a directory tree without ever following a symbolic link, as
 * Python's TemporaryDirectory cleanup does: iterative (no depth limit),
 * repairing permissions on the entries themselves, skipping entries that
 * vanish, and retrying Windows' transient sharing errors.
 * @module
 */
import { errorCode, fsError } from "./errors.ts";
import { joinPath, platform } from "./_platform.ts";
import {
  call,
  type DirEntry,
  type Gen,
  type Lstat,
  type Op,
  type Ops,
  type RequestOf,
  stepGen,
} from "./_requests.ts";
import { retried } from "./_retried.ts";

/** Runs `r`; ENOENT (removed meanwhile) counts as done and returns `undefined`. */
function* gone<K extends Op>(r: RequestOf<K>): Gen<Ops[K]["result"] | undefined> {
  try {
    return yield* stepGen(retried(r));
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
function* repaired<K extends Op>(dir: string, r: RequestOf<K>): Gen<Ops[K]["result"] | undefined> {
  const st = yield* gone({ op: "lstat", path: dir });
  if (st === undefined) return undefined;
  if (!st.isDirectory || st.isSymlink) throw fsError("ENOTDIR", "replaced while being removed", dir);
  yield* stepGen(retried({ op: "chmod", path: dir, mode: 0o700 }));
  return yield* gone(r);
}

/** Runs `r`; on EACCES/EPERM, repairs `dir` (the entry's parent, or the entry) and retries. */
function* withRepair<K extends Op>(dir: string, r: RequestOf<K>): Gen<Ops[K]["result"] | undefined> {
  try {
    return yield* gone(r);
  } catch (err) {
    return yield* failed(err, dir, r);
  }
}

/** What {@linkcode withRepair} does once `r` failed with `err` (not retried: nothing is, where this is called). */
function* failed<K extends Op>(
  err: unknown,
  dir: string,
  r: RequestOf<K>,
): Gen<Ops[K]["result"] | undefined> {
  if (errorCode(err) === "ENOENT") return undefined;
  if (!denied(err)) throw err;
  return yield* repaired(dir, r);
}

interface Frame {
  path: string;
  parent: Frame | undefined;
  entries: DirEntry[] | undefined;
  next: number;
  /** The directory's identity ("dev:ino"), when removal is guarded. */
  id: string | undefined;
}

const identity = (st: Lstat) => `${st.dev}:${st.ino}`;

/** Thrown when a directory of the tree is no longer the one we listed: removal stops at once. */
class Replaced extends Error {}

/**
 * Whether removal inside `top` must re-check each directory before acting in
 * it: when another user could rename `top` away and put a link in its place,
 * that is, when its parent is writable by group or others without the sticky
 * bit. In a sticky `/tmp` or a private directory nobody else can, and the
 * check's syscalls are saved.
 */
function* needsGuard(top: string): Gen<boolean> {
  const cut = Math.max(top.lastIndexOf("/"), top.lastIndexOf("\\"));
  if (cut <= 0 || platform().sep === "\\") return false; // no POSIX modes to read on Windows
  const parent: Lstat | undefined = yield* gone({ op: "lstat", path: top.slice(0, cut) });
  return parent !== undefined && (parent.mode & 0o022) !== 0 && (parent.mode & 0o1000) === 0;
}

/** Throws {@linkcode Replaced} unless `frame`'s path is still the directory first seen there. */
function* verify(frame: Frame): Gen<void> {
  if (frame.id === undefined) return;
  const st: Lstat | undefined = yield* gone({ op: "lstat", path: frame.path });
  if (st === undefined || st.isSymlink || !st.isDirectory || identity(st) !== frame.id) {
    throw new Replaced(frame.path);
  }
}

/**
 * Removes `top` and everything in it. Returns the errors met (empty when the
 * tree is gone); with them, what could not be removed is left in place.
 * `top` itself must be a real directory: a link or file there is an error and
 * is left alone. Where another user could swap a directory of the tree for a
 * link mid-removal (see `needsGuard`), each directory is re-identified before
 * every step inside it, and removal stops at the first mismatch.
 */
export function* removeTree(top: string): Gen<unknown[]> {
  const errors: unknown[] = [];
  const st: Lstat | undefined = yield* gone({ op: "lstat", path: top });
  if (st === undefined) return errors; // vanished already: nothing to do
  if (st.isSymlink || !st.isDirectory) {
    errors.push(
      fsError("ENOTDIR", "temporary directory was replaced by a non-directory; not following it", top),
    );
    return errors;
  }
  const guard = yield* needsGuard(top);
  // Unguarded on POSIX, the runtime's own removal, if it has a safe one, goes first; the walk does what it left.
  const direct = platform().transientRemovalErrors.size === 0;
  if (!guard && direct && (yield* removedNatively(top))) return errors;
  const stack: Frame[] = [{
    path: top,
    parent: undefined,
    entries: undefined,
    next: 0,
    id: guard ? identity(st) : undefined,
  }];
  // Where nothing is retried (POSIX), a file's unlink is yielded as it is: no generator per file.
  try {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const entry = direct && frame.entries !== undefined && frame.next < frame.entries.length
        ? frame.entries[frame.next]
        : undefined;
      if (entry === undefined || entry.isDirectory) {
        yield* step(stack, errors, guard);
        continue;
      }
      // What step() does for a file entry, inline.
      if (frame.id !== undefined) yield* verify(frame);
      frame.next++;
      const path = joinPath(frame.path, entry.name);
      // unlink removes a link itself, never its target.
      const unlink: RequestOf<"unlink"> = { op: "unlink", path, listed: true };
      try {
        yield unlink;
      } catch (err) {
        yield* unlinkFailed(stack, frame, errors, guard, err, unlink);
      }
    }
  } catch (err) {
    if (!(err instanceof Replaced)) throw err;
    errors.push(fsError("ENOTDIR", "replaced while being removed; stopped, not following it", err.message));
  }
  return errors;
}

/** Whether the runtime's own removal took the whole tree; a failure of it is the walk's to meet and report. */
function* removedNatively(top: string): Gen<boolean> {
  try {
    return yield* call({ op: "removeAll", path: top });
  } catch {
    return false;
  }
}

/** One step of the removal: list the top frame, remove or descend into its next entry, or remove it. */
function* step(stack: Frame[], errors: unknown[], guard: boolean): Gen<void> {
  const frame = stack[stack.length - 1];
  if (frame.id !== undefined) yield* verify(frame);
  if (frame.entries === undefined) {
    try {
      // An unreadable directory of ours is repaired: lstat or d_type showed it is no link.
      frame.entries = (yield* withRepair(frame.path, { op: "readdir", path: frame.path })) ?? [];
    } catch (err) {
      errors.push(err);
      stack.pop(); // cannot list it: leave it as it is
    }
    return;
  }
  if (frame.next < frame.entries.length) {
    const entry = frame.entries[frame.next++];
    const path = joinPath(frame.path, entry.name);
    if (entry.isDirectory) return yield* descend(stack, frame, path, guard);
    // unlink removes a link itself, never its target.
    const unlink: RequestOf<"unlink"> = { op: "unlink", path, listed: true };
    try {
      yield* withRepair(frame.path, unlink);
    } catch (err) {
      yield* notUnlinked(stack, frame, errors, guard, err);
    }
    return;
  }
  stack.pop();
  if (frame.parent) yield* verify(frame.parent);
  try {
    // The top's parent is not ours: it is never repaired.
    const rmdir: RequestOf<"rmdir"> = { op: "rmdir", path: frame.path };
    yield* frame.parent === undefined ? gone(rmdir) : withRepair(frame.parent.path, rmdir);
  } catch (err) {
    errors.push(err);
  }
}

/** A file entry's unlink failed with `err`: what {@linkcode withRepair} then does, and {@linkcode notUnlinked}. */
function* unlinkFailed(
  stack: Frame[],
  frame: Frame,
  errors: unknown[],
  guard: boolean,
  err: unknown,
  unlink: RequestOf<"unlink">,
): Gen<void> {
  try {
    yield* failed(err, frame.path, unlink);
  } catch (e) {
    yield* notUnlinked(stack, frame, errors, guard, e);
  }
}

/**
 * A file entry's unlink failed for good with `err`. readdir may not know an
 * entry's type; one that is a directory after all is descended into
 * (ENOTEMPTY: a backend that trusted `listed` tried rmdir).
 */
function* notUnlinked(
  stack: Frame[],
  frame: Frame,
  errors: unknown[],
  guard: boolean,
  err: unknown,
): Gen<void> {
  const path = joinPath(frame.path, frame.entries![frame.next - 1].name);
  const s = ["EISDIR", "EPERM", "ENOTEMPTY"].includes(errorCode(err) ?? "")
    ? yield* gone({ op: "lstat", path })
    : undefined;
  if (s?.isDirectory && !s.isSymlink) yield* descend(stack, frame, path, guard);
  else errors.push(err);
}

/** Pushes the directory `path` of `frame`, identified first when removal is guarded. */
function* descend(stack: Frame[], frame: Frame, path: string, guard: boolean): Gen<void> {
  let id: string | undefined;
  if (guard) {
    const st: Lstat | undefined = yield* gone({ op: "lstat", path });
    if (st === undefined) return;
    if (st.isSymlink || !st.isDirectory) throw new Replaced(path);
    id = identity(st);
  }
  stack.push({ path, parent: frame, entries: undefined, next: 0, id });
}
