// The Bun backend. Bun implements `node:fs` and `node:process` natively, and
// its own file APIs have no O_EXCL/O_NOFOLLOW/pread equivalents, so the Node
// backend serves Bun unchanged; this file is where a Bun difference would go.
import type { Backend } from "../src/backend.ts";
import { nodeBackend } from "./node.ts";

/** The backend for Bun. */
export function bunBackend(): Backend {
  return nodeBackend();
}
