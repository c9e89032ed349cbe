// Builds the npm package with dnt: `deno run -A build_npm.ts <version>`.
// dnt is published on JSR only, so this runs where JSR is reachable; CI checks
// the same output shape with `npm run test:package` (scripts/package_check.mjs).
import { build, emptyDir } from "@deno/dnt";
import denoJson from "./deno.json" with { type: "json" };
import npmPackage from "./scripts/npm_package.json" with { type: "json" };
import { bundleEsm } from "./scripts/bundle_esm.mjs";

const version = Deno.args[0] ?? denoJson.version;
await emptyDir("./npm");
await build({
  entryPoints: ["./mod.ts", { name: "./testing", path: "./testing.ts" }],
  outDir: "./npm",
  // No shims: with one active, dnt rewrites `globalThis` into a proxy on which
  // "Deno" is always present, and runtime detection would break.
  shims: {},
  // Node and Bun share the node: backend; the Deno backend never reaches npm.
  mappings: { "./runtimes/select.ts": "./runtimes/select_npm.ts" },
  // ESM only, and no CommonJS copy: require() loads this same ES module
  // (require(esm), Node 20.19+/22.12+ and Bun), so a process never holds two
  // cleanup registries. npm_package.json's `exports` has the `default` for it.
  scriptModule: false,
  declaration: "inline",
  typeCheck: "both",
  test: false, // the suite is vitest, run directly under Node, Bun and Deno
  compilerOptions: {
    // Keeps `using` lowered for Node 20/22; ESNext brings the Disposable types.
    target: "ES2022",
    lib: ["ESNext", "DOM", "DOM.AsyncIterable"],
  },
  package: {
    name: denoJson.name,
    version,
    license: denoJson.license,
    ...npmPackage,
    devDependencies: { "@types/node": "^22" },
  },
  async postBuild() {
    // dnt writes an `import`-only exports map; require() needs `default`.
    const written = JSON.parse(Deno.readTextFileSync("npm/package.json"));
    written.exports = npmPackage.exports;
    Deno.writeTextFileSync("npm/package.json", JSON.stringify(written, null, 2) + "\n");
    Deno.copyFileSync("LICENSE", "npm/LICENSE");
    // One file per entry point: Node's loader pays per file (scripts/bundle_esm.mjs).
    await bundleEsm("npm/esm");
    Deno.copyFileSync("README.md", "npm/README.md");
  },
});
