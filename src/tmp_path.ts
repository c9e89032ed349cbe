/**
 * pytest's `tmp_path` for JavaScript test runners: one fresh directory per
 * test, removed when the test passes, kept (and its path printed) when it
 * fails. Directories live under a private per-user base, one directory per
 * test run; the last few finished runs stay for inspection, and a run whose
 * process is still alive is never touched, so parallel workers are safe.
 * @module
 */
import { backend, envOrUndefined } from "./backend.ts";
import { gettempdir } from "./gettempdir.ts";
import { makeDirectory } from "./mkdtemp.ts";
import { checkOptions, dirValue, integer, string } from "./_options.ts";
import { absolutePath, joinPath, platform } from "./_platform.ts";
import { removeTree } from "./_remove_tree.ts";
import { call, type Gen, runSync } from "./_requests.ts";
import { type TempDir, TemporaryDirectorySync } from "./temporary_directory.ts";
import { errorCode, fsError } from "./errors.ts";

/** Options of {@linkcode tmpPathFixture}. */
export interface TmpPathOptions {
  /**
   * How many runs keep their failed tests' directories, this one included
   * (default 3, as pytest). Older finished runs are removed when a run starts;
   * the first caller in a process decides.
   */
  keepRuns?: number;
  /** Where the per-user base directory lives (default {@linkcode gettempdir}). */
  dir?: string | URL;
}

/** Options of {@linkcode tmpPathTest}. */
export interface TmpPathTestOptions extends TmpPathOptions {
  /** The test's name, for its directory's name and the report (default: the runner's, where it passes one). */
  name?: string;
}

/** What {@linkcode tmpPathFixture} reads of vitest's test context. */
export interface TestTaskContext {
  /** The running test: its name, and its result once vitest has recorded it. */
  task: { name: string; result?: { state: string } };
}

const CHECKS = { keepRuns: /* @__PURE__ */ integer(1), dir: dirValue };
const TEST_CHECKS = /* @__PURE__ */ Object.assign({}, CHECKS, { name: string });

/** Runners whose workers are forked per run: their runs are named after the parent (node --test: always). */
const WORKER_VARIABLES = ["VITEST_WORKER_ID", "JEST_WORKER_ID"];

/** Run directories already made by this process, by base parent. */
const runs = new Map<string, string>();

/** The process that stands for this test run: a forked runner worker's parent, else this process. */
function runKey(): number {
  const ids = backend().processIds();
  const worker = ids.forked && WORKER_VARIABLES.some((v) => envOrUndefined(v) !== undefined);
  return worker || envOrUndefined("NODE_TEST_CONTEXT") !== undefined ? ids.ppid : ids.pid;
}

function userName(): string {
  const name = envOrUndefined("USER") ?? envOrUndefined("LOGNAME") ?? envOrUndefined("USERNAME");
  return name?.replace(/[^\w.-]/g, "_") || "unknown";
}

/** Our user id: the runtime's, or the owner of a directory made to find out. */
function* ownUid(parent: string): Gen<number> {
  const known = backend().processIds().uid;
  if (known !== undefined) return known;
  const probe = yield* makeDirectory({ dir: parent });
  try {
    return (yield* call({ op: "lstat", path: probe })).uid;
  } finally {
    yield* call({ op: "rmdir", path: probe });
  }
}

/** `<parent>/xtempfile-of-<user>`, made private; refused when it is a link or another user's. */
function* privateBase(parent: string): Gen<string> {
  const base = joinPath(parent, `xtempfile-of-${userName()}`);
  yield* mkdirExisting(base);
  const st = yield* call({ op: "lstat", path: base });
  if (st.isSymlink || !st.isDirectory) {
    throw fsError("ENOTDIR", "tmp_path base is not a directory; refusing it", base);
  }
  if (platform().posixModes) {
    // Another user could otherwise plant files or links in our tests' directories.
    if (st.uid !== (yield* ownUid(parent))) {
      throw fsError("EACCES", "tmp_path base belongs to another user; refusing it", base);
    }
    if ((st.mode & 0o077) !== 0) yield* call({ op: "chmod", path: base, mode: 0o700 });
  }
  return base;
}

function* mkdirExisting(path: string): Gen<void> {
  try {
    yield* call({ op: "mkdir", path, mode: 0o700 });
  } catch (err) {
    if (errorCode(err) !== "EEXIST") throw err;
  }
}

/** Removes finished runs beyond the newest `keep - 1`; running ones, or ones that cannot be asked about, stay. */
function* prune(base: string, current: number, keep: number): Gen<void> {
  const finished: { path: string; mtime: number }[] = [];
  for (const entry of yield* call({ op: "readdir", path: base })) {
    const pid = Number(/^run-(\d+)$/.exec(entry.name)?.[1]);
    if (!entry.isDirectory || !(pid > 0) || pid === current || backend().isRunning(pid) !== false) continue;
    const path = joinPath(base, entry.name);
    try {
      finished.push({ path, mtime: (yield* call({ op: "lstat", path })).mtimeMs });
    } catch {
      // Removed meanwhile by another worker of this run.
    }
  }
  finished.sort((a, b) => b.mtime - a.mtime);
  // Errors are left: another worker of this run may be removing the same tree.
  for (const old of finished.slice(keep - 1)) yield* removeTree(old.path);
}

/** This run's directory, made (and old runs pruned) on first use in the process. */
function runDirectory(o: TmpPathOptions): string {
  const parent = o.dir === undefined ? gettempdir() : absolutePath(o.dir);
  let dir = runs.get(parent);
  if (dir === undefined) {
    const base = runSync(privateBase(parent));
    const key = runKey();
    dir = joinPath(base, `run-${key}`);
    runSync(mkdirExisting(dir));
    runSync(prune(base, key, o.keepRuns ?? 3));
    runs.set(parent, dir);
  }
  return dir;
}

/** A fresh directory for test `name`, named after it as pytest does. */
function testDirectory(name: string, o: TmpPathOptions): TempDir {
  const prefix = name.replace(/[^\w-]/g, "_").slice(0, 30) || "test";
  return TemporaryDirectorySync({ dir: runDirectory(o), prefix: `${prefix}-` });
}

/** Removes a passed test's directory; keeps a failed one's and says where it is. */
async function finish(dir: TempDir, name: string, failed: boolean): Promise<void> {
  if (!failed) return await dir.cleanup();
  console.error(`tmp_path of failed test "${name}" kept: ${dir.keep()}`);
}

/**
 * A vitest fixture: a fresh directory per test, removed when the test passes
 * and kept, with its path printed, when it fails.
 *
 * @param options `keepRuns`, `dir`.
 * @returns The fixture function for vitest's `test.extend`.
 * @example
 * ```ts ignore
 * import { test as base } from "vitest";
 * import { tmpPathFixture } from "@x/tempfile/testing";
 * const test = base.extend({ tmpPath: tmpPathFixture() });
 * test("writes a file", ({ tmpPath }) => {
 *   Deno.writeTextFileSync(`${tmpPath}/out.txt`, "hi");
 * });
 * ```
 */
export function tmpPathFixture(
  options?: TmpPathOptions,
): (context: TestTaskContext, use: (path: string) => Promise<void>) => Promise<void> {
  const o = checkOptions("tmpPathFixture", options, CHECKS);
  // vitest reads the fixture's first parameter: it must stay a destructuring pattern.
  return async ({ task }, use) => {
    const dir = testDirectory(task.name, o);
    try {
      await use(dir.name);
    } finally {
      // Teardown runs after vitest has recorded the test's result.
      await finish(dir, task.name, task.result?.state === "fail");
    }
  };
}

/** The test's name from the runner's first argument: Deno's and node:test's context, or vitest's. */
function nameFrom(arg: unknown): string | undefined {
  const ctx = arg as { name?: unknown; task?: { name?: unknown } } | undefined;
  const name = typeof ctx === "object" ? ctx?.name ?? ctx?.task?.name : undefined;
  return typeof name === "string" ? name : undefined;
}

/**
 * Wraps a test body for any runner (bun:test, Deno.test, node:test, vitest,
 * jest): the body gets a fresh directory, removed when it returns and kept,
 * with its path printed, when it throws. The runner's own arguments follow.
 *
 * @param body The test, given the directory's path first.
 * @param options `name`, `keepRuns`, `dir`.
 * @returns The test function to hand to the runner.
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { tmpPathTest } from "@x/tempfile/testing";
 * Deno.test("writes a file", tmpPathTest((tmpPath) => {
 *   writeFileSync(`${tmpPath}/out.txt`, "hi");
 * }));
 * ```
 */
export function tmpPathTest<A extends unknown[]>(
  body: (path: string, ...args: A) => unknown,
  options?: TmpPathTestOptions,
): (...args: A) => Promise<void> {
  if (typeof body !== "function") {
    throw new TypeError(`tmpPathTest: body must be a function, got ${typeof body}`);
  }
  const o = checkOptions("tmpPathTest", options, TEST_CHECKS);
  return async (...args) => {
    const name = o.name ?? nameFrom(args[0]) ?? "test";
    const dir = testDirectory(name, o);
    let failed = true;
    try {
      await body(dir.name, ...args);
      failed = false;
    } finally {
      await finish(dir, name, failed);
    }
  };
}
