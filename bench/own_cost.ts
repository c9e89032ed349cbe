// The library's own CPU time per create+close, with the syscalls removed: a
// no-op backend answers every request at once. Run it in each runtime:
//   node --import tsx bench/own_cost.ts | bun bench/own_cost.ts | deno run -A bench/own_cost.ts
// Prints microseconds per operation, median of 5 rounds of 100,000.
import { backend, useBackend } from "../src/backend.ts";
import type { Request } from "../src/_requests.ts";
import * as t from "../mod.ts";

const answer = (
  r: Request,
) => (r.op === "open" ? 1_000_000 : r.op === "size" || r.op === "read" ? 0 : undefined);
const real = backend();
useBackend({ ...real, performSync: answer, perform: (r) => Promise.resolve(answer(r)) });

const dir = "/nonexistent-no-op-backend";
const N = 100_000;
function median(fn: () => void): number {
  const rounds: number[] = [];
  for (let round = 0; round < 6; round++) {
    const start = performance.now();
    for (let i = 0; i < N; i++) fn();
    if (round > 0) rounds.push(((performance.now() - start) * 1000) / N); // round 0 warms up
  }
  return rounds.sort((a, b) => a - b)[2];
}
async function medianAsync(fn: () => Promise<void>): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < 6; round++) {
    const start = performance.now();
    for (let i = 0; i < N; i++) await fn();
    if (round > 0) rounds.push(((performance.now() - start) * 1000) / N);
  }
  return rounds.sort((a, b) => a - b)[2];
}

const results: Record<string, number> = {
  "NamedTemporaryFileSync + closeSync": median(() => t.NamedTemporaryFileSync({ dir }).closeSync()),
  "TemporaryFileSync + closeSync": median(() => t.TemporaryFileSync({ dir }).closeSync()),
  "mkstempSync": median(() => void t.mkstempSync({ dir })),
  "mkdtempSync": median(() => void t.mkdtempSync({ dir })),
  "NamedTemporaryFile + close": await medianAsync(async () =>
    await (await t.NamedTemporaryFile({ dir })).close()
  ),
};
for (const [name, us] of Object.entries(results)) console.log(`${name.padEnd(36)} ${us.toFixed(2)} us`);
