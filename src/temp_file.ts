/**
 * `TempFile`: the file object every file factory returns. Python's file API
 * in sync and async forms over a byte layer (and a text layer in text mode),
 * with unawaited async calls taking effect in call order. It knows nothing of
 * names or deletion: a named file's {@linkcode TempPath} decides those.
 * @module
 */
import { CallQueue } from "./_call_queue.ts";
import { ExitFlush } from "./_exit_drain.ts";
import { watch } from "./_cleanup_registry.ts";
import { origin } from "./diagnostics.ts";
import { showsItself } from "./_inspect.ts";
import { readableOf, writableOf } from "./_web_streams.ts";
import { ClosedFileError } from "./errors.ts";
import * as ops from "./_file_ops.ts";
import type { FileData, FileState } from "./_file_ops.ts";
import { type Gen, NOTHING, runSync } from "./_requests.ts";
import type { TempPath } from "./_temp_path.ts";

export type { FileData } from "./_file_ops.ts";

type Op<R> = (f: FileState) => Gen<R>;
let internals: {
  sync<R>(file: TempFile<FileData>, op: Op<R>): R;
  queued<R>(file: TempFile<FileData>, op: Op<R>): Promise<R>;
};

/** Runs `op` on `file`'s layers now, as its ...Sync methods do: for the named and spooled files. */
export function syncOn<R>(file: TempFile<FileData>, op: Op<R>): R {
  return internals.sync(file, op);
}

/** Runs `op` on `file`'s layers in its call queue, as its async methods do. */
export function queuedOn<R>(file: TempFile<FileData>, op: Op<R>): Promise<R> {
  return internals.queued(file, op);
}

/**
 * A temporary file. Each method has an async form, whose calls take effect in
 * the order they were made, and a `...Sync` form.
 *
 * @typeParam T `Uint8Array` for binary modes (with `b`), `string` for text modes.
 */
export class TempFile<T extends FileData = Uint8Array> implements Disposable, AsyncDisposable {
  #state: FileState;
  #mode: string;
  #path: TempPath | undefined;
  #closed = false;
  /** Made on the first async call: sync-only use allocates no queue. */
  #calls: CallQueue | undefined;
  /** What runs #calls and flushes at exit, for a named file. */
  #exit: ExitFlush | undefined;

  static {
    internals = {
      sync: (file, op) => file.#sync(() => op(file.#state)),
      queued: (file, op) => file.#async(() => op(file.#state)),
    };
    // console.log, util.inspect and Deno.inspect: the class, name, mode and state.
    showsItself(TempFile.prototype, (f) => {
      const fields: [string, unknown][] = [["name", f.name], ["mode", f.mode], ["closed", f.#closed]];
      if ("rolled" in f) fields.push(["rolled", f.rolled]);
      if (f.#path !== undefined) fields.push(["kept", f.#path.kept]);
      return fields;
    });
  }

  /**
   * Made by the factories; use {@linkcode TemporaryFile} and friends. Internal: its parameters are not public API.
   * @ignore
   */
  constructor(state: FileState, mode: string, path?: TempPath) {
    this.#state = state;
    this.#mode = mode;
    this.#path = path;
    // Dropped while open, the file's descriptor is closed (and its path removed).
    const res = state.io.resource;
    if (res) {
      res.origin = origin(new.target.name, path?.path ?? res.fd);
      // A named file may outlive the process: at exit its queued calls run, then its buffer is written.
      if (path !== undefined && res.flusher !== undefined) {
        this.#exit = res.flusher = new ExitFlush(res.flusher, path);
      }
      watch(this, res);
    }
  }

  /**
   * The path for named files, the descriptor for anonymous ones, `undefined`
   * while spooled in memory. Writes are buffered, as in Python: flush before
   * another process reads the file by its name.
   */
  get name(): string | number | undefined {
    return this.#path?.path ?? this.#state.io.fd;
  }

  /** The mode, as Python's file object reports it: `"rb+"` for a binary `"w+b"` file, the mode given in text mode. */
  get mode(): string {
    return this.#mode;
  }

  /** Whether the file is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The text encoding, named as given (`"utf-8"` by default); `undefined` in binary mode. */
  get encoding(): string | undefined {
    return this.#state.text?.encoding;
  }

  #queue(): CallQueue {
    if (this.#calls !== undefined) return this.#calls;
    this.#calls = new CallQueue();
    if (this.#exit !== undefined) this.#exit.queue = new WeakRef(this.#calls);
    return this.#calls;
  }

  #checkOpen(): void {
    if (this.#closed) throw new ClosedFileError();
  }

  #checkIdle(): void {
    if (this.#calls !== undefined && !this.#calls.idle) {
      throw new Error("async operations on this file are still running; await them before a ...Sync call");
    }
  }

  #sync<R>(gen: () => Gen<R>): R {
    this.#checkIdle();
    this.#checkOpen();
    return runSync(gen());
  }

  #async<R>(gen: () => Gen<R>): Promise<R> {
    return this.#queue().push(() => {
      this.#checkOpen();
      return gen();
    });
  }

  /** The close, and the removal after it, as one operation to run at once (not a generator itself). */
  #close(dispose: boolean): Gen<void> {
    const after = this.#path?.removedAt(dispose) ? this.#path : undefined;
    if (this.#closed) return after?.remove() ?? NOTHING;
    this.#closed = true;
    return ops.close(this.#state, after, this.name);
  }

  /** {@linkcode TempFile.#close}, synchronously: on the common path, with no generator at all. */
  #closeSync(dispose: boolean): void {
    const after = this.#path?.removedAt(dispose) ? this.#path : undefined;
    if (this.#closed) return after?.removeSync();
    this.#closed = true;
    ops.closeSync(this.#state, after, this.name);
  }

  /**
   * Writes `data` and returns how many characters (text) or bytes (binary)
   * were written. Small writes are buffered.
   */
  writeSync(data: T): number {
    this.#checkIdle();
    this.#checkOpen();
    const n = ops.tryBufferedWrite(this.#state, data); // no generator, no I/O
    return n >= 0 ? n : runSync(ops.write(this.#state, data));
  }

  /** The async twin of {@linkcode TempFile.writeSync}. */
  write(data: T): Promise<number> {
    return this.#async(() => ops.write(this.#state, data));
  }

  /** Writes each item of `lines` (no separators are added). */
  writelinesSync(lines: Iterable<T>): void {
    for (const line of lines) this.writeSync(line);
  }

  /** The async twin of {@linkcode TempFile.writelinesSync}. */
  async writelines(lines: Iterable<T> | AsyncIterable<T>): Promise<void> {
    for await (const line of lines) await this.write(line);
  }

  /** Reads up to `size` characters or bytes, or to EOF when omitted or -1. Empty at EOF. */
  readSync(size?: number): T {
    return this.#sync(() => ops.read(this.#state, size)) as T;
  }

  /** The async twin of {@linkcode TempFile.readSync}. */
  read(size?: number): Promise<T> {
    return this.#async(() => ops.read(this.#state, size)) as Promise<T>;
  }

  /**
   * Binary files: reads into `buf` (up to its length) and returns how many
   * bytes were read, 0 at EOF. Unlike `read()`, it allocates nothing.
   */
  readintoSync(buf: Uint8Array): number {
    return this.#sync(() => ops.readInto(this.#state, buf));
  }

  /** The async twin of {@linkcode TempFile.readintoSync}. */
  readinto(buf: Uint8Array): Promise<number> {
    return this.#async(() => ops.readInto(this.#state, buf));
  }

  /** Reads one line, with its terminator; at most `size` characters or bytes. Empty at EOF. */
  readlineSync(size?: number): T {
    this.#checkIdle();
    this.#checkOpen();
    return (ops.tryReadline(this.#state, size) ?? runSync(ops.readline(this.#state, size))) as T;
  }

  /** The async twin of {@linkcode TempFile.readlineSync}. */
  readline(size?: number): Promise<T> {
    return this.#async(() => ops.readline(this.#state, size)) as Promise<T>;
  }

  /** Reads the remaining lines; stops once `hint` characters or bytes are read, when given. */
  readlinesSync(hint?: number): T[] {
    return this.#sync(() => ops.readlines(this.#state, hint)) as T[];
  }

  /** The async twin of {@linkcode TempFile.readlinesSync}. */
  readlines(hint?: number): Promise<T[]> {
    return this.#async(() => ops.readlines(this.#state, hint)) as Promise<T[]>;
  }

  /**
   * Moves the position to `offset` from the start (`whence` 0), the current
   * position (1) or the end (2), and returns the new position.
   */
  seekSync(offset: number, whence: 0 | 1 | 2 = 0): number {
    return this.#sync(() => ops.seek(this.#state, offset, whence));
  }

  /** The async twin of {@linkcode TempFile.seekSync}. */
  seek(offset: number, whence: 0 | 1 | 2 = 0): Promise<number> {
    return this.#async(() => ops.seek(this.#state, offset, whence));
  }

  /** The current position, as a byte offset (text mode too). */
  tellSync(): number {
    return this.#sync(() => this.#state.io.tell());
  }

  /** The async twin of {@linkcode TempFile.tellSync}. */
  tell(): Promise<number> {
    return this.#async(() => this.#state.io.tell());
  }

  /** Resizes the file to `size` bytes (default: the position); the position stays. */
  truncateSync(size?: number): number {
    return this.#sync(() => ops.truncate(this.#state, size));
  }

  /** The async twin of {@linkcode TempFile.truncateSync}. */
  truncate(size?: number): Promise<number> {
    return this.#async(() => ops.truncate(this.#state, size));
  }

  /** Writes buffered data to the file. */
  flushSync(): void {
    this.#sync(() => this.#state.io.flush());
  }

  /** The async twin of {@linkcode TempFile.flushSync}. */
  flush(): Promise<void> {
    return this.#async(() => this.#state.io.flush());
  }

  /**
   * Flushes and closes the file. A named file is removed when both `delete`
   * and `deleteOnClose` are set. A second close does nothing.
   */
  closeSync(): void {
    if (this.#closed) return;
    this.#checkIdle();
    this.#closeSync(false);
  }

  /** The async twin of {@linkcode TempFile.closeSync}. */
  close(): Promise<void> {
    return this.#queue().push(() => this.#close(false));
  }

  /**
   * The file descriptor, usable with the runtime's `node:fs` functions. A
   * spooled file moves to disk first, as Python's does. No I/O otherwise, so
   * there is no async twin.
   *
   * Writes wait in this object's buffer: flush before using the descriptor.
   * The descriptor stays this object's: a stream made with
   * `createReadStream("", { fd })` or `createWriteStream("", { fd })` closes it
   * when the stream ends, and this file's own close would then close whatever
   * file reused the number. Pass `autoClose: false` to such a stream.
   */
  fileno(): number {
    this.#checkOpen();
    const fd = this.#state.io.fd ?? this.#sync(() => this.#state.io.descriptor());
    ops.noteUnflushed(this.#state, "fileno", this.name, fd);
    return fd;
  }

  /** Closes the file and, unless `delete: false`, removes it: the end of a `using` block. */
  [Symbol.dispose](): void {
    this.#checkIdle();
    this.#closeSync(true);
  }

  /** Closes the file and, unless `delete: false`, removes it: the end of an `await using` block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#queue().push(() => this.#close(true));
  }

  /** Iterates over the remaining lines. */
  *[Symbol.iterator](): Iterator<T> {
    for (let line = this.readlineSync(); line.length > 0; line = this.readlineSync()) yield line;
  }

  /** Iterates over the remaining lines, asynchronously. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let line = await this.readline(); line.length > 0; line = await this.readline()) yield line;
  }

  /**
   * A Web stream of the file's content from the position at each read. It
   * reads only on demand (high-water mark 0): no read-ahead moves the position.
   */
  get readable(): ReadableStream<T> {
    return readableOf(this);
  }

  /** A Web stream that writes to the file at the current position; closing it flushes. */
  get writable(): WritableStream<T> {
    return writableOf(this);
  }
}
