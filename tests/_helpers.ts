// Fixtures shared by the suite: scratch directories, child processes of the
// running runtime, and fault-injecting backends. No assertions live here.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { spawn, type SpawnOptions, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Backend, backend, useBackend } from "../src/backend.ts";
import type { Op, Ops, Request, RequestOf } from "../src/_requests.ts";
import { useNameSource } from "../src/_random_names.ts";

export const ROOT: string = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
/**
 * What child scripts import as `"MOD"`: the library as `npm test` bundled it from the current sources
 * (scripts/test_all.mjs), else mod.ts. `"INTERNALS"` is tests/_internals.ts from the same build, sharing the
 * library's module instances: the bundle's internals.js beside it, else the sources (then `"MOD"` is mod.ts too).
 */
export const MOD: string = process.env.XTEMPFILE_TEST_MOD || path.join(ROOT, "mod.ts");
const BUNDLED_INTERNALS = path.join(path.dirname(MOD), "internals.js");
const WITH_INTERNALS: { mod: string; internals: string } =
  MOD.endsWith(".js") && fs.existsSync(BUNDLED_INTERNALS)
    ? { mod: MOD, internals: BUNDLED_INTERNALS }
    : { mod: path.join(ROOT, "mod.ts"), internals: path.join(ROOT, "tests", "_internals.ts") };
const TSX = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** CPython, for the comparisons with it: its binary as npm test found it (scripts/test_all.mjs), else python3. */
export const PYTHON: string = process.env.XTEMPFILE_TEST_PYTHON || "python3";

/**
 * This run's part, `[start, end)`, of `n` seeded cases that only Node runs in full: npm test runs the suite
 * under two Node versions, whose runs compare one half each (XTEMPFILE_TEST_SHARE "1/2" and "2/2"; the code
 * under test is the same in both). A run on its own compares all `n`.
 */
export function share(n: number): [number, number] {
  const [part, parts] = (process.env.XTEMPFILE_TEST_SHARE ?? "1/1").split("/").map(Number);
  return [Math.floor((n * (part - 1)) / parts), Math.floor((n * part) / parts)];
}

const g = globalThis as { Deno?: { execPath(): string }; Bun?: unknown };
/** The runtime running this test. */
export const RUNTIME: "deno" | "bun" | "node" = g.Deno ? "deno" : g.Bun ? "bun" : "node";
/** This machine is Windows (or Wine). */
export const WINDOWS: boolean = process.platform === "win32";
/** Windows as Wine provides it: every Wine prefix has wineboot.exe, no Windows has. */
export const WINE: boolean = WINDOWS &&
  fs.existsSync(path.join(process.env.SystemRoot ?? "C:\\windows", "system32", "wineboot.exe"));
/**
 * `stderr` without Bun's "Internal error: directory mismatch" lines: under Wine, Bun's module resolver finds
 * a directory handle's final path (GetFinalPathNameByHandleW) other than it expects, and says so on stderr.
 */
export const withoutWineNoise = (stderr: string): string =>
  WINE ? stderr.replace(/^Internal error: directory mismatch for directory .*\r?\n/gm, "") : stderr;

/**
 * A runtime's binary for a child process: the running one's own, else the installed one (Node: from PATH). On
 * Windows npm links binaries through .cmd shims, which spawn() cannot run without a shell: the .exe itself.
 */
export function runtimeBinary(name: "node" | "bun" | "deno"): string {
  if (name === RUNTIME) return g.Deno ? g.Deno.execPath() : process.execPath;
  if (name === "node") return "node";
  if (process.platform !== "win32") return path.join(ROOT, "node_modules", ".bin", name);
  return path.join(
    ROOT,
    "node_modules",
    name === "bun" ? "@oven/bun-windows-x64/bin/bun.exe" : "@deno/win32-x64/deno.exe",
  );
}

/** Bytes as lowercase hex, and back. */
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const unhex = (s: string): Uint8Array =>
  new Uint8Array((s.match(/../g) ?? []).map((x) => parseInt(x, 16)));

/** Makes the next names "aaaaaaaa", "aaaaaaab", ... until the end of the test, so tests can plant them. */
export function predictableNames(): (i: number) => string {
  let i = 0;
  const at = (n: number) => n.toString(36).padStart(8, "a");
  afterTest(useNameSource(() => at(i++)));
  return at;
}

/** A fresh, empty scratch directory, removed by `cleanupScratch`. */
const scratch: string[] = [];
const undoers: (() => void)[] = [];

/** Runs `fn` at the end of the current test (in `cleanupScratch`), last registered first. */
export function afterTest(fn: () => void): void {
  undoers.push(fn);
}
export function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xtf-test-"));
  scratch.push(dir);
  return dir;
}
/** Undoes what the test injected, then removes its scratch directories: every file's `afterEach`. */
export function cleanupScratch(): void {
  for (const undo of undoers.splice(0).reverse()) undo();
  for (const dir of scratch.splice(0)) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // A read-only directory or file a test left (not for root on POSIX): open it up, then remove.
      openUp(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
function openUp(dir: string): void {
  fs.chmodSync(dir, 0o700);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) openUp(path.join(dir, e.name));
    else if (e.isFile()) fs.chmodSync(path.join(dir, e.name), 0o600); // Windows' read-only attribute
  }
}

/** Entries of `dir`, sorted. */
export function listDir(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

/** The flags that give a child of the running runtime a `gc()` (Bun has `Bun.gc` anyway). */
export const GC_FLAGS: string[] = RUNTIME === "node"
  ? ["--expose-gc"]
  : RUNTIME === "deno"
  ? ["--v8-flags=--expose-gc"]
  : [];

/** The command that runs a TypeScript file in the running runtime. */
export function runtimeCommand(file: string, extra: string[] = []): [string, string[]] {
  if (RUNTIME === "deno") return [g.Deno!.execPath(), ["run", "-A", ...extra, file]];
  if (RUNTIME === "bun") return [process.execPath, [...extra, file]];
  // Node 22.18+ strips the types itself (child scripts avoid `using`, which Node 22 lacks);
  // older Node loads .ts through tsx (a dev dependency).
  const strips = (process.features as { typescript?: unknown }).typescript;
  return [process.execPath, strips ? [...extra, file] : ["--import", TSX, ...extra, file]];
}

/**
 * A file's path as an import specifier, quoted for a script: a file URL, since on Windows an absolute path
 * (`C:\\...`) reads as a URL scheme.
 */
export const importable = (file: string): string => JSON.stringify(pathToFileURL(file).href);

/** Writes `source` to an ES module script in `dir`; `"MOD"` and `"INTERNALS"` import the library (see MOD). */
export function writeScript(dir: string, source: string, name = "child.mjs"): string {
  const file = path.join(dir, name);
  const { mod, internals } = source.includes('"INTERNALS"') ? WITH_INTERNALS : { mod: MOD, internals: "" };
  fs.writeFileSync(
    file,
    source.replaceAll('"INTERNALS"', importable(internals)).replaceAll('"MOD"', importable(mod)),
  );
  fs.chmodSync(file, 0o644);
  return file;
}

export interface ChildResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs a script in a child of the same runtime. */
export function runChild(file: string, options: SpawnSyncOptions = {}, extra: string[] = []): ChildResult {
  const [cmd, args] = runtimeCommand(file, extra);
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000, ...options });
  return {
    status: r.status,
    signal: r.signal,
    stdout: String(r.stdout ?? ""),
    stderr: withoutWineNoise(String(r.stderr ?? "")),
  };
}

/** Runs a script as user nobody (65534), with a writable HOME and DENO_DIR. */
export function runAsNobody(file: string, cwd?: string): ChildResult {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "xtf-home-"));
  scratch.push(home);
  fs.chownSync(home, 65534, 65534);
  const env = { ...process.env, HOME: home, DENO_DIR: path.join(home, "deno"), TMPDIR: home };
  return runChild(file, { uid: 65534, gid: 65534, env, cwd: cwd ?? home });
}

/** What a test does around one kind of request: `before` may throw to inject a fault; `after` sees the result. */
export type Faults = {
  [K in Op]?: {
    before?(r: RequestOf<K>): void;
    after?(r: RequestOf<K>, result: Ops[K]["result"]): void;
  };
};

/**
 * Installs, until the end of the test, a backend that runs `faults` around
 * the real one's requests (sync and async alike), with `overrides` (the
 * environment, the platform) in place of the real one's. The returned function puts the real one back sooner.
 */
export function injectFaults(
  faults: Faults,
  overrides: Partial<Pick<Backend, "env" | "platform" | "flags" | "hooks" | "processIds" | "isRunning">> = {},
): () => void {
  const real = backend();
  // One request's hooks, typed loosely: `r.op` already picked the matching entry.
  const hooks = (r: Request) =>
    faults[r.op] as { before?(r: Request): void; after?(r: Request, v: unknown): void } | undefined;
  useBackend(
    {
      ...real,
      ...overrides,
      performSync(r) {
        // A runtime's own tree removal would slip past faults meant for the walk: unless hooked, it declines.
        if (r.op === "removeAll" && faults.removeAll === undefined) return false;
        hooks(r)?.before?.(r);
        const result = real.performSync(r);
        hooks(r)?.after?.(r, result);
        return result;
      },
      async perform(r) {
        if (r.op === "removeAll" && faults.removeAll === undefined) return false;
        hooks(r)?.before?.(r);
        const result = await real.perform(r);
        hooks(r)?.after?.(r, result);
        return result;
      },
    } satisfies Backend,
  );
  const restore = () => void useBackend(real);
  afterTest(restore);
  return restore;
}

/** An error shaped like a `node:fs` one. */
export function errno(code: string, path?: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code, path });
}

/** The process umask, without changing it for long. */
export function currentUmask(): number {
  const old = process.umask(0o022);
  process.umask(old);
  return old;
}

/** The error `fn` throws or rejects with, or `undefined` when it succeeds. */
// deno-lint-ignore no-explicit-any
export async function failure(fn: () => unknown): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** A running child of the same runtime, whose stdout lines can be awaited. */
export interface LiveChild {
  pid: number;
  /** Resolves with the first stdout line matching `re`. */
  line(re: RegExp): Promise<string>;
  done: Promise<ChildResult>;
}

// Deno for Windows panics now and then while reading a child's pipe as the child ends (mio's named pipe
// "entered unreachable code", tokio-rs/mio#1819): under Wine it took down vitest's worker in 3 of 4 full runs.
// There a started child writes to files instead, read as it runs.
const CHILD_OUTPUT_IN_FILES = RUNTIME === "deno" && WINDOWS;

/** Starts a script in a child (of the same runtime unless `command` says), without waiting for it. */
export function startChild(
  file: string,
  options: SpawnOptions = {},
  extra: string[] = [],
  command: [string, string[]] = runtimeCommand(file, extra),
): LiveChild {
  const [cmd, args] = command;
  const files = CHILD_OUTPUT_IN_FILES
    ? ["stdout", "stderr"].map((n) => path.join(scratchDir(), n))
    : undefined;
  const fds = files?.map((f) => fs.openSync(f, "w"));
  const proc = spawn(cmd, args, { stdio: ["ignore", fds?.[0] ?? "pipe", fds?.[1] ?? "pipe"], ...options });
  for (const fd of fds ?? []) fs.closeSync(fd); // the child has its own
  let stdout = "";
  let stderr = "";
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const got = (chunk: string) => {
    stdout += chunk;
    for (const w of [...waiters]) {
      const hit = stdout.split("\n").find((l) => w.re.test(l));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  let poll: ReturnType<typeof setInterval> | undefined;
  // Whole lines only while the child runs: a character may be half written. Files gone with the test's scratch
  // directories: a child that outlived its test, which no one reads any more.
  const readFiles = (all: boolean) => {
    let out: string;
    try {
      out = fs.readFileSync(files![0], "utf8");
      stderr = fs.readFileSync(files![1], "utf8");
    } catch {
      return;
    }
    const end = all ? out.length : out.lastIndexOf("\n") + 1;
    if (end > stdout.length) got(out.slice(stdout.length, end));
  };
  if (files !== undefined) {
    poll = setInterval(() => readFiles(false), 20);
  } else {
    proc.stdout!.setEncoding("utf8").on("data", got);
    proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => void (stderr += chunk));
  }
  const done = new Promise<ChildResult>((resolve) =>
    proc.on("close", (status, signal) => {
      if (poll !== undefined) {
        clearInterval(poll);
        readFiles(true);
      }
      resolve({ status, signal, stdout, stderr: withoutWineNoise(stderr) });
    })
  );
  return {
    pid: proc.pid!,
    line: (re) =>
      new Promise((resolve, reject) => {
        const hit = stdout.split("\n").find((l) => re.test(l));
        if (hit !== undefined) return resolve(hit);
        waiters.push({ re, resolve });
        done.then((r) =>
          reject(new Error(`child ended (${r.status ?? r.signal}) before ${re}: ${r.stderr}`))
        );
      }),
    done,
  };
}

/**
 * Records every descriptor the library opens and closes through the backend
 * until the end of the test; `open` holds those still open. Install it before
 * any fault injection, which then wraps it.
 */
export function trackDescriptors(): { open: Set<number> } {
  const open = new Set<number>();
  injectFaults({
    open: { after: (_r, fd) => void open.add(fd) },
    close: { after: (r) => void open.delete(r.fd) },
  });
  return { open };
}
