/**
 * `TempPath`: a temporary file's name and lifetime, apart from its content.
 * It owns the path, the deletion policy (Python 3.12's `delete` and
 * `delete_on_close`), the unlink, `persist`, `keep`, and the path's entry in
 * the cleanup registry, as Rust tempfile's `TempPath` and CPython's
 * `_TemporaryFileCloser` do.
 * @module
 */
import { type Resource, settle } from "./_cleanup_registry.ts";
import { errorCode, UnsupportedOperation } from "./errors.ts";
import { call, type Gen } from "./_requests.ts";
import { debugLog } from "./diagnostics.ts";

/** When a named file is removed. */
export interface DeletePolicy {
  /** Remove the file at all: at disposal, exit, or collection. */
  delete: boolean;
  /** Remove it at `close()` already. */
  deleteOnClose: boolean;
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

  /** What `close()` does to the path. */
  *closed(): Gen<void> {
    if (this.#policy.deleteOnClose) yield* this.remove();
  }

  /** What disposal does to the path. */
  *disposed(): Gen<void> {
    if (this.#policy.delete) yield* this.remove();
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
    this.#policy = { delete: false, deleteOnClose: false };
    this.#res.persistent = true;
    this.#forget();
  }

  /** Unlinks the path once; already gone (ENOENT) is success. */
  *remove(): Gen<void> {
    if (this.#removed) return;
    this.#removed = true;
    try {
      yield* call({ op: "unlink", path: this.#path });
      debugLog("removed", this.#path);
    } catch (err) {
      if (errorCode(err) !== "ENOENT") throw err;
    } finally {
      this.#forget();
    }
  }

  /**
   * Renames the path onto `dest` (replacing it unless `overwrite` is false:
   * then link+unlink, which never replaces) and stops deleting it. The
   * caller flushes and fsyncs the content first.
   */
  *persist(dest: string, overwrite: boolean): Gen<void> {
    if (this.#removed) throw new UnsupportedOperation("persist needs a named file that still exists");
    if (overwrite) {
      yield* call({ op: "rename", from: this.#path, to: dest });
    } else {
      // link() never replaces dest: EEXIST leaves both files as they were.
      yield* call({ op: "link", from: this.#path, to: dest });
      yield* this.remove();
      this.#removed = false;
    }
    debugLog("persisted", `${this.#path} -> ${dest}`);
    this.#path = dest;
    this.#persistent();
  }
}
