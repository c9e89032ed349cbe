/**
 * Where temporary files live: Python's candidate list, each candidate proved
 * by creating, writing and removing a probe file.
 * @module
 */
import { backend, envOrUndefined } from "./backend.ts";
import { errorCode, fsError } from "./errors.ts";
import { createUnique, openExclusive } from "./_create_unique.ts";
import { absolutePath, platform } from "./_platform.ts";
import { call, type Gen, runSync } from "./_requests.ts";
import { processSlot } from "./_process_slot.ts";

/** The default directory once proved or set: one per process, whichever copy of the library set it. */
interface Default {
  dir: string | undefined;
}

let shared: Default | undefined;

function defaultDir(): Default {
  return shared ??= processSlot<Default>("tempdir", 1, () => ({ dir: undefined }));
}

/** Python's `_candidate_tempdir_list`, in order. */
function candidateDirs(): string[] {
  const b = backend();
  const fromEnv = ["TMPDIR", "TEMP", "TMP"].map(tempVariable).filter((v) => !!v) as string[];
  return [...fromEnv, ...platform().tempDirs({ homedir: () => b.homedir(), env: envOrUndefined }), "."];
}

let envWarned = false;

/** A temp-dir variable; one the runtime will not let us read (Deno without --allow-env) is skipped, and said once. */
function tempVariable(name: string): string | undefined {
  try {
    return backend().env(name);
  } catch (err) {
    if (errorCode(err) !== "EACCES") throw err;
    if (!envWarned) {
      envWarned = true;
      console.error(
        `@x/tempfile: no env permission for ${name}, so TMPDIR, TEMP and TMP are not read and the default ` +
          `temporary directory comes from the platform's list; grant --allow-env=TMPDIR,TEMP,TMP to honour them`,
      );
    }
    return undefined;
  }
}

const PROBE = new Uint8Array([0x62, 0x6c, 0x61, 0x74]); // "blat", as Python writes
const DENIED = new Set(["EACCES", "EPERM"]);

/** Opens the probe write-only: Deno then asks for write permission alone, as `makeTempFile` does. */
function openProbe(path: string): Gen<number> {
  return openExclusive(path, 0o600, 0, backend().flags.O_WRONLY);
}

/** Creates, writes and removes a probe file in `dir`; the probe is removed whatever fails. */
function* probe(dir: string): Gen<void> {
  // Python tries 100 names per candidate; a taken name is the only retry.
  const [fd, path] = yield* createUnique({ dir, prefix: "", suffix: "" }, openProbe, {
    tries: 100,
    quiet: true,
  });
  let failure: unknown;
  const steps: (() => Gen<unknown>)[] = [
    () => call({ op: "write", fd, buf: PROBE, pos: null }),
    () => call({ op: "close", fd }),
    () => call({ op: "unlink", path }),
  ];
  for (const step of steps) {
    try {
      yield* step();
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}

/**
 * The directory used when no `dir` option is given: the first of `TMPDIR`,
 * `TEMP`, `TMP`, the platform's list (`/tmp`, `/var/tmp`, `/usr/tmp` on POSIX)
 * and the current directory where a probe file can be created. The result is
 * absolute and cached until {@linkcode setTempdir}. A creation without `dir`
 * before any call stands in for the probe: if it works in the first candidate,
 * that is the default, with one file fewer than Python makes.
 *
 * @returns The absolute path of the default temporary directory.
 * @throws {Error} with `code: "ENOENT"` listing every candidate when none works;
 * `code: "EACCES"` when every candidate refused permission (in Deno, the
 * message names the missing `--allow-write`).
 * @example
 * ```ts
 * import { gettempdir } from "@x/tempfile";
 * console.log(gettempdir()); // "/tmp", typically
 * ```
 */
export function gettempdir(): string {
  const known = defaultDir();
  if (known.dir !== undefined) return known.dir;
  const tried: string[] = [];
  let denied = true;
  for (const candidate of candidateDirs()) {
    const dir = absolutePath(candidate);
    try {
      runSync(probe(dir));
      return known.dir = dir;
    } catch (err) {
      tried.push(`${dir} (${(err as Error).message ?? errorCode(err)})`);
      denied &&= DENIED.has(errorCode(err) ?? "");
    }
  }
  // Python says ENOENT; when every candidate refused us, the cause is a
  // permission (a read-only system, or Deno without --allow-write): say so.
  const code = denied ? "EACCES" : "ENOENT";
  throw fsError(code, `no usable temporary directory found in ${tried.join("; ")}`);
}

/** The default directory once known (proved or set), else `undefined`: no probe. */
export function knownTempdir(): string | undefined {
  return defaultDir().dir;
}

/**
 * The first candidate of {@linkcode gettempdir}, not yet proved: a creation
 * there is its probe. Once one works, {@linkcode adoptTempdir} makes it the
 * default; if it fails, {@linkcode gettempdir} probes as Python does.
 */
export function firstTempdirCandidate(): string {
  return absolutePath(candidateDirs()[0]);
}

/** Makes `dir`, where a creation has just worked, the default, as a probe there would have. */
export function adoptTempdir(dir: string): void {
  defaultDir().dir ??= dir;
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
  defaultDir().dir = dir === undefined ? undefined : absolutePath(dir);
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
