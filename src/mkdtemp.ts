/**
 * `mkdtemp`: a new directory, created exclusively with a private mode.
 * @module
 */
import { backend } from "./backend.ts";
import { checkOptions, NAME_CHECKS, type NameOptions, resolveNames } from "./options.ts";
import { createUnique, createUniqueSync } from "./_unique_path.ts";

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
  const names = resolveNames(checkOptions("mkdtemp", options, NAME_CHECKS));
  return createUniqueSync(names, (path) => (backend().mkdirSync(path, 0o700), path));
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
  const names = resolveNames(checkOptions("mkdtemp", options, NAME_CHECKS));
  return await createUnique(names, async (path) => (await backend().mkdir(path, 0o700), path));
}
