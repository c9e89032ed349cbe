// Signal listening over `node:process`, which all three runtimes implement:
// the program's own `process.on(signal)` handlers are then countable without
// touching any host global.
import type { ExitSignal, ProcessHooks } from "../src/backend.ts";

/** The part of `node:process` that signal listening uses. */
export interface SignalSource {
  on(signal: ExitSignal, fn: () => void): unknown;
  off(signal: ExitSignal, fn: () => void): unknown;
  listenerCount(signal: ExitSignal): number;
}

/**
 * `onSignal` and `programListens` over `source` (default: `process`). A
 * runtime that refuses a signal (Deno before 2.7.6 refuses SIGTERM on
 * Windows) may throw after the emitter already holds the listener: it is
 * taken back, so it is neither leaked nor counted as the program's.
 */
export function makeSignalHooks(source?: SignalSource): Pick<ProcessHooks, "onSignal" | "programListens"> {
  const own = new Map<ExitSignal, number>();
  const proc = () => source ?? process;
  return {
    onSignal(signal, fn) {
      try {
        proc().on(signal, fn);
      } catch (err) {
        proc().off(signal, fn);
        throw err;
      }
      own.set(signal, (own.get(signal) ?? 0) + 1);
      return () => {
        proc().off(signal, fn);
        own.set(signal, (own.get(signal) ?? 1) - 1);
      };
    },
    programListens: (signal) => proc().listenerCount(signal) > (own.get(signal) ?? 0),
  };
}

/** `onSignal` and `programListens` of every backend, over `process`. */
export const signalHooks: Pick<ProcessHooks, "onSignal" | "programListens"> = makeSignalHooks();

/** The conventional exit status of a death by `signal`: 128 + its number. */
export function signalStatus(signal: ExitSignal): number {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGBREAK: 21 } as const)[signal];
}
