/**
 * `TemporaryFile`: an anonymous temporary file, and what every file factory
 * shares: the file options, their checks and defaults (the plan), and the
 * anonymous descriptor that TemporaryFile and a spooled rollover use.
 * @module
 */
import { backend } from "./backend.ts";
import { BufferedIO, type ByteIO, DEFAULT_BUFFER_SIZE } from "./_byte_io.ts";
import { type Codec, ERROR_HANDLERS, type ErrorHandler, lookupCodec } from "./codecs.ts";
import { errorCode } from "./errors.ts";
import { type Check, checkOptions, integer, oneOf, type OptionReader, string } from "./_options.ts";
import { NAME_CHECKS, type NameOptions, type Names, resolveNames } from "./_names.ts";
import { type DataOfMode, diskMode, type Mode, type ModeOption, parseMode } from "./open_mode.ts";
import { platform } from "./_platform.ts";
import { debugLog } from "./diagnostics.ts";
import { createUnique, createUniqueSync, openExclusive } from "./_create_unique.ts";
import { call, type Gen, type RequestOf, run, runStepSync, stepGen } from "./_requests.ts";
import { retried } from "./_retried.ts";
import { claim } from "./_cleanup_registry.ts";
import { type FileData, TempFile } from "./temp_file.ts";
import { disposedAfter } from "./_disposed_after.ts";
import type { FileState } from "./_file_ops.ts";
import { type Newline, NEWLINES, TextIO } from "./text_io.ts";

/** Options of {@linkcode TemporaryFile}: Python's parameters in camelCase. */
export interface TemporaryFileOptions<M extends string = ModeOption> extends NameOptions {
  /** Python's mode grammar; default `"w+b"`. With `b` the file is binary, else text. */
  mode?: M;
  /** -1: an 8 KiB buffer (default); 0: unbuffered (binary only); 1: line-buffered (text only); n: n bytes (at most 1 GiB). */
  buffering?: number;
  /**
   * Text mode: a Python encoding name or alias: `"utf-8"` (default), `"utf-8-sig"`, `"utf-16"`,
   * `"utf-16-le"`, `"utf-16-be"`, `"utf-32"` (and `-le`, `-be`), `"ascii"`, `"latin-1"`, `"cp1252"`.
   */
  encoding?: string;
  /**
   * Text mode: `"strict"` (default), `"ignore"`, `"replace"`, `"backslashreplace"`,
   * `"surrogateescape"` or `"xmlcharrefreplace"` (writing only).
   */
  errors?: ErrorHandler;
  /**
   * Text mode: Python's newline argument; `undefined` means universal newlines, and `"\n"` is written as the
   * platform's line end (`"\r\n"` on Windows), as in Python. `"\n"` or `""` writes it unchanged.
   */
  newline?: Newline;
}

/** The object {@linkcode TemporaryFile} returns. */
export type TemporaryFile<T extends FileData = Uint8Array> = TempFile<T>;

const encoding: Check = (fn, key, value) => {
  string(fn, key, value);
  if (!lookupCodec(value)) {
    throw new RangeError(`${fn}: option "${key}" is an unknown encoding: ${JSON.stringify(value)}`);
  }
};

/** The largest `buffering`: 1 GiB. */
const MAX_BUFFERING = 2 ** 30;

/** Checks shared by every file factory. */
export const FILE_CHECKS: Record<string, Check> = {
  ...NAME_CHECKS,
  mode: (fn, _key, value) => void parseMode(fn, value),
  // The buffer is allocated at the first write: a size no machine can give
  // would fail there, after the file exists. 1 GiB is far past any useful one.
  buffering: integer(-1, MAX_BUFFERING),
  encoding,
  errors: oneOf(ERROR_HANDLERS),
  newline: oneOf(NEWLINES),
};

/** Reads {@linkcode FILE_CHECKS}' options, in its order. */
export const readFileOptions: OptionReader<TemporaryFileOptions> = (o) => ({
  prefix: o.prefix,
  suffix: o.suffix,
  dir: o.dir,
  mode: o.mode,
  buffering: o.buffering,
  encoding: o.encoding,
  errors: o.errors,
  newline: o.newline,
});

/**
 * A checked file request: everything needed before and after the descriptor
 * exists, but its directory and names (`resolveNames`), which a spooled file
 * looks up only at its rollover, as Python's.
 */
export interface FilePlan {
  mode: string;
  /** The mode the file object reports once on disk, as Python's. */
  diskMode: string;
  parsed: Mode;
  bufferSize: number;
  text: {
    codec: Codec;
    encoding: string;
    errors: ErrorHandler;
    newline: Newline;
    lineBuffering: boolean;
  } | undefined;
}

/** The plan of a file with none of the five options given: shared by all of them. */
let defaultPlan: FilePlan | undefined;

/** Applies Python's defaults and rules to a checked snapshot of file options. */
export function planFile(fn: string, o: TemporaryFileOptions): FilePlan {
  if (
    o.mode === undefined && o.buffering === undefined && o.encoding === undefined &&
    o.errors === undefined && o.newline === undefined
  ) {
    return defaultPlan ??= makePlan(fn, o);
  }
  return makePlan(fn, o);
}

function makePlan(fn: string, o: TemporaryFileOptions): FilePlan {
  const mode = o.mode ?? "w+b";
  const parsed = parseMode(fn, mode);
  const buffering = o.buffering ?? -1;
  if (parsed.binary) {
    const key = o.encoding != null
      ? "encoding"
      : o.errors != null
      ? "errors"
      : o.newline != null
      ? "newline"
      : "";
    if (key !== "") throw new RangeError(`${fn}: binary mode doesn't take option "${key}"`);
  } else if (buffering === 0) {
    throw new RangeError(`${fn}: option "buffering" can't be 0 in text mode (no unbuffered text I/O)`);
  }
  const bufferSize = buffering === -1 || buffering === 1 ? DEFAULT_BUFFER_SIZE : buffering;
  const text = parsed.binary ? undefined : {
    codec: lookupCodec(o.encoding ?? "utf-8")!,
    encoding: o.encoding ?? "utf-8",
    errors: o.errors ?? "strict",
    newline: o.newline,
    lineBuffering: buffering === 1,
  };
  return { mode, diskMode: diskMode(mode), parsed, bufferSize, text };
}

/** The layers of a file: `io`, with a text layer over it in text mode. */
export function fileState(plan: FilePlan, io: ByteIO): FileState {
  const t = plan.text;
  const text = t &&
    new TextIO(io, t.codec, t.errors, t.newline, t.lineBuffering, platform().newline, t.encoding);
  return { io, text, parsed: plan.parsed };
}

/** A buffered byte layer over a new descriptor. */
export function bufferedIO(plan: FilePlan, fd: number): BufferedIO {
  return new BufferedIO(fd, plan.bufferSize, plan.parsed.append);
}

/**
 * O_APPEND for an append mode where the platform appends that way (else the
 * byte layer places the writes); the descriptor is read-write whatever the
 * mode, as Python's.
 */
export function appendFlag(plan: FilePlan): number {
  return plan.parsed.append && platform().appendByKernel ? backend().flags.O_APPEND : 0;
}

// Where O_TMPFILE is refused. EISDIR means the kernel does not know it, so no
// directory will take it (CPython decides the same); EOPNOTSUPP and EINVAL
// come from one file system (NFS, CIFS, vfat, some FUSE), so only that
// directory falls back, and tmpfs next to it keeps anonymous files.
let kernelLacksTmpfile = false;
const refusingDirs = new Set<string>();
const FS_REFUSES = new Set(["EOPNOTSUPP", "EINVAL", "ENOTSUP"]);

function tmpfileRefused(dir: string, code: string | undefined): void {
  if (code === "EISDIR") kernelLacksTmpfile = true;
  else if (FS_REFUSES.has(code ?? "")) {
    if (refusingDirs.size >= 256) refusingDirs.clear(); // bounded: one failed open per new directory after
    refusingDirs.add(dir);
  }
}

/** The O_TMPFILE open of an anonymous file in `names.dir`, unless that is known to fail there. */
function tmpfileRequest(plan: FilePlan, names: Names): RequestOf<"open"> | undefined {
  const flags = backend().flags;
  if (kernelLacksTmpfile || flags.O_TMPFILE === undefined || refusingDirs.has(names.dir)) return undefined;
  return {
    op: "open",
    path: names.dir,
    flags: flags.O_TMPFILE | flags.O_RDWR | appendFlag(plan),
    mode: 0o600,
  };
}

function tmpfileMade(names: Names): void {
  names.unproven?.(true);
  debugLog("created", "an anonymous file (O_TMPFILE) in ", names.dir);
}

/**
 * The create-then-unlink fallback: a candidate's creator. The O_TMPFILE
 * failure is not reported: the fallback reports the real error, with a path.
 */
const unlinkedIn = (plan: FilePlan) => (path: string) => openUnlinked(path, appendFlag(plan));

/** A descriptor with no name in `names.dir`: O_TMPFILE, else create-then-unlink, as Python. */
export function* openAnonymous(plan: FilePlan, names: Names): Gen<number> {
  const open = tmpfileRequest(plan, names);
  if (open !== undefined) {
    try {
      const fd = (yield open) as number;
      tmpfileMade(names);
      return fd;
    } catch (err) {
      tmpfileRefused(names.dir, errorCode(err));
    }
  }
  return (yield* createUnique(names, unlinkedIn(plan)))[0];
}

/** {@linkcode openAnonymous}, synchronously: the O_TMPFILE open is carried out directly. */
export function openAnonymousSync(plan: FilePlan, names: Names): number {
  const open = tmpfileRequest(plan, names);
  if (open !== undefined) {
    try {
      const fd = runStepSync<number>(open);
      tmpfileMade(names);
      return fd;
    } catch (err) {
      tmpfileRefused(names.dir, errorCode(err));
    }
  }
  return createUniqueSync(names, unlinkedIn(plan))[0];
}

/**
 * Creates `path`, then unlinks it at once, keeping the descriptor (the path is
 * claimed until then). Where the runtime can, the file is also opened
 * delete-on-close (Windows under Node and Bun: `UV_FS_O_TEMPORARY`), so a name
 * that another process keeps from being unlinked, or that stays "delete
 * pending", still goes when the descriptor closes, even if the process dies.
 */
function* openUnlinked(path: string, extra: number): Gen<number> {
  const deleteOnClose = backend().flags.O_TEMPORARY;
  const fd = yield* openExclusive(path, 0o600, extra | deleteOnClose);
  try {
    const unlink = { op: "unlink", path } as const;
    yield* deleteOnClose !== 0 ? call(unlink) : stepGen(retried(unlink));
  } catch (err) {
    if (deleteOnClose !== 0) return fd; // the close removes it
    yield* call({ op: "close", fd });
    try {
      yield* call({ op: "unlink", path });
    } catch {
      claim(path); // still held elsewhere: removed at exit, never forgotten
    }
    throw err;
  }
  return fd;
}

/** The checked plan of an anonymous file, and the names for its fallback. */
function anonymousPlan(options: TemporaryFileOptions | undefined): [FilePlan, Names] {
  const o = checkOptions("TemporaryFile", options, FILE_CHECKS, readFileOptions);
  return [planFile("TemporaryFile", o), resolveNames(o)];
}

function anonymousFile(plan: FilePlan, fd: number): TempFile<FileData> {
  return new TempFile(fileState(plan, bufferedIO(plan, fd)), plan.diskMode);
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
): TempFile<DataOfMode<M>> {
  const [plan, names] = anonymousPlan(options);
  return anonymousFile(plan, openAnonymousSync(plan, names)) as TempFile<DataOfMode<M>>;
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
): Promise<TempFile<DataOfMode<M>>> {
  const [plan, names] = anonymousPlan(options);
  return anonymousFile(plan, await run(openAnonymous(plan, names))) as TempFile<DataOfMode<M>>;
}

/**
 * Runs `fn` with a new TemporaryFile and closes it afterwards, whether `fn`
 * returns or throws: `await using` for plain JavaScript on Node 20/22.
 *
 * @param fn Receives the open file.
 * @param options As for {@linkcode TemporaryFile}.
 * @returns What `fn` returns.
 * @example
 * ```ts
 * import { withTemporaryFile } from "@x/tempfile";
 * const text = await withTemporaryFile(async (f) => {
 *   await f.write("scratch");
 *   await f.seek(0);
 *   return await f.read();
 * }, { mode: "w+" });
 * console.log(text); // "scratch"
 * ```
 */
export function withTemporaryFile<R, M extends string = "w+b">(
  fn: (file: TempFile<DataOfMode<M>>) => R | Promise<R>,
  options?: TemporaryFileOptions<M>,
): Promise<R> {
  return disposedAfter(TemporaryFile(options), fn);
}
