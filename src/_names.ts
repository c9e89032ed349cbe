/**
 * What every creator's name is made of: the `prefix`, `suffix` and `dir`
 * options, their checks, and Python's defaults for them.
 * @module
 */
import { gettempdir, gettempprefix } from "./gettempdir.ts";
import { type Check, dirValue, nameComponent } from "./_options.ts";
import { absolutePath } from "./_platform.ts";

/** Options every creator takes. */
export interface NameOptions {
  /** Start of the name; default `"tmp"`. Must not contain `/`, `\` or NUL. */
  prefix?: string;
  /** End of the name; default `""`. Must not contain `/`, `\` or NUL. */
  suffix?: string;
  /** Where to create; default {@linkcode gettempdir}. Relative paths and `file:` URLs work. */
  dir?: string | URL;
}

/** The checks for {@linkcode NameOptions}. */
export const NAME_CHECKS: Record<string, Check> = {
  prefix: nameComponent,
  suffix: nameComponent,
  dir: dirValue,
};

/** The checked, defaulted name parts: `dir` is absolute. */
export interface Names {
  prefix: string;
  suffix: string;
  dir: string;
}

/** Applies Python's defaults to a checked snapshot of name options. */
export function resolveNames(o: NameOptions): Names {
  const dir = o.dir === undefined ? gettempdir() : absolutePath(o.dir);
  return { prefix: o.prefix ?? gettempprefix(), suffix: o.suffix ?? "", dir };
}
