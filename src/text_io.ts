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
import { type Codec, codePoints, encodeUtf8Into, type ErrorHandler, UnicodeError } from "./codecs.ts";
import { UnsupportedOperation } from "./errors.ts";

/** Python's `newline` argument. */
export type Newline = undefined | null | "" | "\n" | "\r" | "\r\n";

/** The allowed `newline` values. */
export const NEWLINES: readonly Newline[] = [undefined, null, "", "\n", "\r", "\r\n"];

const ANY_NEWLINE = /\r\n?/g;
const LINE_END = /\r\n?|\n/;

function startsWith(view: Uint8Array, mark: Uint8Array): boolean {
  if (view.length < mark.length) return false;
  for (let i = 0; i < mark.length; i++) if (view[i] !== mark[i]) return false;
  return true;
}

/** Text encoding and newline policy over a byte file. */
export class TextIO {
  /** `\n` is translated to this on write, unless it is `\n`. */
  readonly #writeNewline: string;
  /** Universal newlines translated to `\n` on read (newline undefined/null). */
  readonly #translate: boolean;
  /** Lines end at any of `\r`, `\n`, `\r\n` (newline undefined, null or ""). */
  readonly #universal: boolean;
  /** An encoding of exactly `text.length` bytes means no surrogate pair: the count needs no scan. */
  readonly #lengthTells: boolean;
  /** The codec reading at the position: the file's, or the byte order its byte order mark named. */
  #decoder: Codec;
  /** The next write starts the stream and puts the byte order mark first (Python's encoder state). */
  #bomPending = true;
  /** Characters of a replacement whose bytes are consumed, cut by a read's limit. Never a newline. */
  #pending = "";
  /** UTF-8 without a byte order mark: writes may take {@linkcode TextIO.tryWrite}. */
  readonly #plainUtf8: boolean;
  /** Whole lines read straight from the byte layer's buffer: plain UTF-8, and lines that end at "\n" (or any newline). */
  readonly #quick: QuickLines | undefined;
  /** The length in code points of the text of the last {@linkcode TextIO.encode}. */
  written = 0;
  /** The length in code points of what the last `#chunk` returned. */
  #count = 0;

  /** The byte layer; a rollover replaces it. */
  bytes: ByteIO;
  readonly codec: Codec;
  readonly errors: ErrorHandler;
  readonly newline: Newline;
  readonly lineBuffering: boolean;
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
    this.codec = codec;
    this.errors = errors;
    this.newline = newline;
    this.lineBuffering = lineBuffering;
    this.encoding = encoding;
    this.#translate = newline == null;
    this.#universal = newline == null || newline === "";
    this.#writeNewline = newline == null ? platformNewline : newline === "" ? "\n" : newline;
    this.#decoder = codec;
    this.#plainUtf8 = codec.name === "utf-8" && codec.bom === undefined;
    this.#quick = this.#plainUtf8 && (newline == null || newline === "" || newline === "\n")
      ? new QuickLines(this.#universal, this.#translate)
      : undefined;
    // Each surrogate pair costs more bytes than units, and only "ignore" in UTF-8 can make up for it.
    this.#lengthTells = codec.unit === 1 && !(codec.name.startsWith("utf-8") && errors === "ignore");
  }

  /** The bytes that writing `text` puts in the file; sets {@linkcode TextIO.written}. */
  encode(text: string): Uint8Array {
    this.#quick?.forget();
    const original = text;
    if (this.#writeNewline !== "\n" && text.includes("\n")) {
      text = text.replaceAll("\n", this.#writeNewline);
    }
    const data = this.codec.encode(text, this.errors);
    this.written = this.#lengthTells && text === original && data.length === text.length
      ? text.length
      : codePoints(original);
    this.#pending = "";
    const bom = this.codec.bom;
    if (bom === undefined || !this.#bomPending) return data;
    this.#bomPending = false;
    const out = new Uint8Array(bom.mark.length + data.length);
    out.set(bom.mark);
    out.set(data, bom.mark.length);
    return out;
  }

  /**
   * Writes `text` into the byte layer's buffer without I/O when that is all a
   * write would do: UTF-8, no newline to translate, no flush due. Returns its
   * length in code points, or -1 for the full path.
   */
  tryWrite(text: string): number {
    this.#quick?.forget();
    if (!this.#plainUtf8 || (this.#writeNewline !== "\n" && text.includes("\n")) || this.flushes(text)) {
      return -1;
    }
    if (!this.bytes.tryBufferText(text, 3 * text.length, encodeUtf8Into)) return -1;
    this.#pending = "";
    return this.written = codePoints(text);
  }

  /** Whether a write of `text` must be flushed at once (line buffering). */
  flushes(text: string): boolean {
    return this.lineBuffering && (text.includes("\n") || text.includes("\r"));
  }

  /** After the byte layer moved (a rollover): Python's new file seeks to the position, which sets its encoder. */
  restarted(position: number): void {
    this.#bomPending = position === 0;
    // The lines decoded ahead were the memory's; the disk's buffer may be the same recycled array.
    this.#quick?.forget();
  }

  /**
   * Moves past `n` bytes read. A write after a read lands where the read
   * stopped, as after Python's `seek(tell())`: past byte 0, without a byte order mark.
   */
  #consume(n: number): void {
    this.bytes.consume(n);
    if (n > 0) this.#bomPending = false;
  }

  #out(text: string): string {
    return this.#translate ? text.replace(ANY_NEWLINE, "\n") : text;
  }

  /** Whether the unit at `at` in `view` is `\n`. */
  #isLf(view: Uint8Array, at: number): boolean {
    const lf = this.#decoder.lf;
    for (let i = 0; i < lf.length; i++) if (view[at + i] !== lf[i]) return false;
    return true;
  }

  /** Up to `max` characters of the pending replacement text. */
  #fromPending(max: number): string {
    const text = this.#pending.slice(0, max);
    this.#pending = this.#pending.slice(text.length);
    return text;
  }

  /**
   * At byte 0 of a codec with a byte order mark, reads past the mark and
   * decodes in the order it names, as Python's decoder does at the start of a
   * stream. Returns true when what is there reads as nothing: a `utf-8-sig`
   * file holding only the start of a mark, which Python's decoder takes and waits on.
   */
  *#startOfStream(): Gen<boolean> {
    const bom = this.codec.bom;
    if (bom === undefined || this.#pending !== "" || (yield* this.bytes.tell()) !== 0) return false;
    const view = yield* this.bytes.peek(bom.mark.length);
    for (const [mark, codec] of bom.orders) {
      if (startsWith(view, mark)) {
        this.#consume(mark.length);
        this.#decoder = codec;
        return false;
      }
    }
    this.#decoder = this.codec;
    if (!bom.required) {
      if (view.length === 0 || view.length >= bom.mark.length || !startsWith(bom.mark, view)) return false;
      this.#consume(view.length); // the start of a mark, then EOF: Python's decoder takes it and waits
      return true;
    }
    if (view.length >= this.codec.unit) {
      throw new UnicodeError(`${this.codec.name.toUpperCase()} stream does not start with BOM`);
    }
    return false;
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
      let { text, used, chars } = this.#decoder.decode(view, maxChars, eof, this.errors);
      if (used === 0) {
        min = view.length + 4;
        continue;
      }
      let rest = "";
      if (chars > maxChars) {
        // The rest of a replacement (one unit per character) waits for the next read.
        const cut = text.length - (chars - maxChars);
        rest = text.slice(cut);
        text = text.slice(0, cut);
        chars = maxChars;
      } else if (this.#translate && text.endsWith("\r")) {
        const unit = this.#decoder.unit;
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
      this.#pending = rest;
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
      if (data.length > 0) this.#bomPending = false;
      return head + this.#out(this.#decoder.decode(data, Infinity, true, this.errors).text);
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
      yield* this.bytes.peek(1);
      const quick = this.#quick.next(this.bytes);
      if (quick !== undefined) return quick;
    }
    let window = 128;
    let min = 1;
    while (count < max) {
      const view = yield* this.bytes.peek(min);
      if (view.length === 0) break;
      const eof = view.length < min;
      const d = this.#decoder.decode(view, Math.min(window, max - count), eof, this.errors);
      if (d.used === 0) {
        min = view.length + 4;
        continue;
      }
      min = 1;
      const unit = this.#decoder.unit;
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
        let text = d.text;
        let chars = d.chars;
        if (chars > max - count) {
          const cut = text.length - (chars - (max - count));
          this.#pending = text.slice(cut);
          text = text.slice(0, cut);
          chars = max - count;
        }
        const out = this.#out(text);
        line += out;
        count += chars - (text.length - out.length);
        window *= 2;
        continue;
      }
      const piece = full.slice(0, end);
      let out = this.#out(piece);
      let used: number;
      if (end > d.text.length) {
        // The terminator is "\r" + the "\n" looked at; a limit may leave the "\n" to the next line.
        used = d.used + unit;
        const chars = d.chars + 1 - (piece.length - out.length);
        if (count + chars > max) out = out.slice(0, -1), used = d.used;
      } else if (end === d.text.length) used = d.used;
      else used = this.#decoder.decode(view, codePoints(piece), eof, this.errors).used;
      this.#consume(used);
      return line + out;
    }
    return line;
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
    this.#bomPending = at === 0;
    return at;
  }
}
