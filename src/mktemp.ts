/**
 * `mktemp`: a name only, as Python's deprecated function.
 * @module
 */
import { errorCode, fsError } from "./errors.ts";
import { checkOptions } from "./_options.ts";
import { NAME_CHECKS, type NameOptions, resolveNames } from "./_names.ts";
import { candidate, TMP_MAX } from "./_create_unique.ts";
import { call, runSync } from "./_requests.ts";
import { gettempdir } from "./gettempdir.ts";

/**
 * Returns an absolute path that did not exist when it was checked, and
 * creates nothing.
 *
 * @deprecated Unsafe: another process may create the path before you do.
 * Use {@linkcode mkstemp}, {@linkcode mkdtemp} or `NamedTemporaryFile`.
 * @param options `prefix`, `suffix`, `dir`.
 * @returns A path inside `dir`.
 * @example
 * ```ts
 * import { mktemp } from "@x/tempfile";
 * const name = mktemp({ suffix: ".sock" });
 * ```
 */
export function mktemp(options?: NameOptions): string {
  let names = resolveNames(checkOptions("mktemp", options, NAME_CHECKS));
  // Nothing is created here to prove the default directory: probe it, as Python does.
  if (names.unproven !== undefined) names = { ...names, dir: gettempdir(), unproven: undefined };
  for (let i = 0; i < TMP_MAX; i++) {
    const path = candidate(names);
    try {
      runSync(call({ op: "lstat", path }));
    } catch (err) {
      if (errorCode(err) === "ENOENT") return path;
      throw err;
    }
  }
  throw fsError("EEXIST", `no usable temporary name found after ${TMP_MAX} tries`, names.dir);
}
