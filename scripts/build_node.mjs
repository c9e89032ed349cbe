// Compiles the module for Node the way build_npm.ts (dnt) does, for the CI
// package check and the benchmarks: ESM plus .d.ts, relative .ts imports
// rewritten, the runtime selector mapped to the Node backend (so the Deno
// backend never reaches npm), then bundled into one file per entry point.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { bundleEsm } from "./bundle_esm.mjs";

const out = ".build/npm";
const src = ".build/src";
rmSync(".build", { recursive: true, force: true });
mkdirSync(src, { recursive: true });
for (const p of ["mod.ts", "testing.ts", "src", "runtimes"]) cpSync(p, `${src}/${p}`, { recursive: true });
// The mapping: select.ts becomes select_npm.ts; deno.ts is dropped.
cpSync("runtimes/select_npm.ts", `${src}/runtimes/select.ts`);
rmSync(`${src}/runtimes/deno.ts`);
rmSync(`${src}/runtimes/select_npm.ts`);
writeFileSync(
  `${src}/tsconfig.json`,
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2024", "ESNext.Disposable", "DOM", "DOM.AsyncIterable"],
      types: ["node"],
      typeRoots: ["../../node_modules/@types"],
      strict: true,
      declaration: true,
      rewriteRelativeImportExtensions: true,
      skipLibCheck: true,
      noImplicitOverride: true,
      outDir: "../npm/esm",
    },
    files: ["mod.ts", "testing.ts"],
  }),
);
execFileSync("node_modules/.bin/tsc", ["-p", src], { stdio: "inherit" });
await bundleEsm(`${out}/esm`);
console.log(`built ${out}/esm`);
