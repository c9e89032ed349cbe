/**
 * The ordering of unawaited async calls on one file: each call starts after
 * every call made before it, so `f.write(a); f.write(b)` writes `a` first,
 * as the same calls on a Python file would.
 * @module
 */

const noop = () => {};

/**
 * A chain of tasks that run one at a time, in the order they were pushed.
 * It holds its file: each task's promise chain reaches the queue, so a file
 * stays reachable while a task runs, even one nobody awaits. Collected
 * mid-task, its finalizer would close the descriptor under the task, and the
 * task's own close(2) would then hit EBADF or another file's descriptor.
 */
export class CallQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  readonly owner: object;

  constructor(owner: object) {
    this.owner = owner;
  }

  /** Whether no task is queued or running. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  /** Runs `task` after every task pushed before it; a failed task does not stop later ones. */
  push<R>(task: () => Promise<R>): Promise<R> {
    this.#pending++;
    const run = this.#tail.then(task).finally(() => void this.#pending--);
    this.#tail = run.catch(noop);
    return run;
  }
}
