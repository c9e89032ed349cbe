/**
 * Error shapes shared by the whole module: file-system errors carry a
 * Node-style `code` and the `path`, whatever the runtime.
 * @module
 */

/** An Error with the `code`, `path` and `syscall` that `node:fs` errors have. */
export interface FsError extends Error {
  /** The errno name: `"EEXIST"`, `"ENOENT"`, `"EACCES"`, ... */
  code: string;
  /** The path the failed call was about. */
  path?: string;
  /** The system call that failed, where known. */
  syscall?: string;
}

/** Makes an error shaped like a `node:fs` one. */
export function fsError(code: string, message: string, path?: string, syscall?: string): FsError {
  const err = new Error(`${code}: ${message}${path === undefined ? "" : `, '${path}'`}`) as FsError;
  err.code = code;
  if (path !== undefined) err.path = path;
  if (syscall !== undefined) err.syscall = syscall;
  return err;
}

/** The `code` of an error, if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Thrown when a file does not support an operation, such as reading a file
 * opened for writing only: Python's `io.UnsupportedOperation`.
 */
export class UnsupportedOperation extends Error {
  /** Always `"ERR_UNSUPPORTED_OPERATION"`. */
  readonly code = "ERR_UNSUPPORTED_OPERATION";
  /** Always `"UnsupportedOperation"`. */
  override name = "UnsupportedOperation";
}

/** Thrown by every operation on a closed file, as Python's ValueError is. */
export class ClosedFileError extends Error {
  /** Always `"ERR_CLOSED_FILE"`. */
  readonly code = "ERR_CLOSED_FILE";
  /** Always `"ClosedFileError"`. */
  override name = "ClosedFileError";
  constructor() {
    super("I/O operation on closed file");
  }
}
