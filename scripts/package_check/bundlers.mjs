// Bundles scripts/package_check/bundle_entry.mjs, as installed in the scratch
// project `cwd`, with each common bundler; prints one JSON line of outputs.
import { build as esbuild } from "esbuild";
import { rollup } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { build as vite } from "vite";
import webpack from "webpack";
import path from "node:path";
import process from "node:process";

const cwd = process.argv[2];
const entry = path.join(cwd, "bundle_entry.mjs");
const out = path.join(cwd, "bundles");
const builders = {
  async esbuild() {
    const file = path.join(out, "esbuild.mjs");
    await esbuild({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: file,
      minify: true,
    });
    return file;
  },
  async rollup() {
    const file = path.join(out, "rollup.mjs");
    const bundle = await rollup({
      input: entry,
      plugins: [nodeResolve()],
      external: [/^node:/],
      logLevel: "silent",
    });
    await bundle.write({ file, format: "es" });
    return file;
  },
  async vite() {
    await vite({
      root: cwd,
      logLevel: "silent",
      configFile: false,
      ssr: { noExternal: true },
      build: { ssr: entry, outDir: path.join(out, "vite"), minify: true, emptyOutDir: true },
    });
    return path.join(out, "vite", "bundle_entry.js");
  },
  async webpack() {
    const config = {
      mode: "production",
      target: "node",
      context: cwd,
      entry,
      output: { path: path.join(out, "webpack"), filename: "main.mjs", module: true, chunkFormat: "module" },
      experiments: { outputModule: true },
    };
    const stats = await new Promise((resolve, reject) =>
      webpack(config, (err, s) => (err ? reject(err) : resolve(s)))
    );
    if (stats.hasErrors()) throw new Error(stats.toString("errors-only"));
    return path.join(out, "webpack", "main.mjs");
  },
};
const results = {};
for (const [name, build] of Object.entries(builders)) {
  try {
    results[name] = { file: await build() };
  } catch (err) {
    results[name] = { error: String(err?.message ?? err).split("\n")[0] };
  }
}
console.log(JSON.stringify(results));
