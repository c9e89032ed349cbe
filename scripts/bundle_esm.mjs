// One file per entry point plus one shared chunk, for both published builds:
// the npm package (bundleEsm, over dnt's or build_node.mjs's per-file ESM)
// and the JSR package (build_jsr.mjs, straight from the .ts sources).
// Loaders pay per file: Node's ~0.3 ms, Deno's more; 37 files made a cold
// import of 14 ms in Node, one bundle takes under 4. The .d.ts stay per module.
import { readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";

/**
 * For the npm package's "node" condition (Node, Bun, and bundlers targeting
 * them): runtimes/select.js picks between Bun and Node only, so the Deno
 * backend is not in the bundle. Deno resolves the "deno" condition first and
 * keeps the copy that picks among all three at run time, as does every other
 * consumer.
 */
const nodeOnly = {
  name: "node-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]runtimes[\\/]select\.js$/ }, (args) => ({
      contents: 'import { bunBackend } from "./bun.js";\nimport { nodeBackend } from "./node.js";\n' +
        'export const selectBackend = () => "Bun" in globalThis ? bunBackend() : nodeBackend();\n',
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * Bundles `entries` (mod and testing) into `outdir`: `<entry>.js` each and a
 * shared `core-<hash>.js`; with `node`, the Node-only copy (see nodeOnly).
 */
export async function bundle(entries, outdir, node = false) {
  await esbuild.build({
    plugins: node ? [nodeOnly] : [],
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true, // testing.js shares the core with mod.js: one cleanup registry
    format: "esm",
    platform: "neutral", // no shims: the code asks for builtins itself, at run time
    target: "es2022", // `using` lowered, for Node 20/22
    chunkNames: "core-[hash]",
    legalComments: "none",
    logLevel: "warning",
  });
}

/**
 * Bundles `<dir>/mod.js` and `<dir>/testing.js` in place, and their Node-only
 * copy into `<dir>/node/`, and removes the modules they absorbed.
 */
export async function bundleEsm(dir) {
  const out = path.join(dir, ".bundle");
  const entries = ["mod.js", "testing.js"].map((f) => path.join(dir, f));
  await bundle(entries, out);
  await bundle(entries, path.join(out, "node"), true);
  for (const f of readdirSync(dir, { recursive: true })) {
    if (String(f).endsWith(".js") && !String(f).startsWith(".bundle")) rmSync(path.join(dir, String(f)));
  }
  for (const f of readdirSync(out)) renameSync(path.join(out, f), path.join(dir, f));
  rmSync(out, { recursive: true });
}
