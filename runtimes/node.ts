// The Node backend: `node:fs` for requests, `node:process` for the process's end.
import type { Backend, ExitSignal, ProcessHooks } from "../src/backend.ts";
import { nodeFs } from "./_node_fs.ts";
import { makeSignalHooks, type SignalSource, signalStatus } from "./_signals.ts";
import { isMainThread } from "./_processes.ts";
import { exitHook, type ExitSource } from "./_exit.ts";

/** The part of `node:process` the process hooks use. */
export interface ProcessLike extends SignalSource, ExitSource {
  readonly platform: string;
  readonly pid: number;
  kill(pid: number, signal: ExitSignal): unknown;
  exit(status: number): void;
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
