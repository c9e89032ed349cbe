import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { backend } from "../src/backend.ts";
import "../mod.ts";
import { ROOT, RUNTIME } from "./_helpers.ts";

// A module-resolution hook that reports every backend file Node loads.
const REPORT = `data:text/javascript,export async function resolve(s, c, next) {
  const r = await next(s, c);
  if (r.url.includes("/runtimes/")) console.error("loaded " + r.url.split("/runtimes/")[1]);
  return r;
}`;

describe("backend selection", () => {
  it("the running runtime gets its own backend", () => {
    expect(backend().runtime).toBe(RUNTIME);
  });

  it("importing under Node evaluates the Node backend and never the Deno or Bun one", () => {
    const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
    const mod = pathToFileURL(path.join(ROOT, "mod.ts")).href;
    const node = RUNTIME === "node" ? process.execPath : "node";
    const r = spawnSync(node, [
      "--no-warnings",
      "--import",
      tsx,
      "--experimental-loader",
      REPORT,
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(mod)}); console.log(typeof m.mkstempSync);`,
    ], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("function");
    const loaded = r.stderr.split("\n").filter((l) => l.startsWith("loaded ")).map((l) => l.slice(7)).sort();
    expect(loaded).toEqual(["_node_backend.ts", "_node_fs.ts", "node.ts", "select.ts"]);
  });
});
