/**
 * Option checking shared by every creator: a wrong type is a TypeError and a
 * wrong value a RangeError, each naming the function and the option, thrown
 * before anything touches the file system. Each option is read exactly once,
 * into a snapshot that is checked and then used alone: a getter or a Proxy
 * cannot show the check one value and the creator another.
 * @module
 */
import { platform } from "./_platform.ts";

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

/** Any string. */
export const string: (fn: string, key: string, value: unknown) => asserts value is string = (
  fn,
  key,
  value,
) => {
  if (typeof value !== "string") throw typeError(fn, key, "a string", value);
};

/** A string that can be part of a file name inside `dir`, never a path. */
export const nameComponent: Check = (fn, key, value) => {
  string(fn, key, value);
  if (/[/\\\0]/.test(value)) {
    throw new TypeError(`${fn}: option "${key}" must not contain "/", "\\" or NUL`);
  }
  const reserved = platform().reservedNameChars;
  if (reserved !== undefined && (reserved.test(value) || (key === "suffix" && /[. ]$/.test(value)))) {
    throw new TypeError(
      `${fn}: option "${key}" must not contain <>:"|?* or control characters, nor end a name with "." or " ", ` +
        `on Windows, got ${describe(value)}`,
    );
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

/** An integer at least `min` and, when given, at most `max`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return (fn, key, value) => {
    if (typeof value !== "number") throw typeError(fn, key, "a number", value);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`${fn}: option "${key}" must be an integer ${range}, got ${value}`);
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

/**
 * What to write instead of an option that tmp, tempy, Node or Python users
 * bring along: `[the option it needs, the hint]`; a hint whose option this
 * function lacks is not given.
 */
const SUFFIX: [string, string] = ["suffix", 'use "suffix" (with the dot: suffix: ".txt")'];
const DIR: [string, string] = ["dir", 'use "dir"'];
const PEER_OPTIONS: Record<string, [needs: string, hint: string]> = {
  postfix: SUFFIX,
  extension: SUFFIX,
  ext: SUFFIX,
  template: ["prefix", 'use "prefix" and "suffix": the random part goes between them'],
  tmpdir: DIR,
  tmpDir: DIR,
  directory: DIR,
  keep: ["delete", "use delete: false, or call keep() on the result"],
  unsafeCleanup: [
    "ignoreCleanupErrors",
    "not needed: a temporary directory is always removed with everything in it",
  ],
  mode: ["permissions", 'use "permissions" for mode bits such as 0o644'],
  name: ["dir", "a fixed name is not offered: create a TemporaryDirectory and put the name inside it"],
  tries: ["dir", "not needed: up to TMP_MAX names are tried"],
  discardDescriptor: ["dir", "use mkstempPath(), which returns a path with no descriptor open"],
  detachDescriptor: ["dir", "use mkstemp(), whose descriptor the caller owns"],
};

/** Whether `key` is `object`'s own. Not Object.hasOwn: dnt would ship a polyfill for it, and its global declaration to every consumer. */
const has = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** The hint for an unknown option: a peer library's name, or Python's snake_case spelling. */
function hint(key: string, checks: Record<string, Check>): string {
  const peer = has(PEER_OPTIONS, key) ? PEER_OPTIONS[key] : undefined;
  if (peer !== undefined && has(checks, peer[0])) return `; ${peer[1]}`;
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return camel !== key && has(checks, camel) ? `; use "${camel}"` : "";
}

/** A table of checks as arrays, made once per table: walked per create, with no lookup by key in it. */
interface Table {
  keys: string[];
  checks: Check[];
  known: Set<string>;
}

const tables = new WeakMap<Record<string, Check>, Table>();
let lastChecks: Record<string, Check> | undefined;
let lastTable: Table | undefined;

function table(checks: Record<string, Check>): Table {
  if (checks === lastChecks) return lastTable!;
  let t = tables.get(checks);
  if (t === undefined) {
    const keys = Object.keys(checks);
    t = { keys, checks: keys.map((k) => checks[k]), known: new Set(keys) };
    tables.set(checks, t);
  }
  lastChecks = checks;
  return lastTable = t;
}

/** Checks what a reader read: a lookup by key only for the options given. */
function checkedRead<T>(fn: string, snapshot: Partial<T>, checks: Record<string, Check>): Partial<T> {
  const s = snapshot as Record<string, unknown>;
  for (const key in s) {
    const value = s[key];
    if (value === undefined) continue;
    checks[key](fn, key, value);
    // -0 passes every integer check but is no int32: Node 20-24's fchmod(fd, -0) aborts the process.
    if (Object.is(value, -0)) s[key] = 0;
  }
  return snapshot;
}

/** What no options read into: shared, and never written to. */
const NONE = Object.freeze({});

/**
 * Reads every option of a table by name, in the table's order, into a new
 * object: on a hot path, reads by name stay fast, where a loop reading them by
 * key makes every read a lookup.
 */
export type OptionReader<T> = (options: T) => Partial<T>;

/**
 * Reads `options` once into a plain snapshot and checks it against `checks`:
 * an object (or undefined) with only known keys, each valid. Keys whose value
 * is `undefined` count as absent. Only the snapshot may be used afterwards,
 * and only read. `read`, when given, reads exactly the keys of `checks`.
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  checks: Record<string, Check>,
  read?: OptionReader<T>,
): Partial<T> {
  if (options === undefined) return NONE;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  const t = table(checks);
  for (const key in options) {
    if (!t.known.has(key)) throw new TypeError(`${fn}: unknown option "${key}"${hint(key, checks)}`);
  }
  if (read !== undefined) return checkedRead(fn, read(options), checks);
  const snapshot: Record<string, unknown> = {};
  for (let i = 0; i < t.keys.length; i++) {
    const key = t.keys[i];
    // Inherited and non-enumerable properties count: they are what a later read would see.
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    t.checks[i](fn, key, value);
    // -0 passes every integer check but is no int32: Node 20-24's fchmod(fd, -0) aborts the process.
    snapshot[key] = Object.is(value, -0) ? 0 : value;
  }
  return snapshot as Partial<T>;
}
