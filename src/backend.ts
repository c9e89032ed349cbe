/**
 * The small filesystem interface the core talks to, and the slot holding the
 * backend in use. Backends translate calls, flags and errors for one runtime;
 * every policy decision (names, retries, modes, when to delete) stays in `src/`.
 * @module
 */

/** What `lstat`/`fstat` report, reduced to what the core decides on. */
export interface Stat {
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  /** Permission bits and file type, as `st_mode`. */
  mode: number;
  size: number;
  nlink: number;
}

/** One directory entry, typed without following links (`d_type`). */
export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

/** The open(2) flag values of the running platform. */
export interface OpenFlags {
  O_RDONLY: number;
  O_WRONLY: number;
  O_RDWR: number;
  O_CREAT: number;
  O_EXCL: number;
  O_TRUNC: number;
  O_APPEND: number;
  O_NOFOLLOW: number;
  /** `undefined` where the platform has no anonymous files. */
  O_TMPFILE: number | undefined;
}

/** A signal whose default action ends the process. */
export type ExitSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGBREAK";

/** How the runtime tells us that the process is ending. */
export interface ProcessHooks {
  /** Runs `fn` synchronously however the process ends short of a signal. */
  onExit(fn: () => void): () => void;
  /** Runs `fn` when `signal` arrives. The returned function removes it. */
  onSignal(signal: ExitSignal, fn: () => void): () => void;
  /** How many listeners `signal` has, this library's own included. */
  signalListenerCount(signal: ExitSignal): number;
  /** Ends the process as `signal`'s default action would. */
  raise(signal: ExitSignal): void;
  /** Runs `fn` after `ms` on a timer that does not keep the process alive. */
  later(fn: () => void, ms: number): void;
}

/** The filesystem interface. `fd`s are the runtime's `node:fs` descriptors. */
export interface Backend {
  readonly runtime: "node" | "bun" | "deno";
  /** `process.platform`'s value: "linux", "darwin", "win32", ... */
  readonly platform: string;
  readonly flags: OpenFlags;
  readonly hooks: ProcessHooks;

  /** An environment variable, or `undefined` when unset or not permitted. */
  env(name: string): string | undefined;
  /** An absolute, normalised form of `path` (relative to the current dir). */
  resolve(path: string): string;
  /** The path of a `file:` URL. */
  fromFileUrl(url: URL): string;
  /** The home directory, or `undefined`. */
  homedir(): string | undefined;

  openSync(path: string, flags: number, mode: number): number;
  open(path: string, flags: number, mode: number): Promise<number>;
  mkdirSync(path: string, mode: number): void;
  mkdir(path: string, mode: number): Promise<void>;

  /** `pread`/`pwrite` when `position` is a number, else the fd's offset. */
  readSync(fd: number, buf: Uint8Array, position: number | null): number;
  read(fd: number, buf: Uint8Array, position: number | null): Promise<number>;
  writeSync(fd: number, buf: Uint8Array, position: number | null): number;
  write(fd: number, buf: Uint8Array, position: number | null): Promise<number>;
  fstatSync(fd: number): Stat;
  fstat(fd: number): Promise<Stat>;
  ftruncateSync(fd: number, length: number): void;
  ftruncate(fd: number, length: number): Promise<void>;
  fsyncSync(fd: number): void;
  fsync(fd: number): Promise<void>;
  closeSync(fd: number): void;
  close(fd: number): Promise<void>;

  lstatSync(path: string): Stat;
  lstat(path: string): Promise<Stat>;
  unlinkSync(path: string): void;
  unlink(path: string): Promise<void>;
  rmdirSync(path: string): void;
  rmdir(path: string): Promise<void>;
  readdirSync(path: string): DirEntry[];
  readdir(path: string): Promise<DirEntry[]>;
  chmodSync(path: string, mode: number): void;
  chmod(path: string, mode: number): Promise<void>;
  renameSync(from: string, to: string): void;
  rename(from: string, to: string): Promise<void>;
  linkSync(from: string, to: string): void;
  link(from: string, to: string): Promise<void>;
}

let current: Backend | undefined;

/** The backend in use. */
export function backend(): Backend {
  if (current === undefined) throw new Error("@x/tempfile: no backend installed");
  return current;
}

/**
 * Installs `next` as the backend and returns the previous one. `mod.ts`
 * installs the runtime's backend; tests install fault-injecting wrappers.
 */
export function useBackend(next: Backend): Backend | undefined {
  const previous = current;
  current = next;
  return previous;
}
