/**
 * `SpooledTemporaryFile`: a file kept in memory until it outgrows `maxSize`,
 * then moved to a real, anonymous TemporaryFile.
 * @module
 */
import { backend } from "./backend.ts";
import { MemoryIO } from "./byte_io.ts";
import type { DataOf } from "./mode.ts";
import { checkOptions, integer } from "./options.ts";
import { type FileData, TempFile } from "./temp_file.ts";
import {
  FILE_CHECKS,
  type FilePlan,
  openAnonymous,
  openAnonymousSync,
  planFile,
  type TemporaryFileOptions,
  textLayer,
} from "./temporary_file.ts";

/** Options of {@linkcode SpooledTemporaryFile}. */
export interface SpooledTemporaryFileOptions<M extends string = string> extends TemporaryFileOptions<M> {
  /** Bytes kept in memory; a write that leaves the position beyond it moves the file to disk. 0 (default): never. */
  maxSize?: number;
}

const CHECKS = { ...FILE_CHECKS, maxSize: integer(0) };

/**
 * A file in memory until a write leaves its position past `maxSize`; then it
 * rolls over to an anonymous file on disk, keeping position, content, encoding
 * and newline state. Iterators and streams taken before keep working.
 */
export class SpooledTempFile<T extends FileData = Uint8Array> extends TempFile<T> {
  #plan: FilePlan;
  #rolled = false;

  /** Made by {@linkcode SpooledTemporaryFile}. */
  constructor(plan: FilePlan, maxSize: number) {
    const io = new MemoryIO(plan.parsed.append);
    super({
      fd: -1,
      io,
      text: textLayer(plan, io),
      mode: plan.mode,
      parsed: plan.parsed,
      path: undefined,
      name: undefined,
      delete: false,
      deleteOnClose: false,
    });
    this.#plan = plan;
    this._maxSize = maxSize;
  }

  /** Whether the data has moved to a file on disk. */
  get rolled(): boolean {
    return this.#rolled;
  }

  /** Moves the data to a file on disk now. A second call does nothing. */
  rolloverSync(): void {
    this._checkSync();
    if (this.#rolled) return;
    const fd = openAnonymousSync(this.#plan);
    try {
      this._adoptSync(fd, this.#plan.bufferSize);
    } catch (err) {
      backend().closeSync(fd);
      throw err;
    }
    this.#rolled = true;
  }

  /** The async twin of {@linkcode SpooledTempFile.rolloverSync}. */
  rollover(): Promise<void> {
    return this._queue(() => this._rollover());
  }

  /** The rollover a write past `maxSize` triggers. */
  protected override _rolloverSync(): void {
    this.rolloverSync();
  }

  /** The rollover an async write past `maxSize` triggers, inside that write's turn. */
  protected override async _rollover(): Promise<void> {
    if (this.closed) return this.rolloverSync(); // throws the closed-file error
    if (this.#rolled) return;
    const fd = await openAnonymous(this.#plan);
    try {
      await this._adopt(fd, this.#plan.bufferSize);
    } catch (err) {
      await backend().close(fd);
      throw err;
    }
    this.#rolled = true;
  }

  /** Rolls over to disk, as Python does, and returns the descriptor. */
  override fileno(): number {
    this.rolloverSync();
    return super.fileno();
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
): SpooledTempFile<DataOf<NoInfer<M>>> {
  const { maxSize, ...rest } = checkOptions("SpooledTemporaryFile", options, CHECKS);
  return new SpooledTempFile(planFile("SpooledTemporaryFile", rest, CHECKS), maxSize ?? 0);
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
): Promise<SpooledTempFile<DataOf<NoInfer<M>>>> {
  try {
    return Promise.resolve(SpooledTemporaryFileSync(options));
  } catch (err) {
    return Promise.reject(err);
  }
}
