/**
 * `mkstemp`: a new file, created exclusively with a private mode.
 * @module
 */
import { boolean, checkOptions } from "./_options.ts";
import { NAME_CHECKS, type NameOptions, resolveNames } from "./_names.ts";
import { createUnique, createUniqueSync, openNamed } from "./_create_unique.ts";
import { permissionsCheck, type PermissionsOption } from "./_permissions.ts";
import { run } from "./_requests.ts";
import type { Names } from "./_names.ts";

/** Options of {@linkcode mkstemp}. */
export interface MkstempOptions extends NameOptions, PermissionsOption {
  /**
   * Python's text flag, accepted for compatibility. It changes nothing on any
   * platform: `node:fs` descriptors have no text mode (Python's matters only to
   * the Windows C runtime's `O_TEXT`).
   */
  text?: boolean;
}

const CHECKS = /* @__PURE__ */ Object.assign({}, NAME_CHECKS, {
  text: boolean,
  permissions: permissionsCheck,
});

/** The checked names and the creator of one candidate. */
function plan(options: MkstempOptions | undefined): [Names, (path: string) => ReturnType<typeof openNamed>] {
  const o = checkOptions("mkstemp", options, CHECKS);
  return [resolveNames(o), (path) => openNamed(path, 0o600, 0, o.permissions)];
}

/**
 * Creates a new file with a unique name, mode 0o600 (less the umask) unless
 * `permissions` says otherwise, and
 * returns its open descriptor and absolute path. The caller closes and
 * removes it.
 *
 * @param options `prefix`, `suffix`, `dir`, `text`, `permissions`.
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
  const [names, create] = plan(options);
  return createUniqueSync(names, create);
}

/**
 * The async twin of {@linkcode mkstempSync}.
 *
 * @param options `prefix`, `suffix`, `dir`, `text`, `permissions`.
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
  const [names, create] = plan(options);
  return await run(createUnique(names, create));
}
