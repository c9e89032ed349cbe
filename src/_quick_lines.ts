/**
 * The quick path of text `readline`: whole lines of plain UTF-8 read straight
 * from the byte layer's own buffer. A buffer's lines are decoded in one call
 * and handed out while the byte layer still shows that buffer at that
 * position; anything unusual (a `\r` at the buffer's end, invalid bytes, a
 * line longer than the buffer) is left to the general path in `TextIO`.
 * @module
 */
import type { ByteIO } from "./_byte_io.ts";
import { backend } from "./backend.ts";
import type { Gen } from "./_requests.ts";

/**
 * `bytes` as UTF-8, or `undefined` if they may hold invalid sequences. Not a
 * fatal decoder, which costs Deno 4x: a U+FFFD in the result sends the text
 * to the general path, whose error handlers decide. Python's utf-8 keeps a U+FEFF.
 */
function validUtf8(bytes: Uint8Array): string | undefined {
  const text = backend().decodeUtf8(bytes);
  return text.includes("\ufffd") ? undefined : text;
}

/** Lines decoded ahead. */
interface Ahead {
  /** The byte layer's generation of the range the text was decoded from. */
  generation: number;
  /** Where in it the next line starts. */
  next: number;
  /** Where the decoded bytes end. */
  end: number;
  text: string;
  /** Where in `text` the next line starts. */
  at: number;
}

/** Whole lines of one text file, for files in plain UTF-8 whose lines end at `\n` (or, universally, any newline). */
export class QuickLines {
  /** Lines end at `\r`, `\n` or `\r\n` (newline undefined, null or ""). */
  readonly #universal: boolean;
  /** `\r\n` and `\r` become `\n` (newline undefined or null). */
  readonly #translate: boolean;
  /** Valid while the byte layer's generation stays and its range starts at `next`; writes and seeks also call `forget`. */
  #ahead: Ahead | undefined;

  constructor(universal: boolean, translate: boolean) {
    this.#universal = universal;
    this.#translate = translate;
  }

  /** Drops the lines decoded ahead: a write or seek has changed what the buffer means. */
  forget(): void {
    this.#ahead = undefined;
  }

  /**
   * The next whole line when the buffered bytes hold it and it is valid
   * UTF-8; `undefined` sends the caller down the general path, which handles
   * the rest (a `\r` at the buffer's end, long lines, error handlers). Lines
   * are what a Python program reads most; this path decodes each once.
   */
  next(bytes: ByteIO): string | undefined {
    const buf = bytes.aheadBuffer;
    const start = bytes.aheadStart;
    const stop = bytes.aheadEnd;
    if (start === stop) return undefined;
    let a = this.#ahead;
    // The bytes at `start` are still those decoded only if the generation and the position are.
    if (a === undefined || a.generation !== bytes.aheadGeneration || a.next !== start || stop < a.end) {
      a = this.#ahead = this.#decode(buf, start, stop, bytes.aheadGeneration);
    }
    if (a !== undefined) {
      const end = a.text.indexOf("\n", a.at) + 1;
      const nl = buf.indexOf(0x0a, start) + 1;
      if (end > 0 && nl > 0 && nl <= a.end) {
        const line = a.text.slice(a.at, end);
        a.at = end;
        a.next = nl;
        bytes.consume(nl - start);
        return line;
      }
      this.#ahead = undefined;
    }
    const view = buf.subarray(start, stop);
    const n = view.length;
    const universal = this.#universal;
    let i = 0;
    while (i < n && view[i] !== 0x0a && !(universal && view[i] === 0x0d)) i++;
    if (i === n) return undefined;
    let used = i + 1;
    let keep = used;
    let tail = "";
    if (view[i] === 0x0d) {
      if (i + 1 === n) return undefined; // a "\n" may follow
      if (view[i + 1] === 0x0a) used++;
      if (this.#translate) keep = i, tail = "\n";
      else keep = used;
    }
    const text = validUtf8(view.subarray(0, keep));
    if (text === undefined) return undefined;
    bytes.consume(used);
    return text + tail;
  }

  /**
   * The next line as {@linkcode QuickLines.next} gives it, reading first.
   * A line across the buffer's end has its head moved to the front and the
   * rest read behind it, so that it is decoded with the lines after it in one
   * call, not piece by piece by the general path.
   */
  *read(bytes: ByteIO): Gen<string | undefined> {
    yield* bytes.peek(1);
    const line = this.next(bytes);
    const start = bytes.aheadStart;
    const left = bytes.aheadEnd - start;
    if (line !== undefined || start === 0 || left === 0) return line;
    if (bytes.aheadBuffer.subarray(start, start + left).includes(0x0a)) return undefined; // invalid bytes
    yield* bytes.peek(left + 1);
    return this.next(bytes);
  }

  /** The buffered bytes' whole lines, decoded at once; `undefined` when a `\r` or invalid bytes need the line-by-line path. */
  #decode(buffer: Uint8Array, start: number, stop: number, generation: number): Ahead | undefined {
    const end = buffer.lastIndexOf(0x0a, stop - 1) + 1;
    if (end <= start) return undefined;
    const text = validUtf8(buffer.subarray(start, end));
    if (text === undefined || (this.#universal && text.includes("\r"))) return undefined;
    return { generation, next: start, end, text, at: 0 };
  }
}
