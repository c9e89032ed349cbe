/**
 * Removing a directory tree without ever following a symbolic link, as
 * Python's TemporaryDirectory cleanup does: iterative (no depth limit),
 * repairing permissions on the entries themselves, skipping entries that
 * vanish, and retrying Windows' transient sharing errors.
 * @module
 */
import { errorCode, fsError } from "./errors.ts";
import { joinPath, platform } from "./_platform.ts";
import { call, type DirEntry, type Gen, type Lstat, type Op, type Ops, type RequestOf } from "./_requests.ts";

const RETRIES = 10;

/** Runs `r`, retrying the platform's transient removal errors with a growing pause. */
function* retried<K extends Op>(r: RequestOf<K>): Gen<Ops[K]["result"]> {
  const transient = platform().transientRemovalErrors;
  for (let attempt = 1;; attempt++) {
    try {
      return yield* call(r);
    } catch (err) {
      if (attempt >= RETRIES || !transient.has(errorCode(err) ?? "")) throw err;
      yield* call({ op: "sleep", ms: 10 * attempt });
    }
  }
}

/** Runs `r`; ENOENT (removed meanwhile) counts as done and returns `undefined`. */
function* gone<K extends Op>(r: RequestOf<K>): Gen<Ops[K]["result"] | undefined> {
  try {
    return yield* retried(r);
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
  yield* retried({ op: "chmod", path: dir, mode: 0o700 });
  return yield* gone(r);
}

/** Runs `r`; on EACCES/EPERM, repairs `dir` (the entry's parent, or the entry) and retries. */
function* withRepair<K extends Op>(dir: string, r: RequestOf<K>): Gen<Ops[K]["result"] | undefined> {
  try {
    return yield* gone(r);
  } catch (err) {
    if (!denied(err)) throw err;
    return yield* repaired(dir, r);
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
  const stack: Frame[] = [{ path: top, parent: undefined, entries: undefined, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.entries === undefined) {
      try {
        // An unreadable directory of ours is repaired: lstat or d_type showed it is no link.
        frame.entries = (yield* withRepair(frame.path, { op: "readdir", path: frame.path })) ?? [];
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
          ? yield* gone({ op: "lstat", path })
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
      const rmdir: RequestOf<"rmdir"> = { op: "rmdir", path: frame.path };
      yield* frame.parent === undefined ? gone(rmdir) : withRepair(frame.parent, rmdir);
    } catch (err) {
      errors.push(err);
    }
  }
  return errors;
}
