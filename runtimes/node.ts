// The Node backend.
import type { Backend } from "../src/backend.ts";
import { nodeBackend } from "./_node_backend.ts";

export const backend: Backend = nodeBackend("node");
