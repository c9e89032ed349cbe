// Chooses the running runtime's backend when the core first asks: Deno first
// (it also defines `process`), then Bun (which reports a Node version too),
// then Node. The imports are static and evaluating them does nothing, so any
// bundler keeps them and no top-level await is needed. The npm package has
// them all too, so `npm:@x/tempfile` in Deno runs as the JSR package does.
import type { Backend } from "../src/backend.ts";
import { bunBackend } from "./bun.ts";
import { denoBackend } from "./deno.ts";
import { nodeBackend } from "./node.ts";

/** The backend for the runtime this code runs in. */
export function selectBackend(): Backend {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  return "Deno" in g ? denoBackend() : "Bun" in g ? bunBackend() : nodeBackend();
}
