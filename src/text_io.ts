/**
 * Text over a {@linkcode ByteIO}: encoding, Python's newline handling and
 * line reading, with counts and limits in code points as Python's. It keeps
 * no decoded text ahead of the position: each read consumes exactly the bytes
 * of the characters it returns, so `tell()` is a byte offset and the byte layer
 * can be swapped underneath (a rollover). The one exception is the rest of a
 * multi-character error replacement cut by a limit, kept for the next read.
 * @module
 */
import type { Gen } from "./_requests.ts";
import type { ByteIO } from "./_byte_io.ts";
import { QuickLines } from "./_quick_lines.ts";
import { type Codec, codePoints, type Decoded, type ErrorHandler, isPlainUtf8 } from "./codecs.ts";
import { TextWriter } from "./_text_writer.ts";
import { StreamStart } from "./_stream_start.ts";
import { UnsupportedOperation } from "./errors.ts";

/** Python's `newline` argument. */
export type Newline = undefined | null | "" | "\n" | "\r" | "\r\n";

/** The allowed `newline` values. */
export const NEWLINES: readonly Newline[] = [undefined, null, "", "\n", "\r", "\r\n"];

const ANY_NEWLINE = /\r\n?/g;
const LINE_END = /\r\n?|\n/;

/** Text encoding and newline policy over a byte file. */
export class TextIO {
  /** The write side: newline translation, encoding, `write()`'s count. */
  readonly #writer: TextWriter;
  /** Universal newlines translated to `\n` on read (newline undefined/null). */
  readonly #translate: boolean;
  /** Lines end at any of `\r`, `\n`, `\r\n` (newline undefined, null or ""). */
  readonly #universal: boolean;
  /** The byte order mark's state: the start of the stream, and the codec reading at the position. */
  readonly #start: StreamStart;
  /** Characters of a replacement whose bytes are consumed, cut by a read's limit. Never a newline. */
  #pending = "";
  /** Whole lines read straight from the byte layer's buffer: plain UTF-8, and lines that end at "\n" (or any newline). */
  readonly #quick: QuickLines | undefined;
  /** The length in code points of what the last `#chunk` returned. */
  #count = 0;

  /** The byte layer; a rollover replaces it. */
  bytes: ByteIO;
  readonly errors: ErrorHandler;
  readonly newline: Newline;
  /** The encoding's name as given, which `file.encoding` reports, as Python's. */
  readonly encoding: string;

  constructor(
    bytes: ByteIO,
    codec: Codec,
    errors: ErrorHandler,
    newline: Newline,
    lineBuffering: boolean,
    platformNewline: string,
    encoding: string = codec.name,
  ) {
    this.bytes = bytes;
    this.errors = errors;
    this.newline = newline;
    this.encoding = encoding;
    this.#translate = newline == null;
    this.#universal = newline == null || newline === "";
    const writeNewline = newline == null ? platformNewline : newline === "" ? "\n" : newline;
    this.#writer = new TextWriter(codec, errors, writeNewline, lineBuffering);
    this.#start = new StreamStart(codec);
    this.#quick = isPlainUtf8(codec) && (newline == null || newline === "" || newline === "\n")
      ? new QuickLines(this.#universal, this.#translate)
      : undefined;
  }

  /** The length in code points of the text of the last write: Python's `write()` result. */
  get written(): number {
    return this.#writer.written;
  }

  /** The bytes that writing `text` puts in the file; sets {@linkcode TextIO.written}. */
  encode(text: string): Uint8Array {
    this.#quick?.forget();
    this.#pending = "";
    return this.#start.written(this.#writer.encode(text));
  }

  /**
   * Writes `text` into the byte layer's buffer without I/O when that is all a
   * write would do: UTF-8, no newline to translate, no flush due. Returns its
   * length in code points, or -1 for the full path.
   */
  tryWrite(text: string): number {
    this.#quick?.forget();
    const n = this.#writer.tryBuffer(text, this.bytes);
    if (n >= 0) this.#pending = "";
    return n;
  }

  /** Whether a write of `text` must be flushed at once (line buffering). */
  flushes(text: string): boolean {
    return this.#writer.flushes(text);
  }

  /** After the byte layer moved (a rollover): Python's new file seeks to the position, which sets its encoder. */
  restarted(position: number): void {
    this.#start.movedTo(position);
    // The lines decoded ahead were the memory's; the disk's buffer may be the same recycled array.
    this.#quick?.forget();
  }

  /**
   * Moves past `n` bytes read. A write after a read lands where the read
   * stopped, as after Python's `seek(tell())`: past byte 0, without a byte order mark.
   */
  #consume(n: number): void {
    this.bytes.consume(n);
    this.#start.readPast(n);
  }

  #out(text: string): string {
    return this.#translate ? text.replace(ANY_NEWLINE, "\n") : text;
  }

  /** Whether the unit at `at` in `view` is `\n`. */
  #isLf(view: Uint8Array, at: number): boolean {
    const lf = this.#start.decoder.lf;
    for (let i = 0; i < lf.length; i++) if (view[at + i] !== lf[i]) return false;
    return true;
  }

  /**
   * `text` (of `chars` characters) cut to `max` characters: a limit fell
   * inside an error handler's replacement, whose characters are one unit
   * each. The rest waits in `#pending` for the next read.
   */
  #cut(text: string, chars: number, max: number): string {
    if (chars <= max) return text;
    const at = text.length - (chars - max);
    this.#pending = text.slice(at);
    return text.slice(0, at);
  }

  /** Up to `max` characters of the pending replacement text. */
  #fromPending(max: number): string {
    const text = this.#pending.slice(0, max);
    this.#pending = this.#pending.slice(text.length);
    return text;
  }

  /** At byte 0, the byte order mark (see {@linkcode StreamStart.begin}); never inside a cut replacement. */
  *#startOfStream(): Gen<boolean> {
    return this.#pending === "" && (yield* this.#start.begin(this.bytes));
  }

  /**
   * Decodes and consumes the next characters, at most `maxChars` (at least
   * 1) before newline translation. A `\r` that may start a `\r\n` waits for its
   * successor. Returns "" at EOF, and the count after translation in `#count`.
   */
  *#chunk(maxChars: number): Gen<string> {
    if (this.#pending !== "") {
      const text = this.#fromPending(maxChars);
      this.#count = text.length;
      return text;
    }
    let min = 1;
    for (;;) {
      const view = yield* this.bytes.peek(min);
      if (view.length === 0) return "";
      const eof = view.length < min;
      let { text, used, chars } = this.#start.decoder.decode(view, maxChars, eof, this.errors);
      if (used === 0) {
        min = view.length + 4;
        continue;
      }
      if (chars > maxChars) {
        text = this.#cut(text, chars, maxChars);
        chars = maxChars;
      } else if (this.#translate && text.endsWith("\r")) {
        const unit = this.#start.decoder.unit;
        if (used + unit <= view.length) {
          if (this.#isLf(view, used)) {
            text += "\n";
            used += unit;
            chars++;
          }
        } else if (!eof) {
          min = used + unit;
          continue;
        }
      }
      this.#consume(used);
      min = 1;
      if (text === "") continue; // bytes the errors handler dropped
      const out = this.#out(text);
      this.#count = chars - (text.length - out.length);
      return out;
    }
  }

  /** Up to `size` characters, or everything to EOF when `size < 0`. */
  *read(size: number): Gen<string> {
    if (size === 0 || (yield* this.#startOfStream())) return "";
    if (size < 0) {
      const head = this.#pending;
      this.#pending = "";
      const data = yield* this.bytes.read(-1);
      this.#start.readPast(data.length);
      return head + this.#out(this.#start.decoder.decode(data, Infinity, true, this.errors).text);
    }
    let out = "";
    let got = 0;
    while (got < size) {
      const text = yield* this.#chunk(size - got);
      if (text === "") break;
      out += text;
      got += this.#count;
    }
    return out;
  }

  /** Where the line in `text` ends: the index after its terminator, or -1. */
  #lineEnd(text: string): number {
    if (this.#universal) {
      const m = LINE_END.exec(text);
      return m ? m.index + m[0].length : -1;
    }
    const nl = this.newline as string;
    const at = text.indexOf(nl);
    return at < 0 ? -1 : at + nl.length;
  }

  /** The next line when it is already buffered and the quick path can read it; else `undefined`, at no cost. */
  tryReadline(): string | undefined {
    return this.#pending === "" ? this.#quick?.next(this.bytes) : undefined;
  }

  *readline(limit: number): Gen<string> {
    const max = limit < 0 ? Infinity : limit;
    let line = "";
    let count = 0;
    if (this.#pending !== "") {
      line = this.#fromPending(max);
      count = line.length;
    } else if (max === 0 || (yield* this.#startOfStream())) return "";
    if (line === "" && max === Infinity && this.#quick) {
      const quick = yield* this.#quick.read(this.bytes);
      if (quick !== undefined) return quick;
    }
    let window = 128;
    let min = 1;
    while (count < max) {
      const view = yield* this.bytes.peek(min);
      if (view.length === 0) break;
      const eof = view.length < min;
      const d = this.#start.decoder.decode(view, Math.min(window, max - count), eof, this.errors);
      if (d.used === 0) {
        min = view.length + 4;
        continue;
      }
      min = 1;
      const unit = this.#start.decoder.unit;
      // A final "\r" may be the first half of "\r\n": look at the next unit.
      let lf = false;
      if (d.text.endsWith("\r") && (this.#universal || this.newline === "\r\n")) {
        if (d.used + unit > view.length && !eof) {
          min = d.used + unit;
          continue;
        }
        lf = d.used + unit <= view.length && this.#isLf(view, d.used);
      }
      const full = lf ? d.text + "\n" : d.text;
      const end = this.#lineEnd(full);
      if (end < 0) {
        // No terminator: take it all (a cut replacement's rest waits) and read on.
        this.#consume(d.used);
        const chars = Math.min(d.chars, max - count);
        const text = this.#cut(d.text, d.chars, chars);
        const out = this.#out(text);
        line += out;
        count += chars - (text.length - out.length);
        window *= 2;
        continue;
      }
      return line + this.#takeLine(view, d, full.slice(0, end), eof, max - count);
    }
    return line;
  }

  /**
   * Consumes the bytes of `piece`, a line that ends inside what `d` decoded
   * from `view` (or at a `\n` looked at after it), and returns it translated.
   * With `room` characters left, a `\r\n` may leave its `\n` to the next line.
   */
  #takeLine(view: Uint8Array, d: Decoded, piece: string, eof: boolean, room: number): string {
    let out = this.#out(piece);
    let used: number;
    if (piece.length > d.text.length) {
      // The terminator is "\r" + the "\n" looked at after the decoded text.
      used = d.used + this.#start.decoder.unit;
      const chars = d.chars + 1 - (piece.length - out.length);
      if (chars > room) out = out.slice(0, -1), used = d.used;
    } else if (piece.length === d.text.length) used = d.used;
    else used = this.#start.decoder.decode(view, codePoints(piece), eof, this.errors).used;
    this.#consume(used);
    return out;
  }

  /** Python's text seek: only `seek(cookie)`, `seek(0, 1)` and `seek(0, 2)`. */
  *seek(offset: number, whence: 0 | 1 | 2): Gen<number> {
    this.#quick?.forget();
    if (whence === 1 && offset !== 0) {
      throw new UnsupportedOperation("can't do nonzero cur-relative seeks");
    }
    if (whence === 2 && offset !== 0) {
      throw new UnsupportedOperation("can't do nonzero end-relative seeks");
    }
    if (offset < 0) throw new RangeError(`negative seek position ${offset}`);
    const at = yield* this.bytes.seek(offset, whence);
    // seek(0, 1) stays where it is, inside a cut replacement too.
    if (whence !== 1) this.#pending = "";
    this.#start.movedTo(at);
    return at;
  }
}
