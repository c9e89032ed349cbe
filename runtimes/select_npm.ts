// The npm build's selector: Node and Bun only; the Deno backend never reaches
// the package (Deno users import from JSR).
import type { Backend } from "../src/backend.ts";
import { bunBackend } from "./bun.ts";
import { nodeBackend } from "./node.ts";

/** The backend for the runtime this code runs in. */
export function selectBackend(): Backend {
  return "Bun" in globalThis ? bunBackend() : nodeBackend();
}
