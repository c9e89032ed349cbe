/**
 * The file object every factory returns: Python's file API in sync and async
 * forms, text or binary, plus the deletion policy of Python 3.12's
 * NamedTemporaryFile.
 * @module
 */
import { type IOGen, runAsync, runSync } from "./_io.ts";
import { BufferedIO, type ByteIO, MemoryIO } from "./byte_io.ts";
import { type Resource, settle, watch } from "./cleanup_registry.ts";
import { ClosedFileError, errorCode, UnsupportedOperation } from "./errors.ts";
import type { Mode } from "./mode.ts";
import type { TextIO } from "./text_io.ts";

/** What a file reads and writes: `string` in text mode, `Uint8Array` in binary mode. */
export type FileData = string | Uint8Array;

/** Everything a file object starts with. Internal: made by the factories. */
export interface FileInit {
  fd: number;
  io: ByteIO;
  text: TextIO | undefined;
  mode: string;
  parsed: Mode;
  /** The name in the file system, when it has one. */
  path: string | undefined;
  /** `name` as Python reports it: the path, the fd, or undefined (in memory). */
  name: string | number | undefined;
  deleteOnClose: boolean;
  delete: boolean;
}

const STREAM_CHUNK = 65536;
const noop = () => {};

/**
 * A temporary file. Each method has an async form, whose calls take effect in
 * the order they were made, and a `...Sync` form.
 *
 * @typeParam T `Uint8Array` for binary modes (with `b`), `string` for text modes.
 */
export class TempFile<T extends FileData = Uint8Array> implements Disposable, AsyncDisposable {
  #fd: number;
  #io: ByteIO;
  #text: TextIO | undefined;
  #mode: string;
  #parsed: Mode;
  #path: string | undefined;
  #name: string | number | undefined;
  #deleteOnClose: boolean;
  #delete: boolean;
  #removed = false;
  #closed = false;
  /** What the cleanup registry must release if this object is dropped or the process ends. */
  #res: Resource;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Made by the factories; use {@linkcode TemporaryFile} and friends. */
  constructor(init: FileInit) {
    this.#fd = init.fd;
    this.#io = init.io;
    this.#text = init.text;
    this.#mode = init.mode;
    this.#parsed = init.parsed;
    this.#path = init.path;
    this.#name = init.name;
    this.#deleteOnClose = init.deleteOnClose;
    this.#delete = init.delete;
    this.#res = { fd: init.fd >= 0 ? init.fd : undefined, path: init.delete ? init.path : undefined };
    if (init.fd >= 0) watch(this, this.#res);
  }

  /** The path for named files, the descriptor for anonymous ones, `undefined` while spooled in memory. */
  get name(): string | number | undefined {
    return this.#name;
  }

  /** The mode given at creation, such as `"w+b"`. */
  get mode(): string {
    return this.#mode;
  }

  /** Whether the file is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The text encoding (`"utf-8"`, ...); `undefined` in binary mode. */
  get encoding(): string | undefined {
    return this.#text?.codec.name;
  }

  // ---- for subclasses ----------------------------------------------------

  /** Copies an in-memory file's data to `fd` and continues there: a spooled rollover. */
  protected _adoptSync(fd: number, bufferSize: number): void {
    const io = new BufferedIO(bufferSize, this.#parsed.append);
    runSync(fd, this.#copyInto(io));
    this.#switchTo(fd, io);
  }

  /** The async twin of `_adoptSync`. */
  protected async _adopt(fd: number, bufferSize: number): Promise<void> {
    const io = new BufferedIO(bufferSize, this.#parsed.append);
    await runAsync(fd, this.#copyInto(io));
    this.#switchTo(fd, io);
  }

  *#copyInto(io: BufferedIO): IOGen<void> {
    const memory = this.#io as MemoryIO;
    yield* io.write(memory.bytes);
    yield* io.seek(memory.position, 0);
  }

  #switchTo(fd: number, io: ByteIO): void {
    this.#fd = fd;
    this.#io = io;
    this.#name = fd;
    if (this.#text) this.#text.bytes = io;
    this.#res.fd = fd;
    watch(this, this.#res);
  }

  /** Throws unless a ...Sync call may run now: open, and no async call in flight. */
  protected _checkSync(): void {
    this.#checkSync();
  }

  /** Runs `task` after every async call made before it. */
  protected _queue<R>(task: () => Promise<R>): Promise<R> {
    return this.#queue(task);
  }

  /** The size above which an in-memory file must move to disk; 0 for never. */
  protected _maxSize = 0;
  /** Moves an in-memory file to disk. Only spooled files have one. */
  protected _rolloverSync(): void {}
  /** The async twin of `_rolloverSync`. */
  protected _rollover(): Promise<void> {
    return Promise.resolve();
  }

  /** Whether an in-memory file reaching `extent` (default: its position) must move to disk. */
  #spills(extent?: number): boolean {
    const io = this.#io;
    return this._maxSize > 0 && io instanceof MemoryIO && (extent ?? io.position) > this._maxSize;
  }

  // ---- how calls run -----------------------------------------------------

  #checkOpen(): void {
    if (this.#closed) throw new ClosedFileError();
  }

  #checkSync(): void {
    this.#checkIdle();
    this.#checkOpen();
  }

  #checkIdle(): void {
    if (this.#pending > 0) {
      throw new Error("async operations on this file are still running; await them before a ...Sync call");
    }
  }

  #checkReadable(): void {
    if (!this.#parsed.readable) throw new UnsupportedOperation("File not open for reading");
  }

  #checkWritable(): void {
    if (!this.#parsed.writable) throw new UnsupportedOperation("File not open for writing");
  }

  #sync<R>(gen: () => IOGen<R>): R {
    this.#checkSync();
    return runSync(this.#fd, gen());
  }

  /** Queues `task` behind earlier async calls, so they take effect in call order. */
  #queue<R>(task: () => Promise<R>): Promise<R> {
    this.#pending++;
    const run = this.#tail.then(task).finally(() => void this.#pending--);
    this.#tail = run.catch(noop);
    return run;
  }

  #async<R>(gen: () => IOGen<R>): Promise<R> {
    return this.#queue(() => {
      this.#checkOpen();
      return runAsync(this.#fd, gen());
    });
  }

  // ---- operations, written once as generators -----------------------------

  #toBytes(data: T): Uint8Array {
    if (this.#text) {
      if (typeof data !== "string") {
        throw new TypeError(`write() argument must be a string in text mode, not ${kind(data)}`);
      }
      return this.#text.encode(data);
    }
    if (!(data instanceof Uint8Array)) {
      throw new TypeError(`write() argument must be a Uint8Array in binary mode, not ${kind(data)}`);
    }
    return data;
  }

  *#write(data: T): IOGen<number> {
    this.#checkWritable();
    const bytes = this.#toBytes(data);
    yield* this.#io.write(bytes);
    if (this.#text?.flushes(data as string)) yield* this.#io.flush();
    return data.length;
  }

  *#read(size: number | undefined): IOGen<T> {
    this.#checkReadable();
    const n = checkSize("read", size);
    return (this.#text ? yield* this.#text.read(n) : yield* this.#io.read(n)) as T;
  }

  *#readInto(buf: Uint8Array): IOGen<number> {
    this.#checkReadable();
    if (this.#text) throw new UnsupportedOperation("readinto() needs a binary file");
    if (!(buf instanceof Uint8Array)) throw new TypeError(`readinto() needs a Uint8Array, not ${kind(buf)}`);
    return yield* this.#io.readInto(buf);
  }

  *#readBinaryLine(limit: number): IOGen<Uint8Array> {
    const parts: Uint8Array[] = [];
    let total = 0;
    const max = limit < 0 ? Infinity : limit;
    while (total < max) {
      const view = yield* this.#io.peek(1);
      if (view.length === 0) break;
      const nl = view.indexOf(0x0a);
      const take = Math.min(nl < 0 ? view.length : nl + 1, max - total);
      parts.push(view.slice(0, take));
      this.#io.consume(take);
      total += take;
      if (nl >= 0 && take === nl + 1) break;
    }
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) out.set(p, at), at += p.length;
    return out;
  }

  *#readline(size: number | undefined): IOGen<T> {
    this.#checkReadable();
    const n = checkSize("readline", size);
    return (this.#text ? yield* this.#text.readline(n) : yield* this.#readBinaryLine(n)) as T;
  }

  *#readlines(hint: number | undefined): IOGen<T[]> {
    const max = checkSize("readlines", hint);
    const lines: T[] = [];
    let total = 0;
    for (;;) {
      const line = yield* this.#readline(-1);
      if (line.length === 0) break;
      lines.push(line);
      total += line.length;
      if (max > 0 && total >= max) break;
    }
    return lines;
  }

  *#seek(offset: number, whence: number): IOGen<number> {
    if (!Number.isSafeInteger(offset)) throw new TypeError(`seek: offset must be an integer, got ${offset}`);
    if (whence !== 0 && whence !== 1 && whence !== 2) {
      throw new RangeError(`seek: whence must be 0, 1 or 2, got ${whence}`);
    }
    return this.#text ? yield* this.#text.seek(offset, whence) : yield* this.#io.seek(offset, whence);
  }

  *#truncate(size: number | undefined): IOGen<number> {
    this.#checkWritable();
    if (size !== undefined && !Number.isSafeInteger(size)) {
      throw new TypeError(`truncate: size must be an integer, got ${size}`);
    }
    return yield* this.#io.truncate(size);
  }

  *#unlink(): IOGen<void> {
    if (this.#path === undefined || this.#removed) return;
    this.#removed = true;
    try {
      yield { op: "unlink", path: this.#path };
    } catch (err) {
      // Removed by the program already: that is what we wanted.
      if (errorCode(err) !== "ENOENT") throw err;
    } finally {
      this.#res.path = undefined;
      settle(this.#res);
    }
  }

  /** Flushes and closes; removes the file when `remove`. The first error wins, after all steps ran. */
  *#close(remove: boolean): IOGen<void> {
    const errors: unknown[] = [];
    if (!this.#closed) {
      this.#closed = true;
      try {
        yield* this.#io.flush();
      } catch (err) {
        errors.push(err);
      }
      this.#io.release();
      if (this.#fd >= 0) {
        try {
          yield { op: "close" };
        } catch (err) {
          errors.push(err);
        } finally {
          this.#res.fd = undefined;
          settle(this.#res);
        }
      }
    }
    if (remove) {
      try {
        yield* this.#unlink();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  *#persist(dest: string, overwrite: boolean): IOGen<void> {
    if (this.#path === undefined || this.#removed) {
      throw new UnsupportedOperation("persist needs a named file that still exists");
    }
    yield* this.#io.flush();
    yield { op: "fsync" };
    if (overwrite) {
      yield { op: "rename", from: this.#path, to: dest };
    } else {
      // link() never replaces dest: EEXIST leaves both files as they were.
      yield { op: "link", from: this.#path, to: dest };
      yield* this.#unlink();
    }
    this.#path = dest;
    this.#name = dest;
    this.#delete = this.#deleteOnClose = false;
    this.#res.path = undefined;
    settle(this.#res);
  }

  // ---- public API --------------------------------------------------------

  /**
   * Writes `data` and returns how many characters (text) or bytes (binary)
   * were written. Small writes are buffered.
   */
  writeSync(data: T): number {
    this.#checkSync();
    let n: number;
    if (
      this.#text === undefined && this.#parsed.writable && data instanceof Uint8Array &&
      this.#io.tryBuffer(data)
    ) {
      n = data.length; // the fast path: no generator, no I/O
    } else {
      n = runSync(this.#fd, this.#write(data));
    }
    if (this.#spills()) this._rolloverSync();
    return n;
  }

  /** The async twin of {@linkcode TempFile.writeSync}. */
  write(data: T): Promise<number> {
    return this.#queue(async () => {
      this.#checkOpen();
      const n = await runAsync(this.#fd, this.#write(data));
      if (this.#spills()) await this._rollover();
      return n;
    });
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
    return this.#sync(() => this.#read(size));
  }

  /** The async twin of {@linkcode TempFile.readSync}. */
  read(size?: number): Promise<T> {
    return this.#async(() => this.#read(size));
  }

  /**
   * Binary files: reads into `buf` (up to its length) and returns how many
   * bytes were read, 0 at EOF. Unlike `read()`, it allocates nothing.
   */
  readintoSync(buf: Uint8Array): number {
    return this.#sync(() => this.#readInto(buf));
  }

  /** The async twin of {@linkcode TempFile.readintoSync}. */
  readinto(buf: Uint8Array): Promise<number> {
    return this.#async(() => this.#readInto(buf));
  }

  /** Reads one line, with its terminator; at most `size` characters or bytes. Empty at EOF. */
  readlineSync(size?: number): T {
    return this.#sync(() => this.#readline(size));
  }

  /** The async twin of {@linkcode TempFile.readlineSync}. */
  readline(size?: number): Promise<T> {
    return this.#async(() => this.#readline(size));
  }

  /** Reads the remaining lines; stops once `hint` characters or bytes are read, when given. */
  readlinesSync(hint?: number): T[] {
    return this.#sync(() => this.#readlines(hint));
  }

  /** The async twin of {@linkcode TempFile.readlinesSync}. */
  readlines(hint?: number): Promise<T[]> {
    return this.#async(() => this.#readlines(hint));
  }

  /**
   * Moves the position to `offset` from the start (`whence` 0), the current
   * position (1) or the end (2), and returns the new position.
   */
  seekSync(offset: number, whence: 0 | 1 | 2 = 0): number {
    return this.#sync(() => this.#seek(offset, whence));
  }

  /** The async twin of {@linkcode TempFile.seekSync}. */
  seek(offset: number, whence: 0 | 1 | 2 = 0): Promise<number> {
    return this.#async(() => this.#seek(offset, whence));
  }

  /** The current position, as a byte offset (text mode too). */
  tellSync(): number {
    return this.#sync(() => this.#io.tell());
  }

  /** The async twin of {@linkcode TempFile.tellSync}. */
  tell(): Promise<number> {
    return this.#async(() => this.#io.tell());
  }

  /** Resizes the file to `size` bytes (default: the position); the position stays. */
  truncateSync(size?: number): number {
    this.#checkSync();
    if (size !== undefined && this.#spills(size)) this._rolloverSync();
    return this.#sync(() => this.#truncate(size));
  }

  /** The async twin of {@linkcode TempFile.truncateSync}. */
  truncate(size?: number): Promise<number> {
    return this.#queue(async () => {
      this.#checkOpen();
      if (size !== undefined && this.#spills(size)) await this._rollover();
      return await runAsync(this.#fd, this.#truncate(size));
    });
  }

  /** Writes buffered data to the file. */
  flushSync(): void {
    this.#sync(() => this.#io.flush());
  }

  /** The async twin of {@linkcode TempFile.flushSync}. */
  flush(): Promise<void> {
    return this.#async(() => this.#io.flush());
  }

  /**
   * Flushes and closes the file. A NamedTemporaryFile is removed when both
   * `delete` and `deleteOnClose` are set. A second close does nothing.
   */
  closeSync(): void {
    if (this.#closed) return;
    this.#checkIdle();
    runSync(this.#fd, this.#close(this.#deleteOnClose));
  }

  /** The async twin of {@linkcode TempFile.closeSync}. */
  close(): Promise<void> {
    return this.#queue(() => runAsync(this.#fd, this.#close(this.#deleteOnClose)));
  }

  /** The file descriptor, usable with the runtime's `node:fs` functions. */
  fileno(): number {
    this.#checkOpen();
    return this.#fd;
  }

  /** Closes the file and, unless `delete: false`, removes it: the end of a `using` block. */
  [Symbol.dispose](): void {
    this.#checkIdle();
    runSync(this.#fd, this.#close(this.#delete));
  }

  /** Closes the file and, unless `delete: false`, removes it: the end of an `await using` block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#queue(() => runAsync(this.#fd, this.#close(this.#delete)));
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
    return new ReadableStream<T>({
      pull: async (controller) => {
        const chunk = await this.read(STREAM_CHUNK);
        if (chunk.length === 0) controller.close();
        else controller.enqueue(chunk);
      },
    }, { highWaterMark: 0 });
  }

  /** A Web stream that writes to the file at the current position; closing it flushes. */
  get writable(): WritableStream<T> {
    return new WritableStream<T>({
      write: async (chunk) => void await this.write(chunk),
      close: () => this.flush(),
    });
  }

  // ---- for NamedTempFile ---------------------------------------------------

  /** Renames the file to `dest` (see `NamedTempFile.persistSync`). */
  protected _persistSync(dest: string, overwrite: boolean): void {
    this.#sync(() => this.#persist(dest, overwrite));
  }

  /** The async twin of `_persistSync`. */
  protected _persist(dest: string, overwrite: boolean): Promise<void> {
    return this.#async(() => this.#persist(dest, overwrite));
  }
}

function kind(value: unknown): string {
  return value === null
    ? "null"
    : typeof value === "object"
    ? value.constructor?.name ?? "object"
    : typeof value;
}

function checkSize(fn: string, size: number | undefined): number {
  if (size === undefined || size === null) return -1;
  if (!Number.isSafeInteger(size)) throw new TypeError(`${fn}: size must be an integer, got ${size}`);
  return size;
}
