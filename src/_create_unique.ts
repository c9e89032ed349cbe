/**
 * The create-with-random-name loop, written once (as Rust tempfile's util.rs
 * and CPython's `_mkstemp_inner`): mkstemp, mkdtemp, named and anonymous
 * files, and the `gettempdir` probe all pass it a creator. Only a taken name
 * (EEXIST, or on Windows a delete-pending one) moves on to a new name; any
 * other error is final.
 * @module
 */
import { type Backend, backend } from "./backend.ts";
import { errorCode, fsError } from "./errors.ts";
import { nextRandomChars } from "./_random_names.ts";
import type { Names } from "./_names.ts";
import { joinPath, platform } from "./_platform.ts";
import {
  call,
  type Gen,
  inSyncRun,
  isRequest,
  type RequestOf,
  runStepSync,
  runSync,
  type Step,
} from "./_requests.ts";
import { claim } from "./_cleanup_registry.ts";
import { applyPermissions } from "./_permissions.ts";
import { debugLog } from "./diagnostics.ts";

/** How many names are tried before creation gives up, as Python's. */
export const TMP_MAX = 10000;

/**
 * Exclusive creation: never reuses an existing name, never follows a planted
 * link. Every file this module creates is opened so; read-write unless
 * `access` says otherwise.
 */
export function exclusiveFlags(access: number = backend().flags.O_RDWR): number {
  const f = backend().flags;
  // OR-ing a missing constant would silently drop exclusivity: refuse instead.
  if (!f.O_CREAT || !f.O_EXCL) {
    throw fsError(
      "ENOSYS",
      "this runtime's node:fs lacks O_CREAT or O_EXCL; exclusive creation is impossible",
    );
  }
  return access | f.O_CREAT | f.O_EXCL | f.O_NOFOLLOW;
}

// The last directory joined, with its separator: creations go to the same one again and again.
let lastDir = "";
let lastBase = "";
let lastBackend: Backend | undefined;

/** A candidate path: `dir`, then `prefix`, 8 random characters and `suffix`. */
export function candidate(n: Names): string {
  if (n.dir !== lastDir || backend() !== lastBackend) {
    lastBase = joinPath(n.dir, "");
    lastDir = n.dir;
    lastBackend = backend();
  }
  return lastBase + n.prefix + nextRandomChars() + n.suffix;
}

/** How {@linkcode createUnique} tries. */
export interface CreateOptions {
  /** How many names at most; default `TMP_MAX`. */
  tries?: number;
  /** The entry is a directory: should the process end mid-creation, it goes as a tree, by this. */
  tree?: (path: string) => Gen<unknown[]>;
  /** An internal probe, not worth a debug line. */
  quiet?: boolean;
}

const DEFAULTS: CreateOptions = {};

/** The first candidate, already drawn (and tried, when `failed`) by {@linkcode createUniqueSync}. */
interface First<T> {
  path: string;
  step: Step<T> | undefined;
  failed: boolean;
  err: unknown;
}

/** Called once a candidate was created: the default directory is proved, and the debug log told. */
function created(n: Names, path: string, quiet: boolean | undefined): void {
  n.unproven?.(true);
  if (!quiet) debugLog("created", path);
}

/**
 * Runs `create` on fresh candidates until one does not exist yet; returns what
 * it made and the path. Each async candidate is claimed in the cleanup
 * registry before its syscall starts, so a process that ends while an async
 * creation is in flight removes what the syscall made (a claim whose entry
 * does not exist yet is simply dropped); the caller takes over once `create`
 * returns. `first` is the first candidate, drawn (and tried, when `failed`)
 * by {@linkcode createUniqueSync}.
 * Pass an arrow to a module-level generator function: a `function*`
 * expression allocates its own prototype object on every call, which costs
 * more than the rest of a creation.
 */
export function* createUnique<T>(
  n: Names,
  create: (path: string) => Step<T>,
  options: CreateOptions = DEFAULTS,
  first?: First<T>,
): Gen<[made: T, path: string]> {
  const tries = options.tries ?? TMP_MAX;
  let denials = 0;
  for (let i = 0; i < tries; i++) {
    const given = i === 0 ? first : undefined;
    const path = given?.path ?? candidate(n);
    let err = given?.err;
    if (given?.failed !== true) {
      // A sync creation runs to its caller's watch() with nothing in between: no claim needed.
      const unclaim = inSyncRun() ? undefined : claim(path, options.tree);
      try {
        const step = given?.step ?? create(path);
        const made = isRequest(step) ? (yield step) as T : yield* step;
        created(n, path, options.quiet);
        return [made, path];
      } catch (e) {
        err = e;
      } finally {
        unclaim?.();
      }
    }
    // The default directory's first candidate failed as its probe would have: probe, then retry there.
    if (n.unproven !== undefined && errorCode(err) !== "EEXIST") {
      n = { prefix: n.prefix, suffix: n.suffix, dir: n.unproven(false)! };
      continue;
    }
    // A refusal that persists is the directory's after all (as unreadable names would be): at most 10.
    if (errorCode(err) !== "EEXIST" && !((yield* deniedButTaken(err, path)) && ++denials <= 10)) throw err;
  }
  throw fsError("EEXIST", `no usable temporary name found after ${tries} tries`, n.dir);
}

/**
 * {@linkcode createUnique}, synchronously. When the first candidate's creation
 * is one request, it is carried out directly, with no generator at all: the
 * common case of every sync creator. Otherwise, or should it fail,
 * createUnique takes over from that candidate, exactly as if it had drawn it.
 */
export function createUniqueSync<T>(
  n: Names,
  create: (path: string) => Step<T>,
  options: CreateOptions = DEFAULTS,
): [made: T, path: string] {
  const path = candidate(n);
  let step: Step<T> | undefined;
  try {
    step = create(path);
    if (isRequest(step)) {
      const made = runStepSync(step) as T;
      created(n, path, options.quiet);
      return [made, path];
    }
  } catch (err) {
    return runSync(createUnique(n, create, options, { path, step, failed: true, err }));
  }
  return runSync(createUnique(n, create, options, { path, step, failed: false, err: undefined }));
}

/**
 * Whether `err`, from creating `path`, means the name is taken: on Windows a
 * delete-pending name (or a directory opened as a file) answers EPERM/EACCES
 * instead of EEXIST. CPython retries such names; here the name itself is
 * asked: ENOENT means the refusal was the directory's, which is final.
 */
function* deniedButTaken(err: unknown, path: string): Gen<boolean> {
  const code = errorCode(err);
  if (!platform().deniedMayMeanTaken || (code !== "EPERM" && code !== "EACCES")) return false;
  try {
    yield* call({ op: "lstat", path });
    return true;
  } catch (e) {
    return errorCode(e) !== "ENOENT";
  }
}

/**
 * Creates the file `path` exclusively with `mode`; `extra` adds open flags
 * (O_APPEND), `access` replaces read-write. Where the platform has no
 * O_NOFOLLOW (Windows under libuv: Node and Bun), the created name is then
 * checked, since that open follows a dangling link planted there; elsewhere
 * the kernel refuses the link and no check is made.
 */
export function openExclusive(path: string, mode: number, extra = 0, access?: number): Gen<number> {
  const open = call(openRequest(path, mode, extra, access));
  return backend().flags.O_NOFOLLOW === 0 ? notThroughALink(open, path) : open;
}

function openRequest(path: string, mode: number, extra: number, access?: number): RequestOf<"open"> {
  return { op: "open", path, flags: exclusiveFlags(access) | extra, mode };
}

/**
 * Runs `open`, then checks that `path` is the file the descriptor holds: not
 * a link (the open then created the link's target instead, an empty file that
 * is not ours to delete), nor another file swapped in since (same device and
 * inode as the descriptor). Otherwise the descriptor is closed before a byte
 * is written, and the name counts as taken (EEXIST), so creation moves on to
 * the next name. Whatever is at the name is left alone.
 */
function* notThroughALink(open: Gen<number>, path: string): Gen<number> {
  const fd = yield* open;
  let ours: boolean;
  try {
    const named = yield* call({ op: "lstat", path });
    const held = yield* call({ op: "fstat", fd });
    ours = !named.isSymlink && named.dev === held.dev && named.ino === held.ino;
  } catch (err) {
    yield* call({ op: "close", fd });
    throw err;
  }
  if (ours) return fd;
  yield* call({ op: "close", fd });
  throw fsError(
    "EEXIST",
    "a link or another file took this name; nothing was written through it",
    path,
    "open",
  );
}

/**
 * Creates the file `path` exclusively with `mode` (then exactly `exact`, when
 * given); the result is its descriptor. Where no check follows the open, the
 * creation is the open request itself.
 */
export function openNamed(path: string, mode: number, extra = 0, exact?: number): Step<number> {
  if (exact === undefined && backend().flags.O_NOFOLLOW !== 0) return openRequest(path, mode, extra);
  return openWithPermissions(openExclusive(path, mode, extra), path, exact);
}

function* openWithPermissions(open: Gen<number>, path: string, exact: number | undefined): Gen<number> {
  const fd = yield* open;
  if (exact !== undefined) yield* applyPermissions(path, fd, exact);
  return fd;
}
