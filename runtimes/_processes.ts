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
 * Whether this code runs on the process's main thread, not in a worker, asked
 * without loading `node:worker_threads`: that brings `node:stream` along, 3-15
 * ms of a cold start in Node and Bun. Deno's web Worker has a global scope of
 * its own; Bun says it itself (`Bun.isMainThread`, web and node workers alike);
 * Node marks a worker's `process.chdir` as `disabled` (cross-spawn relies on
 * it, and Deno's `node:worker_threads` does the same).
 */
export function isMainThread(): boolean {
  const g = globalThis as { WorkerGlobalScope?: unknown; Bun?: { isMainThread?: unknown } };
  if (typeof g.WorkerGlobalScope === "function") return false;
  const bun = g.Bun?.isMainThread;
  if (typeof bun === "boolean") return bun;
  return (process.chdir as { disabled?: unknown } | undefined)?.disabled !== true;
}
