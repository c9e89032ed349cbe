// `npm run test:package`: the npm package as it will be published, checked as
// a consumer sees it. With DNT_MIRRORS set (the folder holding the snapshots of
// denoland/dnt, denoland/std and denoland/deno_cache_dir) build_npm.ts runs with
// dnt through ../shared/tools/dnt-offline, its output is what is checked, and
// it must match the stand-in's (scripts/build_node.mjs) in files, package.json
// and types. Without it (CI: dnt lives on JSR only) the stand-in's output is
// checked. Then: npm pack, install the tarball into a scratch project, and use
// it from Node 20/22/24/26, Bun and Deno, by import and by require(), both
// copies in one process, bundled, under vitest and jest 29/30, from TypeScript
// ES module and CommonJS consumers; the program endings in Deno against the
// JSR package; finally the JSR package itself in Deno.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { buildJsr } from "./build_jsr.mjs";
import { compareBuilds } from "./package_check/compare_builds.mjs";
import { checkDenoEndings } from "./package_check/deno_endings.mjs";

const root = process.cwd();
const denoJson = JSON.parse(readFileSync("deno.json", "utf8"));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", ...opts });
let failed = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? `: ${detail}` : ""}`);
  if (!ok) failed++;
};

const untracked = () =>
  run("git", ["status", "--porcelain", "--untracked-files=all"]).split("\n").filter((l) =>
    l.startsWith("??")
  );
const untrackedBefore = untracked();
/** Every version the checks ran with, as README's support matrix must name it. */
const versionsRun = new Set();
const majorMinor = (v) => /\d+\.\d+/.exec(v)[0];
const versionOf = (pkg) =>
  JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version;

// 1. Build: the stand-in always, dnt through the offline kit when it can.
run(process.execPath, ["scripts/build_node.mjs"]);
let built = ".build/npm";
const mirrors = process.env.DNT_MIRRORS;
if (mirrors) {
  const kit = process.env.DNT_OFFLINE ?? path.resolve(root, "../shared/tools/dnt-offline/build.sh");
  run(kit, [], { env: { ...process.env, MIRRORS: mirrors }, stdio: ["ignore", "ignore", "inherit"] });
  built = "npm";
  const diffs = compareBuilds("npm", ".build/npm");
  check(
    diffs.length === 0,
    "dnt's build and the stand-in's: same files, package.json and .d.ts",
    diffs.join("; "),
  );
} else {
  console.log("DNT_MIRRORS unset: checking the stand-in's build (scripts/build_node.mjs), not dnt's");
}

// 2. Pack.
const packed = JSON.parse(
  run("npm", ["pack", "--json", "--pack-destination", path.resolve(".build"), "--silent"], { cwd: built }),
)[0];
const tarball = path.resolve(".build", packed.filename);
const files = packed.files.map((f) => f.path).sort();
console.log(
  `tarball ${packed.filename} (from ${built}): ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ` +
    `${files.length} files`,
);

// 3. What it must and must not hold.
const forbidden = files.filter((f) =>
  /(^|\/)(tests?|bench|examples|scripts|src)\/|_dnt\.|\.ts$/.test(f) && !f.endsWith(".d.ts")
);
check(
  forbidden.length === 0,
  "tarball holds no sources, tests, benchmarks or dnt polyfills",
  forbidden.join(", "),
);
// Loaders pay per file: one per entry point and a shared core (scripts/bundle_esm.mjs), per module system,
// and the ES modules again with the Node backend alone (esm/node/, the "node" condition's import).
const scripts = files.filter((f) => f.endsWith(".js"));
check(
  scripts.length === 9 &&
    ["esm", "script", "esm/node"].every((d) =>
      ["mod.js", "testing.js"].every((f) => scripts.includes(`${d}/${f}`)) &&
      scripts.some((f) => /^core-\w+\.js$/.test(f.slice(d.length + 1)))
    ),
  "nine JavaScript files: mod.js, testing.js and their core, as ES modules (esm/) and CommonJS (script/), " +
    "and as ES modules with the Node backend alone (esm/node/)",
  scripts.join(", "),
);
const text = (f) => readFileSync(path.join(built, f), "utf8");
const leaks = files.filter((f) =>
  f.endsWith(".d.ts") && /declare\s+global|^\s*interface\s+(Object|Array|String)\b/m.test(text(f))
);
check(leaks.length === 0, "no .d.ts declares globals into a consumer's types", leaks.join(", "));
const metas = scripts.filter((f) => f.startsWith("script/") && text(f).includes("import.meta"));
check(metas.length === 0, "the CommonJS files use no import.meta", metas.join(", "));
const pkgJson = JSON.parse(text("package.json"));
const conditions = ["", "/testing"].map((s) => pkgJson.exports?.[`.${s}`]);
check(
  pkgJson.type === "module" && pkgJson.main === "./script/mod.js" && pkgJson.types === "./script/mod.d.ts" &&
    conditions.every((c) =>
      c?.import?.types && c?.import?.default && c?.require?.types && c?.require?.default
    ) &&
    Object.keys(pkgJson.dependencies ?? {}).length === 0,
  "package.json: type, main, types, and types/import/require for . and ./testing; no dependencies",
);
// Node and Bun (and bundlers for them) import the esm/node/ copy; Deno, require(), and everything else take
// the one that picks the backend at run time.
const exported = pkgJson.exports["."];
check(
  Object.keys(exported).join() === "deno,node,import,require" &&
    exported.node.import.default === "./esm/node/mod.js" && exported.deno.import.default === "./esm/mod.js",
  'package.json: "deno" before "node", which takes the Node-only copy',
);
// A budget, not a target, that catches a stray build or test in the package: the README (~18 kB gzipped, most
// of it the API and the Coming from... tables), nine scripts and two sets of .d.ts (ES module, CommonJS) make ~172 kB.
check(packed.size < 190_000, "tarball size under 190 kB", `${packed.size} bytes`);

// 4. Install into a scratch project outside the repo.
const scratch = mkdtempSync(path.join(os.tmpdir(), "xtf-consumer-"));
writeFileSync(
  path.join(scratch, "package.json"),
  JSON.stringify({ name: "consumer", private: true, type: "module" }),
);
run("npm", ["install", "--no-audit", "--no-fund", "--silent", tarball], { cwd: scratch });
const fixtures = ["smoke.mjs", "both_copies.mjs", "consumer.ts", "consumer.cts"];
for (const f of [...fixtures, "bundle_entry.mjs", "require.cjs"]) {
  cpSync(`scripts/package_check/${f}`, path.join(scratch, f));
}

// 5. The smoke script in every runtime, require() of the CommonJS copy, and both copies in one process.
const node = (v) => path.join(root, `node_modules/node${v}/bin/node`);
const deno = path.join(root, "node_modules/.bin/deno");
const runtimes = [
  ["Node 20 (this machine's)", process.execPath, []],
  ["Node 22", node(22), []],
  ["Node 24", node(24), []],
  ["Node 26", node(26), []],
  ["Bun", path.join(root, "node_modules/.bin/bun"), []],
  ["Deno", deno, ["run", "-A", "--node-modules-dir=manual"]],
];
const runIn = (cmd, args, expected, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: scratch, encoding: "utf8", ...opts });
  return {
    ok: r.status === 0 && r.stdout.trim() === expected,
    detail: r.status === 0 ? r.stdout.trim() : r.stderr.trim(),
  };
};
const bothDir = path.join(scratch, "both");
mkdirSync(bothDir);
for (const [name, cmd, pre] of runtimes) {
  const version = spawnSync(cmd, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0].trim();
  versionsRun.add(name.startsWith("Node") ? majorMinor(version) : /[\d.]+/.exec(version)[0]);
  const smoke = runIn(cmd, [...pre, "smoke.mjs"], "smoke ok");
  check(smoke.ok, `${name} ${version}: import`, smoke.ok ? "" : smoke.detail);
  if (name === "Deno") continue; // Deno's own endings are step 8
  const cjs = runIn(cmd, ["require.cjs"], "require ok");
  check(cjs.ok, `${name} ${version}: require() of the CommonJS copy`, cjs.ok ? "" : cjs.detail);
  // Both copies: one listener per event, each object removed exactly once at exit, one default directory.
  const r = spawnSync(cmd, ["both_copies.mjs", bothDir], {
    cwd: scratch,
    encoding: "utf8",
    env: { ...process.env, XTEMPFILE_DEBUG: "1" },
  });
  let out;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    out = { paths: [] };
  }
  const removals = out.paths.map((p) => r.stderr.split(`: removed ${p} (at exit)`).length - 1);
  const bothOk = r.status === 0 && out.twoCopies && out.sharedTempdir && out.paths.length === 8 &&
    Object.values(out.added).every((n) => n === 1) && removals.every((n) => n === 1) &&
    out.paths.every((p) => !existsSync(p));
  check(
    bothOk,
    `${name} ${version}: import and require() in one process share one registry, one set of hooks, one tempdir`,
    bothOk ? "" : `${r.stdout.trim()} ${r.stderr.trim().slice(-500)} removals ${removals}`,
  );
}

// 5b. Bundled by each common bundler, then run: the backend must survive tree shaking.
const bundled = JSON.parse(
  run(process.execPath, [path.join(root, "scripts/package_check/bundlers.mjs"), scratch]).trim().split("\n")
    .pop(),
);
for (const [name, r] of Object.entries(bundled)) {
  const res = r.file ? runIn(process.execPath, [r.file], "bundle ok") : { ok: false, detail: r.error };
  check(res.ok, `${name} bundle runs`, res.ok ? "" : res.detail);
}

// 5c. The testing entry point under vitest, from the packed package: the fixture's
// destructured first parameter (which vitest reads) survives the build and bundling.
cpSync("scripts/package_check/vitest", path.join(scratch, "vitest"), { recursive: true });
versionsRun.add(majorMinor(versionOf("vitest")));
const vt = spawnSync(process.execPath, [
  path.join(root, "node_modules/vitest/vitest.mjs"),
  "run",
  "--globals",
  "--root",
  path.join(scratch, "vitest"),
], { cwd: scratch, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
const vtOut = `${vt.stdout}\n${vt.stderr}`;
check(
  vt.status === 1 && /1 failed \| 1 passed/.test(vtOut) &&
    /tmp_path of failed test "fails" kept: /.test(vtOut) &&
    vtOut.includes("passing test's directory removed: true"),
  "vitest with tmpPathFixture from the package: a passing test's directory removed, a failing one's kept and reported",
  vt.status === 1 ? "" : vtOut.slice(-2000),
);

// 5d. jest 29 and 30 (devDependencies), default configuration, in a CommonJS project: require() of
// the package with no flag, a failing test's directory kept and reported, a passing one's removed,
// and the run directory named after the jest process, not the shell that started it: in band (one
// test file, jest's choice) and, with two files, in two worker processes.
const jestProject = path.join(scratch, "jest");
cpSync("scripts/package_check/jest", jestProject, { recursive: true });
const jestWorkers = path.join(scratch, "jest-workers");
cpSync("scripts/package_check/jest", jestWorkers, { recursive: true });
cpSync(path.join(jestWorkers, "fixture.test.js"), path.join(jestWorkers, "second.test.js"));
const JEST_RUNS = [
  ...[22, 24, 26].map((v) => ({ v, cwd: jestProject, args: [], files: 1, what: "" })),
  { v: 24, cwd: jestWorkers, args: ["--maxWorkers=2"], files: 2, what: ", two test files in two workers" },
];
for (const jest of [29, 30]) {
  versionsRun.add(majorMinor(versionOf(`jest${jest}`)));
  for (const { v, cwd, args, files, what } of JEST_RUNS) {
    const tmp = mkdtempSync(path.join(scratch, `jest${jest}-node${v}-`));
    const r = spawnSync(node(v), [path.join(root, `node_modules/jest${jest}/bin/jest.js`), ...args], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    const out = `${r.stdout}\n${r.stderr}`;
    const kept = [...out.matchAll(/tmp_path of failed test "fails" kept: (\S+)/g)].map((m) => m[1]);
    const totals = `Tests:\\s+${files} failed, ${files} passed, ${2 * files} total`;
    const ok = r.status === 1 && new RegExp(totals).test(out) &&
      out.split("passing test's directory removed: true").length === files + 1 && kept.length === files &&
      kept.every((k) => existsSync(k) && path.basename(path.dirname(k)) === `run-${r.pid}`);
    check(
      ok,
      `jest ${jest} on Node ${v}: tmpPathTest from the package in a CommonJS project${what}`,
      ok ? "" : out.slice(-1500),
    );
  }
}

// 6. TypeScript consumers compile against the packed declarations: an ES module
// one with the oldest TypeScript that knows `using` (5.2), a CommonJS (.cts)
// one with 5.8, both with the newest.
const TYPESCRIPTS = {
  oldest: ["5.2.2", ["consumer.ts"]],
  "oldest-cts": ["5.8.3", ["consumer.cts"]],
  newest: ["7.0.2", ["consumer.ts", "consumer.cts"]],
};
run("npm", [
  "install",
  "--no-audit",
  "--no-fund",
  "--silent",
  ...Object.entries(TYPESCRIPTS).map(([k, [v]]) => `ts-${k}@npm:typescript@${v}`),
], { cwd: scratch });
for (const [which, [version, consumers]] of Object.entries(TYPESCRIPTS)) {
  const tsc = spawnSync(process.execPath, [
    path.join(scratch, `node_modules/ts-${which}/bin/tsc`),
    "--noEmit",
    "--strict",
    "--target",
    "ES2022",
    "--module",
    "nodenext",
    "--moduleResolution",
    "nodenext",
    "--lib",
    "ES2022,ESNext.Disposable,DOM",
    "--types",
    "node",
    "--typeRoots",
    path.join(root, "node_modules/@types"),
    ...consumers,
  ], { cwd: scratch, encoding: "utf8" });
  check(
    tsc.status === 0,
    `TypeScript ${version} (${which}) compiles ${consumers.join(" and ")} against the packed .d.ts`,
    tsc.stdout.trim(),
  );
}

// 6b. A CommonJS project's TypeScript (this repository's), both entry points, with every `module`
// setting that compiles imports to require(), and the old node10 resolution that ignores `exports`.
const cjsProject = path.join(scratch, "cjs");
mkdirSync(cjsProject);
writeFileSync(path.join(cjsProject, "package.json"), JSON.stringify({ private: true, type: "commonjs" }));
cpSync("scripts/package_check/consumer_cjs.ts", path.join(cjsProject, "consumer.ts"));
for (const [v] of Object.values(TYPESCRIPTS)) versionsRun.add(v);
const tsVersion =
  JSON.parse(readFileSync(path.join(root, "node_modules/typescript/package.json"), "utf8")).version;
// node16, node18 and nodenext imply their own resolution.
const CJS_SETTINGS = [["node16"], ["node18"], ["nodenext"], ["commonjs", "node10"]];
for (const [module, resolution] of CJS_SETTINGS) {
  const tsc = spawnSync(process.execPath, [
    path.join(root, "node_modules/typescript/bin/tsc"),
    "--noEmit",
    "--strict",
    "--target",
    "ES2022",
    "--module",
    module,
    ...(resolution ? ["--moduleResolution", resolution] : []),
    "--lib",
    "ES2022,DOM",
    "--types",
    "node",
    "--typeRoots",
    path.join(root, "node_modules/@types"),
    "consumer.ts",
  ], { cwd: cjsProject, encoding: "utf8" });
  check(
    tsc.status === 0,
    `TypeScript ${tsVersion}, CommonJS project, module ${module}` +
      `${resolution ? `, moduleResolution ${resolution}` : ""}: ` +
      "both entry points compile",
    tsc.stdout.trim(),
  );
}

// 7. The JSR package (scripts/build_jsr.mjs), as a Deno user meets it: the files
// `deno publish` would upload, linked in as `jsr:@x/tempfile`, then the same
// smoke script and TypeScript consumer as above, against the bundled code
// (dist/) and the sources' types (@ts-self-types).
await buildJsr();
const dryRun = spawnSync(deno, ["publish", "--dry-run", "--allow-dirty"], { encoding: "utf8" });
// The file list: one "   file:///path (size)" line per file.
const published = [...`${dryRun.stdout}${dryRun.stderr}`.matchAll(/^\s+(file:\/\/\S+) \([\d.]+K?B\)$/gm)]
  .map((m) => path.relative(root, fileURLToPath(m[1])));
const jsr = path.join(scratch, "jsr");
for (const f of published) cpSync(f, path.join(jsr, "pkg", f));
const jsrCode = published.filter((f) => f.endsWith(".js"));
check(
  dryRun.status === 0 && jsrCode.length === 3 && jsrCode.every((f) => f.startsWith("dist/")),
  "JSR package: three JavaScript files (dist/mod.js, testing.js, their core) beside the typed sources",
  jsrCode.join(", "),
);
writeFileSync(
  path.join(jsr, "deno.json"),
  JSON.stringify({
    links: ["./pkg"],
    imports: {
      "@x/tempfile": `jsr:${denoJson.name}@${denoJson.version}`,
      "@x/tempfile/testing": `jsr:${denoJson.name}@${denoJson.version}/testing`,
    },
  }),
);
for (const f of ["smoke.mjs", "consumer.ts"]) cpSync(`scripts/package_check/${f}`, path.join(jsr, f));
const jsrRun = spawnSync(deno, ["run", "-A", "smoke.mjs"], { cwd: jsr, encoding: "utf8" });
check(jsrRun.stdout.trim() === "smoke ok", "JSR package in Deno: import", jsrRun.stderr.trim());
const jsrCheck = spawnSync(deno, ["check", "consumer.ts"], { cwd: jsr, encoding: "utf8" });
check(
  jsrCheck.status === 0,
  "JSR package in Deno: consumer.ts type-checks against the sources' types",
  jsrCheck.status === 0 ? "" : jsrCheck.stderr.trim(),
);

// 8. The npm package in Deno runs the Deno backend: every way a program ends leaves what the JSR
// package leaves (nothing) with the same status, and without --allow-env it degrades, not crashes.
await checkDenoEndings({ deno, npmProject: scratch, jsrProject: jsr, check });

rmSync(scratch, { recursive: true, force: true });
// README's support matrix names every version checked here.
const readme = readFileSync("README.md", "utf8");
const matrix = readme.slice(
  readme.indexOf("**Supported, and tested"),
  readme.indexOf("The npm package holds"),
);
versionsRun.add(tsVersion);
const unnamed = [...versionsRun].filter((v) => !matrix.includes(v));
check(unnamed.length === 0, "README's support matrix names every version checked", unnamed.join(", "));
const leftBehind = untracked().filter((l) => !untrackedBefore.includes(l));
check(leftBehind.length === 0, "the builds leave no untracked file in the repository", leftBehind.join(", "));
console.log(failed === 0 ? "package check passed" : `package check: ${failed} failure(s)`);
process.exit(failed === 0 ? 0 : 1);
