/**
 * Text encodings for text-mode files: UTF-8, UTF-16LE and Latin-1 (true
 * ISO-8859-1, not the WHATWG windows-1252 alias), each with Python's
 * `"strict"` and `"replace"` error handlers.
 * @module
 */

/** Python's `errors` argument, the handlers supported here. */
export type ErrorHandler = "strict" | "replace";

/** Decoded text and how many bytes it used. */
export interface Decoded {
  text: string;
  used: number;
}

/** One encoding. */
export interface Codec {
  /** The canonical name, as Python reports it in `file.encoding`. */
  readonly name: string;
  /** Bytes per `"\n"`. */
  readonly unit: number;
  encode(text: string, errors: ErrorHandler): Uint8Array;
  /**
   * Decodes whole characters from the start of `bytes`, at most `maxUnits`
   * UTF-16 code units (at least one character when there are bytes). A
   * character cut at the end is left unless `final`.
   */
  decode(bytes: Uint8Array, maxUnits: number, final: boolean, errors: ErrorHandler): Decoded;
}

/** Thrown for text that cannot be encoded or decoded with `errors: "strict"`. */
export class UnicodeError extends TypeError {
  /** Always `"UnicodeError"`. */
  override name = "UnicodeError";
}

const utf8Encoder = new TextEncoder();
const decoders = new Map<string, TextDecoder>();
function decoder(label: string, errors: ErrorHandler): TextDecoder {
  const key = label + errors;
  let d = decoders.get(key);
  if (d === undefined) {
    d = new TextDecoder(label, { fatal: errors === "strict", ignoreBOM: true });
    decoders.set(key, d);
  }
  return d;
}

function decodeWith(label: string, name: string, bytes: Uint8Array, errors: ErrorHandler): string {
  try {
    return decoder(label, errors).decode(bytes);
  } catch {
    throw new UnicodeError(`'${name}' codec can't decode bytes: invalid data`);
  }
}

function checkWellFormed(text: string, name: string, errors: ErrorHandler): string {
  if (text.isWellFormed()) return text;
  if (errors === "strict") throw new UnicodeError(`'${name}' codec can't encode lone surrogates`);
  return text.toWellFormed();
}

const utf8: Codec = {
  name: "utf-8",
  unit: 1,
  encode: (text, errors) => utf8Encoder.encode(checkWellFormed(text, "utf-8", errors)),
  decode(bytes, maxUnits, final, errors) {
    let i = 0;
    let units = 0;
    const n = bytes.length;
    while (i < n) {
      const b = bytes[i];
      const len = b < 0x80 ? 1 : b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      const u = len === 4 ? 2 : 1;
      if (units + u > maxUnits && units > 0) break;
      if (i + len > n) {
        if (final) i = n;
        break;
      }
      i += len;
      units += u;
    }
    return { text: decodeWith("utf-8", "utf-8", bytes.subarray(0, i), errors), used: i };
  },
};

const utf16le: Codec = {
  name: "utf-16-le",
  unit: 2,
  encode(text, errors) {
    const s = checkWellFormed(text, "utf-16-le", errors);
    const out = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out[2 * i] = c & 0xff;
      out[2 * i + 1] = c >> 8;
    }
    return out;
  },
  decode(bytes, maxUnits, final, errors) {
    const whole = bytes.length >> 1;
    let units = Math.min(whole, maxUnits);
    const last = units > 0 ? bytes[2 * units - 2] | (bytes[2 * units - 1] << 8) : 0;
    if (last >= 0xd800 && last < 0xdc00) {
      // Never end on the first half of a surrogate pair while more may follow.
      if (units < whole) units = units > 1 ? units - 1 : units + 1;
      else if (!final) units--;
    }
    // At the end, a lone trailing byte goes to the decoder to be reported.
    const used = final && units === whole ? bytes.length : 2 * units;
    return { text: decodeWith("utf-16le", "utf-16-le", bytes.subarray(0, used), errors), used };
  },
};

const latin1: Codec = {
  name: "latin-1",
  unit: 1,
  encode(text, errors) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0xff) {
        if (errors === "strict") {
          throw new UnicodeError(`'latin-1' codec can't encode character at position ${i}`);
        }
        out[i] = 0x3f; // "?", as Python's replace handler writes
      } else out[i] = c;
    }
    return out;
  },
  decode(bytes, maxUnits) {
    const used = Math.min(bytes.length, maxUnits);
    let text = "";
    for (let i = 0; i < used; i += 8192) {
      text += String.fromCharCode(...bytes.subarray(i, Math.min(used, i + 8192)));
    }
    return { text, used };
  },
};

const ALIASES: Record<string, Codec> = {
  "utf-8": utf8,
  "utf8": utf8,
  "u8": utf8,
  "utf-16le": utf16le,
  "utf-16-le": utf16le,
  "utf16le": utf16le,
  "latin1": latin1,
  "latin-1": latin1,
  "iso-8859-1": latin1,
  "iso8859-1": latin1,
  "l1": latin1,
};

/** The codec for a Python encoding name, or `undefined` when unsupported. */
export function lookupCodec(name: string): Codec | undefined {
  return ALIASES[name.toLowerCase().replaceAll("_", "-")];
}
