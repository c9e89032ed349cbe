// The Node backend: `node:fs` for requests, `node:process` for the process's end.
import type { Backend, ExitSignal, ProcessHooks } from "../src/backend.ts";
import { nodeFs } from "./_node_fs.ts";
import { makeSignalHooks, type SignalSource, signalStatus } from "./_signals.ts";
import { isMainThread } from "./_processes.ts";

/** The part of `node:process` the process hooks use. */
export interface ProcessLike extends SignalSource {
  readonly platform: string;
  readonly pid: number;
  kill(pid: number, signal: ExitSignal): unknown;
  exit(status: number): void;
  /** What `process.exit()` ends with once the "exit" listeners ran (or when one of them calls it). */
  reallyExit?: (status?: number) => void;
}

/**
 * Runs `fn` last among the "exit" listeners, or earlier if one of them ends
 * the process with `process.exit()`: that call goes straight to
 * `reallyExit`, past every later listener. So, while anything is tracked,
 * `reallyExit` is observed: wrapped, calling through whatever was there, and
 * put back when the registry is idle (unless something wrapped it since).
 */
function exitHook(proc: ProcessLike, fn: () => void): () => void {
  proc.on("exit", fn);
  const really = proc.reallyExit;
  const observed = typeof really === "function"
    ? function (this: unknown, status?: number) {
      fn();
      return really.call(this, status);
    }
    : undefined;
  if (observed) proc.reallyExit = observed;
  return () => {
    proc.off("exit", fn);
    if (observed && proc.reallyExit === observed) proc.reallyExit = really;
  };
}

/** The process-ending hooks over `proc` (`process` in Node and Bun; a simulated one in tests). */
export function processHooks(proc: ProcessLike): ProcessHooks {
  return {
    ...makeSignalHooks(proc),
    mainThread: isMainThread(),
    // 'exit' also runs after process.exit() and after an uncaught exception
    // or unhandled rejection has ended the program.
    onExit: (fn) => exitHook(proc, fn),
    raise(signal) {
      // Windows has no signal a process can send itself: kill() fails with
      // ENOSYS for SIGBREAK and ends the process with status 1 for the rest.
      // Elsewhere, with no listener left, the default disposition applies again.
      if (proc.platform !== "win32") proc.kill(proc.pid, signal);
      // Still here: Windows, or PID 1 (the kernel drops default-action signals
      // sent to it). End as a shell reports a death by the signal.
      proc.exit(signalStatus(signal));
    },
    later(fn, ms) {
      setTimeout(fn, ms).unref();
    },
  };
}

/** The backend over `node:fs` and `node:process`. */
export function nodeBackend(): Backend {
  return {
    ...nodeFs(),
    env: (name) => process.env[name],
    hooks: processHooks(process),
  };
}
