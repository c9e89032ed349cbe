/**
 * `mkdtemp`: a new directory, created exclusively with a private mode.
 * @module
 */
import { checkOptions } from "./_options.ts";
import { NAME_CHECKS, type NameOptions, resolveNames } from "./_names.ts";
import { createUnique, createUniqueSync } from "./_create_unique.ts";
import { applyPermissions, permissionsCheck, type PermissionsOption } from "./_permissions.ts";
import { removeTree } from "./_remove_tree.ts";
import { call, type Gen, type RequestOf, run, type Step } from "./_requests.ts";

/** Options of {@linkcode mkdtemp}. */
export interface MkdtempOptions extends NameOptions, PermissionsOption {}

/** The checks of {@linkcode MkdtempOptions}. */
export const MKDTEMP_CHECKS = /* @__PURE__ */ Object.assign({}, NAME_CHECKS, {
  permissions: permissionsCheck,
});

const AS_TREE = { tree: removeTree };

/** Creates the directory, from a checked snapshot of its options; returns its path. */
export function* makeDirectory(o: MkdtempOptions): Gen<string> {
  return (yield* createUnique(resolveNames(o), (path) => mkdirAt(path, o.permissions), AS_TREE))[1];
}

/** {@linkcode makeDirectory}, synchronously. */
export function makeDirectorySync(o: MkdtempOptions): string {
  return createUniqueSync(resolveNames(o), (path) => mkdirAt(path, o.permissions), AS_TREE)[1];
}

/** The mkdir request itself, unless exact permissions follow it. */
function mkdirAt(path: string, exact: number | undefined): Step<void> {
  const mkdir = { op: "mkdir", path, mode: 0o700 } as const;
  return exact === undefined ? mkdir : withPermissions(mkdir, exact);
}

function* withPermissions(mkdir: RequestOf<"mkdir">, exact: number): Gen<void> {
  yield* call(mkdir);
  yield* applyPermissions(mkdir.path, undefined, exact);
}

/**
 * Creates a new directory with a unique name and mode 0o700 (less the umask)
 * unless `permissions` says otherwise, and returns its absolute path. The
 * caller removes it.
 *
 * @param options `prefix`, `suffix`, `dir`, `permissions`.
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
export function mkdtempSync(options?: MkdtempOptions): string {
  return makeDirectorySync(checkOptions("mkdtemp", options, MKDTEMP_CHECKS));
}

/**
 * The async twin of {@linkcode mkdtempSync}.
 *
 * @param options `prefix`, `suffix`, `dir`, `permissions`.
 * @returns The absolute path.
 * @example
 * ```ts
 * import { rm } from "node:fs/promises";
 * import { mkdtemp } from "@x/tempfile";
 * const dir = await mkdtemp();
 * await rm(dir, { recursive: true });
 * ```
 */
export async function mkdtemp(options?: MkdtempOptions): Promise<string> {
  return await run(makeDirectory(checkOptions("mkdtemp", options, MKDTEMP_CHECKS)));
}
