/**
 * How text becomes bytes on write: Python's newline translation, the codec
 * and its error handler, and `write()`'s return value, Python's `len()` in
 * code points. Plain UTF-8 writes that need no translation and no flush are
 * encoded straight into the byte layer's buffer.
 * @module
 */
import type { ByteIO } from "./_byte_io.ts";
import { type Codec, codePoints, encodeUtf8Into, type ErrorHandler, isPlainUtf8 } from "./codecs.ts";

/** The write side of one text file. */
export class TextWriter {
  readonly #codec: Codec;
  readonly #errors: ErrorHandler;
  /** `\n` is translated to this on write, unless it is `\n`. */
  readonly #newline: string;
  readonly #lineBuffering: boolean;
  /** An encoding of exactly `text.length` bytes means no surrogate pair: the count needs no scan. */
  readonly #lengthTells: boolean;
  /** UTF-8 without a byte order mark: writes may take {@linkcode TextWriter.tryBuffer}. */
  readonly #plainUtf8: boolean;
  /** The length in code points of the text of the last write. */
  written = 0;

  constructor(codec: Codec, errors: ErrorHandler, newline: string, lineBuffering: boolean) {
    this.#codec = codec;
    this.#errors = errors;
    this.#newline = newline;
    this.#lineBuffering = lineBuffering;
    this.#plainUtf8 = isPlainUtf8(codec);
    // Each surrogate pair costs more bytes than units, and only "ignore" in UTF-8 can make up for it.
    this.#lengthTells = codec.unit === 1 && !(codec.name.startsWith("utf-8") && errors === "ignore");
  }

  /** The bytes of `text` (no byte order mark); sets {@linkcode TextWriter.written}. */
  encode(text: string): Uint8Array {
    const original = text;
    if (this.#newline !== "\n" && text.includes("\n")) text = text.replaceAll("\n", this.#newline);
    const data = this.#codec.encode(text, this.#errors);
    this.written = this.#lengthTells && text === original && data.length === text.length
      ? text.length
      : codePoints(original);
    return data;
  }

  /**
   * Writes `text` into `bytes`' buffer without I/O when that is all a write
   * would do: UTF-8, no newline to translate, no flush due. Returns its length
   * in code points, or -1 for the full path.
   */
  tryBuffer(text: string, bytes: ByteIO): number {
    if (!this.#plainUtf8 || (this.#newline !== "\n" && text.includes("\n")) || this.flushes(text)) return -1;
    if (!bytes.tryBufferText(text, 3 * text.length, encodeUtf8Into)) return -1;
    return this.written = codePoints(text);
  }

  /** Whether a write of `text` must be flushed at once (line buffering). */
  flushes(text: string): boolean {
    return this.#lineBuffering && (text.includes("\n") || text.includes("\r"));
  }
}
