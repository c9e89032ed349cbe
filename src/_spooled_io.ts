/**
 * The byte layer of a SpooledTemporaryFile: a {@linkcode MemoryIO} until a
 * write leaves the position past `maxSize` (or a truncate grows the file past
 * it, or a descriptor is asked for); then the data moves to a file on disk and
 * a {@linkcode BufferedIO} carries on, position included. The file object and
 * text layer above never see the swap.
 * @module
 */
import { BufferedIO, type ByteIO, MemoryIO, type TextInto } from "./_byte_io.ts";
import { call, type Gen, type Step } from "./_requests.ts";
import { watch } from "./_cleanup_registry.ts";
import { debugLog, origin } from "./diagnostics.ts";

/** How the data moves to disk: opens the file and sizes its buffer. */
export interface Spill {
  open(): Gen<number>;
  bufferSize: number;
}

/** Memory first, a descriptor once the data outgrows `maxSize` (0: never by itself). */
export class SpooledIO implements ByteIO {
  #inner: ByteIO;
  #memory: MemoryIO | undefined;

  readonly append: boolean;
  readonly maxSize: number;
  readonly spill: Spill;

  constructor(append: boolean, maxSize: number, spill: Spill) {
    this.append = append;
    this.maxSize = maxSize;
    this.spill = spill;
    this.#inner = this.#memory = new MemoryIO(append);
  }

  /** Whether the data has moved to disk. */
  get rolled(): boolean {
    return this.#memory === undefined;
  }

  get fd(): number | undefined {
    return this.#inner.fd;
  }

  get unflushed(): number {
    return this.#inner.unflushed;
  }

  /** Undefined while in memory; the disk file's entry is watched by this layer itself. */
  get resource(): undefined {
    return undefined;
  }

  /** Moves the data to a file on disk now; a second call does nothing. */
  *rollover(): Gen<void> {
    const position = this.#memory?.position;
    if (position === undefined) return;
    yield* this.#moveToDisk();
    this.onRollover?.(position);
  }

  /**
   * The move itself. When it fails the memory file is untouched and the disk
   * file closed, and the error says so: the caller may retry.
   */
  *#moveToDisk(): Gen<void> {
    const memory = this.#memory!;
    let disk: BufferedIO | undefined;
    try {
      const fd = yield* this.spill.open();
      disk = new BufferedIO(fd, this.spill.bufferSize, this.append);
      yield* disk.write(memory.bytes);
      yield* disk.seek(memory.position, 0);
    } catch (err) {
      if (disk !== undefined) {
        try {
          yield* call({ op: "close", fd: disk.fd });
        } catch { /* the first error is the one to report */ }
      }
      if (err instanceof Error) {
        err.message += " (rollover failed: the data stays in memory, as before this call)";
      }
      throw err;
    }
    // This layer owns the disk file: dropped with its file object, it closes it.
    disk.resource.origin = origin("a rolled-over SpooledTemporaryFile");
    watch(this, disk.resource);
    debugLog("rollover", `${memory.bytes.length} bytes to descriptor ${disk.fd}`);
    this.#inner = disk;
    this.#memory = undefined;
    yield* memory.close(); // its buffer goes back to the pool
  }

  /** Told the position after a rollover: the text layer resets its encoder as Python's new file does. */
  onRollover: ((position: number) => void) | undefined;

  #spills(extent: number): boolean {
    return this.#memory !== undefined && this.maxSize > 0 && extent > this.maxSize;
  }

  /** The in-memory position once `data` is written: an append lands at the end (an empty one moves nothing). */
  #positionAfter(memory: MemoryIO, data: Uint8Array): number {
    if (data.length === 0) return memory.position;
    return (this.append ? memory.bytes.length : memory.position) + data.length;
  }

  tryBuffer(data: Uint8Array): boolean {
    const memory = this.#memory;
    // A write that would spill takes the slow path, which rolls over.
    if (memory && this.#spills(this.#positionAfter(memory, data))) return false;
    return this.#inner.tryBuffer(data);
  }

  tryBufferText(text: string, maxBytes: number, into: TextInto): boolean {
    return this.#inner.tryBufferText(text, maxBytes, into);
  }

  /**
   * Rolls over where Python's does (the position after the write is past
   * `maxSize`), but moves the data before writing, not after: a rollover that
   * fails leaves the file as before this write, so a retry stores nothing twice.
   */
  *write(data: Uint8Array): Gen<number> {
    const memory = this.#memory;
    if (memory === undefined || !this.#spills(this.#positionAfter(memory, data))) {
      return yield* this.#inner.write(data);
    }
    const before = memory.position;
    const after = this.#positionAfter(memory, data);
    yield* this.#moveToDisk();
    let written = false;
    try {
      const n = yield* this.#inner.write(data);
      written = true;
      return n;
    } finally {
      // Python's new file starts its encoder at the position after the write that spilled.
      this.onRollover?.(written ? after : before);
    }
  }

  *truncate(size: number | undefined): Gen<number> {
    // As Python's: a size past maxSize rolls over, even with maxSize 0.
    if (size !== undefined && this.#memory !== undefined && size > this.maxSize) yield* this.rollover();
    return yield* this.#inner.truncate(size);
  }

  *descriptor(): Gen<number> {
    yield* this.rollover();
    return yield* this.#inner.descriptor();
  }

  read(size: number): Gen<Uint8Array> {
    return this.#inner.read(size);
  }
  readInto(buf: Uint8Array): Gen<number> {
    return this.#inner.readInto(buf);
  }
  get aheadBuffer(): Uint8Array {
    return this.#inner.aheadBuffer;
  }

  get aheadStart(): number {
    return this.#inner.aheadStart;
  }

  get aheadEnd(): number {
    return this.#inner.aheadEnd;
  }

  get aheadGeneration(): number {
    return this.#inner.aheadGeneration;
  }

  peek(min: number): Gen<Uint8Array> {
    return this.#inner.peek(min);
  }
  consume(n: number): void {
    this.#inner.consume(n);
  }
  seek(offset: number, whence: 0 | 1 | 2): Gen<number> {
    return this.#inner.seek(offset, whence);
  }
  tell(): Gen<number> {
    return this.#inner.tell();
  }
  flush(): Gen<void> {
    return this.#inner.flush();
  }
  sync(): Gen<void> {
    return this.#inner.sync();
  }
  close(): Step<void> {
    return this.#inner.close();
  }
}
