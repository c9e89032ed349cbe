// The benchmark workloads, run in one runtime. Each workload times the raw
// syscalls and every implementation side by side in the same process and the
// same round; the output (JSON on stdout) is per-round medians and ratios.
// Run through `npm run bench` (bench/run.mjs), which starts every runtime.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import {
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  TemporaryDirectorySync,
  TemporaryFileSync,
} from "../mod.ts";
import tmp from "tmp";
import tmpPromise from "tmp-promise";
import { temporaryDirectory } from "tempy";

const g = globalThis as { Deno?: typeof Deno; Bun?: unknown };
const RUNTIME = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), "xtf-bench-"));
const C = fs.constants;
const O_TMPFILE = 0o20000000 | C.O_DIRECTORY;
tmp.setGracefulCleanup();

type Op = () => unknown;
interface Workload {
  name: string;
  iterations: number;
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
    iterations: 40,
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
    },
  },
  {
    name: "5. 1,000,000 writes of 16 bytes, then flush (per write)",
    iterations: 1,
    raw: () => {
      const p = rawPath();
      const fd = fs.openSync(p, "wx");
      for (let i = 0; i < 1_000_000; i++) fs.writeSync(fd, chunk16);
      fs.closeSync(fd);
      fs.unlinkSync(p);
    },
    impls: {
      "@x/tempfile": () => {
        const f = NamedTemporaryFileSync({ dir: DIR });
        for (let i = 0; i < 1_000_000; i++) f.writeSync(chunk16);
        f.flushSync();
        f.closeSync();
      },
    },
  },
  {
    name: "6. 4 KiB write, seek 0, read, close",
    iterations: 2000,
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
      for (let i = 0; i < 256; i++) fs.writeSync(fd, mib, 0, mib.length, i * mib.length);
      const buf = new Uint8Array(1 << 20);
      for (let i = 0; i < 256; i++) fs.readSync(fd, buf, 0, buf.length, i * mib.length);
      fs.closeSync(fd);
      fs.unlinkSync(p);
    },
    impls: {
      "@x/tempfile": () => {
        const f = NamedTemporaryFileSync({ dir: DIR });
        for (let i = 0; i < 256; i++) f.writeSync(mib);
        f.seekSync(0);
        const buf = new Uint8Array(1 << 20);
        for (let i = 0; i < 256; i++) f.readintoSync(buf);
        f.closeSync();
      },
    },
  },
];

async function time(op: Op, n: number): Promise<number> {
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
  if (only && !w.name.startsWith(only)) continue;
  const names = Object.keys(w.impls);
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
  results.push({
    workload: w.name,
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
    results,
  }),
);
