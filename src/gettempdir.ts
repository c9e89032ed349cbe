/**
 * Where temporary files live: Python's candidate list, each candidate proved
 * by creating, writing and removing a probe file.
 * @module
 */
import { backend } from "./backend.ts";
import { errorCode, fsError } from "./errors.ts";
import { nextRandomChars } from "./names.ts";
import { exclusiveFlags, joinPath } from "./_unique_path.ts";

let cached: string | undefined;

/** Python's `_candidate_tempdir_list`, in order. */
function candidateDirs(): string[] {
  const b = backend();
  const list: string[] = [];
  for (const name of ["TMPDIR", "TEMP", "TMP"]) {
    const value = b.env(name);
    if (value) list.push(value);
  }
  if (b.platform === "win32") {
    const home = b.homedir();
    if (home) list.push(joinPath(home, "AppData\\Local\\Temp"));
    const root = b.env("SYSTEMROOT");
    if (root) list.push(joinPath(root, "Temp"));
    list.push("c:\\temp", "c:\\tmp", "\\temp", "\\tmp");
  } else {
    list.push("/tmp", "/var/tmp", "/usr/tmp");
  }
  list.push(".");
  return list;
}

const PROBE = new TextEncoder().encode("blat");

/**
 * Why a file cannot be created, written and removed in `dir`, or `undefined`
 * when it can. The probe is removed whatever fails.
 */
function probe(dir: string): string | undefined {
  const b = backend();
  // Python tries 100 names per candidate; a taken name is the only retry.
  for (let i = 0; i < 100; i++) {
    const path = joinPath(dir, nextRandomChars());
    let fd: number;
    try {
      fd = b.openSync(path, exclusiveFlags(), 0o600);
    } catch (err) {
      if (errorCode(err) === "EEXIST") continue;
      return (err as Error).message;
    }
    let failure: string | undefined;
    const steps = [() => b.writeSync(fd, PROBE, null), () => b.closeSync(fd), () => b.unlinkSync(path)];
    for (const step of steps) {
      try {
        step();
      } catch (err) {
        failure ??= (err as Error).message;
      }
    }
    return failure;
  }
  return "every probe name was taken";
}

/**
 * The directory used when no `dir` option is given: the first of `TMPDIR`,
 * `TEMP`, `TMP`, the platform's list (`/tmp`, `/var/tmp`, `/usr/tmp` on POSIX)
 * and the current directory where a probe file can be created. The result is
 * absolute and cached until {@linkcode setTempdir}.
 *
 * @returns The absolute path of the default temporary directory.
 * @throws {Error} with `code: "ENOENT"` listing every candidate when none works.
 * @example
 * ```ts
 * import { gettempdir } from "@x/tempfile";
 * console.log(gettempdir()); // "/tmp", typically
 * ```
 */
export function gettempdir(): string {
  if (cached !== undefined) return cached;
  const tried: string[] = [];
  for (const candidate of candidateDirs()) {
    const dir = backend().resolve(candidate);
    const failure = probe(dir);
    if (failure === undefined) return cached = dir;
    tried.push(`${dir} (${failure})`);
  }
  throw fsError("ENOENT", `no usable temporary directory found in ${tried.join("; ")}`);
}

/**
 * Sets the default directory, as assigning Python's `tempfile.tempdir` does.
 * `undefined` makes the next {@linkcode gettempdir} call search again.
 *
 * @param dir The new default, made absolute; or `undefined`.
 * @example
 * ```ts
 * import { gettempdir, setTempdir } from "@x/tempfile";
 * setTempdir("/var/tmp");
 * console.log(gettempdir()); // "/var/tmp"
 * setTempdir(undefined);
 * ```
 */
export function setTempdir(dir: string | undefined): void {
  if (dir !== undefined && (typeof dir !== "string" || dir === "")) {
    throw new TypeError(`setTempdir: dir must be a non-empty string or undefined`);
  }
  cached = dir === undefined ? undefined : backend().resolve(dir);
}

/**
 * The default name prefix, `"tmp"`.
 *
 * @returns `"tmp"`.
 * @example
 * ```ts
 * import { gettempprefix } from "@x/tempfile";
 * console.log(gettempprefix()); // "tmp"
 * ```
 */
export function gettempprefix(): string {
  return "tmp";
}
