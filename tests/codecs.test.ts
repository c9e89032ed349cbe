// The codec layer alone: encode/decode of the three supported encodings,
// checked against what CPython's codecs produce for the same input.
import { describe, expect, it } from "vitest";
import { type Codec, lookupCodec, UnicodeError } from "../src/codecs.ts";

const utf8 = lookupCodec("utf-8")!;
const utf16 = lookupCodec("utf-16le")!;
const latin1 = lookupCodec("latin1")!;

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const catching = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe("lookupCodec", () => {
  it.each([
    ["utf-8", "utf-8"],
    ["utf8", "utf-8"],
    ["UTF-8", "utf-8"],
    ["utf_8", "utf-8"],
    ["U8", "utf-8"],
    ["utf-16le", "utf-16-le"],
    ["utf-16-le", "utf-16-le"],
    ["UTF_16_LE", "utf-16-le"],
    ["utf16le", "utf-16-le"],
  ])("finds %s as the codec Python calls %s", (name, canonical) => {
    expect(lookupCodec(name)?.name).toBe(canonical);
  });

  it.each(["latin1", "latin-1", "Latin_1", "iso-8859-1", "ISO8859_1", "iso_8859_1", "l1"])(
    "finds %s as the one Latin-1 codec",
    (name) => {
      expect(lookupCodec(name)).toBe(latin1);
    },
  );

  it.each(["utf-32", "utf-16", "utf-8-sig", "ascii", "cp1252", "windows-1252", "", "utf 8x"])(
    "returns undefined for the unsupported name %j",
    (name) => {
      expect(lookupCodec(name)).toBeUndefined();
    },
  );

  it("reports the bytes per newline of each codec", () => {
    expect([utf8.unit, utf16.unit, latin1.unit]).toEqual([1, 2, 1]);
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

describe("utf-8", () => {
  it("encodes as Python does", () => {
    expect(utf8.encode("aé€😀", "strict")).toEqual(bytes(97, 195, 169, 226, 130, 172, 240, 159, 152, 128));
  });

  it("refuses a lone surrogate with errors strict", () => {
    const err = catching(() => utf8.encode("a\ud800b", "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("decodes whole characters and reports every byte used", () => {
    const data = utf8.encode("aé€😀", "strict");
    expect(utf8.decode(data, Infinity, false, "strict")).toEqual({ text: "aé€😀", used: 10 });
  });

  it("decodes nothing from no bytes", () => {
    expect(utf8.decode(bytes(), Infinity, true, "strict")).toEqual({ text: "", used: 0 });
  });

  it("keeps a byte order mark as U+FEFF", () => {
    expect(utf8.decode(bytes(0xef, 0xbb, 0xbf, 0x61), Infinity, true, "strict").text).toBe("\ufeffa");
  });

  it("leaves a character cut at the end of the bytes when not final", () => {
    expect(utf8.decode(bytes(0x61, 0xe2, 0x82), Infinity, false, "strict")).toEqual({ text: "a", used: 1 });
    expect(utf8.decode(bytes(0xf0, 0x9f, 0x98), Infinity, false, "replace")).toEqual({ text: "", used: 0 });
  });

  it("a cut character at the end is an error when final, with errors strict", () => {
    const err = catching(() => utf8.decode(bytes(0x61, 0xe2, 0x82), Infinity, true, "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("a cut character at the end becomes one U+FFFD when final, with errors replace", () => {
    expect(utf8.decode(bytes(0x61, 0xe2, 0x82), Infinity, true, "replace")).toEqual({
      text: "a\ufffd",
      used: 3,
    });
  });

  it("a stray continuation byte is an error with errors strict", () => {
    const err = catching(() => utf8.decode(bytes(0x61, 0x80, 0x62), Infinity, false, "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("a stray continuation byte becomes U+FFFD with errors replace", () => {
    expect(utf8.decode(bytes(0x61, 0x80, 0x62), Infinity, false, "replace")).toEqual({
      text: "a\ufffdb",
      used: 3,
    });
  });

  it("an invalid byte near the end is an error when final, with errors strict", () => {
    const err = catching(() => utf8.decode(bytes(0x61, 0xff, 0x62), Infinity, true, "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("an invalid byte near the end becomes U+FFFD when final, with errors replace", () => {
    expect(utf8.decode(bytes(0x61, 0xff, 0x62), Infinity, true, "replace")).toEqual({
      text: "a\ufffdb",
      used: 3,
    });
  });

  it("stops at maxUnits code units", () => {
    expect(utf8.decode(utf8.encode("abc", "strict"), 2, false, "strict")).toEqual({ text: "ab", used: 2 });
    expect(utf8.decode(utf8.encode("é€x", "strict"), 2, false, "strict")).toEqual({ text: "é€", used: 5 });
  });

  it("counts a character outside the BMP as two code units", () => {
    expect(utf8.decode(utf8.encode("a😀", "strict"), 2, false, "strict")).toEqual({ text: "a", used: 1 });
    expect(utf8.decode(utf8.encode("a😀", "strict"), 3, false, "strict")).toEqual({ text: "a😀", used: 5 });
  });

  it("decodes at least one character even when it exceeds maxUnits", () => {
    expect(utf8.decode(utf8.encode("😀b", "strict"), 1, false, "strict")).toEqual({ text: "😀", used: 4 });
  });
});

describe("utf-16-le", () => {
  it("encodes as Python does", () => {
    expect(utf16.encode("a€😀", "strict")).toEqual(bytes(97, 0, 172, 32, 61, 216, 0, 222));
  });

  it("refuses a lone surrogate with errors strict", () => {
    const err = catching(() => utf16.encode("\udc00", "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("decodes whole characters and reports every byte used", () => {
    expect(utf16.decode(bytes(97, 0, 172, 32, 61, 216, 0, 222), Infinity, false, "strict")).toEqual({
      text: "a€😀",
      used: 8,
    });
  });

  it("keeps a byte order mark as U+FEFF", () => {
    expect(utf16.decode(bytes(0xff, 0xfe, 0x61, 0), Infinity, true, "strict").text).toBe("\ufeffa");
  });

  it("leaves a trailing odd byte when not final", () => {
    expect(utf16.decode(bytes(0x61, 0, 0x62), Infinity, false, "strict")).toEqual({ text: "a", used: 2 });
  });

  it("a trailing odd byte is an error when final, with errors strict", () => {
    const err = catching(() => utf16.decode(bytes(0x61, 0, 0x62), Infinity, true, "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("a trailing odd byte becomes U+FFFD when final, with errors replace", () => {
    expect(utf16.decode(bytes(0x61, 0, 0x62), Infinity, true, "replace")).toEqual({
      text: "a\ufffd",
      used: 3,
    });
  });

  it("leaves a surrogate pair cut after its first half when not final", () => {
    expect(utf16.decode(bytes(0x61, 0, 0x3d, 0xd8), Infinity, false, "strict")).toEqual({
      text: "a",
      used: 2,
    });
    expect(utf16.decode(bytes(0x3d, 0xd8, 0), Infinity, false, "strict")).toEqual({ text: "", used: 0 });
  });

  it("a surrogate pair cut at the end is an error when final, with errors strict", () => {
    const err = catching(() => utf16.decode(bytes(0x61, 0, 0x3d, 0xd8), Infinity, true, "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("a surrogate pair cut at the end becomes U+FFFD when final, with errors replace", () => {
    expect(utf16.decode(bytes(0x61, 0, 0x3d, 0xd8), Infinity, true, "replace")).toEqual({
      text: "a\ufffd",
      used: 4,
    });
  });

  it("a lone low surrogate is an error with errors strict and U+FFFD with errors replace", () => {
    const err = catching(() => utf16.decode(bytes(0, 0xdc, 0x61, 0), Infinity, false, "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
    expect(utf16.decode(bytes(0, 0xdc, 0x61, 0), Infinity, false, "replace")).toEqual({
      text: "\ufffda",
      used: 4,
    });
  });

  it("stops at maxUnits code units", () => {
    expect(utf16.decode(utf16.encode("abc", "strict"), 2, false, "strict")).toEqual({ text: "ab", used: 4 });
  });

  it("never ends on the first half of a surrogate pair", () => {
    expect(utf16.decode(utf16.encode("a😀b", "strict"), 2, false, "strict")).toEqual({ text: "a", used: 2 });
  });

  it("decodes at least one character even when it exceeds maxUnits", () => {
    expect(utf16.decode(utf16.encode("😀b", "strict"), 1, false, "strict")).toEqual({ text: "😀", used: 4 });
  });
});

describe("latin-1", () => {
  const all = new Uint8Array(256).map((_, i) => i);
  const allText = String.fromCharCode(...all);

  it("decodes every byte to the code point of the same number (ISO-8859-1, not windows-1252)", () => {
    expect(latin1.decode(all, Infinity, true, "strict")).toEqual({ text: allText, used: 256 });
    expect(latin1.decode(bytes(0x80, 0x9f), Infinity, true, "strict").text).toBe("\u0080\u009f");
  });

  it("encodes every code point below 256 to one byte", () => {
    expect(latin1.encode(allText, "strict")).toEqual(all);
  });

  it("refuses a character above U+00FF with errors strict", () => {
    const err = catching(() => latin1.encode("a€", "strict"));
    expect(err).toBeInstanceOf(UnicodeError);
  });

  it("writes ? for a character above U+00FF with errors replace", () => {
    expect(latin1.encode("a€b", "replace")).toEqual(bytes(0x61, 0x3f, 0x62));
  });

  it("has no cut characters: every byte is used even when not final", () => {
    expect(latin1.decode(bytes(0xe2, 0x82), Infinity, false, "strict")).toEqual({
      text: "\u00e2\u0082",
      used: 2,
    });
  });

  it("stops at maxUnits bytes", () => {
    expect(latin1.decode(bytes(0x61, 0x62, 0x63), 2, false, "strict")).toEqual({ text: "ab", used: 2 });
  });

  it("decodes more bytes than one call of String.fromCharCode takes", () => {
    const big = new Uint8Array(20_000).map((_, i) => i & 0xff);
    const { text, used } = latin1.decode(big, Infinity, true, "strict");
    expect(used).toBe(20_000);
    expect(text.length).toBe(20_000);
    expect(latin1.encode(text, "strict")).toEqual(big);
  });
});

describe.each([
  ["utf-8", utf8],
  ["utf-16-le", utf16],
  ["latin-1", latin1],
] as [string, Codec][])("%s round trip", (_name, codec) => {
  it("decodes what it encodes", () => {
    const text = "plain ascii\nwith é and ÿ\r\n";
    const encoded = codec.encode(text, "strict");
    expect(codec.decode(encoded, Infinity, true, "strict")).toEqual({ text, used: encoded.length });
  });
});
