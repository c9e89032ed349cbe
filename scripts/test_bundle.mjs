// The library as the tests' child processes import it (tests/_helpers.ts: MOD and INTERNALS), bundled from the
// current sources as both packages ship it: mod.js and testing.js, and internals.js (tests/_internals.ts) for
// the children that drive the internals, all three sharing one core chunk, so one set of module instances.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { bundle } from "./bundle_esm.mjs";

/** Builds the three entry points into `dir`; returns the path of its mod.js. */
export async function bundleForTests(dir) {
  await bundle([
    path.resolve("mod.ts"),
    path.resolve("testing.ts"),
    { in: path.resolve("tests/_internals.ts"), out: "internals" },
  ], dir);
  writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n'); // for workers and require()
  return path.join(dir, "mod.js");
}
