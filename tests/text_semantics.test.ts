// Python's text and file semantics through the public API, one behaviour per
// test; each expected value is what CPython 3.11 gives for the same calls.
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { EOL } from "node:os";
import fc from "fast-check";
import { SpooledTemporaryFileSync, TemporaryFileSync, UnicodeError, UnsupportedOperation } from "../mod.ts";
import { hex } from "./_helpers.ts";

const enc = new TextEncoder();

/** The bytes on disk of an open file, after a flush. */
function bytesOf(f: { flushSync(): void; fileno(): number }): string {
  f.flushSync();
  const fd = f.fileno();
  const out = new Uint8Array(fs.fstatSync(fd).size);
  fs.readSync(fd, out, 0, out.length, 0);
  return hex(out);
}

describe("counts and limits are code points", () => {
  it("write() returns Python's len(): a surrogate pair counts once", () => {
    using f = TemporaryFileSync({ mode: "w+", errors: "replace" });
    expect([f.writeSync("😀"), f.writeSync("a😀é\n"), f.writeSync("\ud800")]).toEqual([1, 4, 1]);
  });

  it("read(n) and readline(n) count code points", () => {
    using f = TemporaryFileSync({ mode: "w+" });
    f.writeSync("😀a😀b\n");
    f.seekSync(0);
    expect(f.readSync(2)).toBe("😀a");
    expect(f.readlineSync(2)).toBe("😀b");
  });

  it("readline(limit) stops between \\r and \\n with newline ''", () => {
    using f = TemporaryFileSync({ mode: "w+", newline: "" });
    f.writeSync("a\r\nb");
    f.seekSync(0);
    expect([f.readlineSync(2), f.readlineSync(), f.readlineSync()]).toEqual(["a\r", "\n", "b"]);
  });

  it("readlines(hint) reads until the total exceeds the hint", () => {
    using b = TemporaryFileSync();
    b.writeSync(enc.encode("abcde\nfgh\nij\n"));
    b.seekSync(0);
    expect(b.readlinesSync(6).length).toBe(2);
    using t = TemporaryFileSync({ mode: "w+" });
    t.writeSync("😀😀😀😀😀\nfgh\nij\n");
    t.seekSync(0);
    expect(t.readlinesSync(6)).toEqual(["😀😀😀😀😀\n", "fgh\n"]);
  });
});

describe("error handlers write what Python writes", () => {
  it.each([
    ["latin-1", "replace", "a😀b", "613f62"],
    ["utf-8", "replace", "a\ud800b", "613f62"],
    ["utf-16-le", "replace", "\ud800", "3f00"],
    ["ascii", "backslashreplace", "é😀", "5c7865395c553030303166363030"],
    ["cp1252", "xmlcharrefreplace", "€😀", "8026233132383531323b"],
    ["utf-8", "surrogateescape", "\udcff", "ff"],
    ["latin-1", "ignore", "a😀€b", "6162"],
  ])("%s with errors %s writes %j as %s", (encoding, errors, text, expected) => {
    using f = TemporaryFileSync({ mode: "w+", encoding, errors: errors as "strict" });
    f.writeSync(text);
    expect(bytesOf(f)).toBe(expected);
  });

  it("strict refuses what the encoding cannot hold, with a UnicodeError", () => {
    using f = TemporaryFileSync({ mode: "w+", encoding: "ascii" });
    expect(() => f.writeSync("é")).toThrow(UnicodeError);
  });

  it("decoding handlers read undecodable bytes as Python", () => {
    const read = (errors: string) => {
      using f = TemporaryFileSync({ mode: "w+", errors: errors as "strict" });
      f.writeSync("a");
      f.flushSync();
      fs.writeSync(f.fileno(), new Uint8Array([0xff, 0x62]), 0, 2, 1);
      f.seekSync(0);
      try {
        return f.readSync();
      } catch (err) {
        return (err as Error).name;
      }
    };
    expect(
      ["strict", "ignore", "replace", "backslashreplace", "surrogateescape", "xmlcharrefreplace"].map(read),
    )
      .toEqual(["UnicodeError", "ab", "a\ufffdb", "a\\xffb", "a\udcffb", "TypeError"]);
  });
});

describe("byte order marks", () => {
  it("utf-16 writes its mark once at the start and reads past it; seek(0) starts the stream again", () => {
    using f = TemporaryFileSync({ mode: "w+", encoding: "utf-16" });
    f.writeSync("ab");
    f.seekSync(0);
    expect(f.readSync()).toBe("ab");
    expect(f.tellSync()).toBe(6);
    f.seekSync(0);
    f.writeSync("c");
    expect(bytesOf(f)).toBe("fffe63006200");
  });

  it("utf-8-sig and utf-32 write their marks; utf-16 without one at the start is a UnicodeError", () => {
    using s = TemporaryFileSync({ mode: "w+", encoding: "utf-8-sig" });
    s.writeSync("a");
    expect(bytesOf(s)).toBe("efbbbf61");
    using w = TemporaryFileSync({ mode: "w+", encoding: "utf-32" });
    w.writeSync("");
    expect(bytesOf(w)).toBe("fffe0000");
    using u = TemporaryFileSync({ mode: "w+", encoding: "utf-16" });
    fs.writeSync(u.fileno(), new Uint8Array([0x61, 0]), 0, 2, 0);
    expect(() => u.readSync()).toThrow(UnicodeError);
  });
});

describe("positions and errors", () => {
  it("a negative seek or truncate on disk is EINVAL, as Python's OSError", () => {
    using f = TemporaryFileSync();
    expect(() => f.seekSync(-1)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => f.seekSync(-1, 1)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => f.truncateSync(-1)).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });

  it("a spooled file in memory clamps a relative seek at 0 and refuses a negative position", () => {
    using f = SpooledTemporaryFileSync();
    f.writeSync(enc.encode("abc"));
    expect(f.seekSync(-10, 1)).toBe(0);
    expect(f.seekSync(-10, 2)).toBe(0);
    expect(() => f.seekSync(-1)).toThrow(RangeError);
    expect(() => f.truncateSync(-1)).toThrow(RangeError);
  });

  it("text seeks: a negative position is a RangeError, nonzero relative ones are unsupported", () => {
    using f = TemporaryFileSync({ mode: "w+" });
    expect(() => f.seekSync(-1)).toThrow(/negative seek position -1/);
    expect(() => f.seekSync(1, 1)).toThrow(UnsupportedOperation);
    expect(() => f.seekSync(1, 2)).toThrow("can't do nonzero end-relative seeks");
  });

  it("a spooled file in memory ignores a truncate that would grow it, as BytesIO", () => {
    using f = SpooledTemporaryFileSync({ maxSize: 100 });
    f.writeSync(enc.encode("ab"));
    expect(f.truncateSync(50)).toBe(50);
    f.seekSync(0);
    expect(f.readSync()).toEqual(enc.encode("ab"));
  });

  it("truncate past maxSize rolls over even with maxSize 0, as Python's", () => {
    using f = SpooledTemporaryFileSync();
    f.truncateSync(5);
    expect(f.rolled).toBe(true);
  });
});

describe("file attributes", () => {
  it("a spooled binary file reports its disk file's mode after a rollover", () => {
    using f = SpooledTemporaryFileSync({ maxSize: 1 });
    expect(f.mode).toBe("w+b");
    f.writeSync(new Uint8Array(3));
    expect(f.mode).toBe("rb+");
    using t = SpooledTemporaryFileSync({ maxSize: 1, mode: "w+" });
    t.writeSync("abc");
    expect(t.mode).toBe("w+");
  });

  it("binary files on disk report FileIO's mode; text files the mode given", () => {
    const modes = ["w+b", "wb", "a+b", "ab", "r+b", "w+", "a"].map((mode) => {
      using f = TemporaryFileSync({ mode });
      return f.mode;
    });
    expect(modes).toEqual(["rb+", "wb", "ab+", "ab", "rb+", "w+", "a"]);
  });

  it("encoding is the name as given, any Python alias", () => {
    for (const name of ["UTF_8", "utf 8", "Latin-1", "cp1252", "windows-1252", "U16", "utf-32-be", "646"]) {
      using f = TemporaryFileSync({ mode: "w+", encoding: name });
      expect(f.encoding).toBe(name);
    }
  });
});

describe("documented differences from Python", () => {
  it("an append mode appends every write, after a seek too (CPython's tempfile writes at the position)", () => {
    using f = TemporaryFileSync({ mode: "a+b" });
    f.writeSync(enc.encode("ab"));
    f.seekSync(0);
    f.writeSync(enc.encode("c"));
    expect(bytesOf(f)).toBe("616263");
  });

  it("a text write after a read lands where the read stopped (CPython: after its read-ahead, bpo-12215)", () => {
    using f = TemporaryFileSync({ mode: "w+" });
    f.writeSync("abcdef");
    f.seekSync(0);
    expect(f.readSync(1)).toBe("a");
    f.writeSync("x");
    expect(bytesOf(f)).toBe(hex(enc.encode("axcdef")));
  });
});

describe("readline's buffered path reads what the general path reads", () => {
  // Lines of every kind, over buffer boundaries: the quick path decodes a whole buffer
  // of lines at once and must agree with Python's rules, and forget them after a write.
  const piece = fc.constantFrom("a", "é", "✓", "😀", "\ufffd", " ", "\r", "\n", "\r\n", "x".repeat(3000));
  const rawLines = (text: string, newline: null | "" | "\n"): string[] =>
    text.match(newline === "\n" ? /[^\n]*\n|[^\n]+$/g : /[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
  const lines = (text: string, newline: null | "" | "\n"): string[] =>
    rawLines(text, newline).map((l) => newline === null ? l.replace(/\r\n?$/, "\n") : l);
  // Another text of the same UTF-8 length, newlines kept: an overwrite that stays valid.
  const same = (s: string) => s.replace(/[^\r\n]/gu, (c) => ["", "Z", "ß", "€", "𝄞"][enc.encode(c).length]);
  it.each([["in memory", true], ["on disk", false]])(
    "a line rewritten after readline is read anew (%s)",
    (_, mem) => {
      using f = mem
        ? SpooledTemporaryFileSync({ mode: "w+", newline: "\n", maxSize: 1 << 20 })
        : TemporaryFileSync({ mode: "w+", newline: "\n" });
      f.writeSync("aaa\nbbb\nccc\n");
      f.seekSync(0);
      expect(f.readlineSync()).toBe("aaa\n"); // decodes all three lines ahead
      const at = f.tellSync();
      f.writeSync("ZZZ\n");
      f.seekSync(at);
      expect([f.readlineSync(), f.readlineSync(), f.readlineSync()]).toEqual(["ZZZ\n", "ccc\n", ""]);
    },
  );

  it("lines decoded ahead are not served after the general path refilled the same buffer", () => {
    using f = TemporaryFileSync({ mode: "w+", newline: "\n" });
    const line = (i: number) => `line ${String(i).padStart(10, "0")}\n`; // 16 bytes: 512 to a buffer
    f.writeSync(Array.from({ length: 2000 }, (_, i) => line(i)).join(""));
    f.seekSync(0);
    expect(f.readlineSync()).toBe(line(0)); // decodes the whole first buffer ahead
    expect(f.readSync(511 * 16)).toBe(Array.from({ length: 511 }, (_, i) => line(i + 1)).join(""));
    expect(f.readSync(16)).toBe(line(512)); // a refill of the same array; its start is back where the cache was
    expect(f.readlineSync()).toBe(line(513));
  });

  it("lines decoded ahead in memory are not served from the disk after a rollover", () => {
    // The disk's read buffer may be the very array the memory gave back to the pool.
    using f = SpooledTemporaryFileSync({ mode: "w+", newline: "\n", maxSize: 1 << 20 });
    const tail = "x".repeat(6000);
    f.writeSync(`aaa\nbbb\nccc\n${tail}`);
    f.seekSync(0);
    expect(f.readlineSync()).toBe("aaa\n"); // decodes "bbb\n" and "ccc\n" ahead, from the memory's array
    f.rolloverSync();
    expect(f.readSync(4)).toBe("bbb\n"); // the general path: the disk buffer's start moves to 4
    expect(f.readlineSync()).toBe("ccc\n");
    expect(f.readlineSync()).toBe(tail);
  });

  it("an undecodable byte just before a \\r\\n goes to the error handler, and the next line is intact", () => {
    // The quick path decodes the line without its "\r": an unfinished sequence must not wait in the decoder.
    const read = (errors: "strict" | "replace") => {
      using f = TemporaryFileSync({ mode: "w+", errors });
      f.writeSync("a");
      f.flushSync();
      fs.writeSync(f.fileno(), new Uint8Array([0xe2, 0x0d, 0x0a, 0x62, 0x0a]), 0, 5, 1);
      f.seekSync(0);
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        try {
          out.push(f.readlineSync());
        } catch (err) {
          out.push((err as Error).name);
          f.seekSync(4); // past the bad line, as a Python program would after its error
        }
      }
      return out;
    };
    expect([read("strict"), read("replace")]).toEqual([["UnicodeError", "b\n", ""], [
      "a\ufffd\n",
      "b\n",
      "",
    ]]);
  });

  it("a line across the buffer's end is read whole, in every runtime's decoder", () => {
    using f = TemporaryFileSync({ mode: "w+", newline: "\n" });
    const line = (i: number) => `${"é✓".repeat(i % 7)}line ${i}\n`; // lines of 8 to 50 bytes, mixed widths
    const all = Array.from({ length: 3000 }, (_, i) => line(i));
    f.writeSync(all.join(""));
    f.seekSync(0);
    const read: string[] = [];
    for (let l; (l = f.readlineSync()) !== "";) read.push(l);
    expect(read).toEqual(all);
  });

  it.each([[null], [""], ["\n"]] as [null | "" | "\n"][])("newline %j, on disk and in memory", (newline) => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.nat(30), fc.boolean(), (pieces, k, spooled) => {
        // `text` is what the file holds. With newline unset, "\n" is written as the platform's line end
        // ("\r\n" on Windows), so what is written is that text with its "\r\n"s back to "\n".
        const translated = newline === null && EOL === "\r\n";
        const written = (t: string) => translated ? t.replaceAll("\r\n", "\n") : t;
        let text = translated ? pieces.join("").replaceAll("\n", "\r\n") : pieces.join("");
        using f = spooled
          ? SpooledTemporaryFileSync({ mode: "w+", newline, maxSize: 1 << 20 })
          : TemporaryFileSync({ mode: "w+", newline });
        f.writeSync(written(text));
        f.seekSync(0);
        const read: string[] = [];
        for (let l = f.readlineSync(); l !== ""; l = f.readlineSync()) {
          read.push(l);
          const raw = rawLines(text, newline);
          if (read.length === k && k < raw.length) {
            // Rewrite the next line in place: what was decoded ahead is stale now.
            const at = f.tellSync();
            f.writeSync(written(same(raw[k])));
            f.seekSync(at);
            text = raw.slice(0, k).join("") + same(raw[k]) + raw.slice(k + 1).join("");
          }
        }
        expect(read).toEqual(lines(text, newline));
      }),
      { numRuns: 150 },
    );
  });
});
