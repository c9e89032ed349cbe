/**
 * `mkdtemp`: a new directory, created exclusively with a private mode.
 * @module
 */
import { checkOptions } from "./_options.ts";
import { NAME_CHECKS, type NameOptions, resolveNames } from "./_names.ts";
import { createUnique } from "./_create_unique.ts";
import { call, type Gen, run, runSync } from "./_requests.ts";

/** Creates the directory; `names` are checked and resolved. */
export function makeDirectory(names: NameOptions): Gen<string> {
  return createUnique(resolveNames(names), mkdirAt, { directory: true });
}

function* mkdirAt(path: string): Gen<string> {
  yield* call({ op: "mkdir", path, mode: 0o700 });
  return path;
}

/**
 * Creates a new directory with a unique name and mode 0o700 (less the umask),
 * and returns its absolute path. The caller removes it.
 *
 * @param options `prefix`, `suffix`, `dir`.
 * @returns The absolute path.
 * @throws {Error} with `code: "EEXIST"` after `TMP_MAX` taken names; any other
 * file-system error at once, with its `path`.
 * @example
 * ```ts
 * import { rmSync } from "node:fs";
 * import { mkdtempSync } from "@x/tempfile";
 * const dir = mkdtempSync({ prefix: "build-" });
 * rmSync(dir, { recursive: true });
 * ```
 */
export function mkdtempSync(options?: NameOptions): string {
  return runSync(makeDirectory(checkOptions("mkdtemp", options, NAME_CHECKS)));
}

/**
 * The async twin of {@linkcode mkdtempSync}.
 *
 * @param options `prefix`, `suffix`, `dir`.
 * @returns The absolute path.
 * @example
 * ```ts
 * import { rm } from "node:fs/promises";
 * import { mkdtemp } from "@x/tempfile";
 * const dir = await mkdtemp();
 * await rm(dir, { recursive: true });
 * ```
 */
export async function mkdtemp(options?: NameOptions): Promise<string> {
  return await run(makeDirectory(checkOptions("mkdtemp", options, NAME_CHECKS)));
}
