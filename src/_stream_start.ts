/**
 * Python's start-of-stream state of a text file, which only codecs with a
 * byte order mark (utf-8-sig, utf-16, utf-32) use: the writer puts the mark
 * first when a write starts the stream, and the reader at byte 0 reads past
 * the mark and decodes in the byte order it names.
 * @module
 */
import type { ByteIO } from "./_byte_io.ts";
import type { Gen } from "./_requests.ts";
import { type Codec, UnicodeError } from "./codecs.ts";

function startsWith(view: Uint8Array, mark: Uint8Array): boolean {
  if (view.length < mark.length) return false;
  for (let i = 0; i < mark.length; i++) if (view[i] !== mark[i]) return false;
  return true;
}

/** Where a text stream starts, for one file's codec. */
export class StreamStart {
  readonly #codec: Codec;
  /** The codec reading at the position: the file's, or the byte order its mark named. */
  decoder: Codec;
  /** The next write starts the stream and puts the byte order mark first (Python's encoder state). */
  #markPending = true;

  constructor(codec: Codec) {
    this.#codec = codec;
    this.decoder = codec;
  }

  /** `data` as a write puts it in the file: after the mark when the write starts the stream. */
  written(data: Uint8Array): Uint8Array {
    const bom = this.#codec.bom;
    if (bom === undefined || !this.#markPending) return data;
    this.#markPending = false;
    const out = new Uint8Array(bom.mark.length + data.length);
    out.set(bom.mark);
    out.set(data, bom.mark.length);
    return out;
  }

  /**
   * The position is now `position`: a seek, or a rollover, after which
   * Python's new file seeks there. Byte 0 starts the stream again.
   */
  movedTo(position: number): void {
    this.#markPending = position === 0;
  }

  /**
   * Bytes were read: a write after them lands where the read stopped, as
   * after Python's `seek(tell())`: past byte 0, without a mark.
   */
  readPast(n: number): void {
    if (n > 0) this.#markPending = false;
  }

  /**
   * At byte 0, reads past the mark and decodes in the order it names, as
   * Python's decoder does at the start of a stream. Returns true when what is
   * there reads as nothing: a `utf-8-sig` file holding only the start of a
   * mark, which Python's decoder takes and waits on.
   */
  *begin(bytes: ByteIO): Gen<boolean> {
    const bom = this.#codec.bom;
    if (bom === undefined || (yield* bytes.tell()) !== 0) return false;
    const view = yield* bytes.peek(bom.mark.length);
    for (const [mark, codec] of bom.orders) {
      if (startsWith(view, mark)) {
        this.#consume(bytes, mark.length);
        this.decoder = codec;
        return false;
      }
    }
    this.decoder = this.#codec;
    if (!bom.required) {
      if (view.length === 0 || view.length >= bom.mark.length || !startsWith(bom.mark, view)) return false;
      this.#consume(bytes, view.length); // the start of a mark, then EOF: Python's decoder takes it and waits
      return true;
    }
    if (view.length >= this.#codec.unit) {
      throw new UnicodeError(`${this.#codec.name.toUpperCase()} stream does not start with BOM`);
    }
    return false;
  }

  #consume(bytes: ByteIO, n: number): void {
    bytes.consume(n);
    this.readPast(n);
  }
}
