// The library's own CPU time per operation, with the syscalls removed: a
// no-op backend answers every request at once. Run it in each runtime:
//   node bench/own_cost.ts | bun bench/own_cost.ts | deno run -A bench/own_cost.ts
// Prints microseconds per operation, the median and the fastest of
// OWN_COST_ROUNDS (5) rounds of OWN_COST_N (20,000) after one warm-up round;
// `--json` prints one JSON object instead, `--list` the paths' names
// (bench/run.mjs runs each path in a process of its own, three times per
// runtime). The fastest round is the estimate of the library's own CPU time,
// as Python's timeit advises: on a shared machine, other tenants only ever
// add time to a round, and here they add up to half.
// To profile one path: OWN_COST_ONLY="mkstempSync" node --cpu-prof bench/own_cost.ts
import process from "node:process";
import { backend, useBackend } from "../src/backend.ts";
import type { Lstat, Op, Ops, Request, RequestOf } from "../src/_requests.ts";
import * as t from "../mod.ts";

// What a sticky, world-writable /tmp reports: TemporaryDirectory's removal needs no guard in it.
const DIR_STAT: Lstat = {
  isDirectory: true,
  isSymlink: false,
  mode: 0o41777,
  dev: 1,
  ino: 1,
  uid: 0,
  mtimeMs: 0,
};

// One answer per request kind; the mapped type makes tsc reject a kind left out.
const answers: { [K in Op]: (r: RequestOf<K>) => Ops[K]["result"] } = {
  open: () => 1_000_000,
  mkdir: () => {},
  read: () => 0,
  write: (r) => r.buf.length,
  size: () => 0,
  truncate: () => {},
  fsync: () => {},
  close: () => {},
  lstat: () => DIR_STAT,
  fstat: () => DIR_STAT,
  readdir: () => [],
  unlink: () => {},
  rmdir: () => {},
  removeAll: () => false, // as in Node and Bun: the walk is measured
  chmod: () => {},
  fchmod: () => {},
  rename: () => {},
  link: () => {},
  sleep: () => {},
};
const answer = (r: Request) => (answers[r.op] as (r: Request) => unknown)(r);
useBackend({ ...backend(), performSync: answer, perform: (r) => Promise.resolve(answer(r)) });

const dir = "/nonexistent-no-op-backend";
const N = Number(process.env.OWN_COST_N ?? 20_000);
const ROUNDS = Number(process.env.OWN_COST_ROUNDS ?? 5);
const data = new Uint8Array(100);

/** The rounds' times per operation, in µs, fastest first. */
async function rounds(fn: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < N; i++) {
      const r = fn();
      if (r instanceof Promise) await r;
    }
    if (round > 0) times.push(((performance.now() - start) * 1000) / N); // round 0 warms up
  }
  return times.sort((a, b) => a - b);
}

const paths: Record<string, () => unknown> = {
  "NamedTemporaryFileSync + closeSync": () => t.NamedTemporaryFileSync({ dir }).closeSync(),
  "TemporaryFileSync + closeSync": () => t.TemporaryFileSync({ dir }).closeSync(),
  "mkstempSync": () => t.mkstempSync({ dir }),
  "mkdtempSync": () => t.mkdtempSync({ dir }),
  "TemporaryDirectorySync + cleanupSync": () => t.TemporaryDirectorySync({ dir }).cleanupSync(),
  "SpooledTemporaryFileSync write + closeSync": () => {
    const f = t.SpooledTemporaryFileSync({ dir, maxSize: 1024 });
    f.writeSync(data);
    f.closeSync();
  },
  "NamedTemporaryFile + close (async)": async () => await (await t.NamedTemporaryFile({ dir })).close(),
  "TemporaryFile + close (async)": async () => await (await t.TemporaryFile({ dir })).close(),
};

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: unknown };
if (process.argv.includes("--list")) {
  console.log(JSON.stringify(Object.keys(paths)));
  process.exit(0);
}
const us: Record<string, number> = {};
const fastest: Record<string, number> = {};
const only = process.env.OWN_COST_ONLY; // one path's name: bench/run.mjs runs each in its own process
for (const [name, fn] of Object.entries(paths)) {
  if (only && name !== only) continue;
  const times = await rounds(fn);
  us[name] = times[Math.floor(ROUNDS / 2)];
  fastest[name] = times[0];
}
if (process.argv.includes("--json")) {
  const version = g.Deno ? g.Deno.version.deno : process.versions.bun ?? process.version;
  console.log(
    JSON.stringify({ runtime: g.Deno ? "deno" : g.Bun ? "bun" : "node", version, n: N, us, fastest }),
  );
} else {
  for (const name of Object.keys(us)) {
    console.log(
      `${name.padEnd(42)} median ${us[name].toFixed(2)} us, fastest ${fastest[name].toFixed(2)} us`,
    );
  }
}
