import { afterEach, describe, expect, it } from "vitest";
import { selectBackend } from "../runtimes/select.ts";
import { denoBackend } from "../runtimes/deno.ts";
import { nodeBackend } from "../runtimes/node.ts";
import { cleanupScratch, runChild, RUNTIME, scratchDir, writeScript } from "./_helpers.ts";

afterEach(cleanupScratch);

describe("backend selection", () => {
  it("the running runtime gets its own backend", () => {
    // Deno's backend ends the process with Deno.exit; Node's and Bun's signal themselves.
    const expected = RUNTIME === "deno" ? denoBackend() : nodeBackend();
    expect(String(selectBackend().hooks.raise)).toBe(String(expected.hooks.raise));
  });

  it("importing the module does nothing: no listener, no registry, until the first creation", () => {
    const script = writeScript(
      scratchDir(),
      `const count = () => ["exit", "SIGINT", "SIGTERM", "SIGHUP"].map((e) => process.listenerCount(e)).join();
      const before = count();
      const m = await import("MOD");
      const after = count();
      const f = m.NamedTemporaryFileSync();
      console.log(JSON.stringify({ same: before === after, hooked: count() !== before }));
      f.closeSync();`,
    );
    const r = runChild(script);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ same: true, hooked: true });
  });
});
