// The Bun backend. Bun's native `node:fs` is as fast for descriptor work as
// its own file APIs, which have no O_EXCL/O_NOFOLLOW/pread equivalents.
import type { Backend } from "../src/backend.ts";
import { nodeBackend } from "./_node_backend.ts";

export const backend: Backend = nodeBackend("bun");
