/**
 * The one registry of live temp objects: those that would delete themselves,
 * those being created, and open files that outlive the process. It removes
 * (or flushes) them at process exit, on a terminating signal the program does
 * not handle itself, and when their object is garbage-collected. It holds no
 * reference to the objects, only to what must be released.
 * @module
 */
import { backend, type ExitSignal } from "./backend.ts";
import { platform } from "./_platform.ts";
import { retried } from "./_retried.ts";
import { call, type Gen, runStepSync, runSync } from "./_requests.ts";
import { errorCode } from "./errors.ts";
import { debugLog, warnLeak } from "./diagnostics.ts";
import { processSlot } from "./_process_slot.ts";

/**
 * What must be released for one temp object: its open descriptor and the path
 * to delete. A file's layers each own one field: the byte layer `fd` and
 * `flusher`, its TempPath `path` and `persistent`. Another copy of the library
 * may be the one to release it: a change of its fields is a new
 * {@linkcode REGISTRY_PROTOCOL}.
 */
export interface Resource {
  fd?: number;
  path?: string;
  /** Removes `path` as a directory tree (`removeTree`, passed by whoever made it): files have none. */
  tree?: (path: string) => Gen<unknown[]>;
  /** Writes buffered bytes now; called before the fd is closed when `persistent`. */
  flusher?: { flushNow(): void };
  /** The file outlives the process (`delete: false`, kept, persisted): its buffer must reach it. */
  persistent?: boolean;
  /** What the object is and where it was made, for a leak warning; only while warnings are on. */
  origin?: string;
  /** Where it is in the list of live entries; -1 while not there. */
  slot: number;
}

/**
 * A registry entry with every field present from the start: a field added
 * later would give the object a second, out-of-line property store.
 */
export function resource(
  fd: number | undefined,
  path: string | undefined,
  tree?: (path: string) => Gen<unknown[]>,
): Resource {
  return { fd, path, tree, flusher: undefined, persistent: false, origin: undefined, slot: -1 };
}

// An array, each entry knowing its slot, not a Set: a Set that goes from one
// entry to none reallocates its table, and every create+close loop does that.
const live: Resource[] = [];

function track(r: Resource): void {
  if (r.slot < 0) r.slot = live.push(r) - 1;
}

/** Drops `r` from the live list; whether it was there. */
function untrack(r: Resource): boolean {
  if (r.slot < 0 || live[r.slot] !== r) return false; // a stale slot must never move another entry
  const last = live.pop()!;
  if (last !== r) {
    live[r.slot] = last;
    last.slot = r.slot;
  }
  r.slot = -1;
  return true;
}

let unhook: (() => void)[] | undefined;
let unhookPending = false;

/**
 * How long the registry stays empty before its process listeners go.
 * Installing signal listeners costs Node ~30 us; without the grace period a
 * create/close loop would pay it on every iteration.
 */
export const UNHOOK_DELAY_MS = 100;

// Python's finaliser: an unreachable object still holding something releases it.
// Made at the first watch: nothing runs at import.
let finalizer: FinalizationRegistry<Resource> | undefined;

function collected(r: Resource): void {
  warnLeak(r.origin, "collected");
  release(r); // nobody is left to tell of a failure
  settleHere(r);
}

/**
 * Closes and deletes what `r` still holds; returns why its path is left, if it
 * is. At exit the descriptor stays open (the process's end closes it): closing
 * it would fail the program's own I/O still in flight on it with EBADF.
 */
function release(r: Resource, atExit = false, unwritten?: string[]): string | undefined {
  let left: string | undefined;
  if (r.fd !== undefined) {
    if (r.persistent) flush(r, unwritten);
    if (!atExit) {
      try {
        runSync(call({ op: "close", fd: r.fd }));
      } catch { /* already closed */ }
      r.fd = undefined;
    }
  }
  if (r.path !== undefined) {
    try {
      const errors = r.tree !== undefined
        ? runSync(r.tree(r.path))
        : (runStepSync(retried({ op: "unlink", path: r.path })), []);
      if (errors.length > 0) left = `${r.path} (${errorCode(errors[0]) ?? errors[0]})`;
      else debugLog("removed", `${r.path} (${atExit ? "at exit" : "collected"})`);
    } catch (err) {
      if (errorCode(err) !== "ENOENT") left = `${r.path} (${errorCode(err) ?? err})`;
    }
    r.path = undefined;
  }
  return left;
}

/**
 * Python flushes a file that outlives the program, at exit and when it is
 * collected; the flusher runs the file's queued calls first. A failure is
 * noted in `unwritten` (at exit, for stderr, as Python's "Exception ignored").
 */
function flush(r: Resource, unwritten?: string[]): void {
  try {
    r.flusher?.flushNow();
  } catch (err) {
    const path = (err as { path?: unknown } | null)?.path;
    unwritten?.push(`${typeof path === "string" ? path : `descriptor ${r.fd}`} (${errorCode(err) ?? err})`);
  }
}

/**
 * Removes every live object now: the exit hook. What cannot be removed is
 * said once on stderr; the exit status stays the program's.
 */
function releaseAll(): void {
  const left: string[] = [];
  const unwritten: string[] = [];
  // A copy: a file's queued close, run by its flusher, leaves the live list.
  for (const r of live.slice()) {
    warnLeak(r.origin, "at exit");
    const why = release(r, true, unwritten);
    if (why !== undefined) left.push(why);
    r.slot = -1;
  }
  live.length = 0;
  removeHooks();
  for (const file of unwritten) console.error(`@x/tempfile: could not write ${file} at exit`);
  if (left.length > 0) {
    console.error(
      `@x/tempfile: could not remove ${left.length} temporary path(s) at exit: ${left.join(", ")}`,
    );
  }
}

function onSignal(signal: ExitSignal): void {
  const hooks = backend().hooks;
  // The program listens too: its handler decides, and the exit hook cleans up later.
  if (hooks.programListens(signal)) return;
  releaseAll();
  hooks.raise(signal); // no listener of ours is left, so the default action applies
}

let signalCleanup = true;

/**
 * Switches the library's signal listeners off (or on again) for the whole
 * process: SIGINT, SIGTERM, SIGHUP (and SIGBREAK on Windows) are then the
 * program's alone, and nothing of this library runs when they arrive; exit
 * hooks (normal end, `exit()`, uncaught errors) and removal at garbage
 * collection stay. While listeners are installed, a program stuck in
 * synchronous code cannot be stopped by these signals at all (the listener
 * waits for the event loop, as any JavaScript handler does); switched off,
 * the signal ends it at once, as without the library, and leaves its temp
 * paths behind, as SIGKILL does.
 *
 * @param enabled `false` to stop listening to signals, `true` (the default) to listen again.
 * @example
 * ```ts
 * import { NamedTemporaryFileSync, setSignalCleanup } from "@x/tempfile";
 * setSignalCleanup(false); // Ctrl-C ends the program at once, even mid-computation
 * using f = NamedTemporaryFileSync();
 * ```
 */
export function setSignalCleanup(enabled: boolean): void {
  if (typeof enabled !== "boolean") throw new TypeError(`setSignalCleanup(): "enabled" must be a boolean`);
  registry().setSignalCleanup(enabled); // the process's registry: another copy's hooks are the ones in place
}

/** This copy's {@linkcode setSignalCleanup}. */
function setSignalCleanupHere(enabled: boolean): void {
  if (enabled === signalCleanup) return;
  signalCleanup = enabled;
  // Listeners in place are re-made to match; none are added for an empty registry.
  if (unhook === undefined) return;
  removeHooks();
  addHooks();
}

function addHooks(): void {
  if (unhook !== undefined) return;
  const hooks = backend().hooks;
  // A worker never listens: signals reach only the main thread's handlers, and
  // a worker's listener would swallow a signal meant for the process.
  const signals = signalCleanup && hooks.mainThread ? platform().exitSignals : [];
  const adders = [
    () => hooks.onExit(releaseAll),
    ...signals.map((s) => () => hooks.onSignal(s, () => onSignal(s))),
  ];
  unhook = [];
  for (const add of adders) {
    try {
      unhook.push(add());
    } catch (err) {
      // A runtime that refuses a signal listener (Deno before 2.7.6 refuses
      // SIGTERM on Windows), or no descriptor left to start listening (Deno):
      // that signal goes unhandled, the rest still works.
      noSignalListener(err);
    }
  }
}

let saidNoDescriptor = false;

/** Says once per process that signals will not clean up for want of descriptors; other refusals are only logged. */
function noSignalListener(err: unknown): void {
  const code = errorCode(err);
  debugLog("no signal listener", String((err as Error)?.message ?? err));
  if ((code === "EMFILE" || code === "ENFILE") && !saidNoDescriptor) {
    saidNoDescriptor = true;
    console.error(
      `@x/tempfile: no file descriptor left to listen to signals (${code}): until one is, a signal ends the process without removing its temporary files`,
    );
  }
}

function removeHooks(): void {
  for (const u of unhook ?? []) u();
  unhook = undefined;
}

/** This copy's {@linkcode watch}. */
function watchHere(owner: object, r: Resource): void {
  (finalizer ??= new FinalizationRegistry(collected)).register(owner, r, r);
  settleHere(r);
}

/** This copy's {@linkcode settle}. */
function settleHere(r: Resource): void {
  if (r.path !== undefined || (r.persistent && r.fd !== undefined)) {
    track(r);
    addHooks();
    return;
  }
  if (r.fd === undefined) finalizer?.unregister(r);
  forget(r);
}

/** This copy's {@linkcode claim}. */
function claimHere(path: string, tree?: (path: string) => Gen<unknown[]>): () => void {
  const r = resource(undefined, path, tree);
  track(r);
  addHooks();
  return () => forget(r);
}

/** Stops tracking `r`; the process listeners go once the registry has stayed empty a while. */
function forget(r: Resource): void {
  if (untrack(r) && live.length === 0 && !unhookPending) {
    unhookPending = true;
    backend().hooks.later(() => {
      unhookPending = false;
      if (live.length === 0) removeHooks();
    }, UNHOOK_DELAY_MS);
  }
}

/** This copy's {@linkcode registryState}. */
function stateHere(): { live: number; hooked: boolean } {
  return { live: live.length, hooked: unhook !== undefined };
}

/**
 * The version of what copies of the library share of the registry: the
 * {@linkcode Registry} operations and the {@linkcode Resource} fields.
 */
export const REGISTRY_PROTOCOL = 2;

/** The registry's operations, as the copy that owns the process's registry offers them to the others. */
interface Registry {
  watch(owner: object, r: Resource): void;
  settle(r: Resource): void;
  claim(path: string, tree?: (path: string) => Gen<unknown[]>): () => void;
  setSignalCleanup(enabled: boolean): void;
  state(): { live: number; hooked: boolean };
}

let processRegistry: Registry | undefined;

/**
 * The process's one registry, with its one set of exit and signal hooks: this
 * copy's, unless another copy of the library (the ES module and the CommonJS
 * build of the npm package, say) got there first.
 */
function registry(): Registry {
  return processRegistry ??= processSlot<Registry>("registry", REGISTRY_PROTOCOL, () => ({
    watch: watchHere,
    settle: settleHere,
    claim: claimHere,
    setSignalCleanup: setSignalCleanupHere,
    state: stateHere,
  }));
}

/**
 * Starts watching `owner`: releases `r` if `owner` is collected, and at exit
 * while `r` has a path to delete or a persistent file to flush. `r` must not
 * reference `owner`, or `owner` could never be collected.
 */
export function watch(owner: object, r: Resource): void {
  registry().watch(owner, r);
}

/**
 * Brings the registry in line with `r` after its owner changed it: tracked for
 * exit while it has a path (or a persistent open file), forgotten once it
 * holds nothing.
 */
export function settle(r: Resource): void {
  registry().settle(r);
}

/**
 * Claims `path` for removal at exit while its creation is in flight; the
 * returned function drops the claim. No finalizer: the claim has no owner.
 */
export function claim(path: string, tree?: (path: string) => Gen<unknown[]>): () => void {
  return registry().claim(path, tree);
}

/** How many objects the process's registry tracks for exit, and whether its hooks are installed; for tests. */
export function registryState(): { live: number; hooked: boolean } {
  return registry().state();
}
