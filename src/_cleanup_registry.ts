/**
 * The one registry of live temp objects that would delete themselves. It
 * removes them at process exit, on a terminating signal the program does not
 * handle itself, and when their object is garbage-collected. It holds no
 * reference to the objects, only to what must be released.
 * @module
 */
import { backend, type ExitSignal } from "./backend.ts";
import { platform } from "./_platform.ts";
import { removeTree } from "./_remove_tree.ts";
import { call, runSync } from "./_requests.ts";

/** What must be released for one temp object: its open descriptor and the path to delete. */
export interface Resource {
  fd?: number;
  path?: string;
  directory?: boolean;
}

const live = new Set<Resource>();
let unhook: (() => void)[] | undefined;
let unhookPending = false;

/**
 * How long the registry stays empty before its process listeners go.
 * Installing signal listeners costs Node ~30 us; without the grace period a
 * create/close loop would pay it on every iteration.
 */
export const UNHOOK_DELAY_MS = 100;

// Python's finaliser: an unreachable object still holding something releases it.
const finalizer = new FinalizationRegistry<Resource>((r) => {
  release(r);
  settle(r);
});

/** Closes and deletes what `r` still holds, ignoring errors: nobody is left to tell. */
function release(r: Resource): void {
  if (r.fd !== undefined) {
    try {
      runSync(call({ op: "close", fd: r.fd }));
    } catch { /* already closed */ }
    r.fd = undefined;
  }
  if (r.path !== undefined) {
    try {
      runSync<unknown>(r.directory ? removeTree(r.path) : call({ op: "unlink", path: r.path }));
    } catch { /* gone already, or not ours to fix */ }
    r.path = undefined;
  }
}

/** Removes every live object now: the exit hook. */
function releaseAll(): void {
  for (const r of live) release(r);
  live.clear();
  removeHooks();
}

function onSignal(signal: ExitSignal): void {
  const hooks = backend().hooks;
  // The program listens too: its handler decides, and the exit hook cleans up later.
  if (hooks.programListens(signal)) return;
  releaseAll();
  hooks.raise(signal); // no listener of ours is left, so the default action applies
}

function addHooks(): void {
  if (unhook !== undefined) return;
  const hooks = backend().hooks;
  unhook = [
    hooks.onExit(releaseAll),
    ...platform().exitSignals.map((s) => hooks.onSignal(s, () => onSignal(s))),
  ];
}

function removeHooks(): void {
  for (const u of unhook ?? []) u();
  unhook = undefined;
}

/**
 * Starts watching `owner`: releases `r` if `owner` is collected, and at exit
 * while `r` has a path to delete.
 */
export function watch(owner: object, r: Resource): void {
  finalizer.register(owner, r, r);
  settle(r);
}

/**
 * Brings the registry in line with `r` after its owner changed it: tracked for
 * exit while it has a path, forgotten once it holds nothing.
 */
export function settle(r: Resource): void {
  if (r.path !== undefined) {
    live.add(r);
    addHooks();
    return;
  }
  if (r.fd === undefined) finalizer.unregister(r);
  if (live.delete(r) && live.size === 0 && !unhookPending) {
    unhookPending = true;
    backend().hooks.later(() => {
      unhookPending = false;
      if (live.size === 0) removeHooks();
    }, UNHOOK_DELAY_MS);
  }
}

/** How many objects are tracked for exit, and whether the hooks are installed; for tests. */
export function registryState(): { live: number; hooked: boolean } {
  return { live: live.size, hooked: unhook !== undefined };
}
