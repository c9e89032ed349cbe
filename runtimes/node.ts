// The Node backend: `node:fs` for requests, `node:process` for the process's end.
import type { Backend } from "../src/backend.ts";
import { nodeFs } from "./_node_fs.ts";
import { signalHooks, signalStatus } from "./_signals.ts";

/** The backend over `node:fs` and `node:process`. */
export function nodeBackend(): Backend {
  return {
    ...nodeFs(),
    env: (name) => process.env[name],
    hooks: {
      ...signalHooks,
      // 'exit' also runs after process.exit() and after an uncaught exception
      // or unhandled rejection has ended the program.
      onExit(fn) {
        process.on("exit", fn);
        return () => void process.off("exit", fn);
      },
      raise(signal) {
        // With no listener left, the default disposition applies again.
        process.kill(process.pid, signal);
        // Still here: PID 1 (the kernel drops default-action signals sent to
        // it), or a platform that cannot signal itself. End as the signal would.
        process.exit(signalStatus(signal));
      },
      later(fn, ms) {
        setTimeout(fn, ms).unref();
      },
    },
  };
}
