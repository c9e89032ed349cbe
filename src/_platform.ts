/**
 * Every per-platform decision of the core, in one table: path separator,
 * text newline, default temp directory candidates, the signals that end a
 * process, and the removal errors that clear by themselves. The portable code
 * asks {@linkcode platform} and never names a platform.
 * @module
 */
import { type Backend, backend, type ExitSignal } from "./backend.ts";

/** What differs between platforms. */
export interface Platform {
  /** The native separator, used when a directory path shows no preference. */
  sep: "/" | "\\";
  /** What `"\n"` becomes when a text file is written with `newline` unset. */
  newline: "\n" | "\r\n";
  /** The default directories after TMPDIR/TEMP/TMP, as Python's `_candidate_tempdir_list`. */
  tempDirs(b: Pick<Backend, "homedir" | "env">): string[];
  /** The signals whose default action ends the process and that cleanup must handle. */
  exitSignals: readonly ExitSignal[];
  /** Whether entries have POSIX owners and permission bits. */
  posixModes: boolean;
  /** Removal and rename errors that mean "held open for a moment" and are worth retrying. */
  transientRemovalErrors: ReadonlySet<string>;
  /** Characters a name may not contain (beyond `/`, `\` and NUL), or `undefined`. */
  reservedNameChars: RegExp | undefined;
  /**
   * Whether EPERM/EACCES from an exclusive create can mean "the name is taken":
   * on Windows a delete-pending name refuses to be opened instead of giving EEXIST.
   */
  deniedMayMeanTaken: boolean;
  /**
   * Whether append modes open with O_APPEND, so the kernel puts each write at
   * the end. Where not (Windows: an O_APPEND descriptor from libuv or Rust has
   * no write-data access, so it cannot be truncated), the descriptor is opened
   * without it and the byte layer writes at the file's size itself, as
   * CPython's tempfile descriptors (never O_APPEND) do after a seek to the end.
   */
  appendByKernel: boolean;
}

const POSIX: Platform = {
  sep: "/",
  newline: "\n",
  tempDirs: () => ["/tmp", "/var/tmp", "/usr/tmp"],
  exitSignals: ["SIGINT", "SIGTERM", "SIGHUP"],
  posixModes: true,
  transientRemovalErrors: new Set(),
  reservedNameChars: undefined,
  deniedMayMeanTaken: false,
  appendByKernel: true,
};

const WINDOWS: Platform = {
  sep: "\\",
  newline: "\r\n",
  tempDirs(b) {
    const list: string[] = [];
    const home = b.homedir();
    if (home) list.push(joinPath(home, "AppData\\Local\\Temp"));
    const root = b.env("SYSTEMROOT");
    if (root) list.push(joinPath(root, "Temp"));
    return [...list, "c:\\temp", "c:\\tmp", "\\temp", "\\tmp"];
  },
  // SIGHUP is the console window closing; Windows allows ~10 s before it ends the process.
  exitSignals: ["SIGINT", "SIGTERM", "SIGBREAK", "SIGHUP"],
  posixModes: false,
  // An entry held open by another process (antivirus, indexers) refuses removal briefly.
  transientRemovalErrors: new Set(["EBUSY", "EPERM", "ENOTEMPTY"]),
  // ':' opens an NTFS alternate data stream of an existing file; the rest (and
  // control characters) fail with a misleading ENOENT. A trailing dot or space
  // is silently dropped from a name, so it is refused at the end (see nameComponent).
  // deno-lint-ignore no-control-regex
  reservedNameChars: /[<>:"|?*\x01-\x1f]/,
  deniedMayMeanTaken: true,
  appendByKernel: false,
};

/** The running platform's policy. */
export function platform(): Platform {
  return backend().platform === "win32" ? WINDOWS : POSIX;
}

/** `dir` joined with `name`, in the separator style `dir` already uses. */
export function joinPath(dir: string, name: string): string {
  if (dir.endsWith("/") || dir.endsWith("\\")) return dir + name;
  // Windows takes both separators; keep a native-looking path when dir has one.
  const sep = dir.includes("/") ? "/" : platform().sep;
  return dir + sep + name;
}

/**
 * "/a/b": absolute, no empty, "." or ".." segment, no trailing "/". A loop,
 * not a regular expression: the first one a process runs costs Bun 0.15 ms.
 */
function normalPosix(path: string): boolean {
  if (path.length < 2 || path.charCodeAt(0) !== 0x2f) return false;
  let start = 1;
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 0x2f) continue;
    const len = i - start;
    const dots = len <= 2 && path.charCodeAt(start) === 0x2e &&
      (len === 1 || path.charCodeAt(start + 1) === 0x2e);
    if (len === 0 || dots) return false;
    start = i + 1;
  }
  return true;
}

// The last string resolved, and by which backend: programs pass the same `dir` again and again.
let lastIn = "";
let lastOut = "";
let lastBackend: Backend | undefined;

/** An absolute path from a checked path string or `file:` URL. */
export function absolutePath(p: string | URL): string {
  const b = backend();
  if (p === lastIn && b === lastBackend) return lastOut;
  const path = typeof p === "string" ? p : b.fromFileUrl(p);
  // resolve() would return it unchanged; Bun's first path.resolve costs ~4 ms of a cold start.
  const out = platform().sep === "/" && normalPosix(path) ? path : b.resolve(path);
  // A relative path depends on the working directory, which may change: not remembered.
  if (typeof p === "string" && out === path) lastIn = p, lastOut = out, lastBackend = b;
  return out;
}
