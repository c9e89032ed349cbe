/**
 * Test fixtures: pytest's `tmp_path` for vitest, bun:test, Deno.test,
 * node:test and jest. Each test gets a fresh private directory, removed when
 * the test passes and kept, with its path printed, when it fails; the last
 * three runs' kept directories stay, and older ones are removed.
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { tmpPathTest } from "@x/tempfile/testing";
 *
 * Deno.test("writes a config", tmpPathTest((tmpPath) => {
 *   writeFileSync(`${tmpPath}/config.json`, "{}");
 * }));
 * ```
 * @module
 */
export {
  type TestTaskContext,
  tmpPathFixture,
  type TmpPathOptions,
  tmpPathTest,
  type TmpPathTestOptions,
} from "./src/tmp_path.ts";
