/**
 * What the exit hook does for a file that outlives the process: its unawaited
 * async operations run synchronously, in call order, then its buffer is
 * written. The cleanup registry calls {@linkcode ExitFlush.flushNow}.
 * @module
 */
import { backend } from "./backend.ts";
import { type Gen, type Request, runSync } from "./_requests.ts";
import { stopRecycling } from "./_byte_io.ts";

/**
 * Requests that give the same result and leave the same state when carried
 * out twice: the one in flight at exit is carried out again, synchronously,
 * since nobody can tell whether the runtime's worker thread got to it.
 */
const REPEATABLE = new Set<Request["op"]>([
  "read",
  "size",
  "truncate",
  "fsync",
  "fstat",
  "lstat",
  "readdir",
  "fchmod",
  "chmod",
]);

/**
 * The result to resume an operation with whose `request` was in flight at
 * exit. A positional write is written again (the same bytes at the same
 * place); an append or a close was handed to the runtime before the exit and
 * is taken as done (doing it again would append twice or close a descriptor
 * that may be another's); a sleep is skipped; anything else that creates or
 * removes is failed.
 */
function redo(request: Request): unknown {
  if (request.op === "write") {
    return request.pos === null ? request.buf.length : backend().performSync(request);
  }
  if (REPEATABLE.has(request.op)) return backend().performSync(request);
  if (request.op === "close" || request.op === "sleep") return undefined;
  throw new Error(`interrupted by the process exit: ${request.op}`);
}

/** Carries on with `gen` from `step`, as `runSync` would have from its start. */
function* from<T>(gen: Gen<T>, step: IteratorResult<Request, T>): Gen<T> {
  while (!step.done) {
    let result: unknown;
    try {
      result = yield step.value;
    } catch (err) {
      step = gen.throw(err);
      continue;
    }
    step = gen.next(result);
  }
  return step.value;
}

/** Finishes, synchronously, an operation whose `request` was in flight. */
export function finishSync<T>(gen: Gen<T>, request: Request): T {
  // The runtime may still be writing from that request's buffer: it is never handed out again.
  if (request.op === "write") stopRecycling();
  let result: unknown;
  let failed = false;
  try {
    result = redo(request);
  } catch (err) {
    failed = true;
    result = err;
  }
  return runSync(from(gen, failed ? gen.throw(result) : gen.next(result)));
}

/**
 * The registry's flusher for a named file that outlives the process. It holds
 * neither the file object nor its queue (only weakly), so the file can still
 * be collected; `queue` is set when the file makes its queue.
 */
export class ExitFlush {
  queue: WeakRef<{ drainSync(): unknown }> | undefined = undefined;
  readonly io: { flushNow(): void };
  readonly #path: { readonly path: string };

  /** `path` tells the file's path at the time (a TempPath: `persist` moves it). */
  constructor(io: { flushNow(): void }, path: { readonly path: string }) {
    this.io = io;
    this.#path = path;
  }

  /**
   * Runs the queued operations, then writes the buffer. Every step runs; the
   * first failure is thrown after them, with the file's path.
   */
  flushNow(): void {
    let failure = this.queue?.deref()?.drainSync();
    try {
      this.io.flushNow();
    } catch (err) {
      failure ??= err;
    }
    if (failure === undefined) return;
    if (failure instanceof Error && (failure as { path?: unknown }).path === undefined) {
      (failure as { path?: string }).path = this.#path.path;
    }
    throw failure;
  }
}
