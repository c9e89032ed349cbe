// The end of the process as `node:process` reports it, which all three
// runtimes implement: the "exit" event, and `reallyExit`, which
// `process.exit()` calls once the "exit" listeners ran.

// deno-lint-ignore no-explicit-any
type Listener = (...args: any[]) => void;

/** The part of `node:process` the exit hook uses. */
export interface ExitSource {
  on(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
  listenerCount(event: string): number;
  /** What `process.exit()` ends with, after the "exit" listeners (or when one of them calls it). */
  reallyExit?: (status?: number) => void;
}

/**
 * Runs `fn` after the program's "exit" listeners, so that each of them still
 * finds the files it may need: ours is moved last whenever the program adds
 * one ("newListener"). A listener that ends the process with
 * `process.exit()` goes straight to `reallyExit`, past every later listener:
 * so `reallyExit` is observed while anything is tracked (wrapped, calling
 * through whatever was there; put back when idle unless wrapped again since).
 */
export function exitHook(proc: ExitSource, fn: () => void): () => void {
  let hooked = true;
  const moveLast = () => {
    if (!hooked) return;
    proc.off("exit", fn);
    proc.on("exit", fn);
  };
  // Called before the listener is added: ours moves once it is there.
  const onNewListener = (event: unknown, listener: unknown) => {
    if (event === "exit" && listener !== fn) queueMicrotask(moveLast);
  };
  proc.on("exit", fn);
  proc.on("newListener", onNewListener);
  const really = proc.reallyExit;
  const observed = typeof really === "function"
    ? function (this: unknown, status?: number) {
      fn();
      return really.call(this, status);
    }
    : undefined;
  if (observed) proc.reallyExit = observed;
  return () => {
    hooked = false;
    proc.off("exit", fn);
    proc.off("newListener", onNewListener);
    if (observed && proc.reallyExit === observed) proc.reallyExit = really;
  };
}
