/**
 * `SpooledTemporaryFile`: a file kept in memory until it outgrows `maxSize`,
 * then moved to an anonymous file on disk by its {@linkcode SpooledIO} layer.
 * @module
 */
import { checkOptions, integer } from "./_options.ts";
import type { DataOfMode, ModeOption } from "./open_mode.ts";
import { SpooledIO } from "./_spooled_io.ts";
import { resolveNames } from "./_names.ts";
import { type FileData, queuedOn, syncOn, TempFile } from "./temp_file.ts";
import { disposedAfter } from "./_disposed_after.ts";
import {
  FILE_CHECKS,
  fileState,
  openAnonymous,
  planFile,
  type TemporaryFileOptions,
} from "./temporary_file.ts";

/** Options of {@linkcode SpooledTemporaryFile}. */
export interface SpooledTemporaryFileOptions<M extends string = ModeOption> extends TemporaryFileOptions<M> {
  /** Bytes kept in memory; a write that leaves the position beyond it moves the file to disk. 0 (default): never. */
  maxSize?: number;
}

const CHECKS = /* @__PURE__ */ Object.assign({}, FILE_CHECKS, { maxSize: /* @__PURE__ */ integer(0) });

/**
 * A file in memory until a write leaves its position past `maxSize`; then it
 * rolls over to an anonymous file on disk, keeping position, content, encoding
 * and newline state. Iterators and streams taken before keep working.
 */
export class SpooledTempFile<T extends FileData = Uint8Array> extends TempFile<T> {
  #io: SpooledIO;
  #diskMode: string;

  /**
   * Made by {@linkcode SpooledTemporaryFile}. Internal: its parameters are not public API.
   * @ignore
   */
  constructor(options: SpooledTemporaryFileOptions | undefined) {
    const o = checkOptions("SpooledTemporaryFile", options, CHECKS);
    const plan = planFile("SpooledTemporaryFile", o);
    // The default directory is looked up at the rollover, as Python's: a file that stays in memory never reads
    // the environment. A `dir` given is made absolute now, so that a bad one fails here, not in a later write.
    const names = o.dir === undefined ? undefined : resolveNames(o);
    const spill = { open: () => openAnonymous(plan, names ?? resolveNames(o)), bufferSize: plan.bufferSize };
    const io = new SpooledIO(plan.parsed.append, o.maxSize ?? 0, spill);
    const state = fileState(plan, io);
    super(state, plan.mode);
    this.#io = io;
    this.#diskMode = plan.diskMode;
    io.onRollover = (position) => state.text?.restarted(position);
  }

  /** The mode given at creation (`"w+b"`) while in memory; once on disk, the disk file's (`"rb+"`), as Python's. */
  override get mode(): string {
    return this.#io.rolled ? this.#diskMode : super.mode;
  }

  /** Whether the data has moved to a file on disk. */
  get rolled(): boolean {
    return this.#io.rolled;
  }

  /** Moves the data to a file on disk now. A second call does nothing. */
  rolloverSync(): void {
    syncOn(this, () => this.#io.rollover());
  }

  /** The async twin of {@linkcode SpooledTempFile.rolloverSync}. */
  rollover(): Promise<void> {
    return queuedOn(this, () => this.#io.rollover());
  }
}

/** The object {@linkcode SpooledTemporaryFile} returns. */
export type SpooledTemporaryFile<T extends FileData = Uint8Array> = SpooledTempFile<T>;

/**
 * Creates a file that lives in memory until it grows past `maxSize` bytes,
 * then moves to an anonymous temporary file. `name` is `undefined` until then.
 *
 * @param options Every {@linkcode TemporaryFile} option, plus `maxSize` (default 0: never roll over by itself).
 * @returns The file.
 * @example
 * ```ts
 * import { SpooledTemporaryFileSync } from "@x/tempfile";
 * using f = SpooledTemporaryFileSync({ maxSize: 1024, mode: "w+" });
 * f.writeSync("small: stays in memory");
 * console.log(f.rolled); // false
 * f.writeSync("x".repeat(2000));
 * console.log(f.rolled); // true
 * ```
 */
export function SpooledTemporaryFileSync<M extends string = "w+b">(
  options?: SpooledTemporaryFileOptions<M>,
): SpooledTempFile<DataOfMode<M>> {
  return new SpooledTempFile(options);
}

/**
 * The async twin of {@linkcode SpooledTemporaryFileSync}. Creation does no I/O;
 * the Promise is for symmetry with the other factories.
 *
 * @param options Every {@linkcode TemporaryFile} option, plus `maxSize`.
 * @returns The file.
 * @example
 * ```ts
 * import { SpooledTemporaryFile } from "@x/tempfile";
 * await using f = await SpooledTemporaryFile({ maxSize: 4096 });
 * await f.write(new Uint8Array(100));
 * await f.seek(0);
 * console.log((await f.read()).length); // 100
 * ```
 */
export function SpooledTemporaryFile<M extends string = "w+b">(
  options?: SpooledTemporaryFileOptions<M>,
): Promise<SpooledTempFile<DataOfMode<M>>> {
  try {
    return Promise.resolve(SpooledTemporaryFileSync(options));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Runs `fn` with a new SpooledTemporaryFile and closes it afterwards, whether
 * `fn` returns or throws: `await using` for plain JavaScript on Node 20/22.
 *
 * @param fn Receives the file.
 * @param options As for {@linkcode SpooledTemporaryFile}.
 * @returns What `fn` returns.
 * @example
 * ```ts
 * import { withSpooledTemporaryFile } from "@x/tempfile";
 * const rolled = await withSpooledTemporaryFile(async (f) => {
 *   await f.write(new Uint8Array(100));
 *   return f.rolled;
 * }, { maxSize: 10 });
 * console.log(rolled); // true
 * ```
 */
export function withSpooledTemporaryFile<R, M extends string = "w+b">(
  fn: (file: SpooledTempFile<DataOfMode<M>>) => R | Promise<R>,
  options?: SpooledTemporaryFileOptions<M>,
): Promise<R> {
  return disposedAfter(SpooledTemporaryFile(options), fn);
}
