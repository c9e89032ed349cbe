// Measures SECURITY.md's "shared directory without the sticky bit" limit: another
// user (uid 65534, so run this as root on Linux) swaps our TemporaryDirectory for
// a symbolic link to our own files, and back, as fast as it can, while we remove
// it. Counts the canaries (our files outside the tree) that removal deleted
// through the link, and the removals that stopped (ENOTDIR).
//
//   node scripts/race_shared_dir.mjs [trials] [files] [sync|async]   (Node 22.18+: it imports ../mod.ts)
//   bun scripts/race_shared_dir.mjs ...      deno run -A scripts/race_shared_dir.mjs ...
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { spawn } from "node:child_process";
import { TemporaryDirectorySync } from "../mod.ts";

const trials = Number(process.argv[2] ?? 30);
const files = Number(process.argv[3] ?? 1000);
const mode = process.argv[4] ?? "sync";
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";

// The attacker never waits for a sign of removal: rename, link, unlink, rename back, again.
const ATTACKER = `
const fs = require("node:fs");
const [top, precious] = process.argv.slice(2);
const moved = top + ".moved";
console.log("ready");
for (;;) {
  try { fs.renameSync(top, moved); fs.symlinkSync(precious, top); } catch {}
  try { fs.unlinkSync(top); fs.renameSync(moved, top); } catch {}
}`;

const base = fs.mkdtempSync(path.join(os.tmpdir(), "xtf-race-"));
fs.chmodSync(base, 0o755);
const attacker = path.join(base, "attacker.cjs");
fs.writeFileSync(attacker, ATTACKER);
fs.chmodSync(attacker, 0o644);

function start(top, precious) {
  const child = spawn("node", [attacker, top, precious], {
    uid: 65534,
    gid: 65534,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  const ready = new Promise((resolve) =>
    child.stdout.on("data", (d) => (out += d).includes("ready") && resolve())
  );
  // Its loop never yields, so only SIGKILL ends it.
  const done = new Promise((resolve) => child.on("close", resolve));
  return { ready, stop: () => (child.kill("SIGKILL"), done) };
}

let lost = 0;
let stopped = 0;
let hit = 0;
const other = {};
for (let t = 0; t < trials; t++) {
  const shared = path.join(base, `shared${t}`);
  const precious = path.join(base, `precious${t}`);
  fs.mkdirSync(shared);
  fs.chmodSync(shared, 0o777); // writable by all, no sticky bit
  fs.mkdirSync(precious);
  for (let i = 0; i < files; i++) fs.writeFileSync(path.join(precious, `f${i}`), "x");
  const d = TemporaryDirectorySync({ dir: shared });
  for (let i = 0; i < files; i++) fs.writeFileSync(path.join(d.name, `f${i}`), "x");
  const a = start(d.name, precious);
  await a.ready;
  try {
    if (mode === "async") await d.cleanup();
    else d.cleanupSync();
  } catch (err) {
    if (err.code === "ENOTDIR") stopped++;
    else other[err.code ?? String(err)] = (other[err.code ?? String(err)] ?? 0) + 1;
  }
  await a.stop();
  const gone = files - fs.readdirSync(precious).length;
  lost += gone;
  if (gone > 0) hit++;
  fs.rmSync(shared, { recursive: true, force: true });
  fs.rmSync(precious, { recursive: true, force: true });
}
fs.rmSync(base, { recursive: true, force: true });
console.log(
  JSON.stringify({
    runtime,
    mode,
    trials,
    files,
    canaries: trials * files,
    lost,
    runsWithLoss: hit,
    stopped,
    other,
  }),
);
