/**
 * The one way sync/async twins are made. Every operation that touches the file
 * system is written once, as a generator that yields {@linkcode Request}s;
 * {@linkcode runSync} and {@linkcode run} carry them out through the backend's
 * `performSync` / `perform`. {@linkcode call} types each result by its request.
 * @module
 */
import { backend } from "./backend.ts";

/** What `lstat` reports: enough to never follow a link, and to notice a directory swapped for another. */
export interface Lstat {
  isDirectory: boolean;
  isSymlink: boolean;
  /** Permission bits and file type, as `st_mode`. */
  mode: number;
  dev: number;
  ino: number;
  /** The owner's user id (0 where the platform has none). */
  uid: number;
  /** The last modification, in ms since the epoch. */
  mtimeMs: number;
}

/** One directory entry, typed without following links (`d_type`). */
export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

/** Every request, by name: its fields and its result. */
export interface Ops {
  open: { args: { path: string; flags: number; mode: number }; result: number };
  mkdir: { args: { path: string; mode: number }; result: void };
  /** `pread` when `pos` is a number, else a read at the descriptor's offset. */
  read: { args: { fd: number; buf: Uint8Array; pos: number | null }; result: number };
  /** `pwrite` when `pos` is a number, else a write at the offset (appends: the end). */
  write: { args: { fd: number; buf: Uint8Array; pos: number | null }; result: number };
  /** The file's size, from `fstat`. */
  size: { args: { fd: number }; result: number };
  truncate: { args: { fd: number; length: number }; result: void };
  fsync: { args: { fd: number }; result: void };
  close: { args: { fd: number }; result: void };
  lstat: { args: { path: string }; result: Lstat };
  /** What an open descriptor is: to tell whether a name still leads to it. */
  fstat: { args: { fd: number }; result: Lstat };
  readdir: { args: { path: string }; result: DirEntry[] };
  /**
   * `listed`: readdir's `d_type` said no directory, inside a tree being
   * removed, where an empty directory swapped in since would go anyway: a
   * backend whose unlink must first check for a directory may skip the check.
   */
  unlink: { args: { path: string; listed?: true }; result: void };
  rmdir: { args: { path: string }; result: void };
  /**
   * Removes the directory `path` with all in it in one native call, where the
   * runtime has one that never follows a link, not even one swapped in
   * mid-removal (Deno: Rust's `remove_dir_all`, which opens each directory
   * relative to its parent, without following links). `false` where there is
   * none or it did not finish: the core then walks what is left.
   */
  removeAll: { args: { path: string }; result: boolean };
  chmod: { args: { path: string; mode: number }; result: void };
  fchmod: { args: { fd: number; mode: number }; result: void };
  rename: { args: { from: string; to: string }; result: void };
  link: { args: { from: string; to: string }; result: void };
  /** Waits `ms` milliseconds (blocking in the sync driver). */
  sleep: { args: { ms: number }; result: void };
}

/** A request's name. */
export type Op = keyof Ops;
/** The request named `K`. */
export type RequestOf<K extends Op> = { op: K } & Ops[K]["args"];
/** Any request. */
export type Request = { [K in Op]: RequestOf<K> }[Op];
/** An operation: yields requests, receives their results, returns `T`. */
export type Gen<T> = Generator<Request, T, unknown>;

/**
 * An operation with nothing to do: `yield*` on it returns at once. One shared
 * finished generator serves every such step (a finished generator stays
 * finished), so a flush of an empty buffer or a close that deletes nothing
 * allocates no generator: each costs a few hundred bytes of garbage.
 */
export const NOTHING: Gen<void> = (function* (): Gen<void> {})();
NOTHING.next();

/** Yields one request and returns its result, typed. */
export function* call<K extends Op>(request: RequestOf<K>): Gen<Ops[K]["result"]> {
  return (yield request as Request) as Ops[K]["result"];
}

/**
 * An operation, or, when it is one request, that request itself (its result
 * is the operation's): the hot paths' single steps then allocate no
 * generator, and {@linkcode runStepSync} carries them out directly.
 */
export type Step<T> = Gen<T> | Request;

/** Whether `step` is a single request. */
export function isRequest(step: Step<unknown>): step is Request {
  return (step as { op?: unknown }).op !== undefined;
}

/** `step` as a generator, for `yield*`. */
export function stepGen<T>(step: Step<T>): Gen<T> {
  return isRequest(step) ? call(step as RequestOf<Op>) as Gen<T> : step;
}

/** Carries out `step` synchronously: a request straight through the backend, an operation by runSync. */
export function runStepSync<T>(step: Step<T>): T {
  if (step === NOTHING) return undefined as T;
  return isRequest(step) ? backend().performSync(step) as T : runSync(step);
}

let syncRuns = 0;

/**
 * Whether the running operation is driven by {@linkcode runSync}: nothing
 * else runs until it returns (no signal, no exit), which spares creations
 * their in-flight claim.
 */
export function inSyncRun(): boolean {
  return syncRuns > 0;
}

/** Runs `gen` with synchronous calls: the backend's, or `perform` (the layer tests' fake file system). */
export function runSync<T>(gen: Gen<T>, perform: (r: Request) => unknown = backend().performSync): T {
  syncRuns++;
  try {
    let step = gen.next();
    while (!step.done) {
      let result: unknown;
      try {
        result = perform(step.value);
      } catch (err) {
        step = gen.throw(err);
        continue;
      }
      step = gen.next(result);
    }
    return step.value;
  } finally {
    syncRuns--;
  }
}

/** Runs `gen` with asynchronous calls; a throw before the first request rejects. */
export async function run<T>(
  gen: Gen<T>,
  perform: (r: Request) => Promise<unknown> = backend().perform,
): Promise<T> {
  let step = gen.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = await perform(step.value);
    } catch (err) {
      step = gen.throw(err);
      continue;
    }
    step = gen.next(result);
  }
  return step.value;
}
