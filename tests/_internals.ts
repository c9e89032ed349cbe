// The library's internals that child scripts drive, as "INTERNALS" (tests/_helpers.ts writeScript): bundled
// beside mod.js by npm test, so a child imports two small files, not the ~40 sources, and shares their state.
export { backend, useBackend } from "../src/backend.ts";
export { registryState } from "../src/_cleanup_registry.ts";
export { platform } from "../src/_platform.ts";
export { exclusiveFlags } from "../src/_create_unique.ts";
