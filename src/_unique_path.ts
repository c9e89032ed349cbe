// The create-with-random-name loop every creator shares, as Rust tempfile's
// util.rs: only EEXIST moves on to a new name; any other error is final.
import { backend } from "./backend.ts";
import { errorCode, fsError } from "./errors.ts";
import { nextRandomChars } from "./names.ts";
import type { Names } from "./options.ts";

/** How many names are tried before creation gives up, as Python's. */
export const TMP_MAX = 10000;

/** `dir` joined with `name`, in the separator style `dir` already uses. */
export function joinPath(dir: string, name: string): string {
  if (dir.endsWith("/") || dir.endsWith("\\")) return dir + name;
  // Windows takes both separators; keep a native-looking path when dir has one.
  const sep = backend().platform === "win32" && !dir.includes("/") ? "\\" : "/";
  return dir + sep + name;
}

/**
 * Read-write, exclusive creation: never reuses an existing name, never
 * follows a planted link. Every file this module creates is opened so.
 */
export function exclusiveFlags(): number {
  const f = backend().flags;
  return f.O_RDWR | f.O_CREAT | f.O_EXCL | f.O_NOFOLLOW;
}

/** The candidate paths, `TMP_MAX` of them. */
export function* candidates(n: Names): Generator<string> {
  for (let i = 0; i < TMP_MAX; i++) yield joinPath(n.dir, n.prefix + nextRandomChars() + n.suffix);
}

/** Calls `create` on fresh candidates until one does not exist yet. */
export function createUniqueSync<T>(n: Names, create: (path: string) => T): T {
  for (const path of candidates(n)) {
    try {
      return create(path);
    } catch (err) {
      if (errorCode(err) !== "EEXIST") throw err;
    }
  }
  throw exhausted(n.dir);
}

/** The async twin of {@linkcode createUniqueSync}. */
export async function createUnique<T>(n: Names, create: (path: string) => Promise<T>): Promise<T> {
  for (const path of candidates(n)) {
    try {
      return await create(path);
    } catch (err) {
      if (errorCode(err) !== "EEXIST") throw err;
    }
  }
  throw exhausted(n.dir);
}

function exhausted(dir: string) {
  return fsError("EEXIST", `no usable temporary name found after ${TMP_MAX} tries`, dir);
}
