// Signal listening over `node:process`, which all three runtimes implement:
// the program's own `process.on(signal)` handlers are then countable without
// touching any host global.
import type { ExitSignal, ProcessHooks } from "../src/backend.ts";

// deno-lint-ignore no-explicit-any
type Listener = (...args: any[]) => void;

/** The part of `node:process` that signal listening uses. */
export interface SignalSource {
  on(event: string, fn: Listener): unknown;
  prependListener(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
  listenerCount(event: string): number;
}

/**
 * `onSignal` and `programListens` over `source` (default: `process`).
 *
 * Whether the program listens is decided when the signal arrives, and a
 * `process.once` handler is gone by the time a later listener runs. So ours
 * is put `first` (Node and Bun call listeners in order; Deno keeps its own
 * order, see deno.ts), and a handler of the program's that removed itself in
 * this same turn still counts: the emitter says so with "removeListener".
 *
 * A runtime that refuses a signal (Deno before 2.7.6 refuses SIGTERM on
 * Windows) may throw after the emitter already holds the listener: it is taken
 * back, so it is neither leaked nor counted as the program's.
 */
export function makeSignalHooks(
  source?: SignalSource,
  first = true,
): Pick<ProcessHooks, "onSignal" | "programListens"> {
  const own = new Map<ExitSignal, number>();
  const ours = new Set<unknown>();
  const removedThisTurn = new Set<string>();
  const proc = () => source ?? (process as unknown as SignalSource);
  const onRemoved = (event: unknown, fn: unknown) => {
    if (typeof event !== "string") return;
    if (ours.has(fn) || removedThisTurn.has(event)) return;
    removedThisTurn.add(event);
    queueMicrotask(() => removedThisTurn.delete(event));
  };
  return {
    onSignal(signal, fn) {
      try {
        if (first) proc().prependListener(signal, fn);
        else proc().on(signal, fn);
      } catch (err) {
        proc().off(signal, fn);
        throw err;
      }
      ours.add(fn);
      if (own.size === 0) proc().on("removeListener", onRemoved);
      own.set(signal, (own.get(signal) ?? 0) + 1);
      return () => {
        proc().off(signal, fn);
        ours.delete(fn);
        const left = (own.get(signal) ?? 1) - 1;
        if (left > 0) own.set(signal, left);
        else own.delete(signal);
        if (own.size === 0) proc().off("removeListener", onRemoved);
      };
    },
    programListens: (signal) =>
      proc().listenerCount(signal) > (own.get(signal) ?? 0) || removedThisTurn.has(signal),
  };
}

let inOrder: Pick<ProcessHooks, "onSignal" | "programListens"> | undefined;

/**
 * `onSignal` and `programListens` over `process` as Deno implements it: in the
 * order added, as Deno calls them anyway, since on Windows its `process.off`
 * cannot take back a prepended SIGTERM or SIGHUP listener (`prependListener`
 * adds what `on` ignores there).
 */
export const inOrderSignalHooks: Pick<ProcessHooks, "onSignal" | "programListens"> = {
  // Made on first use: nothing runs at import.
  onSignal: (signal, fn) => (inOrder ??= makeSignalHooks(undefined, false)).onSignal(signal, fn),
  programListens: (signal) => (inOrder ??= makeSignalHooks(undefined, false)).programListens(signal),
};

/** The conventional exit status of a death by `signal`: 128 + its number. */
export function signalStatus(signal: ExitSignal): number {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGBREAK: 21 } as const)[signal];
}
