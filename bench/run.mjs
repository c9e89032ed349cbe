// `npm run bench`: the suite, the library's own cost, memory and cold start
// under Node 22, 24 and 26, Bun and Deno, and Python's tempfile, in one run.
// Prints a Markdown table per runtime, then the issue-17 goals with ✓/✗, and
// writes them to bench/results/latest.md and the raw figures to latest.json.
// `npm run bench -- node24 bun` runs a subset ("node" means all three). The
// method is in bench/README.md.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import { coldStart, median } from "./cold_start.mjs";
import { buildJsr } from "../scripts/build_jsr.mjs";
import { bundleSizes } from "./bundle_size.mjs";

const bin = (name) => `node_modules/.bin/${name}`;
const node = (v) => ({
  name: `node${v}`,
  cmd: `node_modules/node${v}/bin/node`,
  pre: [], // Node 22.18+ strips the types of the .ts sources itself.
  gc: ["--expose-gc"],
  cold: ["empty", "raw", "npm", "ts", "compile_only"],
});
const RUNTIMES = [
  node(22),
  node(24),
  node(26),
  { name: "bun", cmd: bin("bun"), pre: [], gc: [], cold: ["empty", "raw", "npm", "ts", "compile_only"] },
  {
    name: "deno",
    cmd: bin("deno"),
    pre: ["run", "-A"],
    gc: ["--v8-flags=--expose-gc"],
    cold: ["empty", "fs_import", "raw", "jsr", "ts", "compile_only"],
  },
];
const OWN_COST_RUNS = 3;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);

function json(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 24, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const wanted = process.argv.slice(2);
const selected = (name) =>
  !wanted.length || wanted.some((w) => name === w || (w === "node" && /^node\d/.test(name)));
const say = (text) => process.stderr.write(`${text}\n`);

// The build wipes .build/, where cold_start.mjs writes its scripts: build first.
// Its output (tsc's errors among it) goes to stderr: stdout is the Markdown.
execFileSync(process.execPath, ["scripts/build_node.mjs"], { stdio: ["ignore", process.stderr, "inherit"] });
await buildJsr(); // dist/: what JSR serves Deno
const machine = `${os.cpus()[0].model}, ${os.cpus().length} cores, ${
  Math.round(os.totalmem() / 2 ** 30)
} GiB, ${os.type()} ${os.release()}`;
const results = { date: new Date().toISOString(), machine, runtimes: {}, size: await bundleSizes() };
const failed = [];
for (const rt of RUNTIMES) {
  if (!selected(rt.name)) continue;
  const script = (file, flags = []) => [...rt.pre, ...flags, file];
  try {
    say(`${rt.name}: suite...`);
    const r = json(rt.cmd, script("bench/suite.ts", rt.gc));
    // Python's text workloads again, right after this runtime's: the goals compare across processes,
    // and this machine's speed drifts by half between minutes.
    if (selected("python")) {
      r.python_text = json("python3", ["bench/python_bench.py"], { BENCH_ONLY: "9,10" });
    }
    say(`${rt.name}: own cost x${OWN_COST_RUNS}, memory, cold start...`);
    // Each path in a process of its own, as a program that creates one kind of object sees it:
    // run together, the paths share call sites and the JIT's choices for them.
    const paths = json(rt.cmd, [...script("bench/own_cost.ts"), "--list"]);
    r.own_cost = Array.from({ length: OWN_COST_RUNS }, () => {
      const runs = paths.map((p) =>
        json(rt.cmd, [...script("bench/own_cost.ts"), "--json"], { OWN_COST_ONLY: p })
      );
      return {
        ...runs[0],
        us: Object.assign({}, ...runs.map((o) => o.us)),
        fastest: Object.assign({}, ...runs.map((o) => o.fastest)),
      };
    });
    r.memory = json(rt.cmd, script("bench/memory.ts", rt.gc)).results;
    r.cold_ms = coldStart(rt.cmd, rt.pre, rt.cold, COLD_RUNS);
    results.runtimes[rt.name] = r;
  } catch (err) {
    // One runtime's failure should not lose the others' figures.
    say(String(err));
    failed.push(rt.name);
  }
}
if (selected("python")) {
  say("python: suite...");
  results.runtimes.python = json("python3", ["bench/python_bench.py"]);
}

// ---- Markdown ----
const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(us < 1 ? 3 : 1)} us`);
const ms = (x) => `${x.toFixed(1)} ms`;
const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const py = results.runtimes.python?.results ?? [];
const ran = Object.entries(results.runtimes).filter(([name]) => name !== "python");
const row = (...cells) => `| ${cells.join(" | ")} |\n`;
const header = (...cells) => row(...cells) + row(...cells.map(() => "---"));
const some = Object.values(results.runtimes)[0];

let md = `Machine: ${machine}. Median of ${some?.rounds ?? "?"} rounds (scale ${
  some?.scale ?? 1
}); ratio = time / raw syscalls in the same round.\n`;
if (failed.length) md += `\nFailed (see the error output): ${failed.join(", ")}.\n`;
for (const [, r] of ran) {
  md += `\n### ${r.runtime} ${r.version}\n\n`;
  md += header(
    "workload",
    "raw",
    "@x/tempfile",
    "ratio",
    "peers (ratio to raw)",
    "Python (ratio to its raw)",
  );
  for (const w of r.results) {
    const [ours, ...peers] = Object.entries(w.impls);
    const unit = w.per ?? 1; // Per write or per line where a run is many of them.
    const pyRow = py.find((p) => p.workload === w.workload);
    const pyText = Object.entries(pyRow?.impls ?? {})
      .map(([k, v]) => `${k} ${fmt(v.us / (pyRow.per ?? 1))} (${v.ratio.toFixed(2)}x)`).join(", ");
    const peerText = peers.map(([k, v]) => `${k} ${v.ratio.toFixed(2)}x`).join(", ");
    md += row(
      w.workload,
      fmt(w.raw_us / unit),
      fmt(ours[1].us / unit),
      `${ours[1].ratio.toFixed(2)}x`,
      peerText,
      pyText,
    );
    if (w.workload.startsWith("7.")) md += coldRows(r.cold_ms);
  }
}

/** Workload 8's rows: ms after process start, raw node:fs program vs ours. */
function coldRows(c) {
  const line = (label, ours) =>
    row(label, ms(c.raw), `${ms(ours)} (+${ms(ours - c.raw)})`, `${(ours / c.raw).toFixed(2)}x`, "", "");
  const alone = (label, value) => row(label, "", ms(value), "", "", "");
  // What the runtime spends loading and compiling the library's code, apart from anything the code does.
  const compile = alone(
    "8d. importing the npm build's code without running it (script minus empty script)",
    c.compile_only - c.empty,
  );
  if (c.npm === undefined) { // Deno: JSR users run dist/ (scripts/build_jsr.mjs).
    return line(
      "8. cold start to a first named file written and removed (ms after start; JSR build)",
      c.jsr,
    ) +
      line("8b. the same importing the .ts sources (not what JSR users run)", c.ts) +
      alone(
        "8c. Deno's node:fs import alone (script importing it minus empty script)",
        c.fs_import - c.empty,
      ) +
      compile;
  }
  return line("8. cold start to a first named file written and removed (ms after start; npm build)", c.npm) +
    line("8b. the same importing the .ts sources (not what npm users run)", c.ts) + compile;
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
md +=
  `\n### 11. Size: a program using only NamedTemporaryFileSync, bundled by esbuild from the npm build\n\n`;
md += header("program", "minified", "minified + gzip");
for (const [name, s] of Object.entries(results.size)) {
  md += row(
    name === "binary" ? "binary (writes bytes)" : 'text (mode "w+", writes UTF-8)',
    kb(s.minified),
    kb(s.gzipped),
  );
}

md +=
  `\n### Own cost per operation, no-op backend: median round / fastest round (median of ${OWN_COST_RUNS} processes)\n\n`;
md += header("operation", ...ran.map(([name]) => name));
for (const op of Object.keys(ran[0]?.[1].own_cost[0].us ?? {})) {
  const cell = (r) =>
    `${fmt(median(r.own_cost.map((o) => o.us[op])))} / ${fmt(median(r.own_cost.map((o) => o.fastest[op])))}`;
  md += row(op, ...ran.map(([, r]) => cell(r)));
}

md += `\n### Memory held by open objects (heapUsed + array buffers, after gc)\n\n`;
md += header("objects", ...ran.map(([name]) => name));
md += row("per open NamedTemporaryFileSync", ...ran.map(([, r]) => kib(r.memory.named.perObject)));
md += row("per open TemporaryDirectorySync", ...ran.map(([, r]) => kib(r.memory.directory.perObject)));
md += row(
  `${ran[0]?.[1].memory.namedWritten.n ?? "?"} open named files, 100 bytes written and flushed each (total)`,
  ...ran.map(([, r]) => mb(r.memory.namedWritten.total)),
);

// ---- Goals (issue 17) ----
// Each goal gives, per runtime, [text, met] or undefined where it does not apply.
const mark = (met) => (met ? " ✓" : " ✗");
// The fastest of each process's rounds: the library's own CPU time, without what other tenants add (bench/README.md).
const ownCost = (op, limit) => (r) => {
  const runs = r.own_cost.map((o) => o.fastest[op]);
  return [`${runs.map((x) => x.toFixed(2)).join(" / ")} us`, runs.every((x) => x <= limit)];
};
const workload = (r, n) => r.results.find((w) => w.workload.startsWith(`${n}.`));
const perOp = (w, impl) => w.impls[impl].us / (w.per ?? 1);
const vsPython = (n, pyImpl) => (r) => {
  const w = workload(r, n);
  const p = (r.python_text?.results ?? py).find((x) => x.workload === w?.workload);
  if (!w || !p) return undefined;
  const [ours, theirs] = [perOp(w, "@x/tempfile"), perOp(p, pyImpl)];
  return [`${fmt(ours)} vs ${fmt(theirs)}`, ours <= theirs];
};
const GOALS = [
  [
    "Own cost: NamedTemporaryFileSync + closeSync ≤ 2 us (fastest round, 3 processes)",
    ownCost("NamedTemporaryFileSync + closeSync", 2),
  ],
  [
    "Own cost: TemporaryFileSync + closeSync ≤ 2 us (fastest round, 3 processes)",
    ownCost("TemporaryFileSync + closeSync", 2),
  ],
  [
    "Own cost: NamedTemporaryFile + close (async) ≤ 4 us (fastest round, 3 processes)",
    ownCost("NamedTemporaryFile + close (async)", 4),
  ],
  [
    "Own cost: TemporaryFile + close (async) ≤ 4 us (fastest round, 3 processes)",
    ownCost("TemporaryFile + close (async)", 4),
  ],
  [
    "Cold start to a first named file, minus the raw node:fs program ≤ 5 ms (Node 24/26, Bun, Deno)",
    (r, name) => {
      const c = r.cold_ms;
      const extra = (c.npm ?? c.jsr) - c.raw;
      const loading = `loading the code: ${ms(c.compile_only - c.empty)}`;
      const note = c.fs_import === undefined
        ? ` (${loading})`
        : ` (${loading}; node:fs import alone: ${ms(c.fs_import - c.empty)})`;
      return name === "node22" ? [`${ms(extra)} (no goal)`] : [`${ms(extra)}${note}`, extra <= 5];
    },
  ],
  ["Text writes (9): time per write ≤ Python's (run right after)", vsPython(9, "text file")],
  ["readline (10): time per line ≤ Python's readline() (run right after)", vsPython(10, "readline()")],
  [
    "Memory per open NamedTemporaryFileSync ≤ 1 KiB",
    (r) => [kib(r.memory.named.perObject), r.memory.named.perObject <= 1024],
  ],
  [
    "Memory per open TemporaryDirectorySync ≤ 1 KiB",
    (r) => [kib(r.memory.directory.perObject), r.memory.directory.perObject <= 1024],
  ],
  [
    "10,000 open named files that wrote 100 bytes: growth ≤ 20 MB",
    (r) => [mb(r.memory.namedWritten.total), r.memory.namedWritten.total <= 20e6],
  ],
  ["Deno: workloads 1-4 each ≤ 1.10x of raw", (r, name) => {
    if (name !== "deno") return undefined;
    const ratios = [1, 2, 3, 4].map((n) => workload(r, n)?.impls["@x/tempfile"].ratio);
    if (ratios.includes(undefined)) return undefined;
    return [ratios.map((x) => `${x.toFixed(2)}x`).join(" / "), ratios.every((x) => x <= 1.1)];
  }],
  [
    "Deno: named create + remove (1 sync / 2 async) ≤ Deno.makeTempFile + Deno.remove (ratios to raw)",
    (r, name) => {
      if (name !== "deno") return undefined;
      const pairs = [[1, "Deno.makeTempFileSync"], [2, "Deno.makeTempFile"]].map(([n, peer]) => {
        const w = workload(r, n);
        return w && w.impls[peer] ? [w.impls["@x/tempfile"].ratio, w.impls[peer].ratio] : undefined;
      });
      if (pairs.includes(undefined)) return undefined;
      return [
        pairs.map(([ours, peer]) => `${ours.toFixed(2)}x vs ${peer.toFixed(2)}x`).join(" / "),
        pairs.every(([ours, peer]) => ours <= peer),
      ];
    },
  ],
  [
    "Size (11): esbuild-minified NamedTemporaryFileSync program ≤ 25 KB binary / ≤ 40 KB text",
    () => {
      const { binary, text } = results.size;
      return [
        `${kb(binary.minified)} / ${kb(text.minified)}`,
        binary.minified <= 25_000 && text.minified <= 40_000,
      ];
    },
  ],
  ["Spooled vs named (6) in Bun: ratio ≤ 0.1", (r, name) => {
    const ratio = workload(r, 6)?.impls.SpooledTemporaryFile.ratio;
    if (ratio === undefined) return undefined;
    return name === "bun" ? [`${ratio.toFixed(3)}x`, ratio <= 0.1] : [`${ratio.toFixed(3)}x (no goal)`];
  }],
];
md += `\n### Goals\n\n`;
md += header("goal", ...ran.map(([name]) => name));
results.goals = [];
for (const [goal, check] of GOALS) {
  const cells = ran.map(([name, r]) => check(r, name));
  results.goals.push({ goal, ...Object.fromEntries(ran.map(([name], i) => [name, cells[i]])) });
  md += row(goal, ...cells.map((c) => (c === undefined ? "—" : c[0] + (c.length > 1 ? mark(c[1]) : ""))));
}

mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", JSON.stringify(results, null, 2));
writeFileSync("bench/results/latest.md", md);
console.log(md);
