// The whole backend over `node:fs` and `node:process`. Node and Bun use it as
// it is: Bun implements both modules natively.
import process from "node:process";
import type { Backend, ExitSignal } from "../src/backend.ts";
import { nodeFs } from "./_node_fs.ts";

export function nodeBackend(runtime: "node" | "bun"): Backend {
  return {
    ...nodeFs(),
    runtime,
    env: (name) => process.env[name],
    hooks: {
      // 'exit' also runs after process.exit() and after an uncaught exception
      // or unhandled rejection has ended the program.
      onExit(fn) {
        process.on("exit", fn);
        return () => void process.off("exit", fn);
      },
      onSignal(signal, fn) {
        process.on(signal, fn);
        return () => void process.off(signal, fn);
      },
      signalListenerCount: (signal) => process.listenerCount(signal),
      raise(signal: ExitSignal) {
        // With no listener left, the default disposition applies again.
        process.kill(process.pid, signal);
      },
      later(fn, ms) {
        setTimeout(fn, ms).unref();
      },
    },
  };
}
