// Workload 11, size: what a program using only NamedTemporaryFileSync costs a
// bundler's user, as esbuild bundles and minifies it from the npm build.
// Two programs: one writing bytes (binary mode), one writing UTF-8 text.
// Deterministic: the same sources give the same bytes. Used by run.mjs.
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const MOD = JSON.stringify("./.build/npm/esm/mod.js");
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
  const sizes = {};
  for (const [name, contents] of Object.entries(SIZE_PROGRAMS)) {
    const r = await esbuild.build({
      stdin: { contents, resolveDir: process.cwd(), loader: "js" },
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
