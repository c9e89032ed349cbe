/**
 * Kept files: path-only conveniences for a file the caller owns from the
 * start, as tempy's `temporaryWrite` and tmp's `tmpNameSync` users expect,
 * but created exclusively with a private mode. No object, no registry entry:
 * nothing removes the file at collection, exit or on a signal.
 * @module
 */
import { checkOptions } from "./_options.ts";
import { NAME_CHECKS, type NameOptions, resolveNames } from "./_names.ts";
import { createUnique, openNamed } from "./_create_unique.ts";
import { permissionsCheck, type PermissionsOption } from "./_permissions.ts";
import { call, type Gen, inSyncRun, run, runSync } from "./_requests.ts";
import { claim } from "./_cleanup_registry.ts";
import { debugLog } from "./diagnostics.ts";

/** Options of {@linkcode mkstempPath} and {@linkcode mkstempWrite}. */
export interface KeptFileOptions extends NameOptions, PermissionsOption {}

const CHECKS = /* @__PURE__ */ Object.assign({}, NAME_CHECKS, { permissions: permissionsCheck });

function bytesOf(fn: string, data: unknown): Uint8Array {
  if (typeof data === "string") return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  const got = data === null
    ? "null"
    : typeof data === "object"
    ? data.constructor?.name ?? "object"
    : typeof data;
  throw new TypeError(`${fn}: data must be a string or a Uint8Array, got ${got}`);
}

/**
 * Creates the file, writes `data` and closes it. Until then a failure, or the
 * end of the process during an async write, removes it: the caller gets a
 * complete file or none.
 */
function* make(fn: string, options: KeptFileOptions | undefined, data: Uint8Array): Gen<string> {
  const o = checkOptions(fn, options, CHECKS);
  const [fd, path] = yield* createUnique(resolveNames(o), (p) => openNamed(p, 0o600, 0, o.permissions));
  const unclaim = inSyncRun() || data.length === 0 ? undefined : claim(path);
  let open = true;
  try {
    for (let at = 0; at < data.length;) {
      at += yield* call({ op: "write", fd, buf: data.subarray(at), pos: null });
    }
    open = false;
    yield* call({ op: "close", fd });
  } catch (err) {
    try {
      if (open) yield* call({ op: "close", fd });
      yield* call({ op: "unlink", path });
    } catch { /* the first error is the one to report */ }
    throw err;
  } finally {
    unclaim?.();
  }
  debugLog("kept", `${path} (the caller removes it)`);
  return path;
}

/**
 * Creates a new empty file with a unique name, mode 0o600 (or `permissions`),
 * and returns its absolute path; nothing is left open. The caller owns and
 * removes the file: it survives collection, exit and signals. The safe
 * `mktemp`: the name is taken, exclusively, before you see it.
 *
 * @param options `prefix`, `suffix` (with its dot: `".csv"`), `dir`, `permissions`.
 * @returns The absolute path.
 * @example
 * ```ts
 * import { writeFileSync, unlinkSync } from "node:fs";
 * import { mkstempPathSync } from "@x/tempfile";
 * const path = mkstempPathSync({ suffix: ".csv" });
 * writeFileSync(path, "a,b\n1,2\n");
 * unlinkSync(path); // yours to remove
 * ```
 */
export function mkstempPathSync(options?: KeptFileOptions): string {
  return runSync(make("mkstempPath", options, new Uint8Array(0)));
}

/**
 * The async twin of {@linkcode mkstempPathSync}.
 *
 * @param options `prefix`, `suffix`, `dir`, `permissions`.
 * @returns The absolute path.
 * @example
 * ```ts
 * import { rm } from "node:fs/promises";
 * import { mkstempPath } from "@x/tempfile";
 * const path = await mkstempPath({ prefix: "report-", suffix: ".html" });
 * await rm(path);
 * ```
 */
export function mkstempPath(options?: KeptFileOptions): Promise<string> {
  return run(make("mkstempPath", options, new Uint8Array(0)));
}

/**
 * Writes `data` (a string as UTF-8, or bytes) to a new file with a unique
 * name, mode 0o600 (or `permissions`), closes it and returns its absolute
 * path. Nothing is buffered: the content is in the file when this returns.
 * The caller owns and removes the file: it survives collection, exit and
 * signals. A failed write removes the file again.
 *
 * @param data The content.
 * @param options `prefix`, `suffix` (with its dot: `".json"`), `dir`, `permissions`.
 * @returns The absolute path.
 * @example
 * ```ts
 * import { readFileSync, unlinkSync } from "node:fs";
 * import { mkstempWriteSync } from "@x/tempfile";
 * const path = mkstempWriteSync('{"ok": true}', { suffix: ".json" });
 * console.log(readFileSync(path, "utf8")); // {"ok": true}
 * unlinkSync(path);
 * ```
 */
export function mkstempWriteSync(data: string | Uint8Array, options?: KeptFileOptions): string {
  return runSync(make("mkstempWrite", options, bytesOf("mkstempWrite", data)));
}

/**
 * The async twin of {@linkcode mkstempWriteSync}.
 *
 * @param data The content.
 * @param options `prefix`, `suffix`, `dir`, `permissions`.
 * @returns The absolute path.
 * @example
 * ```ts
 * import { rm } from "node:fs/promises";
 * import { mkstempWrite } from "@x/tempfile";
 * const script = await mkstempWrite("console.log('hi')\n", { suffix: ".mjs" });
 * await rm(script);
 * ```
 */
export function mkstempWrite(data: string | Uint8Array, options?: KeptFileOptions): Promise<string> {
  try {
    return run(make("mkstempWrite", options, bytesOf("mkstempWrite", data)));
  } catch (err) {
    return Promise.reject(err);
  }
}
