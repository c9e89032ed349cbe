/**
 * Option checking shared by every creator: a wrong type is a TypeError and a
 * wrong value a RangeError, each naming the function and the option, thrown
 * before anything touches the file system.
 * @module
 */
import { backend } from "./backend.ts";
import { gettempdir, gettempprefix } from "./gettempdir.ts";

/** Options every creator takes. */
export interface NameOptions {
  /** Start of the name; default `"tmp"`. Must not contain `/`, `\` or NUL. */
  prefix?: string;
  /** End of the name; default `""`. Must not contain `/`, `\` or NUL. */
  suffix?: string;
  /** Where to create; default {@linkcode gettempdir}. Relative paths and `file:` URLs work. */
  dir?: string | URL;
}

/** Checks one option's value; `fn` and `key` are for the message. */
export type Check = (fn: string, key: string, value: unknown) => void;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value).slice(0, 60) : typeof value;
}

function typeError(fn: string, key: string, want: string, value: unknown): TypeError {
  return new TypeError(`${fn}: option "${key}" must be ${want}, got ${describe(value)}`);
}

/** A string that can be part of a file name inside `dir`, never a path. */
export const nameComponent: Check = (fn, key, value) => {
  if (typeof value !== "string") throw typeError(fn, key, "a string", value);
  if (/[/\\\0]/.test(value)) {
    throw new TypeError(`${fn}: option "${key}" must not contain "/", "\\" or NUL`);
  }
  if (!value.isWellFormed()) {
    throw new TypeError(`${fn}: option "${key}" must not contain lone surrogates`);
  }
};

/** A non-empty path string or a `file:` URL. */
export const dirValue: Check = (fn, key, value) => {
  if (value instanceof URL) {
    if (value.protocol !== "file:") throw typeError(fn, key, "a file: URL", value.href);
    return;
  }
  if (typeof value !== "string") throw typeError(fn, key, "a string or a file: URL", value);
  if (value === "") throw new RangeError(`${fn}: option "${key}" must not be empty`);
  if (value.includes("\0") || !value.isWellFormed()) {
    throw new TypeError(`${fn}: option "${key}" must not contain NUL or lone surrogates`);
  }
};

/** A boolean. */
export const boolean: Check = (fn, key, value) => {
  if (typeof value !== "boolean") throw typeError(fn, key, "a boolean", value);
};

/** An integer at least `min`. */
export function integer(min: number): Check {
  return (fn, key, value) => {
    if (typeof value !== "number") throw typeError(fn, key, "a number", value);
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`${fn}: option "${key}" must be an integer >= ${min}, got ${value}`);
    }
  };
}

/** One of the listed values. `undefined` and `null` are checked like any other. */
export function oneOf(values: readonly unknown[]): Check {
  return (fn, key, value) => {
    if (!values.includes(value)) {
      const list = values.map((v) => JSON.stringify(v) ?? "undefined").join(", ");
      const err = typeof value === "string" ? RangeError : TypeError;
      throw new err(`${fn}: option "${key}" must be one of ${list}, got ${describe(value)}`);
    }
  };
}

/** The checks for {@linkcode NameOptions}. */
export const NAME_CHECKS: Record<string, Check> = {
  prefix: nameComponent,
  suffix: nameComponent,
  dir: dirValue,
};

/**
 * Checks `options` against `checks`: an object (or undefined) with only known
 * keys, each valid. Keys whose value is `undefined` count as absent.
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  checks: Record<string, Check>,
): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  for (const key in options) {
    const check = checks[key];
    if (check === undefined) throw new TypeError(`${fn}: unknown option "${key}"`);
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) check(fn, key, value);
  }
  return options;
}

/** The checked, defaulted name parts: `dir` is absolute. */
export interface Names {
  prefix: string;
  suffix: string;
  dir: string;
}

/** Applies Python's defaults to checked name options. */
export function resolveNames(o: NameOptions): Names {
  const b = backend();
  const dir = o.dir === undefined
    ? gettempdir()
    : b.resolve(o.dir instanceof URL ? b.fromFileUrl(o.dir) : o.dir);
  return { prefix: o.prefix ?? gettempprefix(), suffix: o.suffix ?? "", dir };
}
