// `npm test`: the same suite under Node 22 and 26 (vitest), Bun (bun test)
// and Deno (vitest through Deno), all at once. Fails if any
// runtime fails or runs no test; ends with one line of totals,
// "N passed, N failed". `npm test -- node26 bun` runs only those.
//
// The scratch directories live on tmpfs (/dev/shm) when there is one: the
// suite creates and removes a few hundred thousand entries, and on a
// journaling disk each costs 10-20x more, for no extra coverage. Set
// XTEMPFILE_TEST_TMPDIR to choose the directory (for example a real disk).
// Deno asks for all permissions under /dev: its tests with fewer use -A there.
//
// The tests' child processes import the library bundled, as both packages
// ship it, built here from the current sources (XTEMPFILE_TEST_MOD): a Node
// child importing the ~40 .ts files strips their types at every start, about
// 0.25 s of CPU each, and each Node run starts some 60 such children.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { bundleForTests } from "./test_bundle.mjs";

const bin = (name) => `node_modules/.bin/${name}`;
// The two ends of what users run; without those binaries (not linux-x64), this machine's Node.
const node = (v) =>
  existsSync(`node_modules/node${v}/bin/node`) ? `node_modules/node${v}/bin/node` : process.execPath;
// Longest first. vitest runs two files at a time (its default is one on two cores): a file spends much of its
// time waiting on child processes, which another file fills.
// The two Node runs share the long seeded comparisons that only Node runs in full, half each (tests/_helpers.ts:
// share); run alone (`npm test -- node26`), one compares them all.
const runs = [
  {
    runtime: "node22",
    cmd: node(22),
    args: ["node_modules/vitest/vitest.mjs", "run", "--maxWorkers=2"],
    share: 1,
  },
  {
    runtime: "node26",
    cmd: node(26),
    args: ["node_modules/vitest/vitest.mjs", "run", "--maxWorkers=2"],
    share: 2,
  },
  { runtime: "deno", cmd: bin("deno"), args: ["run", "-A", "npm:vitest", "run", "--maxWorkers=2"] },
  { runtime: "bun", cmd: bin("bun"), args: ["test", "--timeout", "60000", "tests/"] },
];
const only = process.argv.slice(2);
// All four runtimes at once, for the same reason. XTEMPFILE_TEST_PARALLEL=1 runs one at a time.
const PARALLEL = Number(process.env.XTEMPFILE_TEST_PARALLEL) || runs.length;

const ESC = String.fromCharCode(27);
const strip = (s) => s.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, "g"), "");
const count = (text, re) => Number(re.exec(text)?.[1] ?? 0);

function scratchRoot() {
  const chosen = process.env.XTEMPFILE_TEST_TMPDIR;
  if (chosen) return { dir: chosen, owned: false };
  try {
    const dir = mkdtempSync("/dev/shm/xtf-test-");
    chmodSync(dir, 0o1777); // as /tmp: the tests run as a second user need to reach their directories
    return { dir, owned: true };
  } catch {
    return { dir: os.tmpdir(), owned: false };
  }
}

/**
 * CPython's own binary, for the tests that compare with it (tests/_helpers.ts: PYTHON), some ten starts a
 * runtime: `python3` may be a version manager's shim, as pyenv's, which costs ~0.4 s of CPU a start, 4x Python's.
 */
function python() {
  const r = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? { XTEMPFILE_TEST_PYTHON: r.stdout.trim() } : {};
}

function runOne({ runtime, cmd, args, share }, tmp, mod, py, shares) {
  const started = Date.now();
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: "1", TMPDIR: tmp, XTEMPFILE_TEST_MOD: mod, ...py };
    if (share && shares > 1) env.XTEMPFILE_TEST_SHARE = `${share}/${shares}`;
    const child = spawn(cmd, args, { env });
    let out = "";
    child.stdout.on("data", (d) => out += d);
    child.stderr.on("data", (d) => out += d);
    child.on("close", (status) => resolve({ runtime, cmd, args, status, out: strip(out), started }));
  });
}

/**
 * A failure's error and diff, which CI keeps only as this script prints it: vitest's "Failed Tests" section, or
 * for bun test the lines above each "(fail)" since the test before it.
 */
function whyFailed(lines) {
  const start = lines.findIndex((l) => /Failed Tests \d+/.test(l));
  if (start >= 0) return lines.slice(start, start + 120);
  return lines.flatMap((l, i) => {
    if (!/^\(fail\)/.test(l)) return [];
    let from = i;
    while (from > 0 && i - from < 60 && !/^\((pass|skip|fail|todo)\)/.test(lines[from - 1])) from--;
    return lines.slice(from, i + 1);
  });
}

function report(r) {
  const lines = r.out.split("\n").filter((l) => !/^\s*$/.test(l));
  const failures = lines.filter((l) => /^\s*(\(fail\)|FAIL\s|×)/.test(l));
  console.log(
    `\n=== ${r.runtime}: ${r.cmd} ${r.args.join(" ")} (${((Date.now() - r.started) / 1000).toFixed(1)} s)`,
  );
  console.log([...lines.slice(-12), ...failures.map((l) => `failed: ${l.trim()}`)].join("\n"));
  if (failures.length > 0) console.log(`--- why (${r.runtime}) ---\n${whyFailed(lines).join("\n")}\n---`);
  const bun = r.runtime === "bun";
  const p = bun ? count(r.out, /^\s*(\d+) pass$/m) : count(r.out, /Tests\s.*?(\d+) passed/);
  let f = bun ? count(r.out, /^\s*(\d+) fail$/m) : count(r.out, /Tests\s+(\d+) failed/);
  // A crashed runner or an empty run counts as a failure, never as a skip.
  if (r.status !== 0 && f === 0) f = 1;
  if (p === 0 && f === 0) f = 1;
  return { p, f, line: `${r.runtime}: ${p} passed, ${f} failed (exit ${r.status})` };
}

const started = Date.now();
const scratch = scratchRoot();
console.log(`scratch directories in ${scratch.dir}; ${PARALLEL} runtime(s) at a time`);
const queue = runs.filter((r) => only.length === 0 || only.includes(r.runtime));
const shares = queue.filter((r) => r.share).length;
const build = mkdtempSync(path.join(scratch.dir, "build-"));
chmodSync(build, 0o755); // children run as a second user import it too
const mod = await bundleForTests(build);
const py = python();
const results = [];
await Promise.all(Array.from({ length: PARALLEL }, async () => {
  while (queue.length > 0) results.push(report(await runOne(queue.shift(), scratch.dir, mod, py, shares)));
}));
rmSync(scratch.owned ? scratch.dir : build, { recursive: true, force: true });

const passed = results.reduce((n, r) => n + r.p, 0);
const failed = results.reduce((n, r) => n + r.f, 0);
console.log(
  `\n${results.map((r) => r.line).join("\n")}\nwall time ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
