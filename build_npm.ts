// Builds the npm package with dnt: `deno run -A --no-lock build_npm.ts <version>`,
// where JSR is reachable (dnt is published there only). Elsewhere
// ../shared/tools/dnt-offline/build.sh runs it over dnt's sources, and
// `npm run test:package` checks its output against the stand-in build
// (scripts/build_node.mjs) that CI uses.
import { build, emptyDir } from "@deno/dnt";
import { finishNpmPackage, npmPackageJson } from "./scripts/npm_package.mjs";

const pkg = npmPackageJson(Deno.args[0]);
await emptyDir("./npm");
await build({
  entryPoints: ["./mod.ts", { name: "./testing", path: "./testing.ts" }],
  outDir: "./npm",
  // No shims: with one active, dnt rewrites `globalThis` into a proxy on which
  // "Deno" is always present, and runtime detection would break. The package
  // runs the Deno backend in Deno, as the JSR one does (runtimes/select.ts).
  shims: {},
  // Node 20.19+, Bun and Deno have everything the code uses; a polyfill would
  // also declare its global in every consumer's types.
  polyfills: false,
  // The ES module only here: postBuild bundles it and makes the CommonJS copy
  // from that bundle (scripts/npm_package.mjs), one core per copy.
  scriptModule: false,
  declaration: "inline",
  typeCheck: "single",
  test: false, // the suite is vitest, run directly under Node, Bun and Deno
  compilerOptions: {
    // Keeps `using` lowered for Node 20/22; ESNext brings the Disposable types.
    target: "ES2022",
    lib: ["ESNext", "DOM"],
  },
  package: {
    ...pkg,
    // Installed in npm/ for the type check only: the Deno backend's types.
    devDependencies: { "@types/node": "22.20.5", "@types/deno": "2.7.0" },
  },
  postBuild: () => finishNpmPackage("npm"),
});
