// No acknowledged byte is lost when the disk refuses a write: after a failed
// or short write(2) the unwritten bytes stay buffered, in order, and a later
// write, flush or close writes them, as CPython's BufferedWriter does. Proven
// on a real full tmpfs (mounted for the test: root on Linux; otherwise
// skipped, saying why on stdout) and, for short writes, EINTR and EAGAIN, by
// injected faults replayed on CPython (tests/differential/buffered_faults.py).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { NamedTemporaryFileSync } from "../mod.ts";
import { cleanupScratch, errno, injectFaults, PYTHON, RUNTIME, scratchDir, share } from "./_helpers.ts";

afterEach(cleanupScratch);

const ORACLE = fileURLToPath(new URL("./differential/buffered_faults.py", import.meta.url));
const hasPython = spawnSync(PYTHON, ["-c", "pass"]).status === 0;
if (!hasPython) {
  console.log("tests/write_failures.test.ts: python3 not found; the comparisons with CPython are skipped");
}

/** Chunk `i` of a program's output: its bytes tell chunks and offsets apart, as the oracle's do. */
function chunk(i: number, size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) % 251);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), at += p.length;
  return out;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** A tmpfs of `size` bytes mounted for this file, or why it cannot be. */
function mountTmpfs(size: number): { at?: string; why?: string } {
  if (process.platform !== "linux") return { why: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { why: "not root" };
  const at = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "xtf-full-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", at], { encoding: "utf8" });
  if (r.status !== 0) {
    fs.rmdirSync(at);
    return { why: `mount failed: ${(r.stderr || r.stdout || String(r.error)).trim()}` };
  }
  return { at };
}

describe("a full disk (a real tmpfs of 1 MiB)", () => {
  const SIZE = 1024 * 1024;
  const CHUNKS = 200;
  const CHUNK = 4000;
  const tmpfs = mountTmpfs(SIZE);
  if (tmpfs.why) console.log(`tests/write_failures.test.ts: full-tmpfs tests skipped: ${tmpfs.why}`);
  afterAll(() => {
    if (tmpfs.at === undefined) return;
    spawnSync("umount", [tmpfs.at]);
    fs.rmdirSync(tmpfs.at);
  });

  /** Leaves ~100 KB free: the 800 KB written then run out of space part-way. */
  function fill(): string {
    const filler = path.join(tmpfs.at!, "filler");
    fs.writeFileSync(filler, new Uint8Array(SIZE - 100_000));
    return filler;
  }

  /**
   * CPython's file after the same program (8 KiB buffer, as this library's), by `retry`: the sync and async
   * tests compare with the same run, on the same 1 MiB with the same ~100 KB free.
   */
  const theirs = new Map<boolean, { bytes: Uint8Array; failures: number }>();
  function python(file: string, retry: boolean): { bytes: Uint8Array; failures: number } {
    const known = theirs.get(retry);
    if (known) return known;
    const filler = fill();
    const program = `
import sys
path, filler, retry = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
f = open(path, "wb", buffering=8192)
failures = 0
for i in range(${CHUNKS}):
    data = bytes((i * 31 + j) % 251 for j in range(${CHUNK}))
    try:
        f.write(data)
    except OSError as e:
        assert e.errno == 28, e
        failures += 1
        import os
        os.unlink(filler)
        if not retry:
            break
        f.write(data)
f.close()
print(failures)
`;
    const r = spawnSync(PYTHON, ["-c", program, file, filler, retry ? "1" : "0"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const bytes = new Uint8Array(fs.readFileSync(file));
    fs.rmSync(file);
    theirs.set(retry, { bytes, failures: Number(r.stdout) });
    return theirs.get(retry)!;
  }

  const cases: [string, boolean, boolean][] = [
    ["a retried write after freeing space: every chunk is in the file, in order", true, false],
    ["a retried write after freeing space: every chunk is in the file, in order (async)", true, true],
    [
      "close after freeing space writes the kept bytes: every acknowledged chunk is in the file",
      false,
      false,
    ],
    ["close after freeing space writes the kept bytes (async)", false, true],
  ];
  it.skipIf(tmpfs.at === undefined).each(cases)("%s", async (_, retry, async) => {
    const filler = fill();
    const f = NamedTemporaryFileSync({ dir: tmpfs.at, delete: false });
    const acknowledged: Uint8Array[] = [];
    let failures = 0;
    for (let i = 0; i < CHUNKS; i++) {
      const data = chunk(i, CHUNK);
      const write = () => async ? f.write(data) : f.writeSync(data);
      try {
        await write();
      } catch (err) {
        expect((err as { code?: string }).code).toBe("ENOSPC");
        failures++;
        fs.rmSync(filler);
        if (!retry) break;
        await write();
      }
      acknowledged.push(data);
    }
    if (async) await f.close();
    else f.closeSync();
    const ours = new Uint8Array(fs.readFileSync(f.name));
    fs.rmSync(f.name);
    expect(failures).toBe(1);
    expect(acknowledged.length).toBe(retry ? CHUNKS : acknowledged.length);
    expect(ours.length).toBe(acknowledged.length * CHUNK);
    expect(sha256(ours)).toBe(sha256(concat(acknowledged)));
    if (!hasPython) return;
    const py = python(path.join(tmpfs.at!, "py"), retry);
    expect(py.failures).toBe(1);
    expect(sha256(ours)).toBe(sha256(py.bytes));
  });
});

type Fault = number | "EINTR" | "EAGAIN" | "ENOSPC" | "EIO" | null;
interface Case {
  path: string;
  buffer: number;
  chunks: number[];
  faults: Fault[];
}
interface Outcome {
  errors: [number | "flush", string][];
  writes: number;
  sha256: string;
}

describe("injected faults, compared with CPython's BufferedWriter", () => {
  const COUNT = RUNTIME === "node" ? 300 : 100;
  /** Cases from a fixed seed: a short write, EINTR, or a failure at any write(2) of the program. */
  function cases(dir: string, eagain: boolean): Case[] {
    const fault = fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 40_000 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Fault>("EINTR", "ENOSPC", "EIO", ...(eagain ? ["EAGAIN" as const] : [])),
      },
    );
    const arb = fc.constantFrom(16, 64, 8192).chain((buffer) =>
      fc.record({
        buffer: fc.constant(buffer),
        // With EAGAIN, no chunk larger than the buffer: see below.
        chunks: fc.array(fc.integer({ min: 1, max: eagain ? buffer : 3 * buffer }), {
          minLength: 1,
          maxLength: 12,
        }),
        faults: fc.array(fault, { maxLength: 10 }),
      })
    );
    // Under npm test, each Node version replays half of Node's 300 (tests/_helpers.ts: share).
    return fc.sample(arb, { seed: eagain ? 0xea6a1 : 0xfa17, numRuns: COUNT })
      .slice(...(RUNTIME === "node" ? share(COUNT) : [0, COUNT]))
      .map((c, i) => ({ ...c, path: path.join(dir, `py-${i}`) }));
  }

  /** CPython's outcomes, by `eagain`: the sync and async tests replay the same cases (their paths aside). */
  const outcomes = new Map<boolean, Outcome[]>();
  function oracle(all: Case[], eagain: boolean): Outcome[] {
    const known = outcomes.get(eagain);
    if (known) return known;
    const r = spawnSync(PYTHON, [ORACLE], {
      input: JSON.stringify(all),
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    expect(r.stderr).toBe("");
    outcomes.set(eagain, JSON.parse(r.stdout));
    return outcomes.get(eagain)!;
  }

  /** The oracle's program on this library, sync or async, with the case's faults injected into write(2). */
  async function replay(dir: string, c: Case, async: boolean, schedule: { faults: Fault[]; writes: number }) {
    const f = NamedTemporaryFileSync({ dir, buffering: c.buffer, delete: false });
    schedule.faults = [...c.faults];
    schedule.writes = 0;
    const errors: Outcome["errors"] = [];
    for (const [i, size] of c.chunks.entries()) {
      const data = chunk(i, size);
      for (;;) {
        try {
          await (async ? f.write(data) : f.writeSync(data));
          break;
        } catch (err) {
          errors.push([i, (err as { code: string }).code]);
        }
      }
    }
    for (;;) {
      try {
        await (async ? f.flush() : f.flushSync());
        break;
      } catch (err) {
        errors.push(["flush", (err as { code: string }).code]);
      }
    }
    const writes = schedule.writes;
    schedule.faults = [];
    if (async) await f.close();
    else f.closeSync();
    const bytes = new Uint8Array(fs.readFileSync(f.name));
    fs.rmSync(f.name);
    return { errors, writes, sha256: sha256(bytes) };
  }

  function inject(): { faults: Fault[]; writes: number } {
    const schedule = { faults: [] as Fault[], writes: 0 };
    injectFaults({
      write: {
        before: (r) => {
          schedule.writes++;
          const fault = schedule.faults.shift() ?? null;
          if (typeof fault === "string") throw errno(fault);
          if (typeof fault === "number") r.buf = r.buf.subarray(0, fault);
        },
      },
    });
    return schedule;
  }

  it.skipIf(!hasPython).each([false, true])(
    "short writes, EINTR, ENOSPC and EIO: the same errors, write(2) calls and file as CPython (async: %s)",
    async (async) => {
      const dir = scratchDir();
      const all = cases(dir, false);
      const expected = oracle(all, false);
      const schedule = inject();
      for (const [i, c] of all.entries()) {
        expect({ case: c.chunks, faults: c.faults, ...await replay(dir, c, async, schedule) })
          .toEqual({ case: c.chunks, faults: c.faults, ...expected[i] });
      }
    },
  );

  // CPython's file on a non-blocking descriptor buffers what it can and reports how much
  // (BlockingIOError.characters_written); this library's files are never non-blocking, so
  // EAGAIN is a failure like any other: the write takes none of its bytes. A program that
  // retries ends with the same file either way.
  it.skipIf(!hasPython).each([false, true])(
    "EAGAIN among short writes: a program that retries ends with CPython's file (async: %s)",
    async (async) => {
      const dir = scratchDir();
      const all = cases(dir, true);
      const expected = oracle(all, true);
      const schedule = inject();
      for (const [i, c] of all.entries()) {
        const ours = await replay(dir, c, async, schedule);
        expect({ case: c, sha256: ours.sha256 }).toEqual({ case: c, sha256: expected[i].sha256 });
      }
    },
  );
});
