/**
 * State that must exist once per process however many copies of this library
 * it loads: the npm package's ES module and CommonJS builds side by side
 * (jest makes that common), or a bundle beside the package. Each piece is kept
 * under one registered symbol on `globalThis`, by name and protocol version:
 * the first copy to ask stores its own, and every later copy uses that one.
 * A copy that speaks another version keeps its own piece rather than misread
 * the first one's.
 * @module
 */

/** The registered symbol: the same in every copy and every realm of the process. */
const KEY = Symbol.for("@x/tempfile");

type Slots = Record<string, unknown>;

/**
 * The process's `name` at protocol `version`, made by `make` if no copy has
 * made it yet. Bump `version` whenever the shape of what `make` returns
 * changes (the shape of anything passed through it included).
 */
export function processSlot<T>(name: string, version: number, make: () => T): T {
  const g = globalThis as unknown as Record<symbol, Slots | undefined>;
  let slots = g[KEY];
  if (slots === undefined) {
    slots = Object.create(null) as Slots;
    // Not enumerable: a program listing the globals does not see it.
    Object.defineProperty(globalThis, KEY, { value: slots, configurable: true });
  }
  const key = `${name}@${version}`;
  return (slots[key] ??= make()) as T;
}
