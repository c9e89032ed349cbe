// Signal listening over `node:process`, which all three runtimes implement:
// the program's own `process.on(signal)` handlers are then countable without
// touching any host global.
import type { ExitSignal, ProcessHooks } from "../src/backend.ts";

const own = new Map<ExitSignal, number>();

/** `onSignal` and `programListens` of every backend. */
export const signalHooks: Pick<ProcessHooks, "onSignal" | "programListens"> = {
  onSignal(signal, fn) {
    process.on(signal, fn);
    own.set(signal, (own.get(signal) ?? 0) + 1);
    return () => {
      process.off(signal, fn);
      own.set(signal, (own.get(signal) ?? 1) - 1);
    };
  },
  programListens: (signal) => process.listenerCount(signal) > (own.get(signal) ?? 0),
};

/** The conventional exit status of a death by `signal`: 128 + its number. */
export function signalStatus(signal: ExitSignal): number {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGBREAK: 21 } as const)[signal];
}
