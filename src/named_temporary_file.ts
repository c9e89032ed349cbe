/**
 * `NamedTemporaryFile`: a file object composed with a {@linkcode TempPath},
 * so it has a name others can open, Python 3.12's deletion policy, and
 * Rust tempfile's `persist` and `keep`.
 * @module
 */
import { boolean, checkOptions, type OptionReader } from "./_options.ts";
import { NAME_CHECKS, type Names, resolveNames } from "./_names.ts";
import { absolutePath } from "./_platform.ts";
import { createUnique, createUniqueSync, openNamed } from "./_create_unique.ts";
import { permissionsCheck, type PermissionsOption } from "./_permissions.ts";
import type { DataOfMode, ModeOption } from "./open_mode.ts";
import { type Gen, run, type Step } from "./_requests.ts";
import { disposedAfter } from "./_disposed_after.ts";
import { type FileData, queuedOn, syncOn, TempFile } from "./temp_file.ts";
import { type DeletePolicy, deletePolicy, TempPath } from "./_temp_path.ts";
import {
  appendFlag,
  bufferedIO,
  FILE_CHECKS,
  type FilePlan,
  fileState,
  planFile,
  type TemporaryFileOptions,
} from "./temporary_file.ts";
import type { FileState } from "./_file_ops.ts";

/** Options of {@linkcode NamedTemporaryFile}. */
export interface NamedTemporaryFileOptions<M extends string = ModeOption>
  extends TemporaryFileOptions<M>, PermissionsOption {
  /** Remove the file at all (default `true`). */
  delete?: boolean;
  /** Remove it on `close()` already, not only at disposal (default `true`). */
  deleteOnClose?: boolean;
}

/** Options of {@linkcode NamedTempFile.persist}. */
export interface PersistOptions {
  /** Replace an existing `dest` (default `true`); with `false`, an existing `dest` gives EEXIST. */
  overwrite?: boolean;
}

/** The checks of {@linkcode NamedTemporaryFileOptions}. */
export const NAMED_CHECKS = /* @__PURE__ */ Object.assign({}, FILE_CHECKS, {
  delete: boolean,
  deleteOnClose: boolean,
  permissions: permissionsCheck,
});

/**
 * Reads {@linkcode NAMED_CHECKS}' options, in its order. Written out rather
 * than spread from readFileOptions: the spread cost 0.04-0.06 us of a 0.8 us
 * create; tests/options.test.ts holds both readers to their tables.
 */
export const readNamedOptions: OptionReader<NamedTemporaryFileOptions> = (o) => ({
  prefix: o.prefix,
  suffix: o.suffix,
  dir: o.dir,
  mode: o.mode,
  buffering: o.buffering,
  encoding: o.encoding,
  errors: o.errors,
  newline: o.newline,
  delete: o.delete,
  deleteOnClose: o.deleteOnClose,
  permissions: o.permissions,
});

/**
 * A temporary file with a name in the file system, which other processes can
 * open. Removal follows Python 3.12: `close()` removes it when `delete` and
 * `deleteOnClose` are both set; disposal removes it whenever `delete` is set.
 */
export class NamedTempFile<T extends FileData = Uint8Array> extends TempFile<T> {
  #path: TempPath;

  /**
   * Made by {@linkcode NamedTemporaryFile}. Internal: its parameters are not public API.
   * @ignore
   */
  constructor(plan: FilePlan, fd: number, path: string, policy: DeletePolicy) {
    const io = bufferedIO(plan, fd);
    const tempPath = new TempPath(path, policy, io.resource);
    super(fileState(plan, io), plan.diskMode, tempPath);
    this.#path = tempPath;
  }

  /** The absolute path. Writes are buffered: flush before another process reads it. */
  override get name(): string {
    return this.#path.path;
  }

  /** The absolute path, as `name`: so that `` `${f}` `` is the path. */
  override toString(): string {
    return this.#path.path;
  }

  /**
   * Stops every later deletion of the file (at close, disposal, exit, on a
   * signal or at collection) and returns its path. The descriptor still
   * closes at disposal. Like Rust tempfile's `keep()`; `persist` also renames.
   *
   * @returns The absolute path, which the caller now owns.
   * @example
   * ```ts
   * import { NamedTemporaryFileSync } from "@x/tempfile";
   * const f = NamedTemporaryFileSync({ mode: "w" });
   * f.writeSync("kept");
   * const path = f.keep();
   * f.closeSync(); // the file stays at `path`
   * ```
   */
  keep(): string {
    return this.#path.keep();
  }

  /**
   * The atomic-write pattern: flushes, fsyncs and renames the file onto
   * `dest`, then stops deleting it; the file stays open under its new name.
   * With `overwrite: false` an existing `dest` is never replaced (EEXIST).
   * Across file systems it fails with EXDEV and leaves the temp file intact.
   *
   * @param dest The final path (relative to the current directory, or a `file:` URL).
   * @param options `overwrite` (default `true`).
   * @example
   * ```ts
   * import { NamedTemporaryFileSync } from "@x/tempfile";
   * const f = NamedTemporaryFileSync({ mode: "w", dir: "." });
   * f.writeSync('{"ok": true}');
   * f.persistSync("config.json");
   * f.closeSync();
   * ```
   */
  persistSync(dest: string | URL, options?: PersistOptions): void {
    const [to, overwrite] = persistArgs(dest, options);
    syncOn(this, (f) => this.#persist(f, to, overwrite));
  }

  /**
   * The async twin of {@linkcode NamedTempFile.persistSync}.
   *
   * @param dest The final path.
   * @param options `overwrite` (default `true`).
   * @example
   * ```ts
   * import { NamedTemporaryFile } from "@x/tempfile";
   * await using f = await NamedTemporaryFile({ mode: "w", dir: "." });
   * await f.write("complete contents");
   * await f.persist("output.txt", { overwrite: false });
   * ```
   */
  persist(dest: string | URL, options?: PersistOptions): Promise<void> {
    try {
      const [to, overwrite] = persistArgs(dest, options);
      return queuedOn(this, (f) => this.#persist(f, to, overwrite));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  *#persist(f: FileState, dest: string, overwrite: boolean): Gen<void> {
    yield* f.io.sync();
    yield* this.#path.persist(dest, overwrite);
  }
}

/** The object {@linkcode NamedTemporaryFile} returns. */
export type NamedTemporaryFile<T extends FileData = Uint8Array> = NamedTempFile<T>;

const PERSIST_CHECKS = { overwrite: boolean };

function persistArgs(dest: string | URL, options: PersistOptions | undefined): [string, boolean] {
  NAME_CHECKS.dir("persist", "dest", dest);
  const o = checkOptions("persist", options, PERSIST_CHECKS);
  return [absolutePath(dest), o.overwrite ?? true];
}

/** A checked request for a named file: everything but the I/O, which the sync and async factories drive. */
interface NamedFileRequest {
  plan: FilePlan;
  names: Names;
  policy: DeletePolicy;
  /** Creates one candidate. */
  create: (path: string) => Step<number>;
}

/** The creator of a private file with no extra flag or mode: shared, so most creations make no closure. */
const openPrivate = (path: string): Step<number> => openNamed(path, 0o600);

function namedRequest(options: NamedTemporaryFileOptions | undefined): NamedFileRequest {
  const o = checkOptions("NamedTemporaryFile", options, NAMED_CHECKS, readNamedOptions);
  const plan = planFile("NamedTemporaryFile", o);
  const extra = appendFlag(plan);
  const exact = o.permissions;
  return {
    plan,
    names: resolveNames(o),
    policy: deletePolicy(o.delete ?? true, o.deleteOnClose ?? true),
    create: extra === 0 && exact === undefined ? openPrivate : (path) => openNamed(path, 0o600, extra, exact),
  };
}

function namedFile(r: NamedFileRequest, [fd, path]: [number, string]): NamedTempFile<FileData> {
  return new NamedTempFile(r.plan, fd, path, r.policy);
}

/**
 * Creates a temporary file with a unique name, exclusively and with mode
 * 0o600. `name` is its absolute path.
 *
 * @param options Every {@linkcode TemporaryFile} option, plus `delete` and `deleteOnClose` (both default `true`) and `permissions`.
 * @returns The open file.
 * @example
 * ```ts
 * import { NamedTemporaryFileSync } from "@x/tempfile";
 * using f = NamedTemporaryFileSync({ suffix: ".txt", mode: "w" });
 * f.writeSync("hello");
 * f.flushSync();
 * console.log(f.name); // "/tmp/tmpXXXXXXXX.txt": readable by other processes
 * ```
 */
export function NamedTemporaryFileSync<M extends string = "w+b">(
  options?: NamedTemporaryFileOptions<M>,
): NamedTempFile<DataOfMode<M>> {
  const r = namedRequest(options);
  return namedFile(r, createUniqueSync(r.names, r.create)) as NamedTempFile<DataOfMode<M>>;
}

/**
 * The async twin of {@linkcode NamedTemporaryFileSync}.
 *
 * @param options Every {@linkcode TemporaryFile} option, plus `delete`, `deleteOnClose` and `permissions`.
 * @returns The open file.
 * @example
 * ```ts
 * import { NamedTemporaryFile } from "@x/tempfile";
 * await using f = await NamedTemporaryFile({ mode: "w+" });
 * await f.write("line 1\nline 2\n");
 * await f.seek(0);
 * for await (const line of f) console.log(line);
 * ```
 */
export async function NamedTemporaryFile<M extends string = "w+b">(
  options?: NamedTemporaryFileOptions<M>,
): Promise<NamedTempFile<DataOfMode<M>>> {
  const r = namedRequest(options);
  return namedFile(r, await run(createUnique(r.names, r.create))) as NamedTempFile<DataOfMode<M>>;
}

/**
 * Runs `fn` with a new NamedTemporaryFile and disposes of the file afterwards,
 * whether `fn` returns or throws: `await using` for plain JavaScript on Node 20/22.
 *
 * @param fn Receives the open file.
 * @param options As for {@linkcode NamedTemporaryFile}.
 * @returns What `fn` returns.
 * @example
 * ```ts
 * import { withNamedTemporaryFile } from "@x/tempfile";
 * const size = await withNamedTemporaryFile(async (f) => {
 *   await f.write(new Uint8Array(10));
 *   return await f.tell();
 * });
 * console.log(size); // 10
 * ```
 */
export function withNamedTemporaryFile<R, M extends string = "w+b">(
  fn: (file: NamedTempFile<DataOfMode<M>>) => R | Promise<R>,
  options?: NamedTemporaryFileOptions<M>,
): Promise<R> {
  return disposedAfter(NamedTemporaryFile(options), fn);
}
