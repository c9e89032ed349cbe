/**
 * Diagnostics, off by default: a debug log of every creation, removal,
 * rollover, persist and keep (`XTEMPFILE_DEBUG=1`, or `NODE_DEBUG=tempfile`),
 * and leak warnings for objects the registry had to clean up because nobody
 * disposed of them (`XTEMPFILE_WARNINGS=1`, or {@linkcode enableLeakWarnings}),
 * as Python's `ResourceWarning: Implicitly cleaning up ...`. Both write to
 * stderr; the environment is read once, on first use.
 * @module
 */
import { envOrUndefined } from "./backend.ts";

/** This library's directory as its stack frames name it: frames inside it are not the caller's. */
let own: string | undefined;

let debug: boolean | undefined;
let warnings: boolean | undefined;

const on = (value: string | undefined) => value !== undefined && value !== "" && value !== "0";

function debugging(): boolean {
  if (debug === undefined) {
    // The pattern only where NODE_DEBUG is set: a first regular expression costs 0.15 ms of a cold start in Bun.
    const nodeDebug = envOrUndefined("NODE_DEBUG");
    debug = on(envOrUndefined("XTEMPFILE_DEBUG")) ||
      (nodeDebug !== undefined && /(^|,)\s*tempfile\s*(,|$)/i.test(nodeDebug));
  }
  return debug;
}

function warning(): boolean {
  return warnings ??= on(envOrUndefined("XTEMPFILE_WARNINGS"));
}

/**
 * Writes one debug line (`@x/tempfile <pid>: <event> <detail><more>`) when the
 * debug log is on. `more` is joined only then: a hot path passes its parts.
 */
export function debugLog(event: string, detail: string, more = ""): void {
  if (debugging()) console.error(`@x/tempfile ${globalThis.process?.pid ?? ""}: ${event} ${detail}${more}`);
}

/**
 * Switches leak warnings on (or off): from then on, an object cleaned up only
 * because it was garbage-collected or the process ended is reported on
 * stderr with the place it was created. Same as `XTEMPFILE_WARNINGS=1`.
 * Creation then records a stack trace, which costs a few microseconds.
 *
 * @param enable `true` (default) to warn, `false` to stop.
 * @example
 * ```ts
 * import { enableLeakWarnings, NamedTemporaryFileSync } from "@x/tempfile";
 * enableLeakWarnings();
 * NamedTemporaryFileSync(); // never closed: reported when collected or at exit
 * ```
 */
export function enableLeakWarnings(enable: boolean = true): void {
  warnings = enable;
}

/** What an object is and where it was created, for its leak warning; `undefined` (and free) while warnings are off. */
export function origin(kind: string, detail?: string | number): string | undefined {
  // Parts, not a callback: a closure per creation would cost even while warnings are off.
  if (!warning()) return undefined;
  const what = detail === undefined ? kind : `${kind} ${detail}`;
  const stack = new Error().stack?.split("\n").slice(1) ?? [];
  // The first frame is this function's: read from it, not from `import.meta`, which a CommonJS build lacks.
  const dir = own ??= /\(?([^\s(]*[\\/])[^\\/]*:\d+:\d+\)?$/.exec(stack[0] ?? "")?.[1] ?? "\0";
  // The first frame with a file of its own, outside this library's directory, is the caller's (Bun on Windows
  // names a file by its drive path, C:\dir\file.ts, not by URL).
  const caller = stack.find((line) =>
    /(file:\/\/|[(\s]\/|[(\s][A-Za-z]:\\)/.test(line) && !line.includes(dir)
  )
    ?.trim();
  return `${what}, created ${caller ?? "at an unknown place"}`;
}

/** Reports an object the registry cleaned up implicitly. */
export function warnLeak(described: string | undefined, when: "collected" | "at exit"): void {
  if (described !== undefined) {
    console.error(
      `ResourceWarning: @x/tempfile implicitly cleaned up ${described} (${when}); dispose of it or close it`,
    );
  }
}
