/**
 * The byte layer of a SpooledTemporaryFile: a {@linkcode MemoryIO} until a
 * write leaves the position past `maxSize` (or a truncate grows the file past
 * it, or a descriptor is asked for); then the data moves to a file on disk and
 * a {@linkcode BufferedIO} carries on, position included. The file object and
 * text layer above never see the swap.
 * @module
 */
import { BufferedIO, type ByteIO, MemoryIO, type TextInto } from "./_byte_io.ts";
import { call, type Gen } from "./_requests.ts";
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
    const memory = this.#memory;
    if (memory === undefined) return;
    const fd = yield* this.spill.open();
    const disk = new BufferedIO(fd, this.spill.bufferSize, this.append);
    try {
      yield* disk.write(memory.bytes);
      yield* disk.seek(memory.position, 0);
    } catch (err) {
      yield* call({ op: "close", fd });
      throw err;
    }
    // This layer owns the disk file: dropped with its file object, it closes it.
    disk.resource.origin = origin("a rolled-over SpooledTemporaryFile");
    watch(this, disk.resource);
    debugLog("rollover", `${memory.bytes.length} bytes to descriptor ${fd}`);
    this.#inner = disk;
    this.#memory = undefined;
    const position = memory.position;
    yield* memory.close(); // its buffer goes back to the pool
    this.onRollover?.(position);
  }

  /** Told the position after a rollover: the text layer resets its encoder as Python's new file does. */
  onRollover: ((position: number) => void) | undefined;

  #spills(extent: number): boolean {
    return this.#memory !== undefined && this.maxSize > 0 && extent > this.maxSize;
  }

  tryBuffer(data: Uint8Array): boolean {
    const memory = this.#memory;
    // A write that would spill takes the slow path, which rolls over.
    if (memory && this.#spills(memory.position + data.length)) return false;
    return this.#inner.tryBuffer(data);
  }

  tryBufferText(text: string, maxBytes: number, into: TextInto): boolean {
    return this.#inner.tryBufferText(text, maxBytes, into);
  }

  *write(data: Uint8Array): Gen<number> {
    const n = yield* this.#inner.write(data);
    if (this.#memory && this.#spills(this.#memory.position)) yield* this.rollover();
    return n;
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
  close(): Gen<void> {
    return this.#inner.close();
  }
}
