// The benchmark workloads, run in one runtime. Each workload times the raw
// syscalls and every implementation side by side in the same process and the
// same round; the output (JSON on stdout) is per-round medians and ratios.
// Run through `npm run bench` (bench/run.mjs), which starts every runtime.
// BENCH_SCALE (default 1) scales the big workloads (5, 7, 9, 10) for quick runs.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import {
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  type TempFile,
  TemporaryDirectorySync,
  TemporaryFileSync,
} from "../mod.ts";
import tmp from "tmp";
import tmpPromise from "tmp-promise";
import { temporaryDirectory } from "tempy";

const g = globalThis as { Deno?: typeof Deno; Bun?: unknown };
const RUNTIME = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), "xtf-bench-"));
const C = fs.constants;
const O_TMPFILE = 0o20000000 | C.O_DIRECTORY;
tmp.setGracefulCleanup();

type Op = () => unknown;
interface Workload {
  name: string;
  iterations: number;
  /** Operations in one iteration, when the table shows time per operation (per write, per line). */
  per?: number;
  setup?: () => void;
  teardown?: () => void;
  raw: Op;
  impls: Record<string, Op>;
}

let seq = 0;
const rawPath = () => path.join(DIR, `raw${process.pid}-${seq++}`);
const chunk16 = new Uint8Array(16).fill(7);
const data4k = new Uint8Array(4096).fill(1);
const mib = new Uint8Array(1 << 20).fill(3);

function fillDir(dir: string) {
  for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(dir, `f${i}`), "x");
}

const WRITES = Math.round(1_000_000 * SCALE);
const BULK_MIB = Math.max(1, Math.round(256 * SCALE));
// Text: 16 rotations of a 16-character string with non-ASCII (20 bytes in
// utf-8); python_bench.py builds the same set. A line is 5 of them (81
// characters, 101 bytes); the readline file is whole blocks of 16 lines.
const BASE = "temp file é ü ✓ ";
const STRINGS = Array.from({ length: 16 }, (_, i) => BASE.slice(i) + BASE.slice(0, i));
const ENCODED = STRINGS.map((s) => new TextEncoder().encode(s));
const BLOCK = Array.from({ length: 16 }, (_, j) => {
  let line = "";
  for (let k = 0; k < 5; k++) line += STRINGS[(j + k) % 16];
  return line + "\n";
}).join("");
const BLOCKS = Math.floor((100 * SCALE * 2 ** 20) / new TextEncoder().encode(BLOCK).length);
let textFile: TempFile<string> | undefined;

const workloads: Workload[] = [
  {
    name: "1. sync named file: create, close (deletes)",
    iterations: 2000,
    raw: () => {
      const p = rawPath();
      fs.closeSync(fs.openSync(p, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600));
      fs.unlinkSync(p);
    },
    impls: {
      "@x/tempfile": () => NamedTemporaryFileSync({ dir: DIR }).closeSync(),
      "tmp.fileSync": () => tmp.fileSync({ tmpdir: DIR }).removeCallback(),
      ...(g.Deno
        ? { "Deno.makeTempFileSync": () => g.Deno!.removeSync(g.Deno!.makeTempFileSync({ dir: DIR })) }
        : {}),
    },
  },
  {
    name: "2. async named file: create, close (deletes)",
    iterations: 1000,
    raw: async () => {
      const p = rawPath();
      await (await fs.promises.open(p, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600)).close();
      await fs.promises.unlink(p);
    },
    impls: {
      "@x/tempfile": async () => await (await NamedTemporaryFile({ dir: DIR })).close(),
      "tmp-promise": async () => await (await tmpPromise.file({ tmpdir: DIR })).cleanup(),
      ...(g.Deno
        ? { "Deno.makeTempFile": async () => await g.Deno!.remove(await g.Deno!.makeTempFile({ dir: DIR })) }
        : {}),
    },
  },
  {
    name: "3. TemporaryFile (anonymous): create, close",
    iterations: 2000,
    raw: () => fs.closeSync(fs.openSync(DIR, O_TMPFILE | C.O_RDWR, 0o600)),
    impls: { "@x/tempfile": () => TemporaryFileSync({ dir: DIR }).closeSync() },
  },
  {
    name: "4. TemporaryDirectory + 100 files: create, fill, cleanup",
    iterations: 20,
    raw: () => {
      const d = fs.mkdtempSync(path.join(DIR, "raw"));
      fillDir(d);
      fs.rmSync(d, { recursive: true });
    },
    impls: {
      "@x/tempfile": () => {
        const d = TemporaryDirectorySync({ dir: DIR });
        fillDir(d.name);
        d.cleanupSync();
      },
      "tmp.dirSync": () => {
        const d = tmp.dirSync({ tmpdir: DIR, unsafeCleanup: true });
        fillDir(d.name);
        d.removeCallback();
      },
      "tempy": () => {
        const d = temporaryDirectory();
        fillDir(d);
        fs.rmSync(d, { recursive: true });
      },
      ...(g.Deno
        ? {
          "Deno.makeTempDirSync": () => {
            const d = g.Deno!.makeTempDirSync({ dir: DIR });
            fillDir(d);
            g.Deno!.removeSync(d, { recursive: true });
          },
        }
        : {}),
    },
  },
  {
    name: "5. 1,000,000 writes of 16 bytes, then flush (per write)",
    iterations: 1,
    per: WRITES,
    raw: () => {
      const p = rawPath();
      const fd = fs.openSync(p, "wx");
      for (let i = 0; i < WRITES; i++) fs.writeSync(fd, chunk16);
      fs.closeSync(fd);
      fs.unlinkSync(p);
    },
    impls: {
      "@x/tempfile": () => {
        const f = NamedTemporaryFileSync({ dir: DIR });
        for (let i = 0; i < WRITES; i++) f.writeSync(chunk16);
        f.flushSync();
        f.closeSync();
      },
    },
  },
  {
    name: "6. 4 KiB write, seek 0, read, close",
    // 2000 spooled cycles are 7 ms, too short to time on this machine and before the JIT has settled.
    iterations: 10_000,
    // The reference here is the same work on a NamedTemporaryFile.
    raw: () => {
      const f = NamedTemporaryFileSync({ dir: DIR });
      f.writeSync(data4k);
      f.seekSync(0);
      f.readSync();
      f.closeSync();
    },
    impls: {
      "SpooledTemporaryFile": () => {
        const f = SpooledTemporaryFileSync({ maxSize: 8192, dir: DIR });
        f.writeSync(data4k);
        f.seekSync(0);
        f.readSync();
        f.closeSync();
      },
    },
  },
  {
    name: "7. bulk: write 256 MiB in 1 MiB chunks, read it back",
    iterations: 1,
    raw: () => {
      const p = rawPath();
      const fd = fs.openSync(p, "wx+");
      for (let i = 0; i < BULK_MIB; i++) fs.writeSync(fd, mib, 0, mib.length, i * mib.length);
      const buf = new Uint8Array(1 << 20);
      for (let i = 0; i < BULK_MIB; i++) fs.readSync(fd, buf, 0, buf.length, i * mib.length);
      fs.closeSync(fd);
      fs.unlinkSync(p);
    },
    impls: {
      "@x/tempfile": () => {
        const f = NamedTemporaryFileSync({ dir: DIR });
        for (let i = 0; i < BULK_MIB; i++) f.writeSync(mib);
        f.seekSync(0);
        const buf = new Uint8Array(1 << 20);
        for (let i = 0; i < BULK_MIB; i++) f.readintoSync(buf);
        f.closeSync();
      },
    },
  },
  {
    name: "9. 1,000,000 text writes of 16 characters (utf-8), then flush (per write)",
    iterations: 1,
    per: WRITES,
    // Raw: the same bytes, encoded beforehand, one unbuffered writeSync each.
    raw: () => {
      const p = rawPath();
      const fd = fs.openSync(p, "wx");
      for (let i = 0; i < WRITES; i++) fs.writeSync(fd, ENCODED[i & 15]);
      fs.closeSync(fd);
      fs.unlinkSync(p);
    },
    impls: {
      "@x/tempfile": () => {
        const f = NamedTemporaryFileSync({ mode: "w", encoding: "utf-8", dir: DIR });
        for (let i = 0; i < WRITES; i++) f.writeSync(STRINGS[i & 15]);
        f.flushSync();
        f.closeSync();
      },
    },
  },
  {
    name: "10. readline over a 100 MiB text file (utf-8, 81-character lines; per line)",
    iterations: 1,
    per: BLOCKS * 16,
    setup: () => {
      textFile = NamedTemporaryFileSync({ mode: "w+", encoding: "utf-8", dir: DIR });
      for (let i = 0; i < BLOCKS; i++) textFile.writeSync(BLOCK);
      textFile.flushSync();
    },
    teardown: () => textFile!.closeSync(),
    // Raw: the same bytes read in 64 KiB chunks and decoded, without splitting lines.
    raw: () => {
      const fd = fs.openSync(textFile!.name as string, "r");
      const buf = new Uint8Array(1 << 16);
      const decoder = new TextDecoder();
      for (let n; (n = fs.readSync(fd, buf)) > 0;) decoder.decode(buf.subarray(0, n), { stream: true });
      fs.closeSync(fd);
    },
    impls: {
      "@x/tempfile": () => {
        const f = textFile!;
        f.seekSync(0);
        let lines = 0;
        while (f.readlineSync() !== "") lines++;
        if (lines !== BLOCKS * 16) throw new Error(`read ${lines} lines, wrote ${BLOCKS * 16}`);
      },
    },
  },
];

// A full collection before each timing, where the runtime offers one (Node and
// Deno with --expose-gc, as run.mjs starts them), so that the garbage one
// implementation leaves is not collected on the next one's time.
const gc = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc.bind(null, true) ??
  (globalThis as { gc?: () => void }).gc;

async function time(op: Op, n: number): Promise<number> {
  gc?.();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const r = op();
    if (r instanceof Promise) await r;
  }
  return ((performance.now() - start) * 1000) / n; // microseconds per iteration
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const only = process.env.BENCH_ONLY;
const results = [];
for (const w of workloads) {
  if (only && !only.split(",").includes(w.name.split(".")[0])) continue;
  const names = Object.keys(w.impls);
  w.setup?.();
  // Warm-up: every implementation once at a tenth of the size.
  await time(w.raw, Math.ceil(w.iterations / 10));
  for (const n of names) await time(w.impls[n], Math.ceil(w.iterations / 10));
  const raw: number[] = [];
  const per: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const r = await time(w.raw, w.iterations);
    raw.push(r);
    for (const n of names) {
      const t = await time(w.impls[n], w.iterations);
      per[n].push(t);
      ratios[n].push(t / r);
    }
  }
  w.teardown?.();
  results.push({
    workload: w.name,
    per: w.per,
    raw_us: median(raw),
    impls: Object.fromEntries(names.map((n) => [n, { us: median(per[n]), ratio: median(ratios[n]) }])),
  });
}
fs.rmSync(DIR, { recursive: true, force: true });
console.log(
  JSON.stringify({
    runtime: RUNTIME,
    version: g.Deno ? g.Deno.version.deno : process.versions.bun ?? process.version,
    rounds: ROUNDS,
    scale: SCALE,
    results,
  }),
);
