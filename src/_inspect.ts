/**
 * How the objects show themselves in `console.log`, `util.inspect` (Node,
 * Bun) and `Deno.inspect`: `ClassName { key: value, ... }`, each value
 * formatted by the runtime's own inspector (its quotes and colours). The
 * classes put these on their prototypes: no object carries anything for it.
 * @module
 */

/** Node's and Bun's key: `(depth, options, inspect)`. */
export const NODE_INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
/** Deno's key: `(inspect, options)`. */
export const DENO_INSPECT: unique symbol = Symbol.for("Deno.customInspect") as never;

/** The runtime's inspector for one value, with the options it was called with. */
export type Inspector = (value: unknown, options?: unknown) => string;

/** `ClassName { key: value, ... }`; without an inspector (an old runtime), values as JSON. */
export function described(
  className: string,
  fields: [key: string, value: unknown][],
  inspect: Inspector | undefined,
  options: unknown,
): string {
  const show = (v: unknown) =>
    inspect !== undefined ? inspect(v, options) : v === undefined ? "undefined" : JSON.stringify(v);
  return `${className} { ${fields.map(([k, v]) => `${k}: ${show(v)}`).join(", ")} }`;
}

/**
 * Puts both runtimes' hooks on `proto` (a class's prototype), each showing the
 * class name and `fields(object)`: written once for every class that shows
 * itself. A second call for the same `proto` does nothing.
 */
export function showsItself<O extends object>(
  proto: O,
  fields: (o: O) => [key: string, value: unknown][],
): void {
  if (Object.prototype.hasOwnProperty.call(proto, NODE_INSPECT)) return;
  Object.defineProperties(proto, {
    [NODE_INSPECT]: {
      value(this: O, _depth: number, options: unknown, inspect?: Inspector): string {
        return described(this.constructor.name, fields(this), inspect, options);
      },
    },
    [DENO_INSPECT]: {
      value(this: O, inspect: Inspector, options: unknown): string {
        return described(this.constructor.name, fields(this), inspect, options);
      },
    },
  });
}
