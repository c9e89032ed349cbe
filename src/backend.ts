/**
 * The filesystem interface the core talks to, and the backend in use. A
 * backend translates requests, flags and errors for one runtime; every policy
 * decision (names, retries, modes, when to delete) stays in `src/`. The
 * running runtime's backend is chosen on first use, so importing the module
 * does nothing.
 * @module
 */
import { selectBackend } from "../runtimes/select.ts";
import type { Request } from "./_requests.ts";

/** The open(2) flag values the core uses, as the running platform defines them. */
export interface OpenFlags {
  O_WRONLY: number;
  O_RDWR: number;
  O_CREAT: number;
  O_EXCL: number;
  O_APPEND: number;
  /** 0 where the platform has none. */
  O_NOFOLLOW: number;
  /** `undefined` where the platform has no anonymous files. */
  O_TMPFILE: number | undefined;
  /** Delete-on-close (libuv's `UV_FS_O_TEMPORARY` on Windows); 0 where the runtime has none. */
  O_TEMPORARY: number;
}

/** A signal whose default action ends the process. */
export type ExitSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGBREAK";

/** How the runtime tells us that the process is ending. */
export interface ProcessHooks {
  /** Whether this is the process's main thread: signals reach only that one, and a worker must not end the process. */
  readonly mainThread: boolean;
  /** Runs `fn` synchronously however the process ends short of a signal. */
  onExit(fn: () => void): () => void;
  /** Runs `fn` when `signal` arrives. The returned function removes it. */
  onSignal(signal: ExitSignal, fn: () => void): () => void;
  /** Whether the program has a listener of its own for `signal` (this library's are not counted). */
  programListens(signal: ExitSignal): boolean;
  /** Ends the process as `signal`'s default action would, once this library's listeners are gone. */
  raise(signal: ExitSignal): void;
  /** Runs `fn` after `ms` on a timer that does not keep the process alive. */
  later(fn: () => void, ms: number): void;
}

/** The filesystem interface. `fd`s are the runtime's `node:fs` descriptors. */
export interface Backend {
  /** `process.platform`'s value: "linux", "darwin", "win32", ... */
  readonly platform: string;
  readonly flags: OpenFlags;
  readonly hooks: ProcessHooks;
  /** An environment variable, or `undefined` when unset; EACCES when the runtime does not permit reading it. */
  env(name: string): string | undefined;
  /** An absolute, normalised form of `path` (relative to the current dir). */
  resolve(path: string): string;
  /** The path of a `file:` URL. */
  fromFileUrl(url: URL): string;
  /** The home directory, or `undefined`. */
  homedir(): string | undefined;
  /**
   * This process's id, its parent's, its user id (`undefined` where unknown or
   * not permitted), and whether it was forked with a channel to its parent.
   */
  processIds(): { pid: number; ppid: number; uid: number | undefined; forked: boolean };
  /** Whether process `pid` exists; `undefined` when the runtime may not ask. */
  isRunning(pid: number): boolean | undefined;
  /** Fills `buf` from the platform's CSPRNG. */
  randomFill(buf: Uint8Array): void;
  /**
   * `bytes` as UTF-8, with invalid sequences as U+FFFD and a byte order mark
   * kept, by the runtime's fastest decoder: the quick readline path decodes
   * a buffer of lines at a time with it.
   */
  decodeUtf8(bytes: Uint8Array): string;
  /** Carries out one request synchronously; failures throw `node:fs`-shaped errors. */
  performSync(request: Request): unknown;
  /** Carries out one request asynchronously. */
  perform(request: Request): Promise<unknown>;
}

let current: Backend | undefined;

/** The backend in use: the running runtime's, chosen on the first call. */
export function backend(): Backend {
  return current ??= selectBackend();
}

/** An environment variable, or `undefined` when unset or not permitted. */
export function envOrUndefined(name: string): string | undefined {
  try {
    return backend().env(name);
  } catch {
    return undefined;
  }
}

/**
 * Installs `next` as the backend and returns the previous one. Tests install
 * fault-injecting wrappers this way.
 */
export function useBackend(next: Backend): Backend {
  const previous = backend();
  current = next;
  return previous;
}
