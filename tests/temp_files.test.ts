import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { EOL } from "node:os";
import * as path from "node:path";
import {
  ClosedFileError,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  TemporaryFile,
  TemporaryFileSync,
  UnsupportedOperation,
  withNamedTemporaryFile,
  withSpooledTemporaryFile,
  withTemporaryFile,
} from "../mod.ts";
import {
  cleanupScratch,
  errno,
  failure,
  injectFaults,
  listDir,
  runChild,
  scratchDir,
  writeScript,
} from "./_helpers.ts";
import { posixOnly, skipIf, WINDOWS, wineLacks } from "./_windows.ts";

afterEach(cleanupScratch);

const bytes = (...b: number[]) => new Uint8Array(b);

describe("NamedTemporaryFile deletion follows Python 3.12", () => {
  const cases: [string, object, boolean, boolean][] = [
    // options, removed by close(), removed by disposal after close()
    ["defaults", {}, true, true],
    ["deleteOnClose: false", { deleteOnClose: false }, false, true],
    ["delete: false", { delete: false }, false, false],
    ["delete: false, deleteOnClose: true", { delete: false, deleteOnClose: true }, false, false],
  ];

  it.each(cases)("%s (sync)", (_, options, byClose, byDispose) => {
    const dir = scratchDir();
    const f = NamedTemporaryFileSync({ dir, ...options });
    expect(fs.existsSync(f.name)).toBe(true);
    f.closeSync();
    expect(fs.existsSync(f.name)).toBe(!byClose);
    f[Symbol.dispose]();
    expect(fs.existsSync(f.name)).toBe(!byDispose);
  });

  it.each(cases)("%s (async)", async (_, options, byClose, byDispose) => {
    const dir = scratchDir();
    const f = await NamedTemporaryFile({ dir, ...options });
    expect(fs.existsSync(f.name)).toBe(true);
    await f.close();
    expect(fs.existsSync(f.name)).toBe(!byClose);
    await f[Symbol.asyncDispose]();
    expect(fs.existsSync(f.name)).toBe(!byDispose);
  });

  it.each(cases)("%s: disposal of an open file", async (_, options, _byClose, byDispose) => {
    const dir = scratchDir();
    let name = "";
    {
      await using f = await NamedTemporaryFile({ dir, ...options });
      name = f.name;
      expect(fs.existsSync(name)).toBe(true);
    }
    expect(fs.existsSync(name)).toBe(!byDispose);
    {
      using g = NamedTemporaryFileSync({ dir, ...options });
      name = g.name;
    }
    expect(fs.existsSync(name)).toBe(!byDispose);
  });

  it("a file the program removed itself is not an error, and close twice is harmless", async () => {
    const dir = scratchDir();
    const f = NamedTemporaryFileSync({ dir });
    fs.unlinkSync(f.name);
    f.closeSync();
    f.closeSync();
    const g = await NamedTemporaryFile({ dir });
    fs.unlinkSync(g.name);
    await g.close();
    await g.close();
    await g[Symbol.asyncDispose]();
    expect(listDir(dir)).toEqual([]);
  });

  it("name is absolute, inside dir, with prefix and suffix", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir, prefix: "p-", suffix: ".s" });
    expect(path.dirname(f.name)).toBe(dir);
    expect(path.basename(f.name)).toMatch(/^p-[a-z0-9_]{8}\.s$/);
  });

  skipIf(posixOnly("permission bits (Windows entries inherit the directory's ACL)"))(
    "the file is private: mode 0o600, less the umask",
    () => {
      const dir = scratchDir();
      using f = NamedTemporaryFileSync({ dir, prefix: "p-", suffix: ".s" });
      expect(fs.statSync(f.name).mode & 0o777).toBe(0o600 & ~currentUmaskValue());
    },
  );

  it("another process can read the file by name while it is open", async () => {
    const dir = scratchDir();
    await using f = await NamedTemporaryFile({ dir, mode: "w" });
    await f.write("shared with a child\n");
    await f.flush();
    const script = writeScript(
      dir,
      `import * as fs from "node:fs"; console.log(fs.readFileSync(process.argv.at(-1) ?? "", "utf8").trim());`,
    );
    fs.writeFileSync(
      script,
      `import * as fs from "node:fs"; console.log(fs.readFileSync(${
        JSON.stringify(f.name)
      }, "utf8").trim());`,
    );
    const r = runChild(script);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("shared with a child");
  });
});

function currentUmaskValue(): number {
  const old = process.umask(0o022);
  process.umask(old);
  return old;
}

describe("TemporaryFile", () => {
  skipIf(wineLacks("Deno's DeleteFileW", "deno"))(
    "is never visible in dir; name is its descriptor; it has no link",
    async () => {
      const dir = scratchDir();
      const f = TemporaryFileSync({ dir });
      const g = await TemporaryFile({ dir });
      expect(listDir(dir)).toEqual([]);
      expect(f.name).toBe(f.fileno());
      expect(typeof g.name).toBe("number");
      expect(fs.fstatSync(f.fileno()).nlink).toBe(0);
      f.writeSync(bytes(1, 2, 3));
      f.seekSync(0);
      expect(f.readSync()).toEqual(bytes(1, 2, 3));
      f.closeSync();
      await g.close();
      expect(listDir(dir)).toEqual([]);
    },
  );

  skipIf(posixOnly("O_TMPFILE, a Linux flag"))(
    "falls back to create-then-unlink when O_TMPFILE is refused",
    async () => {
      const dir = scratchDir();
      let refused = 0;
      const seen: string[] = [];
      injectFaults({
        open: {
          before: (r) => {
            if (r.path === dir) {
              refused++;
              throw errno("EACCES", r.path); // EACCES: fall back this time, keep trying O_TMPFILE later
            }
            seen.push(r.path);
          },
        },
      });
      const f = TemporaryFileSync({ dir, prefix: "fb-" });
      const g = await TemporaryFile({ dir, prefix: "fb-" });
      expect(refused).toBe(2);
      expect(seen.map((p) => path.dirname(p))).toEqual([dir, dir]);
      expect(listDir(dir)).toEqual([]);
      f.writeSync(bytes(9));
      f.seekSync(0);
      expect(f.readSync()).toEqual(bytes(9));
      f.closeSync();
      await g.close();
    },
  );

  it("a SIGKILLed process leaves nothing behind", () => {
    const dir = scratchDir();
    const script = writeScript(
      dir,
      `import { TemporaryFileSync } from "MOD";
      const f = TemporaryFileSync({ dir: ${JSON.stringify(dir)} });
      f.writeSync(new Uint8Array(100)); f.flushSync();
      process.kill(process.pid, "SIGKILL");`,
    );
    const r = runChild(script);
    // Windows has no signals between processes: SIGKILL is TerminateProcess, seen as a failed exit.
    if (WINDOWS) expect(r.status).not.toBe(0);
    else expect(r.signal).toBe("SIGKILL");
    expect(listDir(dir)).toEqual(["child.mjs"]);
  });
});

describe("modes", () => {
  const modes: [string, boolean, boolean, boolean][] = [
    // mode, readable, writable, binary
    ["r", true, false, false],
    ["w", false, true, false],
    ["a", false, true, false],
    ["x", false, true, false],
    ["r+", true, true, false],
    ["w+", true, true, false],
    ["a+", true, true, false],
    ["x+", true, true, false],
    ["rb", true, false, true],
    ["wb", false, true, true],
    ["ab", false, true, true],
    ["xb", false, true, true],
    ["r+b", true, true, true],
    ["w+b", true, true, true],
    ["rb+", true, true, true],
    ["a+b", true, true, true],
    ["wt", false, true, false],
    ["w+t", true, true, false],
  ];

  it.each(modes)("mode %s: readable %s, writable %s, binary %s", async (mode, readable, writable, binary) => {
    const dir = scratchDir();
    const data = binary ? bytes(65, 66) : "AB";
    const f = NamedTemporaryFileSync({ dir, mode });
    // As Python's: a binary file reports its FileIO's mode, a text file the mode given.
    const fileIOMode: Record<string, string> = { "r+b": "rb+", "w+b": "rb+", "a+b": "ab+", "rb+": "rb+" };
    expect(f.mode).toBe(fileIOMode[mode] ?? mode);
    expect(f.encoding).toBe(binary ? undefined : "utf-8");
    const write = () => f.writeSync(data as never);
    if (writable) expect(write()).toBe(2);
    else expect(write).toThrow(UnsupportedOperation);
    f.seekSync(0);
    const read = () => f.readSync();
    if (readable) expect(read()).toEqual(writable ? data : binary ? new Uint8Array() : "");
    else expect(read).toThrow(UnsupportedOperation);
    await f.seek(0);
    if (readable) expect(await f.read()).toEqual(writable ? data : binary ? new Uint8Array() : "");
    else await expect(f.read()).rejects.toThrow(UnsupportedOperation);
    f.closeSync();
  });

  it("a binary file takes only Uint8Array and a text file only strings", () => {
    const dir = scratchDir();
    using b = NamedTemporaryFileSync({ dir });
    using t = NamedTemporaryFileSync({ dir, mode: "w+" });
    expect(() => b.writeSync("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => t.writeSync(bytes(1) as unknown as string)).toThrow(TypeError);
  });

  it("append mode writes at the end, wherever the position was", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir, mode: "a+b" });
    f.writeSync(bytes(1, 2, 3));
    f.seekSync(0);
    f.writeSync(bytes(4));
    expect(f.tellSync()).toBe(4);
    f.seekSync(0);
    expect(f.readSync()).toEqual(bytes(1, 2, 3, 4));
  });

  it.each(["wr", "bt", "", "rw", "w++", "q", "U", "rbb", "wtb"])(
    "bad mode %o throws RangeError and creates nothing",
    async (mode) => {
      const dir = scratchDir();
      for (const create of [NamedTemporaryFileSync, NamedTemporaryFile, TemporaryFileSync, TemporaryFile]) {
        const err = await failure(() => create({ dir, mode }));
        expect(err).toBeInstanceOf(RangeError);
        expect(err.message).toMatch(/option "mode" is invalid/);
      }
      expect(listDir(dir)).toEqual([]);
    },
  );

  it.each([[5], [null], [["w"]]])("non-string mode %o throws TypeError and creates nothing", async (mode) => {
    const dir = scratchDir();
    const err = await failure(() => NamedTemporaryFile({ dir, mode: mode as unknown as string }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/"mode" must be a string/);
    expect(listDir(dir)).toEqual([]);
  });
});

describe("bad file options leave no file in dir", () => {
  const bad: [object, typeof TypeError | typeof RangeError, RegExp][] = [
    [{ encoding: "klingon" }, RangeError, /"encoding" is an unknown encoding/],
    [{ encoding: 8 }, TypeError, /"encoding" must be a string/],
    [{ errors: "bogus" }, RangeError, /"errors" must be one of/],
    [{ errors: "surrogatepass" }, RangeError, /"errors" must be one of/], // Python's, not supported here
    [{ errors: 1 }, TypeError, /"errors" must be one of/],
    [{ encoding: "utf.8" }, RangeError, /"encoding" is an unknown encoding/],
    [{ newline: "\n\n" }, RangeError, /"newline" must be one of/],
    [{ newline: 10 }, TypeError, /"newline" must be one of/],
    [{ buffering: -2 }, RangeError, /"buffering" must be an integer from -1 to 1073741824/],
    [
      { buffering: 2 ** 40 },
      RangeError,
      /"buffering" must be an integer from -1 to 1073741824, got 1099511627776/,
    ],
    [{ buffering: 1.5 }, RangeError, /"buffering" must be an integer/],
    [{ buffering: "8" }, TypeError, /"buffering" must be a number/],
    [{ mode: "w", buffering: 0 }, RangeError, /"buffering" can't be 0 in text mode/],
    [{ mode: "wb", encoding: "utf-8" }, RangeError, /binary mode doesn't take option "encoding"/],
    [{ mode: "wb", newline: "" }, RangeError, /binary mode doesn't take option "newline"/],
    [{ delete: "yes" }, TypeError, /"delete" must be a boolean/],
    [{ deleteOnClose: 0 }, TypeError, /"deleteOnClose" must be a boolean/],
    [{ modee: "w" }, TypeError, /unknown option "modee"/],
  ];
  it.each(bad)("%o", async (options, kind, message) => {
    const dir = scratchDir();
    for (const create of [NamedTemporaryFileSync, NamedTemporaryFile]) {
      const err = await failure(() => create({ dir, ...options } as never));
      expect(err).toBeInstanceOf(kind);
      expect(err.message).toMatch(message);
      expect(err.message).toMatch(/^NamedTemporaryFile: /);
    }
    expect(listDir(dir)).toEqual([]);
  });

  it("TemporaryFile rejects the named-only options", async () => {
    const dir = scratchDir();
    const err = await failure(() => TemporaryFile({ dir, delete: false } as never));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/unknown option "delete"/);
  });
});

describe("text", () => {
  const samples: [string, string, number[]][] = [
    ["utf-8", "héllo wörld €𝄞", []],
    ["utf-16le", "héllo wörld €𝄞", []],
    ["latin1", "héllo wörld ÿ\u0080", []],
  ];

  it.each(samples)("%s round trip, sync and async, with exact byte positions", async (encoding, text) => {
    const dir = scratchDir();
    const f = NamedTemporaryFileSync({ dir, mode: "w+", encoding });
    f.writeSync(text);
    f.flushSync();
    const expected = encoding === "utf-8"
      ? Buffer.from(text, "utf8")
      : encoding === "utf-16le"
      ? Buffer.from(text, "utf16le")
      : Buffer.from(text, "latin1");
    expect(new Uint8Array(fs.readFileSync(f.name))).toEqual(new Uint8Array(expected));
    expect(f.tellSync()).toBe(expected.length);
    f.seekSync(0);
    expect(f.readSync(3)).toBe(text.slice(0, 3));
    expect(f.tellSync()).toBe(
      Buffer.byteLength(
        text.slice(0, 3),
        encoding === "latin1" ? "latin1" : encoding === "utf-8" ? "utf8" : "utf16le",
      ),
    );
    expect(f.readSync()).toBe(text.slice(3));
    await f.seek(0);
    expect(await f.read()).toBe(text);
    expect(f.encoding).toBe(encoding); // as given, as Python's
    f.closeSync();
  });

  it("reads character by character across multi-byte boundaries", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir, mode: "w+", buffering: 16 });
    const text = "aé€𝄞".repeat(50);
    f.writeSync(text);
    f.seekSync(0);
    let out = "";
    for (let c = f.readSync(1); c !== ""; c = f.readSync(1)) out += c;
    expect(out).toBe(text);
  });

  it("errors: strict throws on bad bytes and unencodable text; replace substitutes", () => {
    const dir = scratchDir();
    using s = NamedTemporaryFileSync({ dir, mode: "w+b" });
    s.writeSync(bytes(0x61, 0xff, 0x62));
    s.flushSync();
    using strict = NamedTemporaryFileSync({ dir, mode: "r" });
    const name = s.name;
    const readWith = (errors: "strict" | "replace") => {
      const f = NamedTemporaryFileSync({ dir, mode: "w+", errors, delete: true });
      fs.writeFileSync(f.name, fs.readFileSync(name));
      const out = f.readSync();
      f.closeSync();
      return out;
    };
    expect(() => readWith("strict")).toThrow(/can't decode/);
    expect(readWith("replace")).toBe("a\ufffdb");
    strict.closeSync();
    using l = NamedTemporaryFileSync({ dir, mode: "w", encoding: "latin1" });
    expect(() => l.writeSync("€")).toThrow(/can't encode/);
    using r = NamedTemporaryFileSync({ dir, mode: "w+", encoding: "latin1", errors: "replace" });
    r.writeSync("a€b");
    r.seekSync(0);
    expect(r.readSync()).toBe("a?b");
  });

  it("text seek allows only seek(cookie), seek(0, 1) and seek(0, 2)", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir, mode: "w+" });
    f.writeSync("abcdef");
    expect(f.seekSync(0, 2)).toBe(6);
    expect(f.seekSync(0, 1)).toBe(6);
    expect(f.seekSync(2)).toBe(2);
    expect(() => f.seekSync(-1, 2)).toThrow(UnsupportedOperation);
    expect(f.readSync()).toBe("cdef");
  });
});

describe("newline", () => {
  const content = "a\nb\r\nc\rd";
  // Unset, "\n" is written as the platform's line end (os.linesep in Python): "\r\n" on Windows.
  const translated: [string, string, string[]] = EOL === "\r\n"
    ? ["a\r\nb\r\r\nc\rd", "a\nb\n\nc\nd", ["a\n", "b\n", "\n", "c\n", "d"]]
    : ["a\nb\r\nc\rd", "a\nb\nc\nd", ["a\n", "b\n", "c\n", "d"]];
  const cases: [string | null | undefined, string, string, string[]][] = [
    // newline, bytes on disk after writing `content`, read(), lines
    [undefined, ...translated],
    [null, ...translated],
    ["", "a\nb\r\nc\rd", "a\nb\r\nc\rd", ["a\n", "b\r\n", "c\r", "d"]],
    ["\n", "a\nb\r\nc\rd", "a\nb\r\nc\rd", ["a\n", "b\r\n", "c\rd"]],
    ["\r", "a\rb\r\rc\rd", "a\rb\r\rc\rd", ["a\r", "b\r", "\r", "c\r", "d"]],
    ["\r\n", "a\r\nb\r\r\nc\rd", "a\r\nb\r\r\nc\rd", ["a\r\n", "b\r\r\n", "c\rd"]],
  ];

  it.each(cases)("newline %o", async (newline, onDisk, read, lines) => {
    const dir = scratchDir();
    const f = NamedTemporaryFileSync({ dir, mode: "w+", newline: newline as undefined });
    f.writeSync(content);
    f.flushSync();
    expect(fs.readFileSync(f.name, "latin1")).toBe(onDisk);
    f.seekSync(0);
    expect(f.readSync()).toBe(read);
    f.seekSync(0);
    expect(f.readlinesSync()).toEqual(lines);
    await f.seek(0);
    const seen: string[] = [];
    for await (const line of f) seen.push(line);
    expect(seen).toEqual(lines);
    f.closeSync();
  });

  it("universal newlines see a \\r\\n split across buffer refills as one newline", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir, mode: "w+", newline: "" });
    const text = "x".repeat(8191) + "\r\n" + "y\r" + "z";
    f.writeSync(text);
    using g = NamedTemporaryFileSync({ dir, mode: "r", buffering: 8192, newline: "" });
    f.flushSync();
    fs.writeFileSync(g.name, text);
    expect(g.readlinesSync()).toEqual(["x".repeat(8191) + "\r\n", "y\r", "z"]);
    using h = NamedTemporaryFileSync({ dir, mode: "r" });
    fs.writeFileSync(h.name, text);
    expect(h.readSync()).toBe("x".repeat(8191) + "\ny\nz");
  });
});

describe("buffering", () => {
  function countWrites(): { writes: number } {
    const counter = { writes: 0 };
    injectFaults({ write: { before: () => void counter.writes++ } });
    return counter;
  }

  it("small writes cost no syscall each; reads, seeks and tells see them", async () => {
    const dir = scratchDir();
    const counter = countWrites();
    const f = NamedTemporaryFileSync({ dir });
    for (let i = 0; i < 500; i++) f.writeSync(bytes(i & 0xff, 1, 2, 3));
    expect(counter.writes).toBe(0);
    expect(f.tellSync()).toBe(2000);
    f.seekSync(0);
    expect(counter.writes).toBe(1);
    expect(f.readSync(4)).toEqual(bytes(0, 1, 2, 3));
    f.seekSync(0, 2);
    for (let i = 0; i < 100; i++) await f.write(bytes(7));
    expect(counter.writes).toBe(1);
    await f.seek(2000);
    expect(await f.read(3)).toEqual(bytes(7, 7, 7));
    f.closeSync();
  });

  it("buffering 0 writes at once; n > 1 holds n bytes", () => {
    const dir = scratchDir();
    const counter = countWrites();
    const u = NamedTemporaryFileSync({ dir, buffering: 0 });
    u.writeSync(bytes(1));
    u.writeSync(bytes(2));
    expect(counter.writes).toBe(2);
    expect(fs.readFileSync(u.name).length).toBe(2);
    u.closeSync();
    const n = NamedTemporaryFileSync({ dir, buffering: 4 });
    n.writeSync(bytes(1, 2, 3));
    expect(counter.writes).toBe(2);
    n.writeSync(bytes(4, 5));
    expect(counter.writes).toBe(3);
    expect(fs.readFileSync(n.name)).toEqual(Buffer.from([1, 2, 3]));
    n.closeSync();
  });

  it("buffering 1 flushes text at each newline", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir, mode: "w", buffering: 1 });
    f.writeSync("partial");
    expect(fs.readFileSync(f.name, "utf8")).toBe("");
    f.writeSync(" line\nnext");
    expect(fs.readFileSync(f.name, "utf8")).toBe(`partial line${EOL}next`);
  });

  it("large reads and writes bypass the buffer and stay correct", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir });
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    f.writeSync(bytes(1, 2));
    f.writeSync(big);
    f.seekSync(2);
    expect(f.readSync(100_000)).toEqual(big);
    expect(f.readSync(1)).toEqual(new Uint8Array());
  });
});

describe("the file API", () => {
  it("read, readline, readlines, seek, tell and truncate behave as Python's", async () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir });
    const enc = new TextEncoder();
    f.writeSync(enc.encode("one\ntwo\nthree"));
    expect(f.seekSync(-5, 2)).toBe(8);
    expect(f.readlineSync()).toEqual(enc.encode("three"));
    expect(f.readlineSync()).toEqual(new Uint8Array());
    f.seekSync(0);
    expect(f.readlineSync(2)).toEqual(enc.encode("on"));
    expect(f.readlinesSync()).toEqual([enc.encode("e\n"), enc.encode("two\n"), enc.encode("three")]);
    f.seekSync(0);
    expect(f.readlinesSync(5)).toEqual([enc.encode("one\n"), enc.encode("two\n")]);
    expect(f.seekSync(2, 1)).toBe(10);
    expect(f.truncateSync()).toBe(10);
    expect(f.tellSync()).toBe(10);
    expect(f.truncateSync(3)).toBe(3);
    expect(f.tellSync()).toBe(10);
    f.seekSync(0);
    expect(f.readSync()).toEqual(enc.encode("one"));
    expect(f.readSync()).toEqual(new Uint8Array());
    expect(() => f.seekSync(-1)).toThrow(/^EINVAL/); // Python's OSError
    expect(() => f.seekSync(0, 3 as 0)).toThrow(/whence/);
    expect(f.seekSync(20)).toBe(20);
    f.writeSync(bytes(9));
    f.seekSync(0);
    expect((f.readSync() as Uint8Array).length).toBe(21);
    expect(await f.tell()).toBe(21);
  });

  it("every operation on a closed file throws ClosedFileError", async () => {
    const dir = scratchDir();
    const f = NamedTemporaryFileSync({ dir });
    f.closeSync();
    expect(f.closed).toBe(true);
    for (
      const op of [
        () => f.writeSync(bytes(1)),
        () => f.readSync(),
        () => f.seekSync(0),
        () => f.tellSync(),
        () => f.flushSync(),
        () => f.truncateSync(),
        () => f.fileno(),
        () => f.readlineSync(),
      ]
    ) {
      expect(op).toThrow(ClosedFileError);
      expect(op).toThrow("I/O operation on closed file");
    }
    for (
      const op of [
        () => f.write(bytes(1)),
        () => f.read(),
        () => f.seek(0),
        () => f.tell(),
        () => f.flush(),
        () => f.readline(),
      ]
    ) {
      await expect(op()).rejects.toThrow(ClosedFileError);
    }
  });

  it("async calls take effect in call order, even when not awaited", async () => {
    const dir = scratchDir();
    const f = await NamedTemporaryFile({ dir, mode: "w+" });
    const writes: Promise<number>[] = [];
    for (let i = 0; i < 200; i++) writes.push(f.write(`${i},`));
    const seek = f.seek(0);
    const read = f.read();
    const close = f.close();
    expect(await Promise.all(writes)).toHaveLength(200);
    expect(await seek).toBe(0);
    expect(await read).toBe(Array.from({ length: 200 }, (_, i) => `${i},`).join(""));
    await close;
    expect(listDir(dir)).toEqual([]);
  });

  it("a ...Sync call while async calls run throws instead of racing them", async () => {
    const dir = scratchDir();
    await using f = await NamedTemporaryFile({ dir });
    const w = f.write(bytes(1));
    expect(() => f.writeSync(bytes(2))).toThrow(/await them/);
    await w;
    expect(f.writeSync(bytes(2))).toBe(1);
  });

  it("readable and writable streams", async () => {
    const dir = scratchDir();
    await using f = await NamedTemporaryFile({ dir, mode: "w+" });
    const source = new ReadableStream<string>({
      start(c) {
        for (const s of ["alpha ", "beta ", "gamma"]) c.enqueue(s);
        c.close();
      },
    });
    await source.pipeTo(f.writable);
    expect(fs.readFileSync(f.name, "utf8")).toBe("alpha beta gamma");
    await f.seek(0);
    let text = "";
    for await (const chunk of f.readable) text += chunk;
    expect(text).toBe("alpha beta gamma");
    await using b = await NamedTemporaryFile({ dir });
    await b.write(new Uint8Array(200_000).fill(3));
    await b.seek(0);
    let n = 0;
    for await (const chunk of b.readable) n += chunk.length;
    expect(n).toBe(200_000);
  });

  it("writelines writes each item, sync and async", async () => {
    const dir = scratchDir();
    await using f = await NamedTemporaryFile({ dir, mode: "w+" });
    f.writelinesSync(["a\n", "b\n"]);
    await f.writelines(["c\n", "d\n"]);
    await f.seek(0);
    expect(await f.readlines()).toEqual(["a\n", "b\n", "c\n", "d\n"]);
  });

  it("the descriptor works with node:fs", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir });
    fs.writeSync(f.fileno(), "via fd");
    expect(fs.readFileSync(f.name, "utf8")).toBe("via fd");
  });
});

describe("withTemporaryFile and withSpooledTemporaryFile", () => {
  it("run fn with the file and close it afterwards, when fn returns or throws", async () => {
    const dir = scratchDir();
    const files: { closed: boolean }[] = [];
    const text = await withTemporaryFile(async (f) => {
      files.push(f);
      await f.write("anonymous");
      await f.seek(0);
      return await f.read();
    }, { dir, mode: "w+" });
    expect(text).toBe("anonymous");
    const rolled = await withSpooledTemporaryFile(async (f) => {
      files.push(f);
      await f.write(bytes(1, 2, 3));
      return f.rolled;
    }, { dir, maxSize: 2 });
    expect(rolled).toBe(true);
    for (const make of [withTemporaryFile, withSpooledTemporaryFile]) {
      const err = await failure(() =>
        make((f) => {
          files.push(f);
          throw new Error("inside");
        }, { dir })
      );
      expect(err.message).toBe("inside");
    }
    expect(files.map((f) => f.closed)).toEqual([true, true, true, true]);
    expect(listDir(dir)).toEqual([]);
  });
});

describe("withNamedTemporaryFile", () => {
  it("runs fn with the file and removes it afterwards, when fn returns or throws", async () => {
    const dir = scratchDir();
    let name = "";
    const result = await withNamedTemporaryFile(async (f) => {
      name = f.name;
      await f.write(bytes(1, 2));
      expect(fs.existsSync(name)).toBe(true);
      return "done";
    }, { dir });
    expect(result).toBe("done");
    expect(fs.existsSync(name)).toBe(false);
    const err = await failure(() =>
      withNamedTemporaryFile((f) => {
        name = f.name;
        throw new Error("inside");
      }, { dir })
    );
    expect(err.message).toBe("inside");
    expect(listDir(dir)).toEqual([]);
  });
});

describe("persist", () => {
  it("renames atomically onto dest, keeps the file open and stops deleting it", () => {
    const dir = scratchDir();
    const dest = path.join(dir, "final.txt");
    fs.writeFileSync(dest, "old");
    const f = NamedTemporaryFileSync({ dir, mode: "w+" });
    const temp = f.name;
    f.writeSync("new content");
    f.persistSync(dest);
    expect(f.name).toBe(dest);
    expect(fs.existsSync(temp)).toBe(false);
    expect(fs.readFileSync(dest, "utf8")).toBe("new content");
    f.writeSync("!");
    f.closeSync();
    f[Symbol.dispose]();
    expect(fs.readFileSync(dest, "utf8")).toBe("new content!");
    expect(listDir(dir)).toEqual(["final.txt"]);
  });

  it("overwrite: false never replaces dest and gives EEXIST; the temp file stays", async () => {
    const dir = scratchDir();
    const dest = path.join(dir, "taken");
    fs.writeFileSync(dest, "keep me");
    const f = await NamedTemporaryFile({ dir, mode: "w" });
    await f.write("data");
    const err = await failure(() => f.persist(dest, { overwrite: false }));
    expect(err.code).toBe("EEXIST");
    expect(fs.readFileSync(dest, "utf8")).toBe("keep me");
    expect(fs.readFileSync(f.name, "utf8")).toBe("data");
    const free = path.join(dir, "free");
    await f.persist(free, { overwrite: false });
    expect(fs.readFileSync(free, "utf8")).toBe("data");
    await f.close();
    expect(listDir(dir).sort()).toEqual(["free", "taken"]);
  });

  it("EXDEV (another file system) leaves the temp file intact and still deleted later", async () => {
    const dir = scratchDir();
    injectFaults({
      rename: {
        before: (r) => {
          throw errno("EXDEV", r.from);
        },
      },
    });
    const f = NamedTemporaryFileSync({ dir });
    f.writeSync(bytes(1));
    const err = await failure(() => f.persistSync("/elsewhere/x"));
    expect(err.code).toBe("EXDEV");
    expect(fs.readFileSync(f.name)).toEqual(Buffer.from([1]));
    f.closeSync();
    expect(listDir(dir)).toEqual([]);
  });

  it("rejects a bad dest or option", () => {
    const dir = scratchDir();
    using f = NamedTemporaryFileSync({ dir });
    expect(() => f.persistSync(3 as unknown as string)).toThrow(TypeError);
    expect(() => f.persistSync(path.join(dir, "x"), { overwite: true } as never)).toThrow(
      /unknown option "overwite"/,
    );
  });
});

describe("readinto", () => {
  it("fills the given buffer from the position, sync and async, and returns 0 at EOF", async () => {
    const dir = scratchDir();
    await using f = await NamedTemporaryFile({ dir });
    const data = new Uint8Array(20_000).map((_, i) => i % 251);
    await f.write(data);
    await f.seek(3);
    expect(await f.read(2)).toEqual(data.subarray(3, 5)); // leaves read-ahead in the buffer
    const buf = new Uint8Array(15_000);
    expect(f.readintoSync(buf)).toBe(15_000);
    expect(buf).toEqual(data.subarray(5, 15_005));
    expect(await f.readinto(buf)).toBe(4_995);
    expect(buf.subarray(0, 4_995)).toEqual(data.subarray(15_005));
    expect(await f.readinto(buf)).toBe(0);
    expect(await f.tell()).toBe(20_000);
  });

  it("is for binary files and Uint8Array buffers only", () => {
    const dir = scratchDir();
    using t = NamedTemporaryFileSync({ dir, mode: "w+" });
    expect(() => t.readintoSync(new Uint8Array(1))).toThrow(UnsupportedOperation);
    using b = NamedTemporaryFileSync({ dir });
    expect(() => b.readintoSync([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});
