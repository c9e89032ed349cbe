// The stand-in for build_npm.ts where dnt cannot run (it is on JSR only): the
// same sources compiled the way dnt does (ES2022 ES modules plus .d.ts per
// module, relative .ts imports rewritten, no shims, no polyfills), then the
// same finishing step (scripts/npm_package.mjs): bundled, a CommonJS copy,
// the same package.json. `npm run test:package` builds with dnt too when it
// can, and fails if the two outputs differ in files, package.json or types.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { finishNpmPackage, npmPackageJson } from "./npm_package.mjs";

const out = ".build/npm";
const src = ".build/src";
rmSync(".build", { recursive: true, force: true });
mkdirSync(src, { recursive: true });
for (const p of ["mod.ts", "testing.ts", "src", "runtimes", "types"]) {
  cpSync(p, `${src}/${p}`, { recursive: true });
}
// As dnt's transform: relative imports name the .js files, so the .d.ts files do too.
for (const f of readdirSync(src, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"))) {
  const text = readFileSync(`${src}/${f}`, "utf8");
  writeFileSync(`${src}/${f}`, text.replace(/((?:from|import)\s*\(?\s*"\.\.?\/[^"]*)\.ts"/g, '$1.js"'));
}
writeFileSync(
  `${src}/tsconfig.json`,
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ESNext", "DOM"],
      types: ["node"],
      typeRoots: ["../../node_modules/@types"],
      strict: true,
      declaration: true,
      skipLibCheck: true,
      noImplicitOverride: true,
      outDir: "../npm/esm",
    },
    // types/deno.d.ts: the Deno namespace for the Deno backend, as @types/deno is for dnt.
    files: ["mod.ts", "testing.ts", "types/deno.d.ts"],
  }),
);
execFileSync("node_modules/.bin/tsc", ["-p", src], { stdio: "inherit" });
writeFileSync(`${out}/package.json`, JSON.stringify(npmPackageJson(process.argv[2]), null, 2) + "\n");
await finishNpmPackage(out);
console.log(`built ${out}`);
