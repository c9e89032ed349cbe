// The text layer alone: TextIO over a MemoryIO and over a BufferedIO whose
// requests a fake in-memory file answers. Expected values are what CPython's
// io.TextIOWrapper returns for the same bytes and newline argument.
import { describe, expect, it } from "vitest";
import { type Gen, type Request, run, runSync } from "../src/_requests.ts";
import { BufferedIO, type ByteIO, MemoryIO } from "../src/_byte_io.ts";
import { type ErrorHandler, lookupCodec, UnicodeError } from "../src/codecs.ts";
import { UnsupportedOperation } from "../src/errors.ts";
import { type Newline, TextIO } from "../src/text_io.ts";

// Never a real descriptor: a dropped BufferedIO has its fd closed by a finalizer.
const FD = 1_000_000;

const utf8 = lookupCodec("utf-8")!;
const utf16 = lookupCodec("utf-16le")!;
const latin1 = lookupCodec("latin1")!;

const bytesOf = (s: string): Uint8Array => utf8.encode(s, "strict");

/** A read-only file in memory behind FD: answers `read` (at most `maxIO` bytes at a time) and `size`. */
function fakeFile(content: Uint8Array, maxIO: number): (r: Request) => unknown {
  return (r) => {
    if ("fd" in r && r.fd !== FD) throw new Error(`EBADF: fd ${r.fd}`);
    if (r.op === "size") return content.length;
    if (r.op !== "read" || r.pos === null) throw new Error(`the fake file cannot do ${r.op}`);
    const n = Math.max(0, Math.min(r.buf.length, maxIO, content.length - r.pos));
    r.buf.set(content.subarray(r.pos, r.pos + n));
    return n;
  };
}

/** MemoryIO yields no request; anything reaching this is a bug the test sees as an error. */
const noRequests = (r: Request): never => {
  throw new Error(`MemoryIO made a ${r.op} request`);
};

/** Runs an operation to its result, by runSync or run. A throw rejects. */
type Drive = <T>(gen: Gen<T>) => Promise<T>;

/** The byte files text is read through, each with the driver that runs it. */
const backings: { name: string; open: (content: Uint8Array) => { bytes: ByteIO; go: Drive } }[] = [
  {
    name: "MemoryIO",
    open(content) {
      const bytes = new MemoryIO(false);
      bytes.tryBuffer(content);
      runSync(bytes.seek(0, 0), noRequests);
      return { bytes, go: (gen) => new Promise((resolve) => resolve(runSync(gen, noRequests))) };
    },
  },
  {
    name: "BufferedIO, runSync",
    open(content) {
      const perform = fakeFile(content, Infinity);
      return {
        bytes: new BufferedIO(FD, 8192, false),
        go: (gen) => new Promise((resolve) => resolve(runSync(gen, perform))),
      };
    },
  },
  {
    name: "BufferedIO, run, one byte per read",
    open(content) {
      const perform = fakeFile(content, 1);
      return {
        bytes: new BufferedIO(FD, 8192, false),
        go: (gen) => run(gen, (r) => new Promise((resolve) => resolve(perform(r)))),
      };
    },
  },
];

/** A TextIO over a MemoryIO, for what needs no reading. */
function textOnly(newline: Newline, platformNewline = "\r\n", lineBuffering = false, codec = utf8): TextIO {
  return new TextIO(new MemoryIO(false), codec, "strict", newline, lineBuffering, platformNewline);
}

describe("TextIO.encode", () => {
  it.each([
    [undefined, "a\r\nb\r\n"],
    [null, "a\r\nb\r\n"],
    ["", "a\nb\n"],
    ["\n", "a\nb\n"],
    ["\r", "a\rb\r"],
    ["\r\n", "a\r\nb\r\n"],
  ] as [Newline, string][])("with newline %j writes each \\n as %j", (newline, expected) => {
    expect(textOnly(newline).encode("a\nb\n")).toEqual(bytesOf(expected));
  });

  it("with newline undefined writes the platform newline", () => {
    expect(textOnly(undefined, "\n").encode("a\nb")).toEqual(bytesOf("a\nb"));
    expect(textOnly(null, "\r\n").encode("a\nb")).toEqual(bytesOf("a\r\nb"));
  });

  it("leaves a \\r the text already holds as it is", () => {
    expect(textOnly("\r\n").encode("a\rb\r\n")).toEqual(bytesOf("a\rb\r\r\n"));
  });

  it("encodes with the codec, newline included", () => {
    expect(textOnly("\r\n", "\n", false, utf16).encode("é\n")).toEqual(
      new Uint8Array([0xe9, 0, 13, 0, 10, 0]),
    );
  });

  it("applies the errors handler", () => {
    const strict = new TextIO(new MemoryIO(false), latin1, "strict", "\n", false, "\n");
    const replace = new TextIO(new MemoryIO(false), latin1, "replace", "\n", false, "\n");
    expect(() => strict.encode("a€")).toThrow(UnicodeError);
    expect(replace.encode("a€\n")).toEqual(new Uint8Array([0x61, 0x3f, 0x0a]));
  });
});

describe("TextIO.flushes", () => {
  it("with line buffering, a write holding \\n or \\r is flushed at once", () => {
    const t = textOnly(undefined, "\n", true);
    expect([t.flushes("a\n"), t.flushes("a\rb"), t.flushes("\r\n"), t.flushes("abc"), t.flushes("")]).toEqual(
      [
        true,
        true,
        true,
        false,
        false,
      ],
    );
  });

  it("without line buffering, no write is flushed at once", () => {
    const t = textOnly(undefined, "\n", false);
    expect([t.flushes("a\n"), t.flushes("a\r")]).toEqual([false, false]);
  });
});

describe("TextIO.seek", () => {
  it("refuses a nonzero seek relative to the position or the end", () => {
    const t = textOnly(undefined);
    expect(() => runSync(t.seek(1, 1), noRequests)).toThrow(UnsupportedOperation);
    expect(() => runSync(t.seek(-1, 2), noRequests)).toThrow(UnsupportedOperation);
  });
});

describe.each(backings)("TextIO over $name", ({ open }) => {
  /** A TextIO reading `content` (text is encoded with `codec` first) and the driver for it. */
  const reader = (
    content: string | Uint8Array,
    newline: Newline = undefined,
    codec = utf8,
    errors: ErrorHandler = "strict",
  ) => {
    const { bytes, go } = open(typeof content === "string" ? codec.encode(content, "strict") : content);
    return { t: new TextIO(bytes, codec, errors, newline, false, "\r\n"), go };
  };
  /** Every line readline returns until EOF. */
  const lines = async (t: TextIO, go: Drive): Promise<string[]> => {
    const out: string[] = [];
    for (let line = await go(t.readline(-1)); line !== ""; line = await go(t.readline(-1))) out.push(line);
    return out;
  };

  describe("read", () => {
    it.each([
      [undefined, "a\nb\nc\nd"],
      [null, "a\nb\nc\nd"],
      ["", "a\r\nb\rc\nd"],
      ["\n", "a\r\nb\rc\nd"],
      ["\r", "a\r\nb\rc\nd"],
      ["\r\n", "a\r\nb\rc\nd"],
    ] as [Newline, string][])("read(-1) with newline %j returns %j", async (newline, expected) => {
      const { t, go } = reader("a\r\nb\rc\nd", newline);
      expect(await go(t.read(-1))).toBe(expected);
      expect(await go(t.read(-1))).toBe("");
    });

    it("read(n) counts characters after universal newlines translation", async () => {
      const { t, go } = reader("a\r\nb\rc\n");
      expect([await go(t.read(2)), await go(t.read(2)), await go(t.read(2)), await go(t.read(2))]).toEqual([
        "a\n",
        "b\n",
        "c\n",
        "",
      ]);
    });

    it("read(n) with newline '' keeps \\r\\n as two characters", async () => {
      const { t, go } = reader("a\r\nb", "");
      expect([await go(t.read(2)), await go(t.read(2))]).toEqual(["a\r", "\nb"]);
    });

    it("a \\r at EOF reads as \\n with universal newlines", async () => {
      const { t, go } = reader("a\r");
      expect(await go(t.read(5))).toBe("a\n");
    });

    it("read(0) returns nothing and consumes nothing", async () => {
      const { t, go } = reader("abc");
      expect(await go(t.read(0))).toBe("");
      expect(await go(t.read(-1))).toBe("abc");
    });

    it("read(1) returns one character at a time, whatever its bytes", async () => {
      const { t, go } = reader("aé€😀\nb");
      const got: string[] = [];
      for (let c = await go(t.read(1)); c !== ""; c = await go(t.read(1))) got.push(c);
      expect(got).toEqual(["a", "é", "€", "😀", "\n", "b"]);
    });

    it("reads utf-16-le text, newlines translated", async () => {
      const { t, go } = reader("a\r\nb\rcé😀", undefined, utf16);
      expect(await go(t.read(3))).toBe("a\nb");
      expect(await go(t.read(-1))).toBe("\ncé😀");
    });

    it("a utf-16-le unit whose low byte is \\n does not complete a \\r\\n cut by read(n)", async () => {
      const { t, go } = reader("a\r\u0a0ab", undefined, utf16);
      expect(await go(t.read(2))).toBe("a\n");
      expect(await go(t.read(-1))).toBe("\u0a0ab");
    });

    it("reads latin-1 text, every byte a character", async () => {
      const { t, go } = reader(new Uint8Array([0x61, 0x80, 0xff, 0x0d, 0x0a]), undefined, latin1);
      expect(await go(t.read(10))).toBe("a\u0080\u00ff\n");
    });

    it("a character cut at EOF is a UnicodeError with errors strict", async () => {
      const { t, go } = reader(new Uint8Array([0x61, 0xe2, 0x82]));
      await expect(go(t.read(-1))).rejects.toBeInstanceOf(UnicodeError);
    });

    it("a character cut at EOF reads as U+FFFD with errors replace", async () => {
      const a = reader(new Uint8Array([0x61, 0xe2, 0x82]), undefined, utf8, "replace");
      expect(await a.go(a.t.read(-1))).toBe("a\ufffd");
      const b = reader(new Uint8Array([0x61, 0xe2, 0x82]), undefined, utf8, "replace");
      expect(await b.go(b.t.read(5))).toBe("a\ufffd");
    });
  });

  describe("readline", () => {
    it.each([
      [undefined, ["a\n", "b\n", "c\n", "d"]],
      [null, ["a\n", "b\n", "c\n", "d"]],
      ["", ["a\r\n", "b\r", "c\n", "d"]],
      ["\n", ["a\r\n", "b\rc\n", "d"]],
      ["\r", ["a\r", "\nb\r", "c\nd"]],
      ["\r\n", ["a\r\n", "b\rc\nd"]],
    ] as [Newline, string[]][])("with newline %j splits into %j", async (newline, expected) => {
      const { t, go } = reader("a\r\nb\rc\nd", newline);
      expect(await lines(t, go)).toEqual(expected);
    });

    it("returns '' at EOF", async () => {
      const { t, go } = reader("");
      expect(await go(t.readline(-1))).toBe("");
      expect(await go(t.readline(5))).toBe("");
    });

    it("a \\r at EOF ends a line: as \\n with newline undefined, as it is with newline ''", async () => {
      const a = reader("a\r");
      expect(await a.go(a.t.readline(-1))).toBe("a\n");
      const b = reader("a\r", "");
      expect(await b.go(b.t.readline(-1))).toBe("a\r");
    });

    it("a lone \\r does not end a line with newline \\r\\n", async () => {
      const { t, go } = reader("ab\rcd\r\nef", "\r\n");
      expect(await lines(t, go)).toEqual(["ab\rcd\r\n", "ef"]);
    });

    it("stops at limit characters; the rest of the line comes next", async () => {
      const { t, go } = reader("abcdef\ng");
      expect(await go(t.readline(3))).toBe("abc");
      expect(await go(t.readline(0))).toBe("");
      expect(await go(t.readline(-1))).toBe("def\n");
      expect(await go(t.readline(-1))).toBe("g");
    });

    it("a limit that ends on the \\r of \\r\\n still ends the line, translated", async () => {
      const { t, go } = reader("ab\r\ncd");
      expect(await go(t.readline(3))).toBe("ab\n");
      expect(await go(t.readline(-1))).toBe("cd");
    });

    it("a limit before the \\r of \\r\\n leaves the whole terminator for the next line", async () => {
      const { t, go } = reader("ab\r\ncd", "\r\n");
      expect(await go(t.readline(2))).toBe("ab");
      expect(await go(t.readline(-1))).toBe("\r\n");
    });

    it("reads lines longer than its decoding window and than the byte buffer", async () => {
      const long = "x".repeat(10_000);
      const { t, go } = reader(`${"y".repeat(300)}\n${long}\r\nz`);
      expect(await lines(t, go)).toEqual([`${"y".repeat(300)}\n`, `${long}\n`, "z"]);
    });

    it.each([127, 128, 8191, 8192])(
      "a \\r\\n whose \\r is character %i of the line is one terminator",
      async (at) => {
        const content = `${"x".repeat(at - 1)}\r\ny\r\n`;
        const a = reader(content);
        expect(await lines(a.t, a.go)).toEqual([`${"x".repeat(at - 1)}\n`, "y\n"]);
        const b = reader(content, "");
        expect(await lines(b.t, b.go)).toEqual([`${"x".repeat(at - 1)}\r\n`, "y\r\n"]);
        const c = reader(content, "\r\n");
        expect(await lines(c.t, c.go)).toEqual([`${"x".repeat(at - 1)}\r\n`, "y\r\n"]);
      },
    );

    it("keeps multi-byte characters whole across byte buffer refills", async () => {
      const line = "é€😀".repeat(2000);
      const { t, go } = reader(`${line}\n${line}`);
      expect(await lines(t, go)).toEqual([`${line}\n`, line]);
    });

    it("reads utf-16-le lines with every newline", async () => {
      const { t, go } = reader("a\r\nb\rc\nd😀", undefined, utf16);
      expect(await lines(t, go)).toEqual(["a\n", "b\n", "c\n", "d😀"]);
    });

    it("a utf-16-le unit whose low byte is \\n is not a newline", async () => {
      const { t, go } = reader("a\r\u0a0ab\n", undefined, utf16);
      expect(await lines(t, go)).toEqual(["a\n", "\u0a0ab\n"]);
    });

    it("a utf-16-le unit whose low byte is \\n does not complete a \\r\\n cut by the decoding window", async () => {
      const x = "x".repeat(127);
      const a = reader(`${x}\r\u0a0ab\n`, undefined, utf16);
      expect(await lines(a.t, a.go)).toEqual([`${x}\n`, "\u0a0ab\n"]);
      const b = reader(`${x}\r\u0a0ab\n`, "", utf16);
      expect(await lines(b.t, b.go)).toEqual([`${x}\r`, "\u0a0ab\n"]);
    });

    it("a character cut at EOF is a UnicodeError with errors strict", async () => {
      const { t, go } = reader(new Uint8Array([0x61, 0x0a, 0x62, 0xe2, 0x82]));
      expect(await go(t.readline(-1))).toBe("a\n");
      await expect(go(t.readline(-1))).rejects.toBeInstanceOf(UnicodeError);
    });

    it("a character cut at EOF reads as U+FFFD with errors replace", async () => {
      const { t, go } = reader(new Uint8Array([0x61, 0xe2, 0x82]), undefined, utf8, "replace");
      expect(await go(t.readline(-1))).toBe("a\ufffd");
    });
  });

  describe("positions", () => {
    it("the position after a line is its byte offset", async () => {
      const { t, go } = reader("é\r\nb\n");
      expect(await go(t.readline(-1))).toBe("é\n");
      expect(await go(t.bytes.tell())).toBe(4);
    });

    it("the position is a utf-16-le byte offset", async () => {
      const { t, go } = reader("é\nb", undefined, utf16);
      expect(await go(t.readline(-1))).toBe("é\n");
      expect(await go(t.bytes.tell())).toBe(4);
    });

    it("read(n) consumes only the bytes of the characters it returns", async () => {
      const { t, go } = reader("a\r\nb");
      expect(await go(t.read(1))).toBe("a");
      expect(await go(t.bytes.tell())).toBe(1);
      expect(await go(t.read(1))).toBe("\n");
      expect(await go(t.bytes.tell())).toBe(3);
    });

    it("seeking to a saved offset reads from there again", async () => {
      const { t, go } = reader("one\ntwo\nthree\n");
      await go(t.readline(-1));
      const mark = await go(t.bytes.tell());
      expect(await go(t.readline(-1))).toBe("two\n");
      expect(await go(t.seek(mark, 0))).toBe(4);
      expect(await lines(t, go)).toEqual(["two\n", "three\n"]);
    });

    it("seek(0, 1) keeps the position and seek(0, 2) goes to the end", async () => {
      const { t, go } = reader("abc\ndef");
      await go(t.readline(-1));
      expect(await go(t.seek(0, 1))).toBe(4);
      expect(await go(t.read(1))).toBe("d");
      expect(await go(t.seek(0, 2))).toBe(7);
      expect(await go(t.read(-1))).toBe("");
    });
  });
});

describe("TextIO over a swapped byte file", () => {
  it("continues at the same byte offset when the byte layer is replaced (a rollover)", () => {
    const content = bytesOf("first\nsecond\nthird\n");
    const memory = new MemoryIO(false);
    memory.tryBuffer(content);
    runSync(memory.seek(0, 0), noRequests);
    const t = new TextIO(memory, utf8, "strict", undefined, false, "\n");
    expect(runSync(t.readline(-1), noRequests)).toBe("first\n");

    const perform = fakeFile(content, Infinity);
    const buffered = new BufferedIO(FD, 8192, false);
    runSync(buffered.seek(memory.position, 0), perform);
    t.bytes = buffered;
    expect(runSync(t.readline(-1), perform)).toBe("second\n");
    expect(runSync(t.read(-1), perform)).toBe("third\n");
  });
});
