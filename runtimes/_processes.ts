// Process identity over `node:process`, which all three runtimes implement.
// Deno refuses uid (without --allow-sys) and signal 0 (without --allow-run):
// those answer `undefined`, never a prompt or a crash.
import type { Backend } from "../src/backend.ts";

function uid(): number | undefined {
  try {
    return process.getuid?.();
  } catch {
    return undefined;
  }
}

/** `processIds` and `isRunning` of every backend. */
export const processes: Pick<Backend, "processIds" | "isRunning"> = {
  processIds: () => ({
    pid: process.pid,
    ppid: process.ppid,
    uid: uid(),
    // The IPC channel, not `send`: jest puts a stub `send` on every test's process, in-band ones too.
    forked: process.channel !== undefined && process.channel !== null,
  }),
  isRunning(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      // EPERM: it exists, as another user's.
      return code === "ESRCH" ? false : code === "EPERM" ? true : undefined;
    }
  },
};

/**
 * Whether this code runs on the process's main thread, not in a worker. Deno's
 * `node:worker_threads` says "main" inside a web Worker too, whose global
 * scope tells it apart.
 */
export function isMainThread(): boolean {
  if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === "function") return false;
  const threads = process.getBuiltinModule?.("node:worker_threads") as { isMainThread?: boolean } | undefined;
  return threads?.isMainThread ?? true;
}
