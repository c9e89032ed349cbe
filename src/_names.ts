/**
 * What every creator's name is made of: the `prefix`, `suffix` and `dir`
 * options, their checks, and Python's defaults for them.
 * @module
 */
import {
  adoptTempdir,
  firstTempdirCandidate,
  gettempdir,
  gettempprefix,
  knownTempdir,
} from "./gettempdir.ts";
import { type Check, dirValue, nameComponent } from "./_options.ts";
import { absolutePath } from "./_platform.ts";
import { debugLog } from "./diagnostics.ts";

/** Options every creator takes. */
export interface NameOptions {
  /** Start of the name; default `"tmp"`. Must not contain `/`, `\` or NUL. */
  prefix?: string;
  /**
   * End of the name; default `""`. Must not contain `/`, `\` or NUL. Used as
   * given, as Python does: `".csv"` gives `tmpab12cd34.csv`, but `"csv"` gives
   * `tmpab12cd34csv` (the debug log says so).
   */
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
  /**
   * Set while `dir` is the default directory's first candidate, not yet
   * proved: the creation is then its probe (one file fewer than Python's, on
   * the first creation of a process). Told whether the creation worked; when
   * it did not, returns the proved default to retry in.
   */
  unproven?: (worked: boolean) => string | undefined;
}

// The last names made: a program creates in the same place with the same parts again and again.
let last: Names = { prefix: "", suffix: "", dir: "" };

/** Proved names: the last ones again when they are the same (nobody writes to a Names). */
function names(prefix: string, suffix: string, dir: string): Names {
  if (last.dir !== dir || last.prefix !== prefix || last.suffix !== suffix) last = { prefix, suffix, dir };
  return last;
}

/** Applies Python's defaults to a checked snapshot of name options. */
export function resolveNames(o: NameOptions): Names {
  const prefix = o.prefix ?? gettempprefix();
  const suffix = o.suffix ?? "";
  if (suffix !== "" && suffix[0] !== ".") {
    debugLog(
      "suffix",
      `${
        JSON.stringify(suffix)
      } has no leading dot: names end "...${suffix}"; write ".${suffix}" for an extension`,
    );
  }
  if (o.dir !== undefined) return names(prefix, suffix, absolutePath(o.dir));
  const known = knownTempdir();
  if (known !== undefined) return names(prefix, suffix, known);
  const dir = firstTempdirCandidate();
  return { prefix, suffix, dir, unproven: (worked) => worked ? void adoptTempdir(dir) : gettempdir() };
}
