// `npm run build:jsr`: what `deno publish` ships as code. deno.json's exports
// point at dist/, so publish right after this (`deno task publish` does both).
// Served as sources, JSR hands Deno ~40 modules, which import in ~5 ms; the
// same code as one file per entry point plus a shared core imports in under 1.
// Types and docs stay the TypeScript sources, which are published alongside:
// each entry names its source with @ts-self-types.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundle } from "./bundle_esm.mjs";

// The project's root, wherever this runs from: dist/ is removed and rebuilt there.
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const JSR_DIR = path.join(ROOT, "dist");

/** Builds dist/mod.js, dist/testing.js and their shared core from mod.ts and testing.ts. */
export async function buildJsr() {
  rmSync(JSR_DIR, { recursive: true, force: true });
  await bundle(["mod.ts", "testing.ts"].map((f) => path.join(ROOT, f)), JSR_DIR);
  for (const entry of ["mod", "testing"]) {
    const file = path.join(JSR_DIR, `${entry}.js`);
    writeFileSync(file, `// @ts-self-types="../${entry}.ts"\n${readFileSync(file, "utf8")}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildJsr();
  console.log(`built ${JSR_DIR}`);
}
