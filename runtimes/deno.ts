// The Deno backend. Descriptor work goes through Deno's `node:fs`, so that the
// fds we hand out work with `node:fs` as in the other runtimes. What differs is
// permissions, environment access and the process-ending events.
import process from "node:process";
import type { Backend, ExitSignal } from "../src/backend.ts";
import { nodeFs } from "./_node_fs.ts";

// A missing --allow-read/--allow-write surfaces as Deno.errors.NotCapable
// without a `code`. Give it the EACCES every runtime uses; Deno's message
// already names the permission and the flag.
function mapError(err: unknown, path?: unknown): unknown {
  if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
    const e = err as Error & { code?: string; path?: string };
    e.code ??= "EACCES";
    if (typeof path === "string") e.path ??= path;
  }
  return err;
}

type AnyFn = (...args: never[]) => unknown;

/** Maps errors of every function of `part`, sync or async, through mapError. */
function withMappedErrors<T extends object>(part: T): T {
  const out = { ...part } as Record<string, unknown>;
  for (const [key, value] of Object.entries(part)) {
    if (typeof value !== "function") continue;
    const fn = value as AnyFn;
    out[key] = (...args: never[]) => {
      try {
        const r = fn(...args);
        return r instanceof Promise ? r.catch((e) => Promise.reject(mapError(e, args[0]))) : r;
      } catch (e) {
        throw mapError(e, args[0]);
      }
    };
  }
  return out as T;
}

// Deno's own signal listeners cannot be counted through its API, so count the
// ones the program adds after this module loads. Behaviour is unchanged.
const denoListeners = new Map<string, number>();
const ownListeners = new Map<string, number>();
const addSignal = Deno.addSignalListener.bind(Deno);
const removeSignal = Deno.removeSignalListener.bind(Deno);
Deno.addSignalListener = (signal, handler) => {
  denoListeners.set(signal, (denoListeners.get(signal) ?? 0) + 1);
  addSignal(signal, handler);
};
Deno.removeSignalListener = (signal, handler) => {
  denoListeners.set(signal, Math.max(0, (denoListeners.get(signal) ?? 0) - 1));
  removeSignal(signal, handler);
};

function permitted(variable: string): boolean {
  return Deno.permissions.querySync({ name: "env", variable }).state === "granted";
}

export const backend: Backend = {
  ...withMappedErrors(nodeFs()),
  runtime: "deno",
  // Without env permission the variable is skipped: no prompt, no crash.
  env: (name) => permitted(name) ? Deno.env.get(name) : undefined,
  hooks: {
    // `unload` covers the normal end and Deno.exit(); process.exit() fires it
    // too. Uncaught errors and rejections end the process after their own
    // event, with no task after it, unless the program prevents that.
    onExit(fn) {
      const onError = (e: Event) => void (e.defaultPrevented || fn());
      globalThis.addEventListener("unload", fn);
      globalThis.addEventListener("error", onError);
      globalThis.addEventListener("unhandledrejection", onError);
      return () => {
        globalThis.removeEventListener("unload", fn);
        globalThis.removeEventListener("error", onError);
        globalThis.removeEventListener("unhandledrejection", onError);
      };
    },
    onSignal(signal, fn) {
      // The unwrapped call keeps this library's listener out of the count.
      addSignal(signal, fn);
      ownListeners.set(signal, (ownListeners.get(signal) ?? 0) + 1);
      return () => {
        removeSignal(signal, fn);
        ownListeners.set(signal, (ownListeners.get(signal) ?? 1) - 1);
      };
    },
    signalListenerCount: (signal) =>
      (ownListeners.get(signal) ?? 0) + (denoListeners.get(signal) ?? 0) +
      process.listenerCount(signal),
    raise(signal: ExitSignal) {
      Deno.kill(Deno.pid, signal);
    },
    later(fn, ms) {
      Deno.unrefTimer(setTimeout(fn, ms) as unknown as number);
    },
  },
};
