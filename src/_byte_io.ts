/**
 * Byte-level file state: the buffered file over a descriptor, and the
 * in-memory file that a SpooledTemporaryFile starts as. Both expose the same
 * {@linkcode ByteIO} operations, so the text layer and the file object work on
 * either and a rollover only swaps one for the other.
 * @module
 */
import { call, type Gen, NOTHING, runSync, type Step } from "./_requests.ts";
import { type Resource, resource, settle } from "./_cleanup_registry.ts";
import { errorCode, fsError, UnsupportedOperation } from "./errors.ts";
import { platform } from "./_platform.ts";

/** The byte operations a file object needs. Positions are byte offsets. */
export interface ByteIO {
  /** The descriptor underneath; `undefined` for data held in memory. */
  readonly fd: number | undefined;
  /** The cleanup registry's entry for the descriptor, for the file object to watch; none in memory. */
  readonly resource: Resource | undefined;
  /** Bytes written but not yet flushed to the descriptor (0 in memory): for the debug log. */
  readonly unflushed: number;
  /** Buffers `data` without I/O when it fits; the fast path of small writes. */
  tryBuffer(data: Uint8Array): boolean;
  /**
   * Encodes `text` straight into the write buffer when `maxBytes` fit without
   * I/O: `into` writes from `at` and returns the end, or -1 to refuse.
   */
  tryBufferText(text: string, maxBytes: number, into: TextInto): boolean;
  write(data: Uint8Array): Gen<number>;
  /** Up to `size` bytes, or everything to EOF when `size < 0`. */
  read(size: number): Gen<Uint8Array>;
  /** Reads into `buf` from the position; returns the count, 0 at EOF. */
  readInto(buf: Uint8Array): Gen<number>;
  /** The bytes available at the position without consuming them; at least `min` unless at EOF. */
  peek(min: number): Gen<Uint8Array>;
  /**
   * The bytes `peek` would show now without any I/O, as a range of the
   * layer's own buffer (no copy, no view): `aheadBuffer` from `aheadStart`
   * to `aheadEnd`, an empty range when it would need I/O.
   */
  readonly aheadBuffer: Uint8Array;
  readonly aheadStart: number;
  readonly aheadEnd: number;
  /**
   * Changes whenever bytes already shown in that range may have changed (a
   * refill, a move, a write, a buffer given back to the pool), and never
   * repeats across layers: what was decoded from the range is valid while it stays.
   */
  readonly aheadGeneration: number;
  /** Moves past `n` bytes returned by `peek`. */
  consume(n: number): void;
  seek(offset: number, whence: 0 | 1 | 2): Gen<number>;
  tell(): Gen<number>;
  /** Truncates to `size` bytes, leaving the position unchanged. */
  truncate(size: number | undefined): Gen<number>;
  flush(): Gen<void>;
  /** The descriptor, moving in-memory data to one first where the layer can (a spooled file). */
  descriptor(): Gen<number>;
  /** Flushes, then `fsync`s a descriptor. */
  sync(): Gen<void>;
  /**
   * Gives the buffers back and closes the descriptor (unflushed data is
   * dropped; flush first): the close(2) request itself, for a descriptor.
   */
  close(): Step<void>;
}

/** Encodes `text` into `buf` from `at`; returns the end, or -1 when it cannot. */
export type TextInto = (text: string, buf: Uint8Array, at: number) => number;

// One counter for every layer, so that a generation never repeats, not even across a rollover.
let generations = 0;

/** Python's `io.DEFAULT_BUFFER_SIZE`. */
export const DEFAULT_BUFFER_SIZE = 8192;

/**
 * The read buffer of a file being read straight through (a third refill since
 * the last seek or dropped read-ahead), as Node's streams read: a readline loop then
 * makes an eighth of the read calls, each of which costs Node 22 and 24 a
 * third of the time per line. Only with the default buffer size.
 */
const SCAN_BUFFER_SIZE = 65536;

const EMPTY = new Uint8Array(0);

// Allocating an 8 KiB buffer costs V8 several microseconds, as much as a
// syscall, so buffers are made on first use and recycled when files close.
const spare: Uint8Array[] = [];
let recycling = true;
function takeBuffer(size: number): Uint8Array {
  return (size === DEFAULT_BUFFER_SIZE && spare.pop()) || new Uint8Array(size);
}
function giveBuffer(buf: Uint8Array): void {
  if (recycling && buf.length === DEFAULT_BUFFER_SIZE && spare.length < 16) spare.push(buf);
}

/**
 * Stops recycling buffers, for good: at exit, a write left in flight on a
 * worker thread may still be reading its buffer, which must never be refilled.
 */
export function stopRecycling(): void {
  recycling = false;
  spare.length = 0;
}

/** `buf`'s bytes from `start` to `end` at the front of a buffer of SCAN_BUFFER_SIZE; `buf` goes back to the pool. */
function scanBuffer(buf: Uint8Array, start: number, end: number): Uint8Array {
  const bigger = new Uint8Array(SCAN_BUFFER_SIZE);
  bigger.set(buf.subarray(start, end));
  giveBuffer(buf);
  return bigger;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function badSeek(whence: number): never {
  if (whence !== 0 && whence !== 1 && whence !== 2) {
    throw new RangeError(`seek: whence must be 0, 1 or 2, got ${whence}`);
  }
  // What lseek(2) says to a position before the start, as Python's OSError.
  throw fsError("EINVAL", "invalid argument", undefined, "lseek");
}

/** One write(2), retried on EINTR as Python's; how many bytes it took, which may be fewer than given. */
function* writeOnce(fd: number, buf: Uint8Array, pos: number | null): Gen<number> {
  for (;;) {
    try {
      return yield* call({ op: "write", fd, buf, pos });
    } catch (err) {
      if (errorCode(err) !== "EINTR") throw err;
    }
  }
}

/**
 * A descriptor with one buffer, as Python's BufferedRandom: it holds either
 * unwritten bytes or read-ahead bytes, never both. All I/O is positional
 * (pread/pwrite), except appends, which the kernel places at the end.
 */
export class BufferedIO implements ByteIO {
  // File offset of wbuf[0] while writing, of rbuf[rend] while reading.
  #raw = 0;
  #wbuf: Uint8Array = EMPTY;
  #wlen = 0;
  #rbuf: Uint8Array = EMPTY;
  #rstart = 0;
  #rend = 0;
  /** Refills since the last seek or write. */
  #fills = 0;
  #gen = ++generations;

  /** The file's registry entry: its fd flushed and closed if dropped open; a named file's TempPath adds its path. */
  readonly resource: Resource;

  readonly fd: number;
  readonly bufferSize: number;
  readonly append: boolean;
  /** An append whose descriptor has no O_APPEND (see `appendByKernel`): each write goes at the file's size. */
  readonly #appendAtSize: boolean;

  constructor(fd: number, bufferSize: number, append: boolean) {
    this.fd = fd;
    this.bufferSize = bufferSize;
    this.append = append;
    this.#appendAtSize = append && !platform().appendByKernel;
    this.resource = resource(fd, undefined);
    this.resource.flusher = this;
  }

  get unflushed(): number {
    return this.#wlen;
  }

  /** Writes the buffered bytes now, synchronously: at exit, or when the file object was collected. */
  flushNow(): void {
    if (this.#wlen > 0) runSync(this.flush());
  }

  // deno-lint-ignore require-yield
  *descriptor(): Gen<number> {
    return this.fd;
  }

  *sync(): Gen<void> {
    yield* this.flush();
    yield* call({ op: "fsync", fd: this.fd });
  }

  close(): Step<void> {
    this.#gen = ++generations;
    giveBuffer(this.#wbuf);
    giveBuffer(this.#rbuf);
    this.#wbuf = this.#rbuf = EMPTY;
    this.#wlen = this.#rstart = this.#rend = 0;
    // Settled first: even a failed close(2) frees the descriptor, which must never be closed twice.
    this.resource.fd = undefined;
    settle(this.resource);
    // The request itself: no generator on every close.
    return { op: "close", fd: this.fd };
  }

  /** The read buffer, made on first use. */
  #readBuffer(): Uint8Array {
    if (this.#rbuf === EMPTY) {
      this.#rbuf = takeBuffer(Math.max(this.bufferSize, DEFAULT_BUFFER_SIZE));
      this.#gen = ++generations;
    }
    return this.#rbuf;
  }

  /** Forgets read-ahead bytes, putting the raw offset back at the position. */
  #dropReadAhead(): void {
    this.#fills = 0;
    if (this.#rbuf === EMPTY) return;
    this.#gen = ++generations;
    this.#raw -= this.#rend - this.#rstart;
    this.#rstart = this.#rend = 0;
    giveBuffer(this.#rbuf);
    this.#rbuf = EMPTY;
  }

  tryBuffer(data: Uint8Array): boolean {
    if (this.#rend !== this.#rstart || this.#wlen + data.length > this.bufferSize) return false;
    if (this.#wbuf === EMPTY) this.#wbuf = takeBuffer(this.bufferSize);
    this.#wbuf.set(data, this.#wlen);
    this.#wlen += data.length;
    return true;
  }

  tryBufferText(text: string, maxBytes: number, into: TextInto): boolean {
    if (this.#rend !== this.#rstart || this.#wlen + maxBytes > this.bufferSize) return false;
    if (this.#wbuf === EMPTY) this.#wbuf = takeBuffer(this.bufferSize);
    const end = into(text, this.#wbuf, this.#wlen);
    if (end < 0) return false;
    this.#wlen = end;
    return true;
  }

  /**
   * One write(2) at the raw offset (appends: at the end), retried on EINTR as
   * Python's; returns how many bytes it took, which may be fewer than given.
   */
  *#rawWrite(buf: Uint8Array): Gen<number> {
    if (this.#appendAtSize) this.#raw = yield* call({ op: "size", fd: this.fd });
    const kernelAppends = this.append && !this.#appendAtSize;
    const n = yield* writeOnce(this.fd, buf, kernelAppends ? null : this.#raw);
    // The kernel put appended bytes at the end; the position follows them.
    if (kernelAppends) this.#raw = yield* call({ op: "size", fd: this.fd });
    else this.#raw += n;
    return n;
  }

  flush(): Gen<void> {
    return this.#wlen === 0 ? NOTHING : this.#flushing();
  }

  /**
   * Bytes leave the buffer only once written, as in Python's BufferedWriter: after a short write or a failure
   * the rest stays at its start, in order. The state is whole at every request: the exit hook can take over.
   */
  *#flushing(): Gen<void> {
    while (this.#wlen > 0) {
      const n = yield* this.#rawWrite(this.#wbuf.subarray(0, this.#wlen));
      if (n < this.#wlen) this.#wbuf.copyWithin(0, n, this.#wlen);
      this.#wlen -= n;
    }
    // A flushed file holds no buffer: 10,000 idle files would otherwise hold 80 MB.
    giveBuffer(this.#wbuf);
    this.#wbuf = EMPTY;
  }

  /**
   * Python's BufferedWriter.write: what fits is buffered; else the buffer is flushed (a failure buffers none of
   * `data`), `data` written straight through while more than a buffer of it is left, and the rest buffered.
   */
  *write(data: Uint8Array): Gen<number> {
    this.#dropReadAhead();
    if (this.tryBuffer(data)) return data.length;
    yield* this.flush();
    let done = 0;
    while (data.length - done > this.bufferSize) done += yield* this.#rawWrite(data.subarray(done));
    this.tryBuffer(done === 0 ? data : data.subarray(done));
    return data.length;
  }

  /** Reads at the raw offset into the read buffer, after what it holds. */
  *#fill(): Gen<number> {
    this.#readBuffer();
    this.#gen = ++generations;
    if (
      ++this.#fills === 3 && this.bufferSize === DEFAULT_BUFFER_SIZE &&
      this.#rbuf.length === DEFAULT_BUFFER_SIZE
    ) {
      this.#rbuf = scanBuffer(this.#rbuf, this.#rstart, this.#rend);
      this.#rend -= this.#rstart;
      this.#rstart = 0;
    }
    if (this.#rstart === this.#rend) this.#rstart = this.#rend = 0;
    else if (this.#rend === this.#rbuf.length) {
      this.#rbuf.copyWithin(0, this.#rstart, this.#rend);
      this.#rend -= this.#rstart;
      this.#rstart = 0;
    }
    const n = yield* call({ op: "read", fd: this.fd, buf: this.#rbuf.subarray(this.#rend), pos: this.#raw });
    this.#rend += n;
    this.#raw += n;
    return n;
  }

  *read(size: number): Gen<Uint8Array> {
    yield* this.flush();
    const parts: Uint8Array[] = [];
    let total = 0;
    const want = size < 0 ? Infinity : size;
    while (total < want) {
      if (this.#rstart === this.#rend) {
        const left = want - total;
        if (left >= this.#readBuffer().length && left !== Infinity) {
          // A large read goes straight into its result, to its end or the file's.
          const buf = new Uint8Array(left);
          const n = yield* this.readInto(buf);
          parts.push(buf.subarray(0, n));
          total += n;
          break;
        }
        if ((yield* this.#fill()) === 0) break;
      }
      const take = Math.min(want - total, this.#rend - this.#rstart);
      parts.push(this.#rbuf.slice(this.#rstart, this.#rstart + take));
      this.#rstart += take;
      total += take;
    }
    return total === 0 ? EMPTY : concat(parts, total);
  }

  *readInto(buf: Uint8Array): Gen<number> {
    yield* this.flush();
    let done = 0;
    // Read-ahead first, then straight into buf: no copy through the buffer.
    const ahead = Math.min(buf.length, this.#rend - this.#rstart);
    if (ahead > 0) {
      buf.set(this.#rbuf.subarray(this.#rstart, this.#rstart + ahead));
      this.#rstart += ahead;
      done = ahead;
    }
    while (done < buf.length) {
      const n = yield* call({ op: "read", fd: this.fd, buf: buf.subarray(done), pos: this.#raw });
      if (n === 0) break;
      this.#raw += n;
      done += n;
    }
    return done;
  }

  get aheadBuffer(): Uint8Array {
    return this.#rbuf;
  }

  get aheadStart(): number {
    return this.#wlen > 0 ? 0 : this.#rstart;
  }

  get aheadEnd(): number {
    return this.#wlen > 0 ? 0 : this.#rend;
  }

  get aheadGeneration(): number {
    return this.#gen;
  }

  *peek(min: number): Gen<Uint8Array> {
    yield* this.flush();
    if (min > this.#readBuffer().length) {
      const bigger = new Uint8Array(min);
      bigger.set(this.#rbuf.subarray(this.#rstart, this.#rend));
      this.#rend -= this.#rstart;
      this.#rstart = 0;
      this.#rbuf = bigger;
      this.#gen = ++generations;
    }
    while (this.#rend - this.#rstart < min) {
      if (this.#rstart > 0 && this.#rbuf.length - this.#rstart < min) {
        this.#gen = ++generations;
        this.#rbuf.copyWithin(0, this.#rstart, this.#rend);
        this.#rend -= this.#rstart;
        this.#rstart = 0;
      }
      if ((yield* this.#fill()) === 0) break;
    }
    return this.#rbuf.subarray(this.#rstart, this.#rend);
  }

  consume(n: number): void {
    this.#rstart += n;
  }

  *tell(): Gen<number> {
    // An append lands at the end, which only the file knows.
    if (this.append && this.#wlen > 0) yield* this.flush();
    return this.#raw + this.#wlen - (this.#rend - this.#rstart);
  }

  *seek(offset: number, whence: 0 | 1 | 2): Gen<number> {
    const here = yield* this.tell();
    const base = whence === 0 ? 0 : whence === 1 ? here : whence === 2 ? yield* this.#size() : NaN;
    const target = base + offset;
    if (!(target >= 0)) badSeek(whence);
    yield* this.flush();
    // Inside the read-ahead, only the buffer's start moves.
    const bufStart = this.#raw - this.#rend;
    if (this.#rend > 0 && target >= bufStart && target <= this.#raw) {
      this.#rstart = target - bufStart;
      return target;
    }
    this.#rstart = this.#rend = 0;
    this.#raw = target;
    this.#fills = 0;
    return target;
  }

  *#size(): Gen<number> {
    yield* this.flush();
    return yield* call({ op: "size", fd: this.fd });
  }

  *truncate(size: number | undefined): Gen<number> {
    const here = yield* this.tell();
    const length = size ?? here;
    if (length < 0) throw fsError("EINVAL", "invalid argument", undefined, "ftruncate");
    yield* this.flush();
    this.#dropReadAhead();
    yield* call({ op: "truncate", fd: this.fd, length });
    return length;
  }
}

/**
 * An in-memory file: the data of an unrolled SpooledTemporaryFile. It never
 * yields a request, so both drivers run it without I/O.
 */
export class MemoryIO implements ByteIO {
  #data: Uint8Array = EMPTY;
  #length = 0;
  #pos = 0;
  #gen = ++generations;

  readonly fd = undefined;
  readonly resource = undefined;

  get unflushed(): number {
    return 0;
  }

  readonly append: boolean;

  constructor(append: boolean) {
    this.append = append;
  }

  // deno-lint-ignore require-yield
  *descriptor(): Gen<number> {
    throw new UnsupportedOperation("an in-memory file has no descriptor");
  }

  *sync(): Gen<void> {}

  close(): Gen<void> {
    this.#gen = ++generations;
    giveBuffer(this.#data);
    this.#data = EMPTY;
    this.#length = this.#pos = 0;
    return NOTHING;
  }

  /** The file's bytes, without copying. */
  get bytes(): Uint8Array {
    return this.#data.subarray(0, this.#length);
  }

  get position(): number {
    return this.#pos;
  }

  /** Grows the buffer geometrically to hold `needed` bytes. */
  #reserve(needed: number): void {
    if (needed <= this.#data.length) return;
    const size = Math.max(needed, this.#data.length * 2);
    // Small files take a recycled buffer: its old bytes never show, as reads stop at #length
    // and a write past the end zero-fills the gap.
    const next = size <= DEFAULT_BUFFER_SIZE ? takeBuffer(DEFAULT_BUFFER_SIZE) : new Uint8Array(size);
    next.set(this.bytes);
    this.#data = next;
  }

  /** Memory writes are cheap already: text takes the encoder's path. */
  tryBufferText(): boolean {
    return false;
  }

  tryBuffer(data: Uint8Array): boolean {
    // As Python's BytesIO: writing nothing past the end leaves no hole.
    if (data.length === 0) return true;
    this.#gen = ++generations;
    if (this.append) this.#pos = this.#length;
    const end = this.#pos + data.length;
    this.#reserve(end);
    // Seeking past the end leaves a hole of zeros, as a file does.
    if (this.#pos > this.#length) this.#data.fill(0, this.#length, this.#pos);
    this.#data.set(data, this.#pos);
    this.#pos = end;
    if (end > this.#length) this.#length = end;
    return true;
  }

  // deno-lint-ignore require-yield
  *write(data: Uint8Array): Gen<number> {
    this.tryBuffer(data);
    return data.length;
  }

  // deno-lint-ignore require-yield
  *read(size: number): Gen<Uint8Array> {
    const start = Math.min(this.#pos, this.#length);
    const end = size < 0 ? this.#length : Math.min(this.#length, start + size);
    this.#pos = Math.max(this.#pos, end);
    return this.#data.slice(start, end);
  }

  // deno-lint-ignore require-yield
  *readInto(buf: Uint8Array): Gen<number> {
    const start = Math.min(this.#pos, this.#length);
    const n = Math.min(buf.length, this.#length - start);
    buf.set(this.#data.subarray(start, start + n));
    this.#pos = start + n;
    return n;
  }

  get aheadBuffer(): Uint8Array {
    return this.#data;
  }

  get aheadStart(): number {
    return Math.min(this.#pos, this.#length);
  }

  get aheadEnd(): number {
    return this.#length;
  }

  get aheadGeneration(): number {
    return this.#gen;
  }

  // deno-lint-ignore require-yield
  *peek(_min: number): Gen<Uint8Array> {
    return this.#data.subarray(Math.min(this.#pos, this.#length), this.#length);
  }

  consume(n: number): void {
    this.#pos += n;
  }

  // deno-lint-ignore require-yield
  *tell(): Gen<number> {
    return this.#pos;
  }

  // deno-lint-ignore require-yield
  *seek(offset: number, whence: 0 | 1 | 2): Gen<number> {
    // As Python's BytesIO: a negative position is an error, a relative one stops at 0.
    if (whence === 0 && offset < 0) throw new RangeError(`negative seek value ${offset}`);
    const base = whence === 0 ? 0 : whence === 1 ? this.#pos : whence === 2 ? this.#length : NaN;
    const target = Math.max(0, base + offset);
    if (!(target >= 0)) badSeek(whence);
    return this.#pos = target;
  }

  // deno-lint-ignore require-yield
  *truncate(size: number | undefined): Gen<number> {
    const length = size ?? this.#pos;
    if (length < 0) throw new RangeError(`negative size value ${length}`);
    // As Python's BytesIO: a larger size leaves the data as it is.
    if (length < this.#length) this.#length = length, this.#gen = ++generations;
    return length;
  }

  flush(): Gen<void> {
    return NOTHING;
  }
}
