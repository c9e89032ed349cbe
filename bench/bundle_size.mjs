// Workload 11, size: what a program using only NamedTemporaryFileSync costs a
// bundler's user, as esbuild bundles and minifies it for Node from the npm
// build, installed as a package (so its package.json "exports" conditions
// apply, as for a user). Two programs: one writing bytes (binary mode), one
// writing UTF-8 text. Deterministic: the same sources give the same bytes.
// Used by run.mjs.
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const MOD = JSON.stringify("@x/tempfile");
const PROJECT = ".build/size";
export const SIZE_PROGRAMS = {
  binary: `import { NamedTemporaryFileSync } from ${MOD};
const f = NamedTemporaryFileSync();
f.writeSync(new TextEncoder().encode("bytes\\n"));
f.closeSync();
`,
  text: `import { NamedTemporaryFileSync } from ${MOD};
const f = NamedTemporaryFileSync({ mode: "w+" });
f.writeSync("text \\u00e9\\n");
f.closeSync();
`,
};

/** Each program's minified bundle, in bytes, and gzipped. The npm build must exist. */
export async function bundleSizes() {
  rmSync(PROJECT, { recursive: true, force: true });
  mkdirSync(`${PROJECT}/node_modules/@x`, { recursive: true });
  symlinkSync(path.resolve(".build/npm"), `${PROJECT}/node_modules/@x/tempfile`, "dir");
  const sizes = {};
  for (const [name, contents] of Object.entries(SIZE_PROGRAMS)) {
    const r = await esbuild.build({
      stdin: { contents, resolveDir: path.resolve(PROJECT), loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      legalComments: "none",
      write: false,
      logLevel: "error",
    });
    const bytes = r.outputFiles[0].contents;
    sizes[name] = { minified: bytes.length, gzipped: gzipSync(bytes).length };
  }
  return sizes;
}
