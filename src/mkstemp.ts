/**
 * `mkstemp`: a new file, created exclusively with a private mode.
 * @module
 */
import { backend } from "./backend.ts";
import { boolean, checkOptions, NAME_CHECKS, type NameOptions, resolveNames } from "./options.ts";
import { createUnique, createUniqueSync, exclusiveFlags } from "./_unique_path.ts";

/** Options of {@linkcode mkstemp}. */
export interface MkstempOptions extends NameOptions {
  /** Python's text flag; it only matters on Windows, where binary is the default. */
  text?: boolean;
}

const CHECKS = { ...NAME_CHECKS, text: boolean };

/**
 * Creates a new file with a unique name, mode 0o600 (less the umask), and
 * returns its open descriptor and absolute path. The caller closes and
 * removes it.
 *
 * @param options `prefix`, `suffix`, `dir`, `text`.
 * @returns `[fd, name]`; `fd` works with the runtime's `node:fs` functions.
 * @throws {Error} with `code: "EEXIST"` after `TMP_MAX` taken names; any other
 * file-system error (EACCES, ENOENT, ENOTDIR, ...) at once, with its `path`.
 * @example
 * ```ts
 * import { closeSync, unlinkSync, writeSync } from "node:fs";
 * import { mkstempSync } from "@x/tempfile";
 * const [fd, name] = mkstempSync({ suffix: ".txt" });
 * writeSync(fd, "hello");
 * closeSync(fd);
 * unlinkSync(name);
 * ```
 */
export function mkstempSync(options?: MkstempOptions): [fd: number, name: string] {
  const names = resolveNames(checkOptions("mkstemp", options, CHECKS));
  const flags = exclusiveFlags();
  return createUniqueSync(names, (path) => [backend().openSync(path, flags, 0o600), path]);
}

/**
 * The async twin of {@linkcode mkstempSync}.
 *
 * @param options `prefix`, `suffix`, `dir`, `text`.
 * @returns `[fd, name]`.
 * @example
 * ```ts
 * import { closeSync, unlinkSync } from "node:fs";
 * import { mkstemp } from "@x/tempfile";
 * const [fd, name] = await mkstemp({ prefix: "report-" });
 * closeSync(fd);
 * unlinkSync(name);
 * ```
 */
export async function mkstemp(options?: MkstempOptions): Promise<[fd: number, name: string]> {
  const names = resolveNames(checkOptions("mkstemp", options, CHECKS));
  const flags = exclusiveFlags();
  return await createUnique(names, async (path) => [await backend().open(path, flags, 0o600), path]);
}
