// Memory held by open objects, in a process of its own so that the heap
// figures are clean. bench/run.mjs starts it once per runtime:
//   node --expose-gc bench/memory.ts | bun bench/memory.ts | deno run -A --v8-flags=--expose-gc bench/memory.ts
// Memory is heapUsed + arrayBuffers from process.memoryUsage(), after full
// collections. Deno reports arrayBuffers as 0 and counts them in `external`;
// Bun counts them in heapUsed. Prints one JSON object. MEMORY_N (default
// 5,000) sets the counts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { NamedTemporaryFileSync, TemporaryDirectorySync } from "../mod.ts";

const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void }; Deno?: unknown };
const gc = g.Bun ? () => g.Bun!.gc(true) : g.gc;
if (!gc) throw new Error("run with --expose-gc (Deno: --v8-flags=--expose-gc)");
const N = Number(process.env.MEMORY_N ?? 5000);
// Where the files are does not change the heap; a tmpfs makes 20,000 creates quick.
const DIR = fs.mkdtempSync(path.join(fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), "xtf-bench-mem-"));
const data = new Uint8Array(100).fill(7);

function used(): { heap: number; arrayBuffers: number } {
  for (let i = 0; i < 3; i++) gc!(); // a few passes: finalizers and weak maps settle
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: g.Deno ? m.external : m.arrayBuffers };
}

/** Bytes held by `n` objects that `make` returns, kept referenced; then `close` releases each. */
function held<T>(n: number, make: () => T, close: (x: T) => void) {
  const kept: T[] = [];
  kept.length = n; // allocated before the first measurement
  const before = used();
  for (let i = 0; i < n; i++) kept[i] = make();
  const after = used();
  for (const x of kept) close(x);
  const heap = after.heap - before.heap;
  const arrayBuffers = after.arrayBuffers - before.arrayBuffers;
  return { n, heap, arrayBuffers, total: heap + arrayBuffers, perObject: (heap + arrayBuffers) / n };
}

// One create and close of each first, so that one-time set-up is not counted per object.
NamedTemporaryFileSync({ dir: DIR }).closeSync();
TemporaryDirectorySync({ dir: DIR }).cleanupSync();
const results = {
  named: held(N, () => NamedTemporaryFileSync({ dir: DIR }), (f) => f.closeSync()),
  directory: held(N, () => TemporaryDirectorySync({ dir: DIR }), (d) => d.cleanupSync()),
  namedWritten: held(2 * N, () => {
    const f = NamedTemporaryFileSync({ dir: DIR });
    f.writeSync(data);
    f.flushSync();
    return f;
  }, (f) => f.closeSync()),
};
fs.rmSync(DIR, { recursive: true, force: true });
const version = g.Deno
  ? (g.Deno as { version: { deno: string } }).version.deno
  : process.versions.bun ?? process.version;
console.log(JSON.stringify({ runtime: g.Deno ? "deno" : g.Bun ? "bun" : "node", version, results }));
