/**
 * Python's `io` semantics for one open file, written once as generators over
 * its byte layer and, in text mode, its text layer: argument checks, line
 * reading, readlines, seek/truncate and the close sequence. The file object
 * runs them synchronously or in its call queue.
 * @module
 */
import type { ByteIO } from "./_byte_io.ts";
import { UnsupportedOperation } from "./errors.ts";
import type { Mode } from "./open_mode.ts";
import { type Gen, isRequest, runStepSync } from "./_requests.ts";
import type { TextIO } from "./text_io.ts";
import { codePoints } from "./codecs.ts";
import { debugLog } from "./diagnostics.ts";

/** What a file reads and writes: `string` in text mode, `Uint8Array` in binary mode. */
export type FileData = string | Uint8Array;

/** The layers of one open file. */
export interface FileState {
  io: ByteIO;
  text: TextIO | undefined;
  parsed: Mode;
}

function kind(value: unknown): string {
  return value === null
    ? "null"
    : typeof value === "object"
    ? value.constructor?.name ?? "object"
    : typeof value;
}

/** `size` as given, or -1 for "all"; a non-integer is a TypeError. */
function checkSize(fn: string, size: number | undefined): number {
  if (size === undefined || size === null) return -1;
  if (!Number.isSafeInteger(size)) throw new TypeError(`${fn}: size must be an integer, got ${size}`);
  return size;
}

function checkReadable(f: FileState): void {
  if (!f.parsed.readable) throw new UnsupportedOperation("File not open for reading");
}

function checkWritable(f: FileState): void {
  if (!f.parsed.writable) throw new UnsupportedOperation("File not open for writing");
}

function toBytes(f: FileState, data: FileData): Uint8Array {
  if (f.text) {
    if (typeof data !== "string") {
      throw new TypeError(
        `write() argument must be a string in text mode, not ${
          kind(data)
        }; create the file with mode: "w+b" to write bytes`,
      );
    }
    return f.text.encode(data);
  }
  if (!(data instanceof Uint8Array)) {
    const text = typeof data === "string" ? '; create the file with mode: "w+" to write strings' : "";
    throw new TypeError(`write() argument must be a Uint8Array in binary mode, not ${kind(data)}${text}`);
  }
  return data;
}

/**
 * Writes without any I/O when the data fits the buffer: the fast path of
 * small writes. Returns what `write` would, or -1 when it must run.
 */
export function tryBufferedWrite(f: FileState, data: FileData): number {
  if (!f.parsed.writable) return -1;
  if (f.text !== undefined) return typeof data === "string" ? f.text.tryWrite(data) : -1;
  return data instanceof Uint8Array && f.io.tryBuffer(data) ? data.length : -1;
}

export function* write(f: FileState, data: FileData): Gen<number> {
  checkWritable(f);
  yield* f.io.write(toBytes(f, data));
  if (f.text?.flushes(data as string)) yield* f.io.flush();
  // Python's len(): code points in text mode.
  return f.text ? f.text.written : data.length;
}

export function* read(f: FileState, size: number | undefined): Gen<FileData> {
  checkReadable(f);
  const n = checkSize("read", size);
  return f.text ? yield* f.text.read(n) : yield* f.io.read(n);
}

export function* readInto(f: FileState, buf: Uint8Array): Gen<number> {
  checkReadable(f);
  if (f.text) throw new UnsupportedOperation("readinto() needs a binary file");
  if (!(buf instanceof Uint8Array)) throw new TypeError(`readinto() needs a Uint8Array, not ${kind(buf)}`);
  return yield* f.io.readInto(buf);
}

function* readBinaryLine(io: ByteIO, limit: number): Gen<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const max = limit < 0 ? Infinity : limit;
  while (total < max) {
    const view = yield* io.peek(1);
    if (view.length === 0) break;
    const nl = view.indexOf(0x0a);
    const take = Math.min(nl < 0 ? view.length : nl + 1, max - total);
    parts.push(view.slice(0, take));
    io.consume(take);
    total += take;
    if (nl >= 0 && take === nl + 1) break;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) out.set(p, at), at += p.length;
  return out;
}

/** A text line that needs no I/O, without the generator: the fast path of `readlineSync()`. */
export function tryReadline(f: FileState, size: number | undefined): FileData | undefined {
  return f.text !== undefined && f.parsed.readable && (size === undefined || size === -1)
    ? f.text.tryReadline()
    : undefined;
}

export function* readline(f: FileState, size: number | undefined): Gen<FileData> {
  checkReadable(f);
  const n = checkSize("readline", size);
  return f.text ? yield* f.text.readline(n) : yield* readBinaryLine(f.io, n);
}

export function* readlines(f: FileState, hint: number | undefined): Gen<FileData[]> {
  const max = checkSize("readlines", hint);
  const lines: FileData[] = [];
  let total = 0;
  for (;;) {
    const line = yield* readline(f, -1);
    if (line.length === 0) break;
    lines.push(line);
    if (max <= 0) continue;
    // Python's IOBase.readlines: stop once the total exceeds the hint.
    total += typeof line === "string" ? codePoints(line) : line.length;
    if (total > max) break;
  }
  return lines;
}

export function* seek(f: FileState, offset: number, whence: number): Gen<number> {
  if (!Number.isSafeInteger(offset)) throw new TypeError(`seek: offset must be an integer, got ${offset}`);
  if (whence !== 0 && whence !== 1 && whence !== 2) {
    throw new RangeError(`seek: whence must be 0, 1 or 2, got ${whence}`);
  }
  return f.text ? yield* f.text.seek(offset, whence) : yield* f.io.seek(offset, whence);
}

export function* truncate(f: FileState, size: number | undefined): Gen<number> {
  checkWritable(f);
  if (size !== undefined && !Number.isSafeInteger(size)) {
    throw new TypeError(`truncate: size must be an integer, got ${size}`);
  }
  return yield* f.io.truncate(size);
}

/**
 * Tells the debug log that the descriptor is handed out (`fileno`), or the
 * file closed, with bytes still buffered, which no other process could read yet.
 */
export function noteUnflushed(f: FileState, event: "fileno" | "close", name: unknown, fd?: number): void {
  const n = f.io.unflushed;
  if (event === "fileno") {
    debugLog("fileno", `${fd} of ${name}${n > 0 ? `, with ${n} bytes still buffered: flush first` : ""}`);
  } else if (n > 0) {
    debugLog("close", `${name}: flushing ${n} bytes that no other process could read until now`);
  }
}

/** What a close removes afterwards: a named file's path. */
export interface Removal {
  remove(): Gen<void>;
  removeSync(): void;
}

/**
 * Flushes, closes, then removes `after` (a named file's path). The first
 * error wins, after all steps ran. `name` is for the debug log.
 */
export function* close(f: FileState, after: Removal | undefined, name: unknown): Gen<void> {
  noteUnflushed(f, "close", name);
  // Three plain steps, not a loop over an array of them: this runs once per file, on the hot path.
  let failed = false;
  let first: unknown;
  try {
    yield* f.io.flush();
  } catch (err) {
    failed = true;
    first = err;
  }
  try {
    const step = f.io.close();
    // The close(2) request itself, yielded as it is: no generator around it.
    if (isRequest(step)) yield step;
    else yield* step;
  } catch (err) {
    if (!failed) failed = true, first = err;
  }
  if (after !== undefined) {
    try {
      yield* after.remove();
    } catch (err) {
      if (!failed) failed = true, first = err;
    }
  }
  if (failed) throw first;
}

/**
 * {@linkcode close}'s sync twin, the same three steps: with nothing buffered
 * and nothing to retry, they are three direct calls, with no generator.
 */
export function closeSync(f: FileState, after: Removal | undefined, name: unknown): void {
  noteUnflushed(f, "close", name);
  let failed = false;
  let first: unknown;
  try {
    runStepSync(f.io.flush());
  } catch (err) {
    failed = true;
    first = err;
  }
  try {
    runStepSync(f.io.close());
  } catch (err) {
    if (!failed) failed = true, first = err;
  }
  if (after !== undefined) {
    try {
      after.removeSync();
    } catch (err) {
      if (!failed) failed = true, first = err;
    }
  }
  if (failed) throw first;
}
