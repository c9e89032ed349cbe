/**
 * `TemporaryFile` and `NamedTemporaryFile`: creation, option checking, and
 * the named file's `persist`.
 * @module
 */
import { backend } from "./backend.ts";
import { BufferedIO, type ByteIO, DEFAULT_BUFFER_SIZE } from "./byte_io.ts";
import { type Codec, type ErrorHandler, lookupCodec } from "./codecs.ts";
import { type Resource, settle } from "./cleanup_registry.ts";
import { errorCode } from "./errors.ts";
import { type DataOf, type Mode, parseMode } from "./mode.ts";
import {
  boolean,
  type Check,
  checkOptions,
  integer,
  NAME_CHECKS,
  type NameOptions,
  oneOf,
  resolveNames,
} from "./options.ts";
import type { Names } from "./options.ts";
import { type FileData, type FileInit, TempFile } from "./temp_file.ts";
import { type Newline, NEWLINES, TextIO } from "./text_io.ts";
import { createUnique, createUniqueSync, exclusiveFlags } from "./_unique_path.ts";

/** Options of {@linkcode TemporaryFile}: Python's parameters in camelCase. */
export interface TemporaryFileOptions<M extends string = string> extends NameOptions {
  /** Python's mode grammar; default `"w+b"`. With `b` the file is binary, else text. */
  mode?: M;
  /** -1: an 8 KiB buffer (default); 0: unbuffered (binary only); 1: line-buffered (text only); n: n bytes. */
  buffering?: number;
  /** Text mode: `"utf-8"` (default), `"utf-16le"` or `"latin1"`. */
  encoding?: string;
  /** Text mode: `"strict"` (default) or `"replace"`. */
  errors?: ErrorHandler;
  /** Text mode: Python's newline argument; `undefined` means universal newlines. */
  newline?: Newline;
}

/** Options of {@linkcode NamedTemporaryFile}. */
export interface NamedTemporaryFileOptions<M extends string = string> extends TemporaryFileOptions<M> {
  /** Remove the file at all (default `true`). */
  delete?: boolean;
  /** Remove it on `close()` already, not only at disposal (default `true`). */
  deleteOnClose?: boolean;
}

/** Options of {@linkcode NamedTempFile.persist}. */
export interface PersistOptions {
  /** Replace an existing `dest` (default `true`); with `false`, an existing `dest` gives EEXIST. */
  overwrite?: boolean;
}

const encoding: Check = (fn, key, value) => {
  if (typeof value !== "string") throw new TypeError(`${fn}: option "${key}" must be a string`);
  if (!lookupCodec(value)) {
    throw new RangeError(`${fn}: option "${key}" is an unknown encoding: ${JSON.stringify(value)}`);
  }
};

/** Checks shared by every file factory. */
export const FILE_CHECKS: Record<string, Check> = {
  ...NAME_CHECKS,
  mode: (fn, _key, value) => void parseMode(fn, value),
  buffering: integer(-1),
  encoding,
  errors: oneOf(["strict", "replace"]),
  newline: oneOf(NEWLINES),
};

const NAMED_CHECKS: Record<string, Check> = { ...FILE_CHECKS, delete: boolean, deleteOnClose: boolean };

/** A checked file request: everything needed before and after the descriptor exists. */
export interface FilePlan {
  names: Names;
  mode: string;
  parsed: Mode;
  bufferSize: number;
  text: { codec: Codec; errors: ErrorHandler; newline: Newline; lineBuffering: boolean } | undefined;
}

/** Checks `options` and applies Python's defaults and rules. */
export function planFile(
  fn: string,
  options: TemporaryFileOptions | undefined,
  checks = FILE_CHECKS,
): FilePlan {
  const o = checkOptions(fn, options, checks);
  const mode = o.mode ?? "w+b";
  const parsed = parseMode(fn, mode);
  const buffering = o.buffering ?? -1;
  if (parsed.binary) {
    for (const key of ["encoding", "errors", "newline"] as const) {
      if (o[key] != null) throw new RangeError(`${fn}: binary mode doesn't take option "${key}"`);
    }
  } else if (buffering === 0) {
    throw new RangeError(`${fn}: option "buffering" can't be 0 in text mode (no unbuffered text I/O)`);
  }
  const bufferSize = buffering === -1 || buffering === 1 ? DEFAULT_BUFFER_SIZE : buffering;
  const text = parsed.binary ? undefined : {
    codec: lookupCodec(o.encoding ?? "utf-8")!,
    errors: o.errors ?? "strict",
    newline: o.newline,
    lineBuffering: buffering === 1,
  };
  return { names: resolveNames(o), mode, parsed, bufferSize, text };
}

/** O_APPEND for an append mode; the descriptor is read-write whatever the mode, as Python's. */
function appendFlag(plan: FilePlan): number {
  return plan.parsed.append ? backend().flags.O_APPEND : 0;
}

/** The constructor argument of a file object over `fd`. */
export function fileInit(
  fd: number,
  plan: FilePlan,
  path: string | undefined,
  lifecycle: { delete: boolean; deleteOnClose: boolean },
): FileInit {
  const io = new BufferedIO(plan.bufferSize, plan.parsed.append);
  return {
    fd,
    io,
    text: textLayer(plan, io),
    mode: plan.mode,
    parsed: plan.parsed,
    path,
    name: path ?? fd,
    ...lifecycle,
  };
}

/** The text layer over `io` for a text-mode plan; `undefined` in binary mode. */
export function textLayer(plan: FilePlan, io: ByteIO): TextIO | undefined {
  const t = plan.text;
  if (t === undefined) return undefined;
  const platformNewline = backend().platform === "win32" ? "\r\n" : "\n";
  return new TextIO(io, t.codec, t.errors, t.newline, t.lineBuffering, platformNewline);
}

/** A file without a name has nothing to delete. */
const ANONYMOUS = { delete: false, deleteOnClose: false };

// Whether this kernel and platform take O_TMPFILE; learnt on first refusal.
let anonymousWorks = true;
const UNSUPPORTED = new Set(["EISDIR", "EOPNOTSUPP", "EINVAL", "ENOTSUP"]);

/** An O_TMPFILE descriptor, or `undefined` where the kernel or file system refuses. */
function tryAnonymousSync(plan: FilePlan): number | undefined {
  const b = backend();
  if (!anonymousWorks || b.flags.O_TMPFILE === undefined) return undefined;
  try {
    return b.openSync(plan.names.dir, b.flags.O_TMPFILE | b.flags.O_RDWR | appendFlag(plan), 0o600);
  } catch (err) {
    if (UNSUPPORTED.has(errorCode(err) ?? "")) anonymousWorks = false;
    return undefined; // the fallback reports the real error, with a path
  }
}

async function tryAnonymous(plan: FilePlan): Promise<number | undefined> {
  const b = backend();
  if (!anonymousWorks || b.flags.O_TMPFILE === undefined) return undefined;
  try {
    return await b.open(plan.names.dir, b.flags.O_TMPFILE | b.flags.O_RDWR | appendFlag(plan), 0o600);
  } catch (err) {
    if (UNSUPPORTED.has(errorCode(err) ?? "")) anonymousWorks = false;
    return undefined;
  }
}

/** A descriptor with no name: O_TMPFILE, else create-then-unlink, as Python. */
export function openAnonymousSync(plan: FilePlan): number {
  const fd = tryAnonymousSync(plan);
  if (fd !== undefined) return fd;
  const flags = exclusiveFlags() | appendFlag(plan);
  const b = backend();
  return createUniqueSync(plan.names, (path) => {
    const fd = b.openSync(path, flags, 0o600);
    try {
      b.unlinkSync(path);
    } catch (err) {
      b.closeSync(fd);
      throw err;
    }
    return fd;
  });
}

/** The async twin of {@linkcode openAnonymousSync}. */
export async function openAnonymous(plan: FilePlan): Promise<number> {
  const fd = await tryAnonymous(plan);
  if (fd !== undefined) return fd;
  const flags = exclusiveFlags() | appendFlag(plan);
  const b = backend();
  return await createUnique(plan.names, async (path) => {
    const fd = await b.open(path, flags, 0o600);
    // Named until unlinked: should the process end in between, the registry removes it.
    const window: Resource = { fd, path };
    settle(window);
    try {
      await b.unlink(path);
    } catch (err) {
      await b.close(fd);
      throw err;
    } finally {
      window.fd = window.path = undefined;
      settle(window);
    }
    return fd;
  });
}

function openNamedSync(plan: FilePlan): [number, string] {
  const flags = exclusiveFlags() | appendFlag(plan);
  return createUniqueSync(plan.names, (path) => [backend().openSync(path, flags, 0o600), path]);
}

async function openNamed(plan: FilePlan): Promise<[number, string]> {
  const flags = exclusiveFlags() | appendFlag(plan);
  return await createUnique(plan.names, async (path) => [await backend().open(path, flags, 0o600), path]);
}

/**
 * Creates a temporary file that is never visible in the file system: on Linux
 * it is opened with O_TMPFILE, elsewhere created and unlinked at once, as
 * Python does. `name` is its descriptor.
 *
 * @param options `mode` (default `"w+b"`), `buffering`, `encoding`, `errors`, `newline`, `prefix`, `suffix`, `dir`.
 * @returns The open file.
 * @example
 * ```ts
 * import { TemporaryFileSync } from "@x/tempfile";
 * using f = TemporaryFileSync({ mode: "w+" });
 * f.writeSync("scratch data\n");
 * f.seekSync(0);
 * console.log(f.readSync()); // "scratch data\n"
 * ```
 */
export function TemporaryFileSync<M extends string = "w+b">(
  options?: TemporaryFileOptions<M>,
): TempFile<DataOf<NoInfer<M>>> {
  const plan = planFile("TemporaryFile", options);
  return new TempFile(fileInit(openAnonymousSync(plan), plan, undefined, ANONYMOUS));
}

/**
 * The async twin of {@linkcode TemporaryFileSync}.
 *
 * @param options `mode` (default `"w+b"`), `buffering`, `encoding`, `errors`, `newline`, `prefix`, `suffix`, `dir`.
 * @returns The open file.
 * @example
 * ```ts
 * import { TemporaryFile } from "@x/tempfile";
 * await using f = await TemporaryFile();
 * await f.write(new Uint8Array([1, 2, 3]));
 * await f.seek(0);
 * console.log(await f.read()); // Uint8Array [1, 2, 3]
 * ```
 */
export async function TemporaryFile<M extends string = "w+b">(
  options?: TemporaryFileOptions<M>,
): Promise<TempFile<DataOf<NoInfer<M>>>> {
  const plan = planFile("TemporaryFile", options);
  return new TempFile(fileInit(await openAnonymous(plan), plan, undefined, ANONYMOUS));
}

/**
 * A temporary file with a name in the file system, which other processes can
 * open. Removal follows Python 3.12: `close()` removes it when `delete` and
 * `deleteOnClose` are both set; disposal removes it whenever `delete` is set.
 */
export class NamedTempFile<T extends FileData = Uint8Array> extends TempFile<T> {
  /** The absolute path. */
  override get name(): string {
    return super.name as string;
  }

  /**
   * The atomic-write pattern: flushes, fsyncs and renames the file onto
   * `dest`, then stops deleting it; the file stays open under its new name.
   * With `overwrite: false` an existing `dest` is never replaced (EEXIST).
   * Across file systems it fails with EXDEV and leaves the temp file intact.
   *
   * @param dest The final path (relative to the current directory, or a `file:` URL).
   * @param options `overwrite` (default `true`).
   * @example
   * ```ts
   * import { NamedTemporaryFileSync } from "@x/tempfile";
   * const f = NamedTemporaryFileSync({ mode: "w", dir: "." });
   * f.writeSync('{"ok": true}');
   * f.persistSync("config.json");
   * f.closeSync();
   * ```
   */
  persistSync(dest: string | URL, options?: PersistOptions): void {
    this._persistSync(...persistArgs(dest, options));
  }

  /**
   * The async twin of {@linkcode NamedTempFile.persistSync}.
   *
   * @param dest The final path.
   * @param options `overwrite` (default `true`).
   * @example
   * ```ts
   * import { NamedTemporaryFile } from "@x/tempfile";
   * await using f = await NamedTemporaryFile({ mode: "w", dir: "." });
   * await f.write("complete contents");
   * await f.persist("output.txt", { overwrite: false });
   * ```
   */
  persist(dest: string | URL, options?: PersistOptions): Promise<void> {
    return this._persist(...persistArgs(dest, options));
  }
}

function persistArgs(dest: string | URL, options: PersistOptions | undefined): [string, boolean] {
  NAME_CHECKS.dir("persist", "dest", dest);
  const o = checkOptions("persist", options, { overwrite: boolean });
  const b = backend();
  return [b.resolve(dest instanceof URL ? b.fromFileUrl(dest) : dest), o.overwrite ?? true];
}

function lifecycleOf(o: NamedTemporaryFileOptions | undefined) {
  const del = o?.delete ?? true;
  return { delete: del, deleteOnClose: del && (o?.deleteOnClose ?? true) };
}

/**
 * Creates a temporary file with a unique name, exclusively and with mode
 * 0o600. `name` is its absolute path.
 *
 * @param options Every {@linkcode TemporaryFile} option, plus `delete` and `deleteOnClose` (both default `true`).
 * @returns The open file.
 * @example
 * ```ts
 * import { NamedTemporaryFileSync } from "@x/tempfile";
 * using f = NamedTemporaryFileSync({ suffix: ".txt", mode: "w" });
 * f.writeSync("hello");
 * f.flushSync();
 * console.log(f.name); // "/tmp/tmpXXXXXXXX.txt": readable by other processes
 * ```
 */
export function NamedTemporaryFileSync<M extends string = "w+b">(
  options?: NamedTemporaryFileOptions<M>,
): NamedTempFile<DataOf<NoInfer<M>>> {
  const plan = planFile("NamedTemporaryFile", options, NAMED_CHECKS);
  const [fd, path] = openNamedSync(plan);
  return new NamedTempFile(fileInit(fd, plan, path, lifecycleOf(options)));
}

/**
 * The async twin of {@linkcode NamedTemporaryFileSync}.
 *
 * @param options Every {@linkcode TemporaryFile} option, plus `delete` and `deleteOnClose`.
 * @returns The open file.
 * @example
 * ```ts
 * import { NamedTemporaryFile } from "@x/tempfile";
 * await using f = await NamedTemporaryFile({ mode: "w+" });
 * await f.write("line 1\nline 2\n");
 * await f.seek(0);
 * for await (const line of f) console.log(line);
 * ```
 */
export async function NamedTemporaryFile<M extends string = "w+b">(
  options?: NamedTemporaryFileOptions<M>,
): Promise<NamedTempFile<DataOf<NoInfer<M>>>> {
  const plan = planFile("NamedTemporaryFile", options, NAMED_CHECKS);
  const [fd, path] = await openNamed(plan);
  return new NamedTempFile(fileInit(fd, plan, path, lifecycleOf(options)));
}

/**
 * Runs `fn` with a new NamedTemporaryFile and disposes of the file afterwards,
 * whether `fn` returns or throws: `await using` for plain JavaScript on Node 20/22.
 *
 * @param fn Receives the open file.
 * @param options As for {@linkcode NamedTemporaryFile}.
 * @returns What `fn` returns.
 * @example
 * ```ts
 * import { withNamedTemporaryFile } from "@x/tempfile";
 * const size = await withNamedTemporaryFile(async (f) => {
 *   await f.write(new Uint8Array(10));
 *   return await f.tell();
 * });
 * console.log(size); // 10
 * ```
 */
export async function withNamedTemporaryFile<R, M extends string = "w+b">(
  fn: (file: NamedTempFile<DataOf<M>>) => R | Promise<R>,
  options?: NamedTemporaryFileOptions<M>,
): Promise<R> {
  const file = await NamedTemporaryFile(options);
  try {
    return await fn(file);
  } finally {
    await file[Symbol.asyncDispose]();
  }
}
