/**
 * Python's text encodings for text-mode files, under Python's names and
 * aliases: UTF-8 (and `utf-8-sig`), UTF-16 and UTF-32 (with a byte order mark,
 * or `-le`/`-be`), ASCII, Latin-1 (true ISO-8859-1) and cp1252, each with
 * Python's error handlers and the same output for the same input, down to
 * which bytes one `U+FFFD` replaces. Counts and limits are in code points, as
 * Python's `len()`.
 * @module
 */

/** Python's `errors` argument: what encoding and decoding do with what they cannot convert. */
export type ErrorHandler =
  | "strict"
  | "ignore"
  | "replace"
  | "backslashreplace"
  | "surrogateescape"
  | "xmlcharrefreplace";

/** Every supported {@linkcode ErrorHandler}. */
export const ERROR_HANDLERS: readonly ErrorHandler[] = [
  "strict",
  "ignore",
  "replace",
  "backslashreplace",
  "surrogateescape",
  "xmlcharrefreplace",
];

/** Decoded text, the bytes it used and its length in code points. */
export interface Decoded {
  text: string;
  used: number;
  chars: number;
}

/** A byte order mark: written at the start of a stream and read there. */
export interface Bom {
  /** What a write at the start of the stream puts first. */
  readonly mark: Uint8Array;
  /** Each mark a stream may start with, and the codec that decodes what follows it. */
  readonly orders: readonly (readonly [Uint8Array, Codec])[];
  /** Whether a stream without a mark is an error (UTF-16, UTF-32) rather than plain text (UTF-8-sig). */
  readonly required: boolean;
}

/** One encoding. */
export interface Codec {
  /** Python's name for the codec, as in its error messages. */
  readonly name: string;
  /** Bytes per code unit: 1, 2 or 4. */
  readonly unit: number;
  /** `"\n"` in this encoding. */
  readonly lf: Uint8Array;
  /** The byte order mark of `utf-8-sig`, `utf-16` and `utf-32`. */
  readonly bom?: Bom;
  encode(text: string, errors: ErrorHandler): Uint8Array;
  /**
   * Decodes whole characters from the start of `bytes` until `maxChars` code
   * points are decoded or the bytes end. One error replacement is never cut,
   * so `chars` may pass `maxChars` by the rest of it. A character cut at the
   * end is left unless `final`.
   */
  decode(bytes: Uint8Array, maxChars: number, final: boolean, errors: ErrorHandler): Decoded;
}

/** Thrown for text that cannot be encoded or decoded with `errors: "strict"`, as Python's UnicodeError. */
export class UnicodeError extends TypeError {
  /** Always `"UnicodeError"`. */
  override name = "UnicodeError";
}

const SURROGATE = /[\ud800-\udfff]/;

/** The length of `text` in code points, as Python's `len()`: a surrogate pair counts once. */
export function codePoints(text: string): number {
  let n = text.length;
  // A short string is scanned faster by hand than by a regular expression.
  if (n > 32 && !SURROGATE.test(text)) return n;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) n--, i++;
    }
  }
  return n;
}

/**
 * Encodes `text` as UTF-8 into `buf` from `at`, which has room for
 * `3 * text.length` bytes; returns the end, or -1 at a lone surrogate (the
 * caller then takes the error handler's path). For short strings a loop beats
 * TextEncoder, whose every call allocates.
 */
export function encodeUtf8Into(text: string, buf: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) buf[at++] = c;
    else if (c < 0x800) {
      buf[at++] = 0xc0 | (c >> 6);
      buf[at++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c >= 0xe000) {
      buf[at++] = 0xe0 | (c >> 12);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    } else {
      const d = text.charCodeAt(i + 1);
      if (c >= 0xdc00 || !(d >= 0xdc00 && d < 0xe000)) return -1;
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
      buf[at++] = 0xf0 | (c >> 18);
      buf[at++] = 0x80 | ((c >> 12) & 0x3f);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** A code point as Python's backslashreplace writes it. */
const escaped = (cp: number): string =>
  cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;

/** For encodeEach: UTF-16 and UTF-32 cannot encode a lone surrogate. */
const notSurrogate = (cp: number): number => (cp >= 0xd800 && cp <= 0xdfff ? -1 : cp);

// ---------------------------------------------------------------- encoding

/** What an unencodable code point becomes: ASCII text, or a raw byte (surrogateescape). */
function encodeError(name: string, reason: string, at: number, cp: number, errors: ErrorHandler) {
  switch (errors) {
    case "ignore":
      return "";
    case "replace":
      return "?";
    case "backslashreplace":
      return escaped(cp);
    case "xmlcharrefreplace":
      return `&#${cp};`;
    case "surrogateescape":
      if (cp >= 0xdc80 && cp <= 0xdcff) return cp - 0xdc00;
  }
  throw new UnicodeError(
    `'${name}' codec can't encode character '${escaped(cp)}' in position ${at}: ${reason}`,
  );
}

/** A growable byte array. */
class Bytes {
  buf: Uint8Array;
  len = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(size, 16));
  }
  room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.len + n, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/**
 * Encodes code point by code point: `map` gives the value to write (a byte,
 * a UTF-16 or UTF-32 value, or for `width` 3 a code point written as UTF-8)
 * or -1 when the codec has none; unencodable ones go through the error
 * handler, whose ASCII text is written in the same encoding.
 */
function encodeEach(
  text: string,
  errors: ErrorHandler,
  name: string,
  reason: string,
  width: 1 | 2 | 3 | 4,
  bigEndian: boolean,
  map: (cp: number) => number,
): Uint8Array {
  const out = new Bytes(text.length * width);
  const put = (v: number): void => {
    if (width === 3) out.len = encodeUtf8Into(String.fromCodePoint(v), out.buf, out.len);
    else if (width === 1) out.buf[out.len++] = v;
    else if (width === 2) {
      if (v > 0xffff) {
        put(0xd800 + ((v - 0x10000) >> 10));
        v = 0xdc00 + ((v - 0x10000) & 0x3ff);
      }
      out.room(2);
      out.buf[out.len + (bigEndian ? 1 : 0)] = v & 0xff;
      out.buf[out.len + (bigEndian ? 0 : 1)] = v >> 8;
      out.len += 2;
    } else {
      for (let k = 0; k < 4; k++) out.buf[out.len + (bigEndian ? 3 - k : k)] = (v >>> (8 * k)) & 0xff;
      out.len += 4;
    }
  };
  let at = 0; // position in code points, for the message
  for (let i = 0; i < text.length; i++, at++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const v = map(cp);
    out.room(4);
    if (v >= 0) {
      put(v);
      continue;
    }
    const rep = encodeError(name, reason, at, cp, errors);
    if (typeof rep === "number") {
      // A raw byte: only where a byte is a whole unit, as Python.
      if (width === 2 || width === 4) encodeError(name, reason, at, cp, "strict");
      out.buf[out.len++] = rep;
      continue;
    }
    out.room(rep.length * width);
    for (let k = 0; k < rep.length; k++) put(rep.charCodeAt(k));
  }
  return out.done();
}

let encoder: TextEncoder | undefined; // made on first use: nothing runs at import

function encodeUtf8(text: string, errors: ErrorHandler): Uint8Array {
  if (text.isWellFormed()) return (encoder ??= new TextEncoder()).encode(text);
  // Lone surrogates: each goes through the handler.
  return encodeEach(text, errors, "utf-8", "surrogates not allowed", 3, false, notSurrogate);
}

/** Well-formed text as UTF-16-LE: its code units as they are. */
function encodeUtf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out;
}

// ---------------------------------------------------------------- decoding

/** What a decoding step found: a code point (>= 0), an error, or a character cut at the end. */
const ERROR = -1;
const INCOMPLETE = -2;
/** Set by each step: the bytes of its character or of its error range, and the error's reason. */
let stepLen = 0;
let stepReason = "";

/** One character (or one error range) at `i`, with CPython's error ranges. */
type Step = (b: Uint8Array, i: number, final: boolean) => number;

function fail(len: number, reason: string): number {
  stepLen = len;
  stepReason = reason;
  return ERROR;
}

const utf8Step: Step = (b, i, final) => {
  const c = b[i];
  if (c < 0x80) return stepLen = 1, c;
  let need: number;
  let cp: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2, cp = c & 0x0f;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3, cp = c & 0x07;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return fail(1, "invalid start byte");
  for (let k = 1; k <= need; k++) {
    if (i + k >= b.length) return final ? fail(k, "unexpected end of data") : INCOMPLETE;
    const d = b[i + k];
    if (d < lo || d > hi) return fail(k, "invalid continuation byte");
    lo = 0x80, hi = 0xbf;
    cp = (cp << 6) | (d & 0x3f);
  }
  stepLen = need + 1;
  return cp;
};

/** UTF-16 (`unit` 2) or UTF-32 (`unit` 4) in one byte order. */
function wideStep(unit: 2 | 4, bigEndian: boolean): Step {
  const read = (b: Uint8Array, i: number) => {
    let v = 0;
    for (let k = 0; k < unit; k++) v += b[i + k] * 256 ** (bigEndian ? unit - 1 - k : k);
    return v;
  };
  return (b, i, final) => {
    const n = b.length;
    if (i + unit > n) return final ? fail(n - i, "truncated data") : INCOMPLETE;
    const u = read(b, i);
    if (unit === 4) {
      if (u > 0x10ffff) return fail(4, "code point not in range(0x110000)");
      if (u >= 0xd800 && u <= 0xdfff) {
        return fail(4, "code point in surrogate code point range(0xd800, 0xe000)");
      }
      return stepLen = 4, u;
    }
    if (u < 0xd800 || u > 0xdfff) return stepLen = 2, u;
    if (u >= 0xdc00) return fail(2, "illegal encoding");
    if (i + 4 > n) return final ? fail(n - i, "unexpected end of data") : INCOMPLETE;
    const v = read(b, i + 2);
    if (v < 0xdc00 || v > 0xdfff) return fail(2, "illegal UTF-16 surrogate");
    stepLen = 4;
    return 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
  };
}

/** What the bytes `b[s..e)` that failed to decode become. */
function decodeError(name: string, b: Uint8Array, s: number, e: number, errors: ErrorHandler): string {
  switch (errors) {
    case "ignore":
      return "";
    case "replace":
      return "\ufffd";
    case "backslashreplace": {
      let out = "";
      for (let k = s; k < e; k++) out += `\\x${hex(b[k], 2)}`;
      return out;
    }
    case "surrogateescape": {
      let out = "";
      for (let k = s; k < e && b[k] >= 0x80; k++) out += String.fromCharCode(0xdc00 + b[k]);
      if (out.length === e - s) return out;
      break; // a byte below 128 cannot be escaped: the error stands
    }
    case "xmlcharrefreplace":
      throw new TypeError("don't know how to handle UnicodeDecodeError in error callback");
  }
  const what = e - s === 1 ? `byte 0x${hex(b[s], 2)}` : `bytes in position ${s}-${e - 1}`;
  throw new UnicodeError(`'${name}' codec can't decode ${what}: ${stepReason}`);
}

/** Decodes step by step, through the error handler: the exact path, used when the fast one cannot be. */
function decodeSteps(
  name: string,
  step: Step,
  b: Uint8Array,
  maxChars: number,
  final: boolean,
  errors: ErrorHandler,
): Decoded {
  let text = "";
  let codes: number[] = [];
  let i = 0;
  let chars = 0;
  while (i < b.length && chars < maxChars) {
    const cp = step(b, i, final);
    if (cp === INCOMPLETE) break;
    if (cp >= 0) {
      codes.push(cp);
      chars++;
      if (codes.length >= 4096) text += String.fromCodePoint(...codes), codes = [];
    } else {
      const rep = decodeError(name, b, i, i + stepLen, errors);
      text += String.fromCodePoint(...codes) + rep;
      codes = [];
      chars += rep.length; // replacements are BMP text: one unit per code point
    }
    i += stepLen;
  }
  return { text: text + String.fromCodePoint(...codes), used: i, chars };
}

const fatal = new Map<string, TextDecoder>();

/**
 * The fast path of UTF-8 and UTF-16-LE: the first `used` bytes (`chars`
 * characters, cut by the caller at a character's end) validated and decoded
 * natively, the rest (a cut character) step by step; all step by step when
 * the native decoder finds an error.
 */
function decodeNative(
  label: string,
  name: string,
  step: Step,
  used: number,
  chars: number,
  bytes: Uint8Array,
  maxChars: number,
  final: boolean,
  errors: ErrorHandler,
): Decoded {
  let d = fatal.get(label);
  if (d === undefined) fatal.set(label, d = new TextDecoder(label, { fatal: true, ignoreBOM: true }));
  let text: string;
  try {
    text = d.decode(bytes.subarray(0, used));
  } catch {
    return decodeSteps(name, step, bytes, maxChars, final, errors);
  }
  if (used === bytes.length || chars >= maxChars) return { text, used, chars };
  const tail = decodeSteps(name, step, bytes.subarray(used), maxChars - chars, final, errors);
  return { text: text + tail.text, used: used + tail.used, chars: chars + tail.chars };
}

const LF1 = new Uint8Array([0x0a]);

const utf8: Codec = {
  name: "utf-8",
  unit: 1,
  lf: LF1,
  encode: encodeUtf8,
  decode(bytes, maxChars, final, errors) {
    // Fast path: find the cut by lead bytes alone, then validate natively.
    let i = 0;
    let chars = 0;
    const n = bytes.length;
    while (i < n && chars < maxChars) {
      const c = bytes[i];
      const len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
      if (i + len > n) break;
      i += len;
      chars++;
    }
    // A tail too short for its lead byte is cut, or an error.
    return decodeNative("utf-8", "utf-8", utf8Step, i, chars, bytes, maxChars, final, errors);
  },
};

/** UTF-16 (`unit` 2) or UTF-32 (`unit` 4) in one byte order. */
function wideCodec(unit: 2 | 4, bigEndian: boolean): Codec {
  const name = `utf-${unit * 8}-${bigEndian ? "be" : "le"}`;
  const step = wideStep(unit, bigEndian);
  const lf = new Uint8Array(unit);
  lf[bigEndian ? unit - 1 : 0] = 0x0a;
  return {
    name,
    unit,
    lf,
    encode: (text, errors) =>
      unit === 2 && !bigEndian && text.isWellFormed()
        ? encodeUtf16le(text)
        : encodeEach(text, errors, name, "surrogates not allowed", unit, bigEndian, notSurrogate),
    decode(bytes, maxChars, final, errors) {
      if (unit === 4 || bigEndian) return decodeSteps(name, step, bytes, maxChars, final, errors);
      // Fast path: count code points by units, stop before a cut pair, validate natively.
      const units = bytes.length >> 1;
      let u = 0;
      let chars = 0;
      while (u < units && chars < maxChars) {
        const c = bytes[2 * u + 1];
        if (c >= 0xd8 && c < 0xdc) {
          if (u + 1 >= units) break;
          u++;
        }
        u++;
        chars++;
      }
      return decodeNative("utf-16le", name, step, 2 * u, chars, bytes, maxChars, final, errors);
    },
  };
}

/** A one-byte codec from its table of the 256 code points (-1: undefined byte). */
function singleByteCodec(name: string, table: Int32Array, reason: string): Codec {
  const toByte = new Map<number, number>();
  table.forEach((cp, byte) => cp >= 0 && toByte.set(cp, byte));
  const identity = table[0xff] === 0xff && table[0x80] === 0x80;
  const map = (cp: number) => (cp < 0x80 || (identity && cp < 0x100) ? cp : toByte.get(cp) ?? -1);
  const step: Step = (b, i) => {
    const cp = table[b[i]];
    return cp < 0 ? fail(1, "character maps to <undefined>") : (stepLen = 1, cp);
  };
  return {
    name,
    unit: 1,
    lf: LF1,
    encode(text, errors) {
      // One byte per character while every one maps; the error handlers' path otherwise.
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const v = map(text.charCodeAt(i));
        if (v < 0) return encodeEach(text, errors, name, reason, 1, false, map);
        out[i] = v;
      }
      return out;
    },
    decode(bytes, maxChars, _final, errors) {
      const used = Math.min(bytes.length, maxChars);
      let plain = identity;
      if (!plain) {
        plain = true;
        for (let i = 0; plain && i < used; i++) plain = bytes[i] < 0x80;
      }
      if (!plain) return decodeSteps(name, step, bytes, maxChars, true, errors);
      let text = "";
      for (let i = 0; i < used; i += 8192) {
        text += String.fromCharCode(...bytes.subarray(i, Math.min(used, i + 8192)));
      }
      return { text, used, chars: used };
    },
  };
}

/** A codec that writes `mark` first and reads the byte order from the mark at the start. */
function withBom(name: string, native: Codec, orders: [Uint8Array, Codec][], required: boolean): Codec {
  return { ...native, name, bom: { mark: orders[0][0], orders, required } };
}

const bytesOf = (...b: number[]) => new Uint8Array(b);

// cp1252 differs from Latin-1 in 0x80-0x9F: these code points, and five undefined bytes (-1).
// deno-fmt-ignore
const CP1252_HIGH = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
  -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

/**
 * Python's codec module name (first) and its aliases (`encodings.aliases`),
 * normalized, per codec below.
 */
const NAMES = {
  utf8: "utf_8 u8 utf utf8 utf8_ucs2 utf8_ucs4 cp65001",
  utf8sig: "utf_8_sig",
  utf16: "utf_16 u16 utf16",
  utf16le: "utf_16_le utf_16le unicodelittleunmarked",
  utf16be: "utf_16_be utf_16be unicodebigunmarked",
  utf32: "utf_32 u32 utf32",
  utf32le: "utf_32_le utf_32le",
  utf32be: "utf_32_be utf_32be",
  ascii: "ascii 646 ansi_x3.4_1968 ansi_x3_4_1968 ansi_x3.4_1986 cp367 csascii ibm367 iso646_us " +
    "iso_646.irv_1991 iso_ir_6 us us_ascii",
  latin1:
    "latin_1 8859 cp819 csisolatin1 ibm819 iso8859 iso8859_1 iso_8859_1 iso_8859_1_1987 iso_ir_100 l1 " +
    "latin latin1",
  cp1252: "cp1252 1252 windows_1252",
};

/** Every codec, made on first use: nothing runs at import. */
function codecs(): Record<keyof typeof NAMES, Codec> {
  const latin1Table = new Int32Array(256).map((_, i) => i);
  const asciiTable = new Int32Array(256).map((_, i) => (i < 0x80 ? i : -1));
  const cp1252Table = latin1Table.slice();
  CP1252_HIGH.forEach((cp, i) => cp1252Table[0x80 + i] = cp);
  const utf16le = wideCodec(2, false);
  const utf16be = wideCodec(2, true);
  const utf32le = wideCodec(4, false);
  const utf32be = wideCodec(4, true);
  return {
    utf8,
    utf8sig: withBom("utf-8-sig", utf8, [[bytesOf(0xef, 0xbb, 0xbf), utf8]], false),
    // Python writes the native byte order; every platform this library runs on is little-endian.
    utf16: withBom("utf-16", utf16le, [[bytesOf(0xff, 0xfe), utf16le], [bytesOf(0xfe, 0xff), utf16be]], true),
    utf16le,
    utf16be,
    utf32: withBom(
      "utf-32",
      utf32le,
      [[bytesOf(0xff, 0xfe, 0, 0), utf32le], [bytesOf(0, 0, 0xfe, 0xff), utf32be]],
      true,
    ),
    utf32le,
    utf32be,
    ascii: singleByteCodec("ascii", asciiTable, "ordinal not in range(128)"),
    latin1: singleByteCodec("latin-1", latin1Table, "ordinal not in range(256)"),
    cp1252: singleByteCodec("charmap", cp1252Table, "character maps to <undefined>"),
  };
}

/** Codecs by normalized name, and the module names (which take no "." for "_"); built on the first lookup. */
let registry: { names: Record<string, Codec>; modules: Set<string> } | undefined;

function codecRegistry(): { names: Record<string, Codec>; modules: Set<string> } {
  if (registry !== undefined) return registry;
  const all = codecs();
  const names: Record<string, Codec> = {};
  const modules = new Set<string>();
  for (const [key, list] of Object.entries(NAMES) as [keyof typeof NAMES, string][]) {
    const aliases = list.split(" ");
    modules.add(aliases[0]);
    for (const n of aliases) names[n] = all[key];
  }
  return registry = { names, modules };
}

/**
 * Python's `encodings.normalize_encoding` after lower-casing: runs of other
 * characters than ASCII letters, digits and `.` become one `_`, none at the
 * ends; other letters and digits are dropped.
 */
function normalize(name: string): string {
  let out = "";
  let punct = false;
  for (const c of name.toLowerCase()) {
    if (/[a-z0-9.]/.test(c)) {
      if (punct && out !== "") out += "_";
      out += c;
      punct = false;
    } else if (/[\p{L}\p{N}]/u.test(c)) punct = false;
    else punct = true;
  }
  return out;
}

/** Whether `codec` is plain UTF-8 (no byte order mark): the case the fast text paths serve. */
export function isPlainUtf8(codec: Codec): boolean {
  return codec.name === "utf-8" && codec.bom === undefined;
}

/** The codec for a Python encoding name or alias, or `undefined` when unknown. */
export function lookupCodec(name: string): Codec | undefined {
  const { names, modules } = codecRegistry();
  const n = normalize(name);
  // Not Object.hasOwn: dnt would ship a polyfill for it, and its global declaration to every consumer.
  const has = (key: string) => Object.prototype.hasOwnProperty.call(names, key);
  if (has(n)) return names[n];
  // As Python: "." may stand for "_" in an alias, never in a module name.
  const alias = n.replaceAll(".", "_");
  return modules.has(alias) || !has(alias) ? undefined : names[alias];
}
