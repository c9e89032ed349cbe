/**
 * Python's `tempfile`, for Deno, Bun and Node alike: temporary files and
 * directories with unpredictable names, exclusive creation, private modes and
 * cleanup you can rely on.
 *
 * @example
 * ```ts
 * import { closeSync, rmSync, writeSync } from "node:fs";
 * import { gettempdir, mkdtempSync, mkstempSync } from "@x/tempfile";
 *
 * const dir = mkdtempSync({ prefix: "work-" }); // mode 0o700, inside gettempdir()
 * const [fd, name] = mkstempSync({ dir, suffix: ".txt" }); // mode 0o600
 * writeSync(fd, "hello");
 * closeSync(fd);
 * console.log(name.startsWith(gettempdir())); // true
 * rmSync(dir, { recursive: true });
 * ```
 * @module
 */
export { gettempdir, gettempprefix, setTempdir } from "./src/gettempdir.ts";
export { TMP_MAX } from "./src/_create_unique.ts";
export type { NameOptions } from "./src/_names.ts";
export { mkstemp, type MkstempOptions, mkstempSync } from "./src/mkstemp.ts";
export { mkdtemp, type MkdtempOptions, mkdtempSync } from "./src/mkdtemp.ts";
export type { PermissionsOption } from "./src/_permissions.ts";
export { mktemp } from "./src/mktemp.ts";
export {
  type KeptFileOptions,
  mkstempPath,
  mkstempPathSync,
  mkstempWrite,
  mkstempWriteSync,
} from "./src/kept_file.ts";
export { ClosedFileError, type FsError, UnsupportedOperation } from "./src/errors.ts";
export { enableLeakWarnings } from "./src/diagnostics.ts";
export { setSignalCleanup } from "./src/_cleanup_registry.ts";
export { type FileData, TempFile } from "./src/temp_file.ts";
export {
  TemporaryFile,
  type TemporaryFileOptions,
  TemporaryFileSync,
  withTemporaryFile,
} from "./src/temporary_file.ts";
export {
  NamedTempFile,
  NamedTemporaryFile,
  type NamedTemporaryFileOptions,
  NamedTemporaryFileSync,
  type PersistOptions,
  withNamedTemporaryFile,
} from "./src/named_temporary_file.ts";
export type { DataOf, DataOfMode, ModeOption, OpenMode } from "./src/open_mode.ts";
export type { Newline } from "./src/text_io.ts";
export { type ErrorHandler, UnicodeError } from "./src/codecs.ts";
export {
  SpooledTempFile,
  SpooledTemporaryFile,
  type SpooledTemporaryFileOptions,
  SpooledTemporaryFileSync,
  withSpooledTemporaryFile,
} from "./src/spooled_temporary_file.ts";
export {
  TempDir,
  TemporaryDirectory,
  type TemporaryDirectoryOptions,
  TemporaryDirectorySync,
  withTemporaryDirectory,
} from "./src/temporary_directory.ts";
