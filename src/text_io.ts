/**
 * Text over a {@linkcode ByteIO}: encoding, Python's newline handling and
 * line reading. It keeps no decoded text ahead of the position: each read
 * consumes exactly the bytes of the characters it returns, so `tell()` is a
 * byte offset and the byte layer can be swapped underneath (a rollover).
 * @module
 */
import type { Gen } from "./_requests.ts";
import type { ByteIO } from "./_byte_io.ts";
import type { Codec, ErrorHandler } from "./codecs.ts";
import { UnsupportedOperation } from "./errors.ts";

/** Python's `newline` argument. */
export type Newline = undefined | null | "" | "\n" | "\r" | "\r\n";

/** The allowed `newline` values. */
export const NEWLINES: readonly Newline[] = [undefined, null, "", "\n", "\r", "\r\n"];

const ANY_NEWLINE = /\r\n?/g;

/** Text encoding and newline policy over a byte file. */
export class TextIO {
  /** `\n` is translated to this on write, unless it is `\n`. */
  readonly #writeNewline: string;
  /** Universal newlines translated to `\n` on read (newline undefined/null). */
  readonly #translate: boolean;
  /** Lines end at any of `\r`, `\n`, `\r\n` (newline undefined, null or ""). */
  readonly #universal: boolean;

  constructor(
    public bytes: ByteIO,
    readonly codec: Codec,
    readonly errors: ErrorHandler,
    readonly newline: Newline,
    readonly lineBuffering: boolean,
    platformNewline: string,
  ) {
    this.#translate = newline == null;
    this.#universal = newline == null || newline === "";
    this.#writeNewline = newline == null ? platformNewline : newline === "" ? "\n" : newline;
  }

  /** The bytes that writing `text` puts in the file. */
  encode(text: string): Uint8Array {
    if (this.#writeNewline !== "\n" && text.includes("\n")) {
      text = text.replaceAll("\n", this.#writeNewline);
    }
    return this.codec.encode(text, this.errors);
  }

  /** Whether a write of `text` must be flushed at once (line buffering). */
  flushes(text: string): boolean {
    return this.lineBuffering && (text.includes("\n") || text.includes("\r"));
  }

  #out(text: string): string {
    return this.#translate ? text.replace(ANY_NEWLINE, "\n") : text;
  }

  /** Whether the unit at `at` in `view` is `\n`. */
  #isLf(view: Uint8Array, at: number): boolean {
    return view[at] === 0x0a && (this.codec.unit === 1 || view[at + 1] === 0);
  }

  /** Bytes used by the first `units` code units of `view`. */
  #bytesFor(view: Uint8Array, units: number, eof: boolean): number {
    return units === 0 ? 0 : this.codec.decode(view, units, eof, this.errors).used;
  }

  /**
   * Decodes and consumes the next characters, at most `maxUnits` before
   * newline translation. A `\r` that may start a `\r\n` waits for its
   * successor. Returns "" at EOF.
   */
  *#chunk(maxUnits: number): Gen<string> {
    const unit = this.codec.unit;
    let min = 1;
    for (;;) {
      const view = yield* this.bytes.peek(min);
      if (view.length === 0) return "";
      const eof = view.length < min;
      let { text, used } = this.codec.decode(view, maxUnits, eof, this.errors);
      if (used === 0) {
        min = view.length + 4;
        continue;
      }
      if (this.#translate && text.endsWith("\r")) {
        if (used + unit <= view.length) {
          if (this.#isLf(view, used)) {
            text += "\n";
            used += unit;
          }
        } else if (!eof) {
          min = used + unit;
          continue;
        }
      }
      this.bytes.consume(used);
      return this.#out(text);
    }
  }

  /** Up to `size` characters, or everything to EOF when `size < 0`. */
  *read(size: number): Gen<string> {
    if (size < 0) {
      const data = yield* this.bytes.read(-1);
      return this.#out(this.codec.decode(data, Infinity, true, this.errors).text);
    }
    let out = "";
    while (out.length < size) {
      const text = yield* this.#chunk(size - out.length);
      if (text === "") break;
      out += text;
    }
    return out;
  }

  /** Where the line in `text` ends: [index after the terminator, terminator length], or undefined. */
  #lineEnd(text: string): [number, number] | undefined {
    if (this.#universal) {
      const m = /\r\n?|\n/.exec(text);
      return m ? [m.index + m[0].length, m[0].length] : undefined;
    }
    const nl = this.newline as string;
    const at = text.indexOf(nl);
    return at < 0 ? undefined : [at + nl.length, nl.length];
  }

  /** The next line with its terminator, at most `limit` characters (`< 0`: no limit). */
  *readline(limit: number): Gen<string> {
    const max = limit < 0 ? Infinity : limit;
    const unit = this.codec.unit;
    let line = "";
    let window = 128;
    let min = 1;
    while (line.length < max) {
      const view = yield* this.bytes.peek(min);
      if (view.length === 0) break;
      const eof = view.length < min;
      const { text, used } = this.codec.decode(view, Math.min(window, max - line.length), eof, this.errors);
      if (used === 0) {
        min = view.length + 4;
        continue;
      }
      // A final "\r" may be the first half of "\r\n": look at the next unit.
      if (text.endsWith("\r") && (this.#universal || this.newline === "\r\n")) {
        if (used + unit > view.length && !eof) {
          min = used + unit;
          continue;
        }
        const lf = used + unit <= view.length && this.#isLf(view, used);
        if (lf || this.newline !== "\r\n") {
          const taken = text + (lf ? "\n" : "");
          const end = this.#lineEnd(taken)!;
          const inText = Math.min(end[0], text.length);
          this.bytes.consume(this.#bytesFor(view, inText, eof) + (end[0] - inText) * unit);
          return line + this.#out(taken.slice(0, end[0]));
        }
      }
      const end = this.#lineEnd(text);
      if (end !== undefined) {
        this.bytes.consume(this.#bytesFor(view, end[0], eof));
        return line + this.#out(text.slice(0, end[0]));
      }
      this.bytes.consume(used);
      line += this.#out(text);
      window *= 2;
      min = 1;
    }
    return line;
  }

  /** Python's text seek: only `seek(cookie)`, `seek(0, 1)` and `seek(0, 2)`. */
  *seek(offset: number, whence: 0 | 1 | 2): Gen<number> {
    if (whence !== 0 && offset !== 0) {
      throw new UnsupportedOperation("can't do nonzero cur-relative seeks in text mode");
    }
    return yield* this.bytes.seek(offset, whence);
  }
}
