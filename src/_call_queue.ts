/**
 * The ordering of unawaited async calls on one file: each call starts after
 * every call made before it, so `f.write(a); f.write(b)` writes `a` first,
 * as the same calls on a Python file would. The calls are operations
 * (generators), not promises, so the exit hook can still run them: see
 * {@linkcode CallQueue.drainSync}.
 * @module
 */
import { backend } from "./backend.ts";
import { type Gen, type Request, runSync } from "./_requests.ts";
import { finishSync } from "./_exit_drain.ts";

interface Task {
  make: () => Gen<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** The task whose request is being carried out, and that request. */
interface InFlight {
  task: Task;
  gen: Gen<unknown>;
  request: Request | undefined;
}

/**
 * A queue of operations that run one at a time, in the order they were
 * pushed. It holds its file: while a task runs, the pending request's promise
 * chain reaches the queue, so a file stays reachable even when nobody awaits
 * it. Collected mid-task, its finalizer would close the descriptor under the
 * task, and the task's own close(2) would then hit EBADF or another file's
 * descriptor.
 */
export class CallQueue {
  #waiting: Task[] = [];
  #next = 0;
  #current: InFlight | undefined;
  #pumping = false;
  readonly owner: object;

  constructor(owner: object) {
    this.owner = owner;
  }

  /** Whether no task is queued or running. */
  get idle(): boolean {
    return this.#current === undefined && this.#next === this.#waiting.length;
  }

  /** Runs the operation `make` returns after every one pushed before it; a failed one does not stop later ones. */
  push<R>(make: () => Gen<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ make, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#pumping) {
        this.#pumping = true;
        queueMicrotask(() => void this.#pump());
      }
    });
  }

  #take(): Task | undefined {
    const task = this.#waiting[this.#next];
    if (task === undefined) return undefined;
    this.#waiting[this.#next++] = undefined as unknown as Task;
    if (this.#next === this.#waiting.length) this.#waiting.length = this.#next = 0;
    return task;
  }

  async #pump(): Promise<void> {
    for (let task = this.#take(); task !== undefined; task = this.#take()) await this.#run(task);
    this.#pumping = false;
  }

  /** Runs one task with asynchronous calls, as `run` does, showing the request in flight to the exit hook. */
  async #run(task: Task): Promise<void> {
    let gen: Gen<unknown>;
    try {
      gen = task.make();
    } catch (err) {
      return task.reject(err);
    }
    const current: InFlight = { task, gen, request: undefined };
    this.#current = current;
    try {
      let step = gen.next();
      while (!step.done) {
        current.request = step.value;
        let result: unknown;
        let failed = false;
        try {
          result = await backend().perform(step.value);
        } catch (err) {
          failed = true;
          result = err;
        }
        if (this.#current !== current) return; // the exit hook finished it
        step = failed ? gen.throw(result) : gen.next(result);
      }
      task.resolve(step.value);
    } catch (err) {
      task.reject(err);
    } finally {
      if (this.#current === current) this.#current = undefined;
    }
  }

  /**
   * Runs, synchronously and in order, the operation in flight (from its
   * pending request on; see `finishSync`) and every queued one: at exit,
   * where no promise will settle any more. Returns the first failure.
   */
  drainSync(): unknown {
    let first: unknown;
    const fail = (task: Task, err: unknown) => {
      first ??= err;
      task.reject(err);
    };
    const current = this.#current;
    this.#current = undefined;
    if (current !== undefined && current.request !== undefined) {
      try {
        current.task.resolve(finishSync(current.gen, current.request));
      } catch (err) {
        fail(current.task, err);
      }
    }
    for (let task = this.#take(); task !== undefined; task = this.#take()) {
      try {
        task.resolve(runSync(task.make()));
      } catch (err) {
        fail(task, err);
      }
    }
    return first;
  }
}
