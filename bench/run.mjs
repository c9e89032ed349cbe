// `npm run bench`: the suite under Node, Bun and Deno, and Python's tempfile,
// in one run. Prints a Markdown table per runtime and writes the raw figures
// to bench/results/latest.json. The method is in bench/README.md.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";

const bin = (name) => `node_modules/.bin/${name}`;
const tsx = new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const runs = [
  ["node", process.execPath, ["--import", tsx, "bench/suite.ts"]],
  ["bun", bin("bun"), ["bench/suite.ts"]],
  ["deno", bin("deno"), ["run", "-A", "bench/suite.ts"]],
  ["python", "python3", ["bench/python_bench.py"]],
];

function json(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/**
 * Cold import: how long after process start the module is ready, minus the
 * same for an empty script; medians of 15. Each script prints
 * performance.now(), which counts from process start, once its imports are
 * done: this leaves out the process-spawn noise of wall-clock timing.
 */
function coldImport(runtime) {
  mkdirSync(".build/bench", { recursive: true });
  const mod = runtime === "node" ? "../npm/esm/mod.js" : "../../mod.ts";
  writeFileSync(".build/bench/empty.mjs", "console.log(performance.now());");
  writeFileSync(".build/bench/import.mjs", `import ${JSON.stringify(mod)};\nconsole.log(performance.now());`);
  const cmd = runtime === "node" ? process.execPath : bin(runtime);
  const pre = runtime === "deno" ? ["run", "-A"] : [];
  const ready = (file) => Number(execFileSync(cmd, [...pre, file], { encoding: "utf8" }));
  const samples = { empty: [], imported: [] };
  for (let i = 0; i < 15; i++) {
    samples.empty.push(ready(".build/bench/empty.mjs"));
    samples.imported.push(ready(".build/bench/import.mjs"));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return median(samples.imported) - median(samples.empty);
}

execFileSync(process.execPath, ["scripts/build_node.mjs"], { stdio: "ignore" });
const machine = `${os.cpus()[0].model}, ${os.cpus().length} cores, ${
  Math.round(os.totalmem() / 2 ** 30)
} GiB, ${os.type()} ${os.release()}`;
const results = { date: new Date().toISOString(), machine, runtimes: {} };
for (const [name, cmd, args] of runs) {
  if (process.argv[2] && !process.argv.slice(2).includes(name)) continue;
  process.stderr.write(`running ${name}...\n`);
  const r = json(cmd, args);
  if (name !== "python") r.cold_import_ms = coldImport(name);
  results.runtimes[name] = r;
}

const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(us < 1 ? 3 : 1)} us`);
const py = results.runtimes.python?.results ?? [];
let md = `Machine: ${machine}. Median of ${
  results.runtimes.node?.rounds ?? "?"
} rounds; ratio = time / raw syscalls in the same round.\n`;
for (const [name, r] of Object.entries(results.runtimes)) {
  if (name === "python") continue;
  md +=
    `\n### ${name} ${r.version}\n\n| workload | raw | @x/tempfile | ratio | peers (ratio to raw) | Python (ratio to its raw) |\n|---|---|---|---|---|---|\n`;
  for (const w of r.results) {
    const [ours, ...peers] = Object.entries(w.impls);
    // Workload 5 is one run of a million writes: show it per write.
    const unit = w.workload.startsWith("5.") ? 1e6 : 1;
    const pyRow = py.find((p) => p.workload === w.workload);
    const pyText = Object.entries(pyRow?.impls ?? {})
      .map(([k, v]) => `${k} ${fmt(v.us / unit)} (${v.ratio.toFixed(2)}x)`).join(", ");
    const peerText = peers.map(([k, v]) => `${k} ${v.ratio.toFixed(2)}x`).join(", ");
    md += `| ${w.workload} | ${fmt(w.raw_us / unit)} | ${fmt(ours[1].us / unit)} | ${
      ours[1].ratio.toFixed(2)
    }x | ${peerText} | ${pyText} |\n`;
  }
  md += `| 8. cold import (minus empty script) | | ${r.cold_import_ms.toFixed(1)} ms | | | |\n`;
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", JSON.stringify(results, null, 2));
writeFileSync("bench/results/latest.md", md);
console.log(md);
