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
const LETTERS = "rwaxbt+";

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
  // A bit per letter, each allowed once. Plain loops: a process's first mode is parsed during its first
  // creation, where Bun compiles each builtin it meets (spread, every) on the spot.
  let seen = 0;
  let valid = mode.length > 0;
  for (let i = 0; i < mode.length && valid; i++) {
    const bit = 1 << LETTERS.indexOf(mode[i]);
    valid = LETTERS.includes(mode[i]) && (seen & bit) === 0;
    seen |= bit;
  }
  const has = (c: string) => (seen & (1 << LETTERS.indexOf(c))) !== 0;
  const kinds = Number(has("r")) + Number(has("w")) + Number(has("a")) + Number(has("x"));
  if (!valid || kinds !== 1 || (has("b") && has("t"))) {
    throw new RangeError(`${fn}: option "mode" is invalid: ${JSON.stringify(mode)}`);
  }
  const plus = has("+");
  const result = {
    readable: has("r") || plus,
    writable: !has("r") || plus,
    append: has("a"),
    binary: has("b"),
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
