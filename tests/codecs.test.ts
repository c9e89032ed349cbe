// The codec layer alone: every encoding and error handler, checked against
// what CPython 3.11's codecs produce for the same input (the tables below were
// printed by CPython: str.encode and bytes.decode, per handler).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  codePoints,
  encodeUtf8Into,
  ERROR_HANDLERS,
  type ErrorHandler,
  lookupCodec,
  UnicodeError,
} from "../src/codecs.ts";
import { hex, unhex } from "./_helpers.ts";

const codec = (name: string) => lookupCodec(name)!;
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
/** What a call returns, or the name of the class it throws. */
function outcome<T>(fn: () => T): T | string {
  try {
    return fn();
  } catch (err) {
    return (err as Error).name;
  }
}

/** [encoding, text, handler, CPython's bytes in hex or the error class]. */
const ENCODE: [string, string, ErrorHandler, string][] = [
  ["utf-8", "a\ud800b\udc80", "strict", "UnicodeError"],
  ["utf-8", "a\ud800b\udc80", "ignore", "6162"],
  ["utf-8", "a\ud800b\udc80", "replace", "613f623f"],
  ["utf-8", "a\ud800b\udc80", "backslashreplace", "615c7564383030625c7564633830"],
  ["utf-8", "a\ud800b\udc80", "surrogateescape", "UnicodeError"],
  ["utf-8", "a\ud800b\udc80", "xmlcharrefreplace", "61262335353239363b62262335363434383b"],
  ["utf-8", "\u00e9\ud83d\ude00\n", "strict", "c3a9f09f98800a"],
  ["utf-8", "\u00e9\ud83d\ude00\n", "ignore", "c3a9f09f98800a"],
  ["utf-8", "\u00e9\ud83d\ude00\n", "replace", "c3a9f09f98800a"],
  ["utf-8", "\u00e9\ud83d\ude00\n", "backslashreplace", "c3a9f09f98800a"],
  ["utf-8", "\u00e9\ud83d\ude00\n", "surrogateescape", "c3a9f09f98800a"],
  ["utf-8", "\u00e9\ud83d\ude00\n", "xmlcharrefreplace", "c3a9f09f98800a"],
  ["utf-16-le", "a\udc80\ud83d\ude00", "strict", "UnicodeError"],
  ["utf-16-le", "a\udc80\ud83d\ude00", "ignore", "61003dd800de"],
  ["utf-16-le", "a\udc80\ud83d\ude00", "replace", "61003f003dd800de"],
  ["utf-16-le", "a\udc80\ud83d\ude00", "backslashreplace", "61005c00750064006300380030003dd800de"],
  ["utf-16-le", "a\udc80\ud83d\ude00", "surrogateescape", "UnicodeError"],
  ["utf-16-le", "a\udc80\ud83d\ude00", "xmlcharrefreplace", "610026002300350036003400340038003b003dd800de"],
  ["utf-16-be", "a\udc80\ud83d\ude00", "strict", "UnicodeError"],
  ["utf-16-be", "a\udc80\ud83d\ude00", "ignore", "0061d83dde00"],
  ["utf-16-be", "a\udc80\ud83d\ude00", "replace", "0061003fd83dde00"],
  ["utf-16-be", "a\udc80\ud83d\ude00", "backslashreplace", "0061005c00750064006300380030d83dde00"],
  ["utf-16-be", "a\udc80\ud83d\ude00", "surrogateescape", "UnicodeError"],
  ["utf-16-be", "a\udc80\ud83d\ude00", "xmlcharrefreplace", "00610026002300350036003400340038003bd83dde00"],
  ["utf-32-le", "a\ud800\ud83d\ude00", "strict", "UnicodeError"],
  ["utf-32-le", "a\ud800\ud83d\ude00", "ignore", "6100000000f60100"],
  ["utf-32-le", "a\ud800\ud83d\ude00", "replace", "610000003f00000000f60100"],
  [
    "utf-32-le",
    "a\ud800\ud83d\ude00",
    "backslashreplace",
    "610000005c000000750000006400000038000000300000003000000000f60100",
  ],
  ["utf-32-le", "a\ud800\ud83d\ude00", "surrogateescape", "UnicodeError"],
  [
    "utf-32-le",
    "a\ud800\ud83d\ude00",
    "xmlcharrefreplace",
    "61000000260000002300000035000000350000003200000039000000360000003b00000000f60100",
  ],
  ["utf-32-be", "\u00e9", "strict", "000000e9"],
  ["utf-32-be", "\u00e9", "ignore", "000000e9"],
  ["utf-32-be", "\u00e9", "replace", "000000e9"],
  ["utf-32-be", "\u00e9", "backslashreplace", "000000e9"],
  ["utf-32-be", "\u00e9", "surrogateescape", "000000e9"],
  ["utf-32-be", "\u00e9", "xmlcharrefreplace", "000000e9"],
  ["latin-1", "a\ud83d\ude00\u00e9\u20ac\udc80b", "strict", "UnicodeError"],
  ["latin-1", "a\ud83d\ude00\u00e9\u20ac\udc80b", "ignore", "61e962"],
  ["latin-1", "a\ud83d\ude00\u00e9\u20ac\udc80b", "replace", "613fe93f3f62"],
  [
    "latin-1",
    "a\ud83d\ude00\u00e9\u20ac\udc80b",
    "backslashreplace",
    "615c553030303166363030e95c75323061635c756463383062",
  ],
  ["latin-1", "a\ud83d\ude00\u00e9\u20ac\udc80b", "surrogateescape", "UnicodeError"],
  [
    "latin-1",
    "a\ud83d\ude00\u00e9\u20ac\udc80b",
    "xmlcharrefreplace",
    "6126233132383531323be92623383336343b262335363434383b62",
  ],
  ["ascii", "a\ud83d\ude00\u00e9\u20ac\udc80b", "strict", "UnicodeError"],
  ["ascii", "a\ud83d\ude00\u00e9\u20ac\udc80b", "ignore", "6162"],
  ["ascii", "a\ud83d\ude00\u00e9\u20ac\udc80b", "replace", "613f3f3f3f62"],
  [
    "ascii",
    "a\ud83d\ude00\u00e9\u20ac\udc80b",
    "backslashreplace",
    "615c5530303031663630305c7865395c75323061635c756463383062",
  ],
  ["ascii", "a\ud83d\ude00\u00e9\u20ac\udc80b", "surrogateescape", "UnicodeError"],
  [
    "ascii",
    "a\ud83d\ude00\u00e9\u20ac\udc80b",
    "xmlcharrefreplace",
    "6126233132383531323b26233233333b2623383336343b262335363434383b62",
  ],
  ["cp1252", "a\ud83d\ude00\u00e9\u20ac\u0081\udcff", "strict", "UnicodeError"],
  ["cp1252", "a\ud83d\ude00\u00e9\u20ac\u0081\udcff", "ignore", "61e980"],
  ["cp1252", "a\ud83d\ude00\u00e9\u20ac\u0081\udcff", "replace", "613fe9803f3f"],
  [
    "cp1252",
    "a\ud83d\ude00\u00e9\u20ac\u0081\udcff",
    "backslashreplace",
    "615c553030303166363030e9805c7838315c7564636666",
  ],
  ["cp1252", "a\ud83d\ude00\u00e9\u20ac\u0081\udcff", "surrogateescape", "UnicodeError"],
  [
    "cp1252",
    "a\ud83d\ude00\u00e9\u20ac\u0081\udcff",
    "xmlcharrefreplace",
    "6126233132383531323be98026233132393b262335363537353b",
  ],
];

/** [encoding, bytes in hex, handler, CPython's text, null for UnicodeError, "!TypeError"]. */
const DECODE: [string, string, ErrorHandler, string | null][] = [
  ["utf-8", "61ff62e282", "strict", null],
  ["utf-8", "61ff62e282", "ignore", "ab"],
  ["utf-8", "61ff62e282", "replace", "a\ufffdb\ufffd"],
  ["utf-8", "61ff62e282", "backslashreplace", "a\\xffb\\xe2\\x82"],
  ["utf-8", "61ff62e282", "surrogateescape", "a\udcffb\udce2\udc82"],
  ["utf-8", "61ff62e282", "xmlcharrefreplace", "!TypeError"],
  ["utf-8", "f09f98", "strict", null],
  ["utf-8", "f09f98", "ignore", ""],
  ["utf-8", "f09f98", "replace", "\ufffd"],
  ["utf-8", "f09f98", "backslashreplace", "\\xf0\\x9f\\x98"],
  ["utf-8", "f09f98", "surrogateescape", "\udcf0\udc9f\udc98"],
  ["utf-8", "f09f98", "xmlcharrefreplace", "!TypeError"],
  ["utf-8", "eda080e080c0", "strict", null],
  ["utf-8", "eda080e080c0", "ignore", ""],
  ["utf-8", "eda080e080c0", "replace", "\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd"],
  ["utf-8", "eda080e080c0", "backslashreplace", "\\xed\\xa0\\x80\\xe0\\x80\\xc0"],
  ["utf-8", "eda080e080c0", "surrogateescape", "\udced\udca0\udc80\udce0\udc80\udcc0"],
  ["utf-8", "eda080e080c0", "xmlcharrefreplace", "!TypeError"],
  ["utf-16-le", "6100003d", "strict", "a\u3d00"],
  ["utf-16-le", "6100003d", "ignore", "a\u3d00"],
  ["utf-16-le", "6100003d", "replace", "a\u3d00"],
  ["utf-16-le", "6100003d", "backslashreplace", "a\u3d00"],
  ["utf-16-le", "6100003d", "surrogateescape", "a\u3d00"],
  ["utf-16-le", "6100003d", "xmlcharrefreplace", "a\u3d00"],
  ["utf-16-le", "00d86100", "strict", null],
  ["utf-16-le", "00d86100", "ignore", "a"],
  ["utf-16-le", "00d86100", "replace", "\ufffda"],
  ["utf-16-le", "00d86100", "backslashreplace", "\\x00\\xd8a"],
  ["utf-16-le", "00d86100", "surrogateescape", null],
  ["utf-16-le", "00d86100", "xmlcharrefreplace", "!TypeError"],
  ["utf-16-le", "00dc61", "strict", null],
  ["utf-16-le", "00dc61", "ignore", ""],
  ["utf-16-le", "00dc61", "replace", "\ufffd\ufffd"],
  ["utf-16-le", "00dc61", "backslashreplace", "\\x00\\xdc\\x61"],
  ["utf-16-le", "00dc61", "surrogateescape", null],
  ["utf-16-le", "00dc61", "xmlcharrefreplace", "!TypeError"],
  ["utf-16-be", "d83dde0000dc", "strict", "\ud83d\ude00\u00dc"],
  ["utf-16-be", "d83dde0000dc", "ignore", "\ud83d\ude00\u00dc"],
  ["utf-16-be", "d83dde0000dc", "replace", "\ud83d\ude00\u00dc"],
  ["utf-16-be", "d83dde0000dc", "backslashreplace", "\ud83d\ude00\u00dc"],
  ["utf-16-be", "d83dde0000dc", "surrogateescape", "\ud83d\ude00\u00dc"],
  ["utf-16-be", "d83dde0000dc", "xmlcharrefreplace", "\ud83d\ude00\u00dc"],
  ["utf-32-le", "00d800000000110061000000", "strict", null],
  ["utf-32-le", "00d800000000110061000000", "ignore", "a"],
  ["utf-32-le", "00d800000000110061000000", "replace", "\ufffd\ufffda"],
  ["utf-32-le", "00d800000000110061000000", "backslashreplace", "\\x00\\xd8\\x00\\x00\\x00\\x00\\x11\\x00a"],
  ["utf-32-le", "00d800000000110061000000", "surrogateescape", null],
  ["utf-32-le", "00d800000000110061000000", "xmlcharrefreplace", "!TypeError"],
  ["utf-32-be", "0001f60000", "strict", null],
  ["utf-32-be", "0001f60000", "ignore", "\ud83d\ude00"],
  ["utf-32-be", "0001f60000", "replace", "\ud83d\ude00\ufffd"],
  ["utf-32-be", "0001f60000", "backslashreplace", "\ud83d\ude00\\x00"],
  ["utf-32-be", "0001f60000", "surrogateescape", null],
  ["utf-32-be", "0001f60000", "xmlcharrefreplace", "!TypeError"],
  ["ascii", "61808f", "strict", null],
  ["ascii", "61808f", "ignore", "a"],
  ["ascii", "61808f", "replace", "a\ufffd\ufffd"],
  ["ascii", "61808f", "backslashreplace", "a\\x80\\x8f"],
  ["ascii", "61808f", "surrogateescape", "a\udc80\udc8f"],
  ["ascii", "61808f", "xmlcharrefreplace", "!TypeError"],
  ["cp1252", "8081909d9e", "strict", null],
  ["cp1252", "8081909d9e", "ignore", "\u20ac\u017e"],
  ["cp1252", "8081909d9e", "replace", "\u20ac\ufffd\ufffd\ufffd\u017e"],
  ["cp1252", "8081909d9e", "backslashreplace", "\u20ac\\x81\\x90\\x9d\u017e"],
  ["cp1252", "8081909d9e", "surrogateescape", "\u20ac\udc81\udc90\udc9d\u017e"],
  ["cp1252", "8081909d9e", "xmlcharrefreplace", "!TypeError"],
  ["latin-1", "80ff", "strict", "\u0080\u00ff"],
  ["latin-1", "80ff", "ignore", "\u0080\u00ff"],
  ["latin-1", "80ff", "replace", "\u0080\u00ff"],
  ["latin-1", "80ff", "backslashreplace", "\u0080\u00ff"],
  ["latin-1", "80ff", "surrogateescape", "\u0080\u00ff"],
  ["latin-1", "80ff", "xmlcharrefreplace", "\u0080\u00ff"],
];

describe("lookupCodec: Python's names and aliases, normalized as Python does", () => {
  it.each([
    ["utf-8", "utf-8"],
    ["UTF8", "utf-8"],
    ["utf_8", "utf-8"],
    ["U8", "utf-8"],
    ["  utf--8 ", "utf-8"],
    ["utf 8", "utf-8"],
    ["cp65001", "utf-8"],
    ["utf-8-sig", "utf-8-sig"],
    ["UTF_8_SIG", "utf-8-sig"],
    ["utf-16", "utf-16"],
    ["U16", "utf-16"],
    ["utf-16le", "utf-16-le"],
    ["UTF_16_LE", "utf-16-le"],
    ["utf-16-be", "utf-16-be"],
    ["utf-32", "utf-32"],
    ["utf32", "utf-32"],
    ["utf-32-le", "utf-32-le"],
    ["utf_32be", "utf-32-be"],
    ["ascii", "ascii"],
    ["US-ASCII", "ascii"],
    ["646", "ascii"],
    ["ansi_x3.4_1968", "ascii"],
    ["latin1", "latin-1"],
    ["Latin-1", "latin-1"],
    ["iso-8859-1", "latin-1"],
    ["ISO8859_1", "latin-1"],
    ["l1", "latin-1"],
    ["cp819", "latin-1"],
    ["cp1252", "charmap"],
    ["windows-1252", "charmap"],
    ["1252", "charmap"],
  ])("finds %j", (name, codecName) => {
    expect(lookupCodec(name)?.name).toBe(codecName);
  });

  it.each(["", "utf.8", "utf8-sig", "klingon", "utf-7", "hex", "rot13", "__proto__", "toString"])(
    "returns undefined for %j, which Python does not know as a text encoding",
    (name) => {
      expect(lookupCodec(name)).toBeUndefined();
    },
  );

  it("reports the bytes per code unit and the encoded newline", () => {
    expect(["utf-8", "utf-16", "utf-32-be", "cp1252"].map((n) => [codec(n).unit, hex(codec(n).lf)])).toEqual([
      [1, "0a"],
      [2, "0a00"],
      [4, "0000000a"],
      [1, "0a"],
    ]);
  });

  it("lists the six handlers", () => {
    expect(ERROR_HANDLERS).toEqual([
      "strict",
      "ignore",
      "replace",
      "backslashreplace",
      "surrogateescape",
      "xmlcharrefreplace",
    ]);
  });
});

describe("UnicodeError", () => {
  it("is a TypeError named UnicodeError", () => {
    const err = new UnicodeError("bad");
    expect(err).toBeInstanceOf(TypeError);
    expect(err.name).toBe("UnicodeError");
    expect(err.message).toBe("bad");
  });
});

describe("codePoints", () => {
  it("counts a surrogate pair once and a lone surrogate once, as Python's len()", () => {
    expect([
      codePoints(""),
      codePoints("abc"),
      codePoints("😀"),
      codePoints("a\ud800b"),
      codePoints("\udc00\ud800"),
    ])
      .toEqual([0, 3, 1, 3, 2]);
    expect(codePoints("😀".repeat(40) + "é".repeat(40))).toBe(80);
    expect(codePoints("x".repeat(100))).toBe(100);
  });
});

describe.each(ENCODE)("%s encodes %j with errors %s", (name, text, errors, expected) => {
  it(`as CPython: ${expected}`, () => {
    const got = outcome(() => hex(codec(name).encode(text, errors)));
    expect(got).toBe(expected);
  });
});

describe.each(DECODE)("%s decodes %s with errors %s", (name, data, errors, expected) => {
  it(`as CPython: ${JSON.stringify(expected)}`, () => {
    const bytes = unhex(data);
    const got = outcome(() => codec(name).decode(bytes, Infinity, true, errors));
    if (expected === null) expect(got).toBe("UnicodeError");
    else if (expected === "!TypeError") expect(got).toBe("TypeError");
    else expect(got).toEqual({ text: expected, used: bytes.length, chars: codePoints(expected) });
  });
});

describe("incremental decoding", () => {
  it("leaves a character cut at the end when not final, in every multi-byte codec", () => {
    expect(codec("utf-8").decode(bytes(0x61, 0xe2, 0x82), Infinity, false, "strict")).toEqual({
      text: "a",
      used: 1,
      chars: 1,
    });
    expect(codec("utf-16-le").decode(bytes(0x61, 0, 0x3d, 0xd8, 0), Infinity, false, "strict").used).toBe(2);
    expect(codec("utf-16-be").decode(bytes(0, 0x61, 0xd8), Infinity, false, "strict").used).toBe(2);
    expect(codec("utf-32-le").decode(bytes(0x61, 0, 0, 0, 0x62, 0), Infinity, false, "strict").used).toBe(4);
  });

  it("reports an invalid sequence at once, even when not final", () => {
    expect(codec("utf-8").decode(bytes(0x61, 0xe0, 0x80), Infinity, false, "replace").text).toBe(
      "a\ufffd\ufffd",
    );
  });

  it("stops at maxChars code points: a surrogate pair is one", () => {
    const utf8 = codec("utf-8");
    const data = utf8.encode("😀a€b", "strict");
    expect(utf8.decode(data, 2, false, "strict")).toEqual({ text: "😀a", used: 5, chars: 2 });
    const utf16 = codec("utf-16-le");
    expect(utf16.decode(utf16.encode("😀a€b", "strict"), 3, false, "strict")).toEqual({
      text: "😀a€",
      used: 8,
      chars: 3,
    });
    const latin1 = codec("latin-1");
    expect(latin1.decode(bytes(0x61, 0xe9, 0x63), 2, false, "strict")).toEqual({
      text: "aé",
      used: 2,
      chars: 2,
    });
  });

  it("never cuts one error replacement: its characters may pass maxChars", () => {
    expect(codec("utf-8").decode(bytes(0x61, 0xff, 0x62), 2, true, "backslashreplace")).toEqual({
      text: "a\\xff",
      used: 2,
      chars: 5,
    });
  });

  it("drops ignored bytes without counting them", () => {
    expect(codec("utf-8").decode(bytes(0xff, 0xfe, 0x61, 0x62), 1, true, "ignore")).toEqual({
      text: "a",
      used: 3,
      chars: 1,
    });
  });

  it("keeps a byte order mark as U+FEFF: the text layer reads it at the start of a stream only", () => {
    expect(codec("utf-8-sig").decode(bytes(0xef, 0xbb, 0xbf, 0x61), Infinity, true, "strict").text).toBe(
      "\ufeffa",
    );
    expect(codec("utf-16").decode(bytes(0xff, 0xfe, 0x61, 0), Infinity, true, "strict").text).toBe("\ufeffa");
  });

  it("decodes more than one call of String.fromCharCode takes", () => {
    const big = new Uint8Array(20_000).map((_, i) => i & 0xff);
    const { text, used } = codec("latin-1").decode(big, Infinity, true, "strict");
    expect([used, text.length]).toEqual([20_000, 20_000]);
    expect(codec("latin-1").encode(text, "strict")).toEqual(big);
    const wide = "😀é".repeat(5000);
    for (const name of ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le"]) {
      expect(codec(name).decode(codec(name).encode(wide, "strict"), Infinity, true, "strict").text).toBe(
        wide,
      );
    }
  });
});

describe("byte order marks", () => {
  it("utf-8-sig, utf-16 and utf-32 name their mark and the codec after each mark", () => {
    expect(hex(codec("utf-8-sig").bom!.mark)).toBe("efbbbf");
    expect(hex(codec("utf-16").bom!.mark)).toBe("fffe");
    expect(hex(codec("utf-32").bom!.mark)).toBe("fffe0000");
    expect(codec("utf-16").bom!.orders.map(([m, c]) => [hex(m), c.name])).toEqual([
      ["fffe", "utf-16-le"],
      ["feff", "utf-16-be"],
    ]);
    expect([codec("utf-8-sig").bom!.required, codec("utf-16").bom!.required]).toEqual([false, true]);
    expect(codec("utf-8").bom).toBeUndefined();
  });
});

describe("encodeUtf8Into, the buffered write's encoder", () => {
  it("writes what TextEncoder writes for well-formed text, and refuses a lone surrogate", () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0x7ff }),
      fc.integer({ min: 0x800, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), fc.integer({ min: 0, max: 5 }), (units, at) => {
        const text = String.fromCharCode(...units);
        const buf = new Uint8Array(at + 3 * text.length);
        const end = encodeUtf8Into(text, buf, at);
        if (text.isWellFormed()) expect(buf.subarray(at, end)).toEqual(new TextEncoder().encode(text));
        else expect(end).toBe(-1);
      }),
      { numRuns: 5000 },
    );
  });
});
