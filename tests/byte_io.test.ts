// The byte layer alone: BufferedIO and MemoryIO driven by both request
// drivers over a fake in-memory file, so every request is seen and counted.
import { describe, expect, it } from "vitest";
import { type Gen, type Request, run, runSync, stepGen } from "../src/_requests.ts";
import { BufferedIO, MemoryIO } from "../src/_byte_io.ts";
import { platform } from "../src/_platform.ts";

// Never a real descriptor: a dropped BufferedIO has its fd closed by a finalizer.
const FD = 1_000_000;

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const seq = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => i & 0xff);

/** One request as the fake saw it, without the buffers. */
type Seen =
  | { op: "read" | "write"; pos: number | null; len: number }
  | { op: "truncate"; length: number }
  | { op: string };

/**
 * A file held in a growable Uint8Array behind descriptor FD: pread, pwrite,
 * append (a write with pos null), size and truncate. It records every request.
 */
class FakeFile {
  #data = new Uint8Array(64);
  #length = 0;
  /** Every request, as yielded. */
  readonly requests: Request[] = [];
  /** Every request, summarised for comparison. */
  readonly seen: Seen[] = [];
  /** What the next write requests do, one entry each: an error code to throw, or at most that many bytes. */
  writeFaults: (string | number | undefined)[] = [];

  /** `maxIO` caps the bytes one read or write moves (short reads and writes); `failClose` makes close throw. */
  readonly maxIO: number;
  readonly failClose: boolean;

  constructor(content: Uint8Array | string = "", maxIO = Infinity, failClose = false) {
    this.maxIO = maxIO;
    this.failClose = failClose;
    const bytes = typeof content === "string" ? enc(content) : content;
    this.#reserve(bytes.length);
    this.#data.set(bytes);
    this.#length = bytes.length;
  }

  /** The file's bytes. */
  get content(): Uint8Array {
    return this.#data.slice(0, this.#length);
  }

  /** How many requests named `op` were made. */
  count(op: string): number {
    return this.requests.filter((r) => r.op === op).length;
  }

  #reserve(needed: number): void {
    if (needed <= this.#data.length) return;
    const next = new Uint8Array(Math.max(needed, this.#data.length * 2));
    next.set(this.#data);
    this.#data = next;
  }

  perform = (r: Request): unknown => {
    this.requests.push(r);
    if ("fd" in r && r.fd !== FD) throw new Error(`EBADF: fd ${r.fd}`);
    switch (r.op) {
      case "read": {
        this.seen.push({ op: r.op, pos: r.pos, len: r.buf.length });
        if (r.pos === null) throw new Error("the fake reads only at a position");
        const n = Math.max(0, Math.min(r.buf.length, this.maxIO, this.#length - r.pos));
        r.buf.set(this.#data.subarray(r.pos, r.pos + n));
        return n;
      }
      case "write": {
        this.seen.push({ op: r.op, pos: r.pos, len: r.buf.length });
        const fault = this.writeFaults.shift();
        if (typeof fault === "string") throw Object.assign(new Error(`${fault}: injected`), { code: fault });
        const at = r.pos ?? this.#length;
        const n = Math.min(r.buf.length, this.maxIO, fault ?? Infinity);
        this.#reserve(at + n);
        this.#data.set(r.buf.subarray(0, n), at);
        this.#length = Math.max(this.#length, at + n);
        return n;
      }
      case "size":
        this.seen.push({ op: r.op });
        return this.#length;
      case "truncate":
        this.seen.push({ op: r.op, length: r.length });
        this.#reserve(r.length);
        // Bytes past the end are always zero, so growing the file reads as zeros.
        if (r.length < this.#length) this.#data.fill(0, r.length, this.#length);
        this.#length = r.length;
        return undefined;
      case "fsync":
        this.seen.push({ op: r.op });
        return undefined;
      case "close":
        this.seen.push({ op: r.op });
        if (this.failClose) throw new Error("EIO: close failed");
        return undefined;
      default:
        throw new Error(`the fake file cannot do ${r.op}`);
    }
  };
}

/** Runs an operation to its result; the same tests run through both drivers. A throw rejects. */
type Drive = <T>(gen: Gen<T>) => Promise<T>;
const drivers: { name: string; driver: (f: FakeFile) => Drive }[] = [
  { name: "runSync", driver: (f) => (gen) => new Promise((resolve) => resolve(runSync(gen, f.perform))) },
  { name: "run", driver: (f) => (gen) => run(gen, (r) => new Promise((resolve) => resolve(f.perform(r)))) },
];

describe.each(drivers)("BufferedIO ($name)", ({ driver }) => {
  /** A fake file holding `content`, a BufferedIO over it, and the driver bound to it. */
  const open = (content: Uint8Array | string = "", bufferSize = 16, append = false, maxIO = Infinity) => {
    const file = new FakeFile(content, maxIO);
    return { file, io: new BufferedIO(FD, bufferSize, append), go: driver(file) };
  };

  describe("writing", () => {
    it("a small write costs no request until flush", async () => {
      const { file, io, go } = open();
      expect(await go(io.write(enc("hello")))).toBe(5);
      expect(file.requests).toEqual([]);
      await go(io.flush());
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 5 }]);
      expect(dec(file.content)).toBe("hello");
    });

    it("small writes are gathered into one write request", async () => {
      const { file, io, go } = open();
      for (const s of ["abcd", "efgh", "ijkl"]) await go(io.write(enc(s)));
      expect(file.requests).toEqual([]);
      await go(io.flush());
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 12 }]);
      expect(dec(file.content)).toBe("abcdefghijkl");
    });

    it("flush with nothing buffered costs no request", async () => {
      const { file, io, go } = open("data");
      await go(io.flush());
      await go(io.write(enc("x")));
      await go(io.flush());
      await go(io.flush());
      expect(file.count("write")).toBe(1);
    });

    it("tryBuffer takes data that fits without I/O and refuses data that does not", async () => {
      const { file, io, go } = open();
      expect(io.tryBuffer(enc("0123456789"))).toBe(true);
      expect(io.tryBuffer(enc("abcdefg"))).toBe(false);
      expect(io.tryBuffer(enc("abcdef"))).toBe(true);
      expect(file.requests).toEqual([]);
      await go(io.flush());
      expect(dec(file.content)).toBe("0123456789abcdef");
    });

    it("tryBuffer refuses data while read-ahead is held", async () => {
      const { io, go } = open("0123456789");
      await go(io.read(2));
      expect(io.tryBuffer(enc("x"))).toBe(false);
    });

    it("a write of exactly bufferSize bytes into an empty buffer is buffered", async () => {
      const { file, io, go } = open();
      await go(io.write(seq(16)));
      expect(file.requests).toEqual([]);
      await go(io.flush());
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 16 }]);
    });

    it("a write larger than bufferSize goes straight through", async () => {
      const { file, io, go } = open();
      expect(await go(io.write(seq(17)))).toBe(17);
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 17 }]);
      await go(io.flush());
      expect(file.count("write")).toBe(1);
      expect(file.content).toEqual(seq(17));
    });

    it("a write larger than bufferSize flushes the buffered bytes first", async () => {
      const { file, io, go } = open();
      await go(io.write(enc("a")));
      await go(io.write(seq(20)));
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 1 }, { op: "write", pos: 1, len: 20 }]);
      expect(file.content).toEqual(new Uint8Array([97, ...seq(20)]));
    });

    it("a write that does not fit flushes the buffer and is buffered itself", async () => {
      const { file, io, go } = open();
      await go(io.write(enc("0123456789")));
      await go(io.write(enc("abcdefghij")));
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 10 }]);
      await go(io.flush());
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 10 }, { op: "write", pos: 10, len: 10 }]);
      expect(dec(file.content)).toBe("0123456789abcdefghij");
    });

    it("a short write is retried until every byte is written", async () => {
      const { file, io, go } = open("", 4, false, 3);
      await go(io.write(enc("0123456789")));
      // As Python's BufferedWriter: once no more than a buffer is left, it is buffered.
      expect(file.seen.length).toBe(2);
      await go(io.flush());
      expect(file.seen).toEqual([
        { op: "write", pos: 0, len: 10 },
        { op: "write", pos: 3, len: 7 },
        { op: "write", pos: 6, len: 4 },
        { op: "write", pos: 9, len: 1 },
      ]);
      expect(dec(file.content)).toBe("0123456789");
      expect(await go(io.tell())).toBe(10);
    });

    it("a failed flush keeps the unwritten bytes, in order, and the next flush writes them", async () => {
      const { file, io, go } = open("", 8);
      await go(io.write(enc("abcdef")));
      file.writeFaults = [2, "ENOSPC"];
      const err = await go(io.flush()).catch((e) => e);
      expect(err.code).toBe("ENOSPC");
      expect(dec(file.content)).toBe("ab");
      expect(await go(io.tell())).toBe(6);
      await go(io.flush());
      expect(dec(file.content)).toBe("abcdef");
      expect(file.seen.at(-1)).toEqual({ op: "write", pos: 2, len: 4 });
    });

    it("a write whose flush fails buffers none of its bytes; retried, it lands after the kept ones", async () => {
      const { file, io, go } = open("", 8);
      await go(io.write(enc("abcde")));
      file.writeFaults = [3, "ENOSPC"];
      expect((await go(io.write(enc("fghij"))).catch((e) => e)).code).toBe("ENOSPC");
      expect(await go(io.tell())).toBe(5);
      await go(io.write(enc("fghij")));
      await go(io.flush());
      expect(dec(file.content)).toBe("abcdefghij");
    });

    it("an interrupted write (EINTR) is retried at once, as Python's", async () => {
      const { file, io, go } = open("", 8);
      await go(io.write(enc("abc")));
      file.writeFaults = ["EINTR", "EINTR"];
      await go(io.flush());
      expect(dec(file.content)).toBe("abc");
      expect(file.count("write")).toBe(3);
    });

    it("EAGAIN keeps the bytes like any other failure: thrown once, written by the next flush", async () => {
      const { file, io, go } = open("", 8);
      await go(io.write(enc("abc")));
      file.writeFaults = ["EAGAIN"];
      expect((await go(io.flush()).catch((e) => e)).code).toBe("EAGAIN");
      expect(file.content.length).toBe(0);
      await go(io.flush());
      expect(dec(file.content)).toBe("abc");
    });

    it("seeking past the end then writing leaves zeros", async () => {
      const { file, io, go } = open("ab");
      expect(await go(io.seek(5, 0))).toBe(5);
      await go(io.write(enc("cd")));
      await go(io.flush());
      expect(file.seen).toEqual([{ op: "write", pos: 5, len: 2 }]);
      expect(file.content).toEqual(new Uint8Array([97, 98, 0, 0, 0, 99, 100]));
    });

    it("sync flushes, then fsyncs", async () => {
      const { file, io, go } = open();
      await go(io.write(enc("abc")));
      await go(io.sync());
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 3 }, { op: "fsync" }]);
    });
  });

  describe("reading", () => {
    it("a read flushes buffered bytes first and reads after them", async () => {
      const { file, io, go } = open("0123456789");
      await go(io.write(enc("ab")));
      expect(dec(await go(io.read(3)))).toBe("234");
      expect(file.seen[0]).toEqual({ op: "write", pos: 0, len: 2 });
      expect(file.seen[1]).toMatchObject({ op: "read", pos: 2 });
      expect(file.seen.length).toBe(2);
    });

    it("a small read fills the buffer ahead; the next small reads cost no request", async () => {
      const { file, io, go } = open(seq(100));
      expect(await go(io.read(10))).toEqual(seq(100).slice(0, 10));
      expect(file.count("read")).toBe(1);
      expect(await go(io.read(10))).toEqual(seq(100).slice(10, 20));
      expect(await go(io.read(80))).toEqual(seq(100).slice(20));
      expect(file.count("read")).toBe(1);
    });

    it("read-ahead then a seek inside the buffer costs no request", async () => {
      const { file, io, go } = open(seq(100));
      await go(io.read(10));
      expect(await go(io.seek(50, 0))).toBe(50);
      expect(await go(io.read(3))).toEqual(new Uint8Array([50, 51, 52]));
      expect(await go(io.seek(-50, 1))).toBe(3);
      expect(await go(io.read(2))).toEqual(new Uint8Array([3, 4]));
      expect(await go(io.seek(100, 0))).toBe(100);
      expect(file.count("read")).toBe(1);
      expect(file.requests.length).toBe(1);
    });

    it("a seek outside the read-ahead drops it: the next read asks the file at the target", async () => {
      const { file, io, go } = open(seq(100));
      await go(io.read(10));
      expect(await go(io.seek(150, 0))).toBe(150);
      expect(await go(io.read(1))).toEqual(new Uint8Array(0));
      expect(file.seen[1]).toMatchObject({ op: "read", pos: 150 });
    });

    it("a file read straight through reads 64 KiB ahead from its third refill; a chosen buffer size stays", async () => {
      const data = seq(300_000);
      const reads = async (bufferSize: number) => {
        const { file, io, go } = open(data, bufferSize);
        const got: number[] = [];
        for (let n; (n = (await go(io.read(5000))).length) > 0;) got.push(n);
        expect(got.reduce((a, b) => a + b, 0)).toBe(data.length);
        await go(io.seek(1, 0));
        expect(await go(io.read(3))).toEqual(data.slice(1, 4));
        return file.seen.filter((r) => r.op === "read").map((r) => (r as { len: number }).len);
      };
      const scan = await reads(8192);
      expect(scan.slice(0, 4)).toEqual([8192, 8192, 65536, 65536]);
      expect(scan.length).toBeLessThan(10);
      expect((await reads(4096)).every((len) => len <= 8192)).toBe(true);
    });

    it("a read of a buffer's size or more goes straight into its result", async () => {
      const { file, io, go } = open(seq(20_000));
      expect(await go(io.read(10_000))).toEqual(seq(20_000).slice(0, 10_000));
      expect(file.seen).toEqual([{ op: "read", pos: 0, len: 10_000 }]);
    });

    it("read(-1) reads everything to EOF", async () => {
      const { io, go } = open(seq(20_000));
      await go(io.read(5));
      expect(await go(io.read(-1))).toEqual(seq(20_000).slice(5));
      expect(await go(io.tell())).toBe(20_000);
    });

    it("a read at EOF returns no bytes", async () => {
      const { io, go } = open("abc");
      expect(dec(await go(io.read(-1)))).toBe("abc");
      expect(await go(io.read(10))).toEqual(new Uint8Array(0));
      expect(await go(io.read(-1))).toEqual(new Uint8Array(0));
    });

    it("a read gathers short reads until it has its size", async () => {
      const { io, go } = open(seq(50), 16, false, 3);
      expect(await go(io.read(20))).toEqual(seq(50).slice(0, 20));
      expect(await go(io.tell())).toBe(20);
    });

    it("readInto takes the read-ahead first, without a request", async () => {
      const { file, io, go } = open(seq(100));
      await go(io.read(10));
      const buf = new Uint8Array(20);
      expect(await go(io.readInto(buf))).toBe(20);
      expect(buf).toEqual(seq(100).slice(10, 30));
      expect(file.count("read")).toBe(1);
      expect(await go(io.tell())).toBe(30);
    });

    it("readInto with nothing read ahead reads straight into the caller's buffer", async () => {
      const { file, io, go } = open(seq(100));
      const buf = new Uint8Array(30);
      expect(await go(io.readInto(buf))).toBe(30);
      expect(buf).toEqual(seq(100).slice(0, 30));
      expect(file.requests.length).toBe(1);
      expect(file.requests[0]).toMatchObject({ op: "read", pos: 0 });
      expect((file.requests[0] as { buf: Uint8Array }).buf.buffer).toBe(buf.buffer);
    });

    it("readInto returns a short count at EOF", async () => {
      const { io, go } = open(seq(100));
      await go(io.seek(80, 0));
      const buf = new Uint8Array(50);
      expect(await go(io.readInto(buf))).toBe(20);
      expect(buf.subarray(0, 20)).toEqual(seq(100).slice(80));
      expect(await go(io.readInto(buf))).toBe(0);
      expect(await go(io.tell())).toBe(100);
    });

    it("peek returns bytes without consuming them; consume moves past them", async () => {
      const { file, io, go } = open("hello world");
      expect(dec(await go(io.peek(1)))).toBe("hello world");
      expect(await go(io.tell())).toBe(0);
      io.consume(6);
      expect(await go(io.tell())).toBe(6);
      expect(dec(await go(io.read(5)))).toBe("world");
      expect(file.count("read")).toBe(1);
    });

    it("peek keeps reading until it has min bytes", async () => {
      const { io, go } = open("0123456789", 16, false, 3);
      const view = await go(io.peek(7));
      expect(view.length).toBeGreaterThanOrEqual(7);
      expect(dec(view)).toBe("0123456789".slice(0, view.length));
      expect(await go(io.tell())).toBe(0);
    });

    it("peek of more than the buffer holds returns at least that many bytes", async () => {
      const { io, go } = open(seq(10_000));
      await go(io.read(1));
      const view = await go(io.peek(9000));
      expect(view.length).toBeGreaterThanOrEqual(9000);
      expect(view).toEqual(seq(10_000).slice(1, 1 + view.length));
    });

    it("peek returns what is left when EOF comes before min bytes", async () => {
      const { io, go } = open("abc");
      expect(dec(await go(io.peek(10)))).toBe("abc");
      io.consume(3);
      expect(await go(io.peek(1))).toEqual(new Uint8Array(0));
    });

    it("peek flushes buffered bytes first", async () => {
      const { file, io, go } = open("0123456789");
      await go(io.write(enc("ab")));
      expect(dec(await go(io.peek(1)))).toBe("23456789");
      expect(dec(file.content)).toBe("ab23456789");
    });
  });

  describe("position", () => {
    it("tell() counts buffered writes without a request", async () => {
      const { file, io, go } = open();
      await go(io.write(enc("hello")));
      expect(await go(io.tell())).toBe(5);
      expect(file.requests).toEqual([]);
    });

    it("tell() is where reading stopped, not the end of the read-ahead", async () => {
      const { file, io, go } = open(seq(100));
      await go(io.read(10));
      expect(await go(io.tell())).toBe(10);
      expect(file.requests.length).toBe(1);
    });

    it("a write after a read lands at the read position, not after the read-ahead", async () => {
      const { file, io, go } = open(seq(100));
      await go(io.read(10));
      await go(io.write(enc("xy")));
      expect(await go(io.tell())).toBe(12);
      await go(io.flush());
      expect(file.seen[1]).toEqual({ op: "write", pos: 10, len: 2 });
      expect(await go(io.read(2))).toEqual(new Uint8Array([12, 13]));
    });

    it("seek relative to the end asks the file's size", async () => {
      const { file, io, go } = open(seq(100));
      expect(await go(io.seek(-10, 2))).toBe(90);
      expect(file.seen).toEqual([{ op: "size" }]);
      expect(await go(io.read(-1))).toEqual(seq(100).slice(90));
    });

    it("seek relative to the end counts buffered bytes", async () => {
      const { io, go } = open("abc");
      await go(io.seek(0, 2));
      await go(io.write(enc("de")));
      expect(await go(io.seek(0, 2))).toBe(5);
    });

    it("a seek flushes buffered bytes where they were written", async () => {
      const { file, io, go } = open();
      await go(io.write(enc("abc")));
      await go(io.seek(0, 0));
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 3 }]);
      expect(dec(await go(io.read(-1)))).toBe("abc");
    });

    it.each([[-1, 0], [-3, 1], [-6, 2]] as [number, 0 | 1 | 2][])(
      "a negative seek target (offset %i, whence %i) is EINVAL, as Python's OSError, and the position stays",
      async (offset, whence) => {
        const { io, go } = open("abcde");
        await go(io.seek(2, 0));
        await expect(go(io.seek(offset, whence))).rejects.toMatchObject({ code: "EINVAL", syscall: "lseek" });
        expect(await go(io.tell())).toBe(2);
      },
    );

    it("an unknown whence is a RangeError", async () => {
      const { io, go } = open("abc");
      await expect(go(io.seek(0, 3 as 0))).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe("truncate", () => {
    it("truncate flushes, cuts the file and keeps the position", async () => {
      const { file, io, go } = open();
      await go(io.write(enc("0123456789")));
      expect(await go(io.truncate(4))).toBe(4);
      expect(file.seen).toEqual([{ op: "write", pos: 0, len: 10 }, { op: "truncate", length: 4 }]);
      expect(dec(file.content)).toBe("0123");
      expect(await go(io.tell())).toBe(10);
      await go(io.write(enc("ab")));
      await go(io.flush());
      expect(file.content).toEqual(new Uint8Array([48, 49, 50, 51, 0, 0, 0, 0, 0, 0, 97, 98]));
    });

    it("truncate() without a size cuts at the position, dropping read-ahead", async () => {
      const { file, io, go } = open(seq(100));
      await go(io.read(10));
      expect(await go(io.truncate(undefined))).toBe(10);
      expect(file.content).toEqual(seq(10));
      expect(await go(io.tell())).toBe(10);
      expect(await go(io.read(-1))).toEqual(new Uint8Array(0));
    });

    it("truncate to a larger size extends the file with zeros", async () => {
      const { file, io, go } = open("ab");
      expect(await go(io.truncate(5))).toBe(5);
      expect(file.content).toEqual(new Uint8Array([97, 98, 0, 0, 0]));
      expect(await go(io.tell())).toBe(0);
    });

    it("a negative size is EINVAL, as Python's OSError, and asks nothing of the file", async () => {
      const { file, io, go } = open("abc");
      await expect(go(io.truncate(-1))).rejects.toMatchObject({ code: "EINVAL", syscall: "ftruncate" });
      expect(file.requests).toEqual([]);
    });
  });

  describe("append mode", () => {
    // Where the kernel appends (O_APPEND) a write has no position and the size is asked after it; on Windows the
    // layer asks the size first and writes there (Platform.appendByKernel).
    const appended = (at: number, len: number) =>
      platform().appendByKernel
        ? [{ op: "write", pos: null, len }, { op: "size" }]
        : [{ op: "size" }, { op: "write", pos: at, len }];

    it("a write lands at the end and tell() follows it after a flush", async () => {
      const { file, io, go } = open("hello", 16, true);
      await go(io.write(enc("abc")));
      expect(file.requests).toEqual([]);
      await go(io.flush());
      expect(file.seen).toEqual(appended(5, 3));
      expect(await go(io.tell())).toBe(8);
      await go(io.seek(0, 0));
      await go(io.write(enc("x")));
      await go(io.flush());
      expect(dec(file.content)).toBe("helloabcx");
      expect(await go(io.tell())).toBe(9);
    });

    it("a write after a read lands at the end", async () => {
      const { file, io, go } = open("hello", 16, true);
      expect(dec(await go(io.read(2)))).toBe("he");
      await go(io.write(enc("Z")));
      await go(io.flush());
      expect(dec(file.content)).toBe("helloZ");
      expect(await go(io.tell())).toBe(6);
    });

    it("a large write lands at the end", async () => {
      const { file, io, go } = open("hello", 4, true);
      await go(io.write(enc("0123456789")));
      expect(file.seen).toEqual(appended(5, 10));
      expect(dec(file.content)).toBe("hello0123456789");
      expect(await go(io.tell())).toBe(15);
    });
  });

  describe("close", () => {
    it("close issues exactly one close request and nothing else", async () => {
      const { file, io, go } = open("abc");
      await go(io.read(1));
      await go(stepGen(io.close()));
      expect(file.seen.slice(1)).toEqual([{ op: "close" }]);
    });

    it("close does not flush: buffered bytes are dropped, as documented", async () => {
      const { file, io, go } = open();
      await go(io.write(enc("lost")));
      await go(stepGen(io.close()));
      expect(file.seen).toEqual([{ op: "close" }]);
      expect(file.content).toEqual(new Uint8Array(0));
    });

    it("a failing close issues exactly one close request and rethrows", async () => {
      const file = new FakeFile("", Infinity, true);
      const io = new BufferedIO(FD, 16, false);
      await expect(driver(file)(stepGen(io.close()))).rejects.toThrow("EIO: close failed");
      expect(file.seen).toEqual([{ op: "close" }]);
    });
  });
});

describe.each(drivers)("MemoryIO ($name)", ({ driver }) => {
  /** A MemoryIO and a driver whose fake file must never be asked anything. */
  const open = (append = false) => {
    const file = new FakeFile();
    return { file, io: new MemoryIO(append), go: driver(file) };
  };

  it("has no descriptor", () => {
    expect(new MemoryIO(false).fd).toBeUndefined();
  });

  it("writes, seeks and reads back without a request", async () => {
    const { file, io, go } = open();
    expect(await go(io.write(enc("hello")))).toBe(5);
    expect(await go(io.tell())).toBe(5);
    expect(await go(io.seek(0, 0))).toBe(0);
    expect(dec(await go(io.read(3)))).toBe("hel");
    expect(dec(await go(io.read(-1)))).toBe("lo");
    expect(dec(io.bytes)).toBe("hello");
    expect(io.position).toBe(5);
    await go(io.flush());
    await go(io.sync());
    expect(file.requests).toEqual([]);
  });

  it("tryBuffer always takes the data", () => {
    const { file, io } = open();
    expect(io.tryBuffer(seq(100_000))).toBe(true);
    expect(io.bytes).toEqual(seq(100_000));
    expect(file.requests).toEqual([]);
  });

  it("grows past its first allocation, keeping what it holds", async () => {
    const { file, io, go } = open();
    for (let i = 0; i < 10; i++) await go(io.write(seq(100)));
    await go(io.seek(0, 0));
    const all = await go(io.read(-1));
    expect(all.length).toBe(1000);
    expect(all.subarray(900)).toEqual(seq(100));
    expect(file.requests).toEqual([]);
  });

  it("overwrites in the middle without changing the length", async () => {
    const { file, io, go } = open();
    await go(io.write(enc("0123456789")));
    await go(io.seek(2, 0));
    await go(io.write(enc("ab")));
    expect(await go(io.tell())).toBe(4);
    expect(dec(io.bytes)).toBe("01ab456789");
    expect(file.requests).toEqual([]);
  });

  it("a read at or past EOF returns no bytes and keeps the position", async () => {
    const { file, io, go } = open();
    await go(io.write(enc("abc")));
    expect(await go(io.read(5))).toEqual(new Uint8Array(0));
    await go(io.seek(10, 0));
    expect(await go(io.read(-1))).toEqual(new Uint8Array(0));
    expect(await go(io.tell())).toBe(10);
    expect(file.requests).toEqual([]);
  });

  it("seeks relative to the start, the position and the end", async () => {
    const { file, io, go } = open();
    await go(io.write(seq(100)));
    expect(await go(io.seek(10, 0))).toBe(10);
    expect(await go(io.seek(5, 1))).toBe(15);
    expect(await go(io.seek(-10, 2))).toBe(90);
    expect(await go(io.read(1))).toEqual(new Uint8Array([90]));
    expect(file.requests).toEqual([]);
  });

  it("seeking past the end then writing leaves zeros", async () => {
    const { file, io, go } = open();
    await go(io.write(enc("ab")));
    await go(io.seek(5, 0));
    await go(io.write(enc("cd")));
    expect(io.bytes).toEqual(new Uint8Array([97, 98, 0, 0, 0, 99, 100]));
    expect(file.requests).toEqual([]);
  });

  it("seeking past the end after a truncate leaves zeros, not the old bytes", async () => {
    const { io, go } = open();
    await go(io.write(enc("abcdef")));
    await go(io.truncate(1));
    await go(io.seek(4, 0));
    await go(io.write(enc("z")));
    expect(io.bytes).toEqual(new Uint8Array([97, 0, 0, 0, 122]));
  });

  it("a negative seek position is a RangeError (Python's ValueError) and the position stays", async () => {
    const { file, io, go } = open();
    await go(io.write(enc("abcde")));
    await go(io.seek(2, 0));
    await expect(go(io.seek(-1, 0))).rejects.toThrow(/negative seek value -1/);
    expect(await go(io.tell())).toBe(2);
    expect(file.requests).toEqual([]);
  });

  it.each([[-3, 1], [-6, 2]] as [number, 0 | 1 | 2][])(
    "a relative seek before the start (offset %i, whence %i) stops at 0, as Python's BytesIO",
    async (offset, whence) => {
      const { io, go } = open();
      await go(io.write(enc("abcde")));
      await go(io.seek(2, 0));
      expect(await go(io.seek(offset, whence))).toBe(0);
      expect(dec(await go(io.read(-1)))).toBe("abcde");
    },
  );

  it("truncate cuts the data and keeps the position", async () => {
    const { file, io, go } = open();
    await go(io.write(enc("0123456789")));
    expect(await go(io.truncate(4))).toBe(4);
    expect(dec(io.bytes)).toBe("0123");
    expect(await go(io.tell())).toBe(10);
    await go(io.seek(2, 0));
    expect(await go(io.truncate(undefined))).toBe(2);
    expect(dec(io.bytes)).toBe("01");
    expect(file.requests).toEqual([]);
  });

  it("a negative truncate size is a RangeError, as Python's ValueError", async () => {
    const { io, go } = open();
    await expect(go(io.truncate(-1))).rejects.toThrow(/negative size value -1/);
  });

  it("in append mode a write lands at the end and tell() follows it", async () => {
    const { file, io, go } = open(true);
    await go(io.write(enc("hello")));
    await go(io.seek(0, 0));
    expect(dec(await go(io.read(2)))).toBe("he");
    await go(io.write(enc("abc")));
    expect(await go(io.tell())).toBe(8);
    expect(dec(io.bytes)).toBe("helloabc");
    expect(file.requests).toEqual([]);
  });

  it("peek returns the rest without consuming it; consume moves past it", async () => {
    const { file, io, go } = open();
    await go(io.write(enc("hello world")));
    await go(io.seek(0, 0));
    expect(dec(await go(io.peek(1)))).toBe("hello world");
    expect(await go(io.tell())).toBe(0);
    io.consume(6);
    expect(dec(await go(io.read(-1)))).toBe("world");
    expect(await go(io.peek(1))).toEqual(new Uint8Array(0));
    expect(file.requests).toEqual([]);
  });

  it("readInto copies from the position and returns a short count at EOF", async () => {
    const { file, io, go } = open();
    await go(io.write(seq(100)));
    await go(io.seek(80, 0));
    const buf = new Uint8Array(50);
    expect(await go(io.readInto(buf))).toBe(20);
    expect(buf.subarray(0, 20)).toEqual(seq(100).slice(80));
    expect(await go(io.readInto(buf))).toBe(0);
    expect(await go(io.tell())).toBe(100);
    expect(file.requests).toEqual([]);
  });

  it("close empties it without a request", async () => {
    const { file, io, go } = open();
    await go(io.write(enc("abc")));
    await go(stepGen(io.close()));
    expect(io.bytes.length).toBe(0);
    expect(io.position).toBe(0);
    expect(file.requests).toEqual([]);
  });
});
