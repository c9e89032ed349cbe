// `npm test`: the same suite under Node (vitest, with this machine's Node and
// with Node 26, the current release), Bun (bun test) and Deno (vitest through
// Deno). Fails if any runtime fails or runs no test; ends with one line of
// totals, "N passed, N failed".
import { spawnSync } from "node:child_process";
import process from "node:process";

const bin = (name) => `node_modules/.bin/${name}`;
const runs = [
  { runtime: "node", cmd: bin("vitest"), args: ["run"] },
  { runtime: "node26", cmd: "node_modules/node26/bin/node", args: ["node_modules/vitest/vitest.mjs", "run"] },
  { runtime: "bun", cmd: bin("bun"), args: ["test", "--timeout", "60000", "tests/"] },
  { runtime: "deno", cmd: bin("deno"), args: ["run", "-A", "npm:vitest", "run"] },
];
const only = process.argv.slice(2);

const ESC = String.fromCharCode(27);
const strip = (s) => s.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, "g"), "");
const count = (text, re) => Number(re.exec(text)?.[1] ?? 0);

let passed = 0, failed = 0;
const summary = [];
for (const { runtime, cmd, args } of runs) {
  if (only.length && !only.includes(runtime)) continue;
  console.log(`\n=== ${runtime}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const out = strip(`${r.stdout}\n${r.stderr}`);
  const lines = out.split("\n").filter((l) => !/^\s*$/.test(l));
  const failures = lines.filter((l) => /^\s*(\(fail\)|FAIL\s|×)/.test(l));
  process.stdout.write(
    [...lines.slice(-12), ...failures.map((l) => `failed: ${l.trim()}`)].join("\n") + "\n",
  );
  const p = runtime === "bun" ? count(out, /^\s*(\d+) pass$/m) : count(out, /Tests\s.*?(\d+) passed/);
  let f = runtime === "bun" ? count(out, /^\s*(\d+) fail$/m) : count(out, /Tests\s+(\d+) failed/);
  // A crashed runner or an empty run counts as a failure, never as a skip.
  if (r.status !== 0 && f === 0) f = 1;
  if (p === 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  summary.push(`${runtime}: ${p} passed, ${f} failed (exit ${r.status})`);
}
console.log("\n" + summary.join("\n"));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
