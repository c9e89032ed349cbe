/**
 * Python's file mode grammar: one of `r`, `w`, `a`, `x`, optionally `+`, and
 * `b` or `t`.
 * @module
 */

/**
 * Python's `open()` modes in their usual spellings (Python takes the letters
 * in any order): one of `r`, `w`, `a`, `x`, then `+`, `b`, `t`, `+b`, `b+`,
 * `+t` or `t+`.
 */
export type OpenMode = `${"r" | "w" | "a" | "x"}${"" | "+" | "b" | "+b" | "b+" | "t" | "+t" | "t+"}`;

/**
 * The type of the `mode` option: the modes by name, so that an options
 * object checked with `satisfies NamedTemporaryFileOptions` keeps its literal
 * mode (and selects the text or binary types); any other string still
 * type-checks and is checked at run time.
 */
export type ModeOption = OpenMode | (string & Record<never, never>);

/** The data type a mode reads and writes: `Uint8Array` with `b`, else string. */
export type DataOf<M extends string> = string extends M ? string | Uint8Array
  : M extends `${string}b${string}` ? Uint8Array
  : string;

/**
 * What a factory given mode `M` reads and writes: {@linkcode DataOf}, with `M`
 * never inferred from where the result is assigned. This is what TypeScript
 * 5.4's `NoInfer` does, written so that TypeScript 5.2 and 5.3 understand it.
 */
export type DataOfMode<M extends string> = DataOf<[M][M extends unknown ? 0 : never]>;

/** What a mode string means. */
export interface Mode {
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
  readonly binary: boolean;
}

// Programs use a handful of modes; parsing each once keeps creation cheap.
const parsed = new Map<string, Mode>();

/**
 * Parses `mode` as Python's `open()` does.
 * @throws {TypeError} when `mode` is not a string.
 * @throws {RangeError} naming the mode when it is invalid.
 */
export function parseMode(fn: string, mode: unknown): Mode {
  if (typeof mode !== "string") {
    const bits = typeof mode === "number" ? '; mode bits such as 0o644 go in option "permissions"' : "";
    throw new TypeError(
      `${fn}: option "mode" must be a string, Python's open() mode such as "w+" (text) or "w+b" (binary), ` +
        `got ${mode === null ? "null" : typeof mode}${bits}`,
    );
  }
  const known = parsed.get(mode);
  if (known !== undefined) return known;
  const counts = new Map<string, number>();
  for (const c of mode) counts.set(c, (counts.get(c) ?? 0) + 1);
  const n = (c: string) => counts.get(c) ?? 0;
  const kinds = n("r") + n("w") + n("a") + n("x");
  const valid = [...counts.keys()].every((c) => "rwaxbt+".includes(c)) &&
    [...counts.values()].every((k) => k === 1) && kinds === 1 && !(n("b") && n("t"));
  if (!valid) throw new RangeError(`${fn}: option "mode" is invalid: ${JSON.stringify(mode)}`);
  const plus = n("+") === 1;
  const result = {
    readable: n("r") === 1 || plus,
    writable: n("r") === 0 || plus,
    append: n("a") === 1,
    binary: n("b") === 1,
  };
  parsed.set(mode, result);
  return result;
}

/**
 * The mode Python's file object on disk reports for `mode`: its FileIO's
 * (`"rb+"` for `"w+b"`) in binary mode, `mode` itself in text mode.
 */
export function diskMode(mode: string): string {
  if (!mode.includes("b")) return mode;
  const plus = mode.includes("+");
  if (mode.includes("x")) return plus ? "xb+" : "xb";
  if (mode.includes("a")) return plus ? "ab+" : "ab";
  return plus ? "rb+" : mode.includes("r") ? "rb" : "wb";
}
