// What both npm builds share: build_npm.ts (dnt, for releases) and
// scripts/build_node.mjs (the stand-in CI uses where dnt cannot run) write
// the same package.json and finish their ES module output the same way:
// bundled (scripts/bundle_esm.mjs), then a CommonJS copy of that bundle for
// require() where require(esm) is missing (jest, Node before 22.12), typed
// for CommonJS consumers, and a `testing/` folder for resolvers that ignore
// `exports` (TypeScript's node10). The copies share one cleanup registry
// through src/_process_slot.ts.
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { bundleEsm } from "./bundle_esm.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const read = (f) => JSON.parse(readFileSync(path.join(root, f), "utf8"));

/** The package.json users get, for `version` (default deno.json's). */
export function npmPackageJson(version) {
  const deno = read("deno.json");
  return {
    name: deno.name,
    version: version ?? deno.version,
    license: deno.license,
    ...read("scripts/npm_package.json"),
  };
}

/** Bundles `<dir>/esm`, adds the CommonJS copy in `<dir>/script`, `<dir>/testing/`, README and LICENSE. */
export async function finishNpmPackage(dir) {
  const esm = path.join(dir, "esm");
  const script = path.join(dir, "script");
  await bundleEsm(esm);
  writeFileSync(path.join(esm, "package.json"), `{\n  "type": "module"\n}\n`);
  // Each bundled file on its own: the entry points keep requiring the one shared core. The Node-only copy
  // (esm/node/, for bundlers and ES module imports in Node and Bun) has no CommonJS twin: require() takes the
  // copy that picks the backend at run time, which keeps the package small. The "node" condition names that
  // require() target itself: jest 29's resolver stops at the first matching condition.
  for (const f of readdirSync(esm, { recursive: true }).map(String)) {
    const from = path.join(esm, f);
    const to = path.join(script, f);
    if (f.startsWith(`node${path.sep}`)) continue;
    if (f.endsWith(".js")) {
      const { code } = await esbuild.transform(readFileSync(from, "utf8"), {
        format: "cjs",
        target: "es2022",
        logLevel: "warning",
      });
      mkdirSync(path.dirname(to), { recursive: true });
      writeFileSync(to, code);
    } else if (f.endsWith(".d.ts")) {
      // The same declarations, read as CommonJS ones under script/package.json.
      cpSync(from, to);
    }
  }
  writeFileSync(path.join(script, "package.json"), `{\n  "type": "commonjs"\n}\n`);
  mkdirSync(path.join(dir, "testing"), { recursive: true });
  writeFileSync(
    path.join(dir, "testing", "package.json"),
    JSON.stringify({ main: "../script/testing.js", types: "../script/testing.d.ts" }, null, 2) + "\n",
  );
  for (const f of ["README.md", "LICENSE"]) copyFileSync(path.join(root, f), path.join(dir, f));
}
