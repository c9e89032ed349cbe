// `npm run test:package`: what build_npm.ts (dnt) would publish, checked as a
// consumer sees it. dnt cannot run here (it lives on JSR only), so this
// builds the same sources the same way with tsc: ESM + .d.ts, the selector
// mapped to the Node backend. Then: npm pack, install the tarball into a
// scratch project, and use it from Node 20/22/24, Bun and Deno, and from a
// TypeScript consumer. Finally, check what the tarball holds and its size,
// and the JSR package the same way in Deno.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { buildJsr } from "./build_jsr.mjs";

const root = process.cwd();
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", ...opts });
let failed = 0;
const check = (ok, what, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? `: ${detail}` : ""}`);
  if (!ok) failed++;
};

// 1. Build, and write the package.json that build_npm.ts declares.
run(process.execPath, ["scripts/build_node.mjs"]);
const denoJson = JSON.parse(readFileSync("deno.json", "utf8"));
const pkg = {
  name: denoJson.name,
  version: denoJson.version,
  license: denoJson.license,
  // What dnt writes for an ESM-only build with inline declarations; build_npm.ts's
  // postBuild then puts npm_package.json's `exports` (with `default`, for require) in.
  type: "module",
  main: "./esm/mod.js",
  types: "./esm/mod.d.ts",
  ...JSON.parse(readFileSync("scripts/npm_package.json", "utf8")),
};
writeFileSync(".build/npm/package.json", JSON.stringify(pkg, null, 2) + "\n");
for (const f of ["README.md", "LICENSE"]) copyFileSync(f, `.build/npm/${f}`);

// 2. Pack.
const packed = JSON.parse(
  run("npm", ["pack", "--json", "--pack-destination", "..", "--silent"], { cwd: ".build/npm" }),
)[0];
const tarball = path.resolve(".build", packed.filename);
const files = packed.files.map((f) => f.path).sort();
console.log(
  `tarball ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${files.length} files`,
);
for (const f of files) console.log(`  ${f}`);

// 3. What it must not hold.
const forbidden = files.filter((f) =>
  /(^|\/)(tests?|bench|examples|scripts)\/|deno\.(js|d\.ts)$|select_npm/.test(f)
);
check(forbidden.length === 0, "tarball holds no tests, benchmarks or Deno backend", forbidden.join(", "));
// Node's loader pays per file: one per entry point and a shared chunk (scripts/bundle_esm.mjs).
const scripts = files.filter((f) => f.endsWith(".js"));
check(
  scripts.length === 3,
  "three JavaScript files: mod.js, testing.js and their shared core",
  scripts.join(", "),
);
// A budget, not a target, that catches a stray build or test in the package: the README (~18 kB gzipped,
// most of it the API and the Coming from... tables), the three scripts and one .d.ts per module make ~81 kB.
check(packed.size < 90_000, "tarball size under 90 kB", `${packed.size} bytes`);

// 4. Install into a scratch project outside the repo.
const scratch = mkdtempSync(path.join(os.tmpdir(), "xtf-consumer-"));
writeFileSync(
  path.join(scratch, "package.json"),
  JSON.stringify({ name: "consumer", private: true, type: "module" }),
);
run("npm", ["install", "--no-audit", "--no-fund", "--silent", tarball], { cwd: scratch });
cpSync("scripts/package_check/smoke.mjs", path.join(scratch, "smoke.mjs"));
for (const f of ["consumer.ts", "consumer.cts", "bundle_entry.mjs", "require.cjs"]) {
  cpSync(`scripts/package_check/${f}`, path.join(scratch, f));
}

// 5. The smoke script in every runtime.
const runtimes = [
  ["Node 20 (this machine's)", process.execPath, []],
  ["Node 22", path.join(root, "node_modules/node22/bin/node"), []],
  ["Node 24", path.join(root, "node_modules/node24/bin/node"), []],
  ["Node 26", path.join(root, "node_modules/node26/bin/node"), []],
  ["Bun", path.join(root, "node_modules/.bin/bun"), []],
  ["Deno", path.join(root, "node_modules/.bin/deno"), ["run", "-A"]],
];
const runIn = (cmd, args, expected) => {
  const r = spawnSync(cmd, args, { cwd: scratch, encoding: "utf8" });
  return {
    ok: r.status === 0 && r.stdout.trim() === expected,
    detail: r.status === 0 ? r.stdout.trim() : r.stderr.trim(),
  };
};
for (const [name, cmd, pre] of runtimes) {
  const version = spawnSync(cmd, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0].trim();
  const smoke = runIn(cmd, [...pre, "smoke.mjs"], "smoke ok");
  check(smoke.ok, `${name} ${version}: import`, smoke.ok ? "" : smoke.detail);
  // require() of the ES module itself: no second copy, so one cleanup registry.
  if (name === "Deno") continue; // Deno users import from JSR; npm: specifiers are ESM there
  const cjs = runIn(cmd, ["require.cjs"], "require ok");
  check(cjs.ok, `${name} ${version}: require()`, cjs.ok ? "" : cjs.detail);
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

// 6. TypeScript consumers compile against the packed declarations: an ES module
// one with the oldest TypeScript that knows `using` (5.2), a CommonJS (.cts)
// one with the oldest that types require(esm) (5.8), both with the newest.
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

// 7. The JSR package (scripts/build_jsr.mjs), as a Deno user meets it: the files
// `deno publish` would upload, linked in as `jsr:@x/tempfile`, then the same
// smoke script and TypeScript consumer as above, against the bundled code
// (dist/) and the sources' types (@ts-self-types).
await buildJsr();
const deno = path.join(root, "node_modules/.bin/deno");
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

rmSync(scratch, { recursive: true, force: true });
console.log(failed === 0 ? "package check passed" : `package check: ${failed} failure(s)`);
process.exit(failed === 0 ? 0 : 1);
