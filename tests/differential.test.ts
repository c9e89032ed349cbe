// Differential test against CPython: seeded random sequences of file
// operations, generated here and only here, run by tests/differential/oracle.py
// on CPython's tempfile (one python3 process for all of them), then replayed on
// this library; each operation's result, each error's class and the final bytes
// must match. Text tell() values are Python's opaque cookies: they are used for
// seeks on each side but not compared. Runs in Node (thousands of sequences,
// shared between npm test's two Node versions), Bun and Deno (hundreds).
import { describe, expect } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { fileURLToPath } from "node:url";
import {
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  UnicodeError,
  UnsupportedOperation,
} from "../mod.ts";
import type { TempFile } from "../src/temp_file.ts";
import { hex, PYTHON, RUNTIME, share, unhex } from "./_helpers.ts";
import { skipIf, wineLacks } from "./_windows.ts";

type Op =
  | ["write", string]
  | ["writelines", string[]]
  | ["read" | "readline" | "readlines", number]
  | ["seek", number, 0 | 1 | 2]
  | ["seek_cookie", number]
  | ["tell"]
  | ["truncate", number | null]
  | ["flush"]
  | ["rollover"]
  | ["attrs"];

interface Case {
  kind: "spooled" | "named";
  mode: string;
  encoding: string;
  errors: string;
  newline: string | null;
  maxSize: number;
  /** Binary data is hex. */
  ops: Op[];
}

type Entry = ["ok", unknown] | ["err", string] | ["stop", string];
interface Result {
  trace: Entry[];
  final: string;
}

const COUNT = RUNTIME === "node" ? 3000 : 400;
const SEED = 0x5eed_2026;
/** Under npm test, each Node version compares half of Node's 3,000 (tests/_helpers.ts: share). */
const SHARE = RUNTIME === "node" ? share(COUNT) : [0, COUNT];
const ORACLE = fileURLToPath(new URL("./differential/oracle.py", import.meta.url));

const python = spawnSync(PYTHON, ["-c", "import sys; print(sys.version.split()[0])"], {
  encoding: "utf8",
});
const pythonVersion = python.status === 0 ? python.stdout.trim() : undefined;
/** Why there is no oracle here, if there is none. */
const noOracle = pythonVersion === undefined ? wineLacks("no CPython") ?? "python3 not found" : undefined;

/** mulberry32: a small seeded generator, the same sequence in every runtime. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Python's names and aliases, spelt as programs do; every codec is here.
const ENCODINGS = [
  "utf-8",
  "UTF8",
  "utf-8-sig",
  "utf-16",
  "utf-16-le",
  "UTF-16BE",
  "utf-32",
  "utf_32_le",
  "utf-32-be",
  "ascii",
  "latin-1",
  "cp1252",
];
const HANDLERS = ["strict", "ignore", "replace", "backslashreplace", "surrogateescape", "xmlcharrefreplace"];
const NEWLINES = [null, "", "\n", "\r", "\r\n"];
// Text pieces: newlines (written one by one, so "\r\n" is often split across writes), non-ASCII,
// astral, cp1252's undefined U+0081, a byte order mark, and lone surrogates (rarer).
const PIECES = ["a", "b", "z", "\n", "\r", "\r\n", "é", "ÿ", "€", "😀", "\u0081", "\ufeff", "\t"];
const LONE = ["\ud800", "\udc80", "\udcff", "\udfff"];
const BYTES = [0x61, 0x62, 0x0a, 0x0d, 0x00, 0xff, 0xc3, 0xa9, 0x80];

function generate(count: number, seed: number): Case[] {
  const rng = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const cases: Case[] = [];
  for (let c = 0; c < count; c++) {
    const kind = rng() < 0.5 ? "spooled" : "named";
    const binary = rng() < 0.25;
    // Append modes: this library appends, CPython's tempfile writes at the position (a documented
    // difference, tested in tests/text_semantics.test.ts), so the oracle seeks to the end before each write.
    const modes = binary ? ["w+b", "r+b", "a+b"] : ["w+", "r+", "a+"];
    const lone = rng() < 0.3;
    const text = (): string => {
      let s = "";
      for (let n = int(0, 6); n > 0; n--) s += lone && rng() < 0.1 ? pick(LONE) : pick(PIECES);
      return s;
    };
    const data = (): string =>
      binary
        ? Array.from({ length: int(0, 8) }, () => pick(BYTES).toString(16).padStart(2, "0")).join("")
        : text();
    const ops: Op[] = [];
    let tells = 0;
    for (let n = int(4, 24); n > 0; n--) {
      const r = rng();
      if (r < 0.3) ops.push(["write", data()]);
      else if (r < 0.35) ops.push(["writelines", [data(), data()]]);
      else if (r < 0.47) ops.push(["read", rng() < 0.2 ? -1 : int(0, 8)]);
      else if (r < 0.57) ops.push(["readline", rng() < 0.3 ? -1 : int(0, 8)]);
      else if (r < 0.61) ops.push(["readlines", rng() < 0.3 ? -1 : int(0, 12)]);
      else if (r < 0.71) {
        if (binary) ops.push(["seek", int(-3, 12), pick([0, 1, 2] as const)]);
        else {
          // Text: seek(0), seek(0, 1), seek(0, 2), and the errors Python gives for the rest.
          ops.push(
            rng() < 0.85 ? ["seek", 0, pick([0, 1, 2] as const)] : pick<Op>([
              ["seek", -1, 0],
              ["seek", 1, 1],
              ["seek", -2, 2],
            ]),
          );
        }
      } else if (r < 0.76 && tells > 0) ops.push(["seek_cookie", int(0, tells - 1)]);
      else if (r < 0.84) {
        ops.push(["tell"]);
        tells++;
      } else if (r < 0.89) ops.push(["truncate", rng() < 0.3 ? null : rng() < 0.1 ? -1 : int(0, 12)]);
      else if (r < 0.93) ops.push(["flush"]);
      else if (r < 0.96 && kind === "spooled") ops.push(["rollover"]);
      else ops.push(["attrs"]);
    }
    const mode = pick(modes);
    // The oracle's seek to the end resets CPython's encoder, which an append does not: no byte order mark there.
    const encodings = mode.startsWith("a")
      ? ENCODINGS.filter((e) => !/^utf.?(16|32)$|sig/i.test(e))
      : ENCODINGS;
    cases.push({
      kind,
      mode,
      encoding: pick(encodings),
      errors: pick(HANDLERS),
      newline: pick(NEWLINES),
      maxSize: pick([0, 4, 16, 64]),
      ops,
    });
  }
  return cases;
}

/** The class an error compares as, in Python's terms. */
function errClass(err: unknown): string {
  if (err instanceof UnicodeError) return "UnicodeError";
  if (err instanceof UnsupportedOperation) return "UnsupportedOperation";
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return `OSError:${code}`;
  if (err instanceof RangeError) return "ValueError";
  if (err instanceof TypeError) return "TypeError";
  return String((err as Error)?.name);
}

interface Stats {
  ops: number;
  earlyDecode: number;
  stopped: number;
}

type AnyFile = TempFile<string | Uint8Array> & { rolled?: boolean; rolloverSync?: () => void };

/** Replays `c` on this library against CPython's `expected`; throws at the first difference. */
function replay(c: Case, expected: Result, stats: Stats): void {
  const binary = c.mode.includes("b");
  const options = binary
    ? { mode: c.mode }
    : { mode: c.mode, encoding: c.encoding, errors: c.errors, newline: c.newline };
  const f =
    (c.kind === "spooled"
      ? SpooledTemporaryFileSync({ ...options, maxSize: c.maxSize } as never)
      : NamedTemporaryFileSync(options as never)) as AnyFile;
  const cookies: number[] = [];
  const input = (d: string) => (binary ? unhex(d) : d);
  const output = (v: string | Uint8Array) => (typeof v === "string" ? v : hex(v));
  try {
    for (let k = 0; k < expected.trace.length; k++) {
      const op = c.ops[k];
      const want = expected.trace[k];
      const where = `case ${JSON.stringify(c)}\nop ${k}: ${JSON.stringify(op)}`;
      if (want[0] === "stop") {
        // CPython's text position here is no byte offset (see the oracle): compared up to here.
        stats.stopped++;
        break;
      }
      let got: Entry;
      try {
        let value: unknown;
        switch (op[0]) {
          case "write":
            value = f.writeSync(input(op[1]));
            break;
          case "writelines":
            value = f.writelinesSync(op[1].map(input)) ?? null;
            break;
          case "read":
            value = output(f.readSync(op[1]));
            break;
          case "readline":
            value = output(f.readlineSync(op[1]));
            break;
          case "readlines":
            value = f.readlinesSync(op[1]).map(output);
            break;
          case "seek": {
            const at = f.seekSync(op[1], op[2]);
            value = binary ? at : null;
            break;
          }
          case "seek_cookie":
            f.seekSync(cookies[op[1]]);
            value = null;
            break;
          case "tell": {
            const at = f.tellSync();
            cookies.push(at);
            value = binary ? at : null;
            break;
          }
          case "truncate":
            value = f.truncateSync(op[1] ?? undefined);
            break;
          case "flush":
            value = f.flushSync() ?? null;
            break;
          case "rollover":
            value = f.rolloverSync!() ?? null;
            break;
          case "attrs":
            value = [f.mode, binary ? null : f.encoding, c.kind === "spooled" ? f.rolled : null];
            break;
        }
        got = ["ok", value];
      } catch (err) {
        got = ["err", errClass(err)];
      }
      stats.ops++;
      const read = op[0] === "read" || op[0] === "readline" || op[0] === "readlines";
      if (want[0] === "err" && want[1] === "UnicodeError" && got[0] === "ok" && read) {
        // CPython decodes 8 KiB ahead and raises at once; this library raises when it reaches the bytes.
        stats.earlyDecode++;
        expect(() => f.readSync(), where).toThrow(UnicodeError);
        break;
      }
      expect(got, where).toEqual(want);
      if (got[0] === "err") break;
    }
    try {
      f.flushSync();
    } catch { /* as the oracle: the final bytes are what is there */ }
    const fd = f.fileno();
    const bytes = new Uint8Array(fs.fstatSync(fd).size);
    fs.readSync(fd, bytes, 0, bytes.length, 0);
    expect(hex(bytes), `final bytes of ${JSON.stringify(c)}`).toBe(expected.final);
  } finally {
    try {
      f.closeSync();
    } catch { /* closing is not under test here */ }
  }
}

describe("differential test against CPython", () => {
  skipIf(noOracle)(
    `${
      SHARE[1] - SHARE[0]
    } seeded sequences (of ${COUNT}) in ${RUNTIME} give CPython's results, errors and bytes`,
    () => {
      const started = performance.now();
      const cases = generate(COUNT, SEED).slice(...SHARE);
      const r = spawnSync(PYTHON, [ORACLE], {
        input: JSON.stringify(cases),
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const { version, results } = JSON.parse(r.stdout) as { version: string; results: Result[] };
      expect(results.length).toBe(cases.length);
      const pythonDone = performance.now();
      const stats: Stats = { ops: 0, earlyDecode: 0, stopped: 0 };
      cases.forEach((c, i) => replay(c, results[i], stats));
      const ms = (t: number) => `${Math.round(t)} ms`;
      console.log(
        `differential (${RUNTIME}, CPython ${version}): ${cases.length} sequences, ${stats.ops} operations compared; ` +
          `${stats.earlyDecode} ended at CPython's early decode error, ${stats.stopped} where CPython's ` +
          `text position is no byte offset; python ${ms(pythonDone - started)}, replay ${
            ms(performance.now() - pythonDone)
          }`,
      );
      // Most sequences run to their end: the comparison is not hollow.
      expect(stats.ops).toBeGreaterThan(cases.length * 5);
    },
  );
});
