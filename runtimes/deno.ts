// The Deno backend. Requests go through Deno's `node:fs`, so that the fds we
// hand out work with `node:fs` as in the other runtimes. What differs is
// permissions, environment access and the process-ending events.
import type { Backend, ExitSignal, ProcessHooks } from "../src/backend.ts";
import type { Request } from "../src/_requests.ts";
import { type FsPart, nodeFs } from "./_node_fs.ts";
import { inOrderSignalHooks as signalHooks, signalStatus } from "./_signals.ts";
import { isMainThread } from "./_processes.ts";
import { exitHook, type ExitSource } from "./_exit.ts";

/** The path a request is about, for errors that lack one. */
function pathOf(r: Request): string | undefined {
  return "path" in r ? r.path : "from" in r ? r.from : undefined;
}

// A missing --allow-read/--allow-write surfaces as Deno.errors.NotCapable
// without a `code`. Give it the EACCES every runtime uses; Deno's message
// already names the permission and the flag.
function mapError(err: unknown, r: Request): unknown {
  if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
    const e = err as Error & { code?: string; path?: string };
    e.code ??= "EACCES";
    e.path ??= pathOf(r);
  }
  return err;
}

/** `variable`'s value; asking first, because reading unpermitted would prompt or throw. */
function readEnv(variable: string): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable }).state === "granted") {
    return Deno.env.get(variable);
  }
  const err = new Error(`Requires env access to "${variable}", run again with the --allow-env flag`);
  throw Object.assign(err, { code: "EACCES" });
}

/** What unlink(2) says to a directory on Linux, which Deno's `node:fs` `unlink` would remove if empty. */
function isDirectoryError(path: string): Error {
  return Object.assign(new Error(`EISDIR: illegal operation on a directory, unlink '${path}'`), {
    code: "EISDIR",
    syscall: "unlink",
    path,
  });
}

/**
 * Requests over Deno's `node:fs`, whose `unlink` would remove an empty
 * directory: it answers EISDIR as Linux does, unless the core vouches for the
 * entry (`listed`), which spares the check. Without read permission (write
 * alone is enough for temp files) the check is skipped: it is refused, and
 * unlink then behaves as Deno's always did. Errors are mapped for Deno.
 */
function requests(fs: FsPart): Pick<Backend, "performSync" | "perform"> {
  const nodeFs = process.getBuiltinModule("node:fs");
  // Every removal of Deno's lstats first, so the check is a syscall more per
  // unlink: access(2) on `path/`, which only a directory (or a link to one)
  // passes, builds no stat object: 2.4 against Deno.lstatSync's 3.9 us here.
  // Only then does lstat tell a directory from a link to one (which unlink
  // removes): a "yes" is always confirmed, never trusted alone.
  // Synchronous in both drivers: an async op's round trip through Deno's
  // thread pool costs more than the syscall.
  const isDirectory = (path: string): boolean => {
    try {
      return nodeFs.existsSync(`${path}/`) && Deno.lstatSync(path).isDirectory;
    } catch {
      return false;
    }
  };
  // Rust's remove_dir_all (Deno.remove's recursive one) never follows a link, even one swapped in meanwhile;
  // any failure leaves the rest to the core's walk, which repairs, retries and reports.
  const posix = Deno.build.os !== "windows";
  const removeAllSync = (path: string): boolean => {
    try {
      return posix && (Deno.removeSync(path, { recursive: true }), true);
    } catch {
      return false;
    }
  };
  const removeAll = (path: string): Promise<boolean> =>
    posix ? Deno.remove(path, { recursive: true }).then(() => true, () => false) : Promise.resolve(false);
  return {
    performSync(r) {
      try {
        if (r.op === "unlink" && !r.listed && isDirectory(r.path)) throw isDirectoryError(r.path);
        if (r.op === "removeAll") return removeAllSync(r.path);
        return fs.performSync(r);
      } catch (err) {
        throw mapError(err, r);
      }
    },
    async perform(r) {
      try {
        if (r.op === "unlink" && !r.listed && isDirectory(r.path)) throw isDirectoryError(r.path);
        if (r.op === "removeAll") return await removeAll(r.path);
        return await fs.perform(r);
      } catch (err) {
        throw mapError(err, r);
      }
    },
  };
}

/**
 * Runs `fn` if the uncaught error or rejection `e` ends the process. A
 * listener added after ours may still prevent that, so the verdict waits for
 * the end of the dispatch, where Deno reads `defaultPrevented` through the
 * event (its phase is NONE by then): an accessor on this event alone sees the
 * final answer, and nothing global is replaced. A rejection is then handed to
 * `node:process`, whose "unhandledRejection" and "uncaughtException"
 * listeners, if any, take it.
 */
function onFatal(e: Event, fn: () => void): void {
  if (e.defaultPrevented) return;
  if (
    e.type === "unhandledrejection" &&
    process.listenerCount("unhandledRejection") + process.listenerCount("uncaughtException") > 0
  ) return;
  const prevented = Object.getOwnPropertyDescriptor(Event.prototype, "defaultPrevented")!.get!;
  let decided = false;
  Object.defineProperty(e, "defaultPrevented", {
    configurable: true,
    get(this: Event) {
      const value = prevented.call(this) as boolean;
      if (!value && !decided && this.eventPhase === Event.NONE) {
        decided = true;
        fn();
      }
      return value;
    },
  });
}

/** How many signals this Deno listens to, from its resource table; `undefined` where it does not show it. */
function boundSignals(): number | undefined {
  const internal = (Deno as unknown as Record<symbol, { core?: { resources?: () => object } }>)[
    (Deno as unknown as { internal: symbol }).internal
  ];
  const table = typeof internal?.core?.resources === "function" ? internal.core.resources() : undefined;
  return table && Object.values(table).filter((name) => name === "signal").length;
}

/**
 * Signal listening for Deno. Handlers added with `Deno.addSignalListener`
 * share one list per signal with `process.on`'s, but only the latter can be
 * counted. So when a signal arrives and no handler of the program's is
 * counted, ours steps out of the list: if the signal is then no longer
 * listened to at all, nobody else handles it, and its default action is back
 * for the re-raise; if it still is, a handler of the program's (added before
 * or after ours) decides, and ours goes back after this dispatch.
 */
function denoSignalHooks(
  fs: FsPart,
): Pick<ProcessHooks, "onSignal" | "programListens"> & { alone: Set<ExitSignal> } {
  const mine = new Map<ExitSignal, () => void>();
  const alone = new Set<ExitSignal>();
  let started = false;
  return {
    alone,
    onSignal(signal, fn) {
      if (!started) {
        descriptorsForSignals(fs);
        started = true;
      }
      const off = signalHooks.onSignal(signal, fn);
      mine.set(signal, fn);
      return () => {
        off();
        if (mine.get(signal) === fn) mine.delete(signal);
      };
    },
    programListens(signal) {
      if (signalHooks.programListens(signal)) return true;
      const fn = mine.get(signal);
      const before = boundSignals();
      if (fn === undefined || before === undefined) return false; // blind: as if nobody else listened
      process.off(signal, fn);
      if (boundSignals()! < before) {
        alone.add(signal);
        return false;
      }
      // Not now: a listener added during a dispatch would be called in it.
      queueMicrotask(() => void (mine.get(signal) === fn && process.on(signal, fn)));
      return true;
    },
  };
}

/**
 * Deno starts its signal machinery at the first signal listener of the
 * process and aborts the process (a panic, not an error) if the two
 * descriptors it needs are not to be had. Opening two first turns that into
 * an EMFILE the caller can handle. Without read access to /dev/null there is
 * nothing to open without a prompt: then the listener is added unchecked.
 */
function descriptorsForSignals(fs: FsPart): void {
  if (Deno.build.os === "windows") return; // a console handler there, no descriptor
  const access = Deno.permissions.querySync({ name: "read", path: "/dev/null" });
  if (access.state !== "granted") return;
  const fds: number[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      fds.push(fs.performSync({ op: "open", path: "/dev/null", flags: 0, mode: 0 }) as number);
    }
  } finally {
    for (const fd of fds) fs.performSync({ op: "close", fd });
  }
}

/**
 * Whether `node:process`'s "exit" listeners of the program's run after this
 * `unload`, and ours after them: so on a normal end, where Deno dispatches
 * `unload` from the event loop with no caller (`Deno.exit()` has one).
 * Unrecognised, the files go now, as before any "exit" listener.
 */
function exitEventFollows(): boolean {
  if (process.listenerCount("exit") <= 1) return false;
  const frames = new Error().stack?.trim().split("\n") ?? [];
  return /\bdispatchUnloadEvent\b/.test(frames[frames.length - 1]);
}

/** Whether `Deno.kill` may signal this process. */
function mayKill(): boolean {
  try {
    return Deno.permissions.querySync({ name: "run" }).state === "granted";
  } catch {
    return false;
  }
}

/** How Deno tells us that the process is ending. */
function processHooks(fs: FsPart): ProcessHooks {
  const signals = denoSignalHooks(fs);
  return {
    ...signals,
    mainThread: isMainThread(),
    // `unload` covers the normal end and Deno.exit(); process.exit() fires it
    // too, after the "exit" listeners. Uncaught errors and rejections end the
    // process after their own event, with no task after it, unless the
    // program prevents that.
    onExit(fn) {
      const onError = (e: Event) => onFatal(e, fn);
      const offExit = exitHook(process as unknown as ExitSource, fn);
      const onUnload = () => void (exitEventFollows() || fn());
      globalThis.addEventListener("unload", onUnload);
      globalThis.addEventListener("error", onError);
      globalThis.addEventListener("unhandledrejection", onError);
      return () => {
        offExit();
        globalThis.removeEventListener("unload", onUnload);
        globalThis.removeEventListener("error", onError);
        globalThis.removeEventListener("unhandledrejection", onError);
      };
    },
    raise(signal: ExitSignal) {
      // Re-raised only when nothing listens any more (else a hidden handler
      // would run twice) and Deno may signal itself (--allow-run). Deno's
      // signal thread acts on it: wait for that. Not as PID 1, where the
      // kernel drops it and Deno 2.9 then crashes (SIGSEGV).
      if (signals.alone.has(signal) && Deno.build.os !== "windows" && Deno.pid !== 1 && mayKill()) {
        Deno.kill(Deno.pid, signal);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      }
      // Still here: not allowed, or PID 1. End as a shell reports a death by the signal.
      Deno.exit(signalStatus(signal));
    },
    later(fn, ms) {
      Deno.unrefTimer(setTimeout(fn, ms) as unknown as number);
    },
  };
}

let utf8: TextDecoder | undefined;

/** The backend for Deno. */
export function denoBackend(): Backend {
  const fs = nodeFs();
  return {
    ...fs,
    ...requests(fs),
    // Deno's node:fs drops flags it does not know on Windows: no delete-on-close.
    flags: { ...fs.flags, O_TEMPORARY: 0 },
    // Without --allow-sys there is no home directory to offer: no prompt, no crash.
    homedir() {
      try {
        return fs.homedir();
      } catch {
        return undefined;
      }
    },
    env: readEnv,
    // Deno's Web Crypto costs nothing to start, and /dev/urandom would need (or prompt for) read permission.
    randomFill: (buf) => void crypto.getRandomValues(buf as Uint8Array<ArrayBuffer>),
    // One-shot: Deno's streaming decoder is 3.5 times slower (12 against 3.5 ms per 8 MB).
    decodeUtf8: (bytes) => (utf8 ??= new TextDecoder("utf-8", { ignoreBOM: true })).decode(bytes),
    hooks: processHooks(fs),
  };
}
