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
  /** Makes the operation; it refers to the file, so it is kept until the task is done, then dropped. */
  make: (() => Gen<unknown>) | undefined;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** The task whose request is being carried out, and that request. */
interface InFlight {
  task: Task;
  gen: Gen<unknown>;
  request: Request | undefined;
  /** Set when the exit hook has finished the task: the async driver stops. */
  taken: boolean;
  /** Set just before the task's caller is told: a sync call may follow at once. */
  finished: boolean;
}

/** Runs `current`'s operation with asynchronous calls, as `run` does, showing each request to the exit hook. */
async function drive(current: InFlight): Promise<void> {
  const { task, gen } = current;
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
      if (current.taken) return; // the exit hook finished it
      step = failed ? gen.throw(result) : gen.next(result);
    }
    task.make = undefined;
    current.finished = true;
    task.resolve(step.value);
  } catch (err) {
    task.make = undefined;
    current.finished = true;
    task.reject(err);
  }
}

/**
 * A queue of operations that run one at a time, in the order they were
 * pushed. A task holds its file while it runs: the pending request's promise
 * chain reaches the task, and the task the function that made its operation,
 * which refers to the file; so a file stays reachable even when nobody awaits
 * it. Collected mid-task, its finalizer would close the descriptor under the
 * task, and the task's own close(2) would then hit EBADF or another file's
 * descriptor. The queue itself never refers to the file: a runtime may keep
 * settled promises, and what they reach, a while (Bun does), and a file must
 * be collectable as soon as its last task is done.
 */
export class CallQueue {
  #waiting: Task[] = [];
  #next = 0;
  #current: InFlight | undefined;
  #pumping = false;

  /** Whether no task is queued or running. */
  get idle(): boolean {
    return (this.#current === undefined || this.#current.finished) && this.#next === this.#waiting.length;
  }

  /** Runs the operation `make` returns after every one pushed before it; a failed one does not stop later ones. */
  push<R>(make: () => Gen<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ make, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#pumping) {
        this.#pumping = true;
        void Promise.resolve().then(() => this.#pump());
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

  /** The task's operation. */
  static #start(task: Task): Gen<unknown> {
    return task.make!();
  }

  async #pump(): Promise<void> {
    for (let task = this.#take(); task !== undefined; task = this.#take()) await this.#run(task);
    this.#pumping = false;
  }

  /** Runs one task with asynchronous calls, showing the request in flight to the exit hook. */
  async #run(task: Task): Promise<void> {
    let gen: Gen<unknown>;
    try {
      gen = CallQueue.#start(task);
    } catch (err) {
      task.make = undefined;
      return task.reject(err);
    }
    const current: InFlight = { task, gen, request: undefined, taken: false, finished: false };
    this.#current = current;
    await drive(current);
    if (this.#current === current) this.#current = undefined;
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
      task.make = undefined;
      task.reject(err);
    };
    const current = this.#current;
    this.#current = undefined;
    if (current !== undefined && !current.finished && current.request !== undefined) {
      current.taken = true;
      try {
        current.task.make = undefined;
        current.task.resolve(finishSync(current.gen, current.request));
      } catch (err) {
        fail(current.task, err);
      }
    }
    for (let task = this.#take(); task !== undefined; task = this.#take()) {
      try {
        const value = runSync(CallQueue.#start(task));
        task.make = undefined;
        task.resolve(value);
      } catch (err) {
        fail(task, err);
      }
    }
    return first;
  }
}
