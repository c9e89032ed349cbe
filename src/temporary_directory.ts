/**
 * `TemporaryDirectory`: a private directory removed at disposal, with
 * Python 3.12's `delete` and `ignore_cleanup_errors`.
 * @module
 */
import { type Resource, resource, settle, watch } from "./_cleanup_registry.ts";
import { debugLog, origin } from "./diagnostics.ts";
import { makeDirectory, makeDirectorySync, MKDTEMP_CHECKS, type MkdtempOptions } from "./mkdtemp.ts";
import type { PermissionsOption } from "./_permissions.ts";
import { boolean, checkOptions } from "./_options.ts";
import type { NameOptions } from "./_names.ts";
import { removeTree } from "./_remove_tree.ts";
import { run, runSync } from "./_requests.ts";
import { disposedAfter } from "./_disposed_after.ts";
import { showsItself } from "./_inspect.ts";

/** Options of {@linkcode TemporaryDirectory}. */
export interface TemporaryDirectoryOptions extends NameOptions, PermissionsOption {
  /** Swallow removal errors, leaving what could not be removed (default `false`). */
  ignoreCleanupErrors?: boolean;
  /** Remove the directory at disposal (default `true`); `cleanup()` always removes it. */
  delete?: boolean;
}

const CHECKS = /* @__PURE__ */ Object.assign({}, MKDTEMP_CHECKS, {
  ignoreCleanupErrors: boolean,
  delete: boolean,
});

/** How a {@linkcode TempDir} treats its directory. */
interface TempDirPolicy {
  ignoreCleanupErrors: boolean;
  delete: boolean;
}

/**
 * A directory created with mode 0o700 and removed, with everything in it, by
 * `cleanup()` or at disposal. Removal never follows a symbolic link.
 */
export class TempDir implements Disposable, AsyncDisposable {
  /** The absolute path. */
  readonly name: string;
  #ignoreErrors: boolean;
  #delete: boolean;
  #removed = false;
  /** Removed at exit or when this object is dropped, unless `delete: false`. */
  #res: Resource;

  /** What console.log, util.inspect and Deno.inspect show: the path and its state. */
  static #fields = (d: TempDir): [string, unknown][] => {
    return [["name", d.name], ["kept", !d.#delete], ["removed", d.#removed]];
  };

  /**
   * Made by {@linkcode TemporaryDirectory}. Internal: its parameters are not public API.
   * @ignore
   */
  constructor(name: string, options: { ignoreCleanupErrors: boolean; delete: boolean }) {
    // On the first construction, not in a static block: a bundler keeps a class with one even when unused.
    showsItself(TempDir.prototype, TempDir.#fields);
    this.name = name;
    this.#ignoreErrors = options.ignoreCleanupErrors;
    this.#delete = options.delete;
    this.#res = resource(undefined, name, removeTree);
    this.#res.origin = origin("TemporaryDirectory", name);
    if (this.#delete) watch(this, this.#res);
  }

  #settle(errors: unknown[]): void {
    if (errors.length === 0) {
      debugLog("removed", `${this.name} (tree)`);
      this.#removed = true;
      this.#res.path = undefined;
      settle(this.#res);
    } else if (!this.#ignoreErrors) throw errors[0];
    // With ignoreCleanupErrors, what is left stays for a later cleanup().
  }

  /**
   * Removes the directory and everything in it. A second call, or a directory
   * already gone, is not an error. A path replaced by a file or a link is not
   * followed: it throws ENOTDIR unless `ignoreCleanupErrors`.
   */
  cleanupSync(): void {
    if (!this.#removed) this.#settle(runSync(removeTree(this.name)));
  }

  /** The async twin of {@linkcode TempDir.cleanupSync}. */
  async cleanup(): Promise<void> {
    if (!this.#removed) this.#settle(await run(removeTree(this.name)));
  }

  /**
   * Stops every later removal (disposal, exit, signals, collection) and
   * returns the path, which the caller now owns. `cleanup()` still removes.
   *
   * @returns The absolute path.
   * @example
   * ```ts
   * import { TemporaryDirectorySync } from "@x/tempfile";
   * using dir = TemporaryDirectorySync({ prefix: "artifacts-" });
   * const kept = dir.keep(); // survives the end of the block
   * ```
   */
  keep(): string {
    if (this.#delete) debugLog("kept", this.name);
    this.#delete = false;
    this.#res.path = undefined;
    settle(this.#res);
    return this.name;
  }

  /** The absolute path, as `name`: so that `` `${dir}/data.json` `` is a path in it. */
  toString(): string {
    return this.name;
  }

  /** Removes the directory unless `delete: false`: the end of a `using` block. */
  [Symbol.dispose](): void {
    if (this.#delete) this.cleanupSync();
  }

  /** Removes the directory unless `delete: false`: the end of an `await using` block. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#delete) await this.cleanup();
  }
}

/** The object {@linkcode TemporaryDirectory} returns. */
export type TemporaryDirectory = TempDir;

/** The checked options: what makes the directory, and how the object treats it. */
function checked(options: TemporaryDirectoryOptions | undefined): [MkdtempOptions, TempDirPolicy] {
  const o = checkOptions("TemporaryDirectory", options, CHECKS);
  return [o, { ignoreCleanupErrors: o.ignoreCleanupErrors ?? false, delete: o.delete ?? true }];
}

/**
 * Creates a directory with a unique name and mode 0o700, removed with its
 * content at disposal.
 *
 * @param options `prefix`, `suffix`, `dir`, `ignoreCleanupErrors`, `delete`, `permissions`.
 * @returns The directory; `name` is its absolute path.
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { TemporaryDirectorySync } from "@x/tempfile";
 * using dir = TemporaryDirectorySync({ prefix: "build-" });
 * writeFileSync(`${dir.name}/a.txt`, "a");
 * // removed, with a.txt, when the block ends
 * ```
 */
export function TemporaryDirectorySync(options?: TemporaryDirectoryOptions): TempDir {
  const [o, policy] = checked(options);
  return new TempDir(makeDirectorySync(o), policy);
}

/**
 * The async twin of {@linkcode TemporaryDirectorySync}.
 *
 * @param options `prefix`, `suffix`, `dir`, `ignoreCleanupErrors`, `delete`, `permissions`.
 * @returns The directory.
 * @example
 * ```ts
 * import { writeFile } from "node:fs/promises";
 * import { TemporaryDirectory } from "@x/tempfile";
 * await using dir = await TemporaryDirectory();
 * await writeFile(`${dir.name}/data.json`, "{}");
 * ```
 */
export async function TemporaryDirectory(options?: TemporaryDirectoryOptions): Promise<TempDir> {
  const [o, policy] = checked(options);
  return new TempDir(await run(makeDirectory(o)), policy);
}

/**
 * Runs `fn` with the path of a new temporary directory and removes the
 * directory afterwards, whether `fn` returns or throws: `await using` for
 * plain JavaScript on Node 20/22.
 *
 * @param fn Receives the directory's absolute path.
 * @param options As for {@linkcode TemporaryDirectory}.
 * @returns What `fn` returns.
 * @example
 * ```ts
 * import { writeFile } from "node:fs/promises";
 * import { withTemporaryDirectory } from "@x/tempfile";
 * await withTemporaryDirectory(async (dir) => {
 *   await writeFile(`${dir}/scratch.txt`, "temporary");
 * });
 * ```
 */
export function withTemporaryDirectory<R>(
  fn: (name: string) => R | Promise<R>,
  options?: TemporaryDirectoryOptions,
): Promise<R> {
  return disposedAfter(TemporaryDirectory(options), (dir) => fn(dir.name));
}
