/**
 * `TempPath`: a temporary file's name and lifetime, apart from its content.
 * It owns the path, the deletion policy (Python 3.12's `delete` and
 * `delete_on_close`), the unlink, `persist`, `keep`, and the path's entry in
 * the cleanup registry, as Rust tempfile's `TempPath` and CPython's
 * `_TemporaryFileCloser` do.
 * @module
 */
import { claim, type Resource, settle } from "./_cleanup_registry.ts";
import { errorCode, UnsupportedOperation } from "./errors.ts";
import { call, type Gen, isRequest, NOTHING, runStepSync, stepGen } from "./_requests.ts";
import { debugLog } from "./diagnostics.ts";
import { retried } from "./_retried.ts";
import { openExclusive } from "./_create_unique.ts";

/** What `link` says where the file system has no hard links: FAT and exFAT (EPERM, EISDIR from libuv), SMB, FUSE. */
const NO_LINKS = new Set(["EPERM", "EISDIR", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/** When a named file is removed. */
export interface DeletePolicy {
  /** Remove the file at all: at disposal, exit, or collection. */
  readonly delete: boolean;
  /** Remove it at `close()` already. */
  readonly deleteOnClose: boolean;
}

/** The three policies there are, shared: a creation allocates none. */
const POLICIES = {
  atClose: { delete: true, deleteOnClose: true },
  atDisposal: { delete: true, deleteOnClose: false },
  never: { delete: false, deleteOnClose: false },
} as const satisfies Record<string, DeletePolicy>;

/** Python 3.12's `delete` and `delete_on_close` as a policy. */
export function deletePolicy(del: boolean, onClose: boolean): DeletePolicy {
  return !del ? POLICIES.never : onClose ? POLICIES.atClose : POLICIES.atDisposal;
}

/** A path that is removed when its policy says so, or kept or renamed on request. */
export class TempPath {
  #path: string;
  #policy: DeletePolicy;
  #removed = false;
  /** The file's registry entry (its byte layer's): holds the path while deletion is due. */
  #res: Resource;

  /** `res` is the entry its file's descriptor is registered with; the path joins it. */
  constructor(path: string, policy: DeletePolicy, res: Resource) {
    this.#path = path;
    this.#policy = policy;
    this.#res = res;
    if (policy.delete) res.path = path;
    else res.persistent = true;
    settle(res);
  }

  /** The absolute path: the creation path, or the `persist` destination. */
  get path(): string {
    return this.#path;
  }

  /** Whether no deletion is due any more: `delete: false`, `keep()` or `persist`. */
  get kept(): boolean {
    return !this.#policy.delete;
  }

  /** Whether `close()` (`dispose`: disposal) removes the path. */
  removedAt(dispose: boolean): boolean {
    return dispose ? this.#policy.delete : this.#policy.deleteOnClose;
  }

  /** Stops every later deletion (dispose, exit, signals, collection) and returns the path. */
  keep(): string {
    if (this.#policy.delete) debugLog("kept", this.#path);
    this.#persistent();
    return this.#path;
  }

  #forget(): void {
    this.#res.path = undefined;
    settle(this.#res);
  }

  /** No deletion is due any more: the file outlives the process, so its buffer must reach it. */
  #persistent(): void {
    this.#policy = POLICIES.never;
    this.#res.persistent = true;
    this.#forget();
  }

  /**
   * Unlinks the path once; already gone (ENOENT) is success. A path another
   * process holds open (Windows: EBUSY/EPERM) is retried for a while; if it
   * still stays, the error is thrown and the path is kept for the next
   * disposal, collection or the exit hook, never forgotten.
   */
  remove(): Gen<void> {
    return this.#removed ? NOTHING : this.#removing();
  }

  *#removing(): Gen<void> {
    try {
      const step = retried({ op: "unlink", path: this.#path });
      if (isRequest(step)) yield step;
      else yield* step;
    } catch (err) {
      return this.#unlinkFailed(err);
    }
    this.#unlinked();
  }

  /** {@linkcode TempPath.remove}, synchronously, with no generator where nothing is retried. */
  removeSync(): void {
    if (this.#removed) return;
    try {
      runStepSync(retried({ op: "unlink", path: this.#path }));
    } catch (err) {
      return this.#unlinkFailed(err);
    }
    this.#unlinked();
  }

  #unlinked(): void {
    debugLog("removed", this.#path);
    this.#gone();
  }

  /** Already gone (ENOENT) is success; anything else is thrown, and the path stays due. */
  #unlinkFailed(err: unknown): void {
    if (errorCode(err) !== "ENOENT") throw err;
    this.#gone();
  }

  #gone(): void {
    this.#removed = true;
    this.#forget();
  }

  /**
   * Renames the path onto `dest` (replacing it unless `overwrite` is false:
   * then link+unlink, which never replaces) and stops deleting it. The
   * caller flushes and fsyncs the content first. A rename refused because
   * another process holds a file open (Windows) is retried for a while.
   */
  *persist(dest: string, overwrite: boolean): Gen<void> {
    if (this.#removed) throw new UnsupportedOperation("persist needs a named file that still exists");
    if (overwrite) yield* stepGen(retried({ op: "rename", from: this.#path, to: dest }));
    else yield* this.#persistNoClobber(dest);
    debugLog("persisted", `${this.#path} -> ${dest}`);
    this.#path = dest;
    this.#persistent();
  }

  /** Moves the file onto `dest` only if nothing is there (EEXIST otherwise, both files as they were). */
  *#persistNoClobber(dest: string): Gen<void> {
    try {
      // link() never replaces dest.
      yield* call({ op: "link", from: this.#path, to: dest });
    } catch (err) {
      if (!NO_LINKS.has(errorCode(err) ?? "")) throw err;
      return yield* this.#reserveAndRename(dest);
    }
    // The content is at dest: persist has succeeded whatever the old name does.
    try {
      yield* stepGen(retried({ op: "unlink", path: this.#path }));
    } catch (err) {
      // Held open elsewhere: the old name is a second link to dest's content, removed at exit.
      if (errorCode(err) !== "ENOENT") claim(this.#path);
    }
  }

  /**
   * No hard links on this file system: dest is created exclusively (EEXIST if
   * taken), then our file is renamed onto that reservation. Another process
   * that deletes and recreates dest in between is overwritten, which link()
   * would have refused.
   */
  *#reserveAndRename(dest: string): Gen<void> {
    yield* call({ op: "close", fd: yield* openExclusive(dest, 0o600) });
    try {
      yield* stepGen(retried({ op: "rename", from: this.#path, to: dest }));
    } catch (err) {
      try {
        yield* call({ op: "unlink", path: dest });
      } catch { /* the rename's error is the one to report */ }
      throw err;
    }
  }
}
