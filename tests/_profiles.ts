// Platform profiles over the backend seam: a Backend that wraps this
// machine's real (Linux) one and behaves as Windows, macOS or a Linux file
// system without O_TMPFILE would, per libuv's src/win/fs.c, Deno's ext/fs
// and Rust std (see ../shared/reference/platforms.md). The core under test
// is the real one; only the answers of the file system and the process change.
// No assertions live here.
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { type Backend, backend, type ExitSignal, useBackend } from "../src/backend.ts";
import type { Lstat, Request } from "../src/_requests.ts";
import { registryState } from "../src/_cleanup_registry.ts";
import { setTempdir } from "../src/gettempdir.ts";
import { processHooks } from "../runtimes/node.ts";
import { afterTest, errno, scratchDir } from "./_helpers.ts";

/** How unlinking a file that is still open behaves on a Windows profile. */
export type DeleteSemantics =
  /** Windows 10 1709+ NTFS with libuv 1.49+ (Node 22+, Bun, Deno): the name goes at once. */
  | "posix"
  /** Node 20's libuv, FAT, SMB: the name stays "delete pending" until the last descriptor closes. */
  | "pending";

/** What a profile simulates. */
export interface ProfileSpec {
  /** Shown in test names. */
  name: string;
  platform: "linux" | "darwin" | "win32";
  /** Windows: which runtime's rules (signals, delete-on-close, whether an exclusive create follows a dangling link). */
  runtime?: "node" | "bun" | "deno" | "deno-2.7.5";
  /** Windows: how an unlinked open file's name behaves. */
  deleteSemantics?: DeleteSemantics;
  /** Linux: the file system refuses O_TMPFILE (EOPNOTSUPP), in every directory or those `refusesTmpfile` names. */
  noTmpfile?: boolean;
  /** The real platform: requests go through unchanged; only the process is simulated. */
  native?: boolean;
}

/**
 * Whether this host can carry the simulations: they rewrite Linux's answers.
 * On any other host (the public CI's Windows and macOS machines) the suite
 * runs once, on the real platform, with only the process simulated.
 */
export const SIMULATING: boolean = process.platform === "linux";

const ALL_PROFILES: ProfileSpec[] = [
  { name: "linux", platform: "linux" },
  { name: "linux, a file system without O_TMPFILE (NFS, vfat)", platform: "linux", noTmpfile: true },
  { name: "macOS", platform: "darwin" },
  { name: "Windows, Node 22+", platform: "win32", runtime: "node", deleteSemantics: "posix" },
  { name: "Windows, Bun", platform: "win32", runtime: "bun", deleteSemantics: "posix" },
  {
    name: "Windows, Node 20 or FAT/SMB (delete pending)",
    platform: "win32",
    runtime: "node",
    deleteSemantics: "pending",
  },
  { name: "Windows, Deno 2.7.6+", platform: "win32", runtime: "deno", deleteSemantics: "posix" },
  { name: "Windows, Deno before 2.7.6", platform: "win32", runtime: "deno-2.7.5", deleteSemantics: "posix" },
];

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const hostRuntime = g.Deno ? "deno" : g.Bun ? "bun" : "node";

/** Every profile the behaviour suite runs under: all of them on Linux, the real platform elsewhere. */
export const PROFILES: ProfileSpec[] = SIMULATING ? ALL_PROFILES : [{
  name: `this machine (${process.platform}, ${hostRuntime})`,
  platform: process.platform as ProfileSpec["platform"],
  runtime: hostRuntime,
  native: true,
}];

/** Thrown by the simulated `process.exit`, which must not return. */
export class SimulatedExit extends Error {
  readonly status: number | undefined;
  readonly signal: ExitSignal | undefined;
  constructor(status: number | undefined, signal?: ExitSignal) {
    super(signal ? `simulated death by ${signal}` : `simulated exit(${status})`);
    this.status = status;
    this.signal = signal;
  }
}

/**
 * The simulated `node:process`: signals are emitted by the test, and
 * `kill`/`exit` record how the process would have ended, per platform and
 * runtime, instead of ending it.
 */
export class SimulatedProcess extends EventEmitter {
  readonly pid = process.pid;
  /** How the process ended: a status, or death by a signal. */
  ended: { status?: number; signal?: ExitSignal } | undefined;
  readonly platform: string;
  #refused: Set<string>;

  constructor(platform: string, refused: ExitSignal[] = []) {
    super();
    this.platform = platform;
    this.#refused = new Set(refused);
  }

  // Deno before 2.7.6 on Windows: adding a SIGTERM listener throws; the worst
  // case is modelled, where the emitter already holds the listener.
  override on(event: string | symbol, fn: (...args: unknown[]) => void): this {
    super.on(event, fn);
    return this.#refuse(event);
  }

  override prependListener(event: string | symbol, fn: (...args: unknown[]) => void): this {
    super.prependListener(event, fn);
    return this.#refuse(event);
  }

  #refuse(event: string | symbol): this {
    if (this.#refused.has(String(event))) {
      throw new TypeError(
        `Windows only supports ctrl-c (SIGINT) and ctrl-break (SIGBREAK), but got ${String(event)}`,
      );
    }
    return this;
  }

  kill(pid: number, signal: ExitSignal): true {
    if (pid !== this.pid) throw errno("ESRCH");
    if (this.platform === "win32") {
      // libuv's uv_kill: SIGBREAK is not supported; the others TerminateProcess(1).
      if (signal === "SIGBREAK" || signal === "SIGHUP") {
        throw Object.assign(errno("ENOSYS"), { syscall: "kill" });
      }
      this.exit(1);
    }
    // POSIX: no listener is left, so the default action ends the process.
    this.ended = { signal };
    throw new SimulatedExit(undefined, signal);
  }

  exit(status: number): never {
    this.ended = { status };
    throw new SimulatedExit(status);
  }

  /** Delivers `signal` as the OS would; returns how the process ended, if it did. */
  deliver(signal: ExitSignal): { status?: number; signal?: ExitSignal } | undefined {
    try {
      this.emit(signal, signal);
    } catch (err) {
      if (!(err instanceof SimulatedExit)) throw err;
    }
    return this.ended;
  }
}

interface Hold {
  code: "EBUSY" | "EPERM";
  /** Released once the simulated clock passes this. */
  until: number;
}

/** What a test can do to an installed profile. */
export interface Installed {
  spec: ProfileSpec;
  /** The simulated process: deliver signals, see how it ended. */
  proc: SimulatedProcess;
  /** The default temp directory (macOS: reached through a `/var` → `/private/var` style link). */
  tempDir: string;
  /**
   * Another process (antivirus, an indexer, a reader without delete sharing)
   * holds `path` open: on Windows, unlink, rename and rmdir of it fail with
   * `code` until `forMs` of retry pauses have passed (default: forever).
   */
  holdOpen(path: string, options?: { code?: "EBUSY" | "EPERM"; forMs?: number }): void;
  /** Linux: O_TMPFILE is refused only in these directories (default: all, when `noTmpfile`). */
  refuseTmpfileIn(dirs: string[]): void;
  /** Paths whose name is "delete pending" now. */
  pending(): string[];
  /** Requests the core made, by op name. */
  counts: Map<string, number>;
}

// deno-lint-ignore no-control-regex
const RESERVED = /[<>"|?*\x01-\x1f]/;
/** The simulated delete-on-close bit: free in Linux's flags (libuv's 0x40 is O_CREAT here). */
const SIM_O_TEMPORARY = 1 << 30;

/** The registry must be unhooked before a profile's hooks can be the ones it installs. */
async function registryIdle(): Promise<void> {
  for (let i = 0; i < 100 && registryState().hooked; i++) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Installs `spec` as the backend until the end of the test (with a fresh
 * default temp directory), after the cleanup registry has let go of the
 * previous backend's hooks.
 */
export async function installProfile(spec: ProfileSpec): Promise<Installed> {
  await registryIdle();
  const real = backend();
  const win = spec.platform === "win32";
  const libuv = win && (spec.runtime === "node" || spec.runtime === "bun");
  const proc = new SimulatedProcess(
    spec.platform,
    spec.runtime === "deno-2.7.5" ? ["SIGTERM", "SIGHUP"] : spec.runtime === "deno" ? ["SIGHUP"] : [],
  );
  const root = scratchDir();
  let tempDir = path.join(root, "temp");
  if (spec.platform === "darwin") {
    // /var/folders/xx/T is /private/var/folders/xx/T behind a link.
    fs.mkdirSync(path.join(root, "private/var/folders/xx/T"), { recursive: true });
    fs.symlinkSync("private/var", path.join(root, "var"));
    tempDir = path.join(root, "var/folders/xx/T");
  } else fs.mkdirSync(tempDir);

  const F = real.flags;
  const holds = new Map<string, Hold>();
  const pendingNames = new Set<string>();
  /** Our open descriptors: path, and whether opened for append or delete-on-close. */
  const fds = new Map<number, { path: string; append: boolean; deleteOnClose: boolean }>();
  let clock = 0;
  let tmpfileDirs: Set<string> | undefined;
  const counts = new Map<string, number>();

  const held = (p: string): Hold | undefined => {
    const h = holds.get(p);
    if (h && clock >= h.until) holds.delete(p);
    return holds.get(p);
  };
  const openCount = (p: string) => [...fds.values()].filter((f) => f.path === p).length;

  /** Rewrites or refuses `r` as the profile's platform would; returns the request to run (and what follows it), or a result. */
  const count = (r: Request) => void counts.set(r.op, (counts.get(r.op) ?? 0) + 1);
  function before(r: Request): { run: Request; removeAfter?: string } | { result: unknown } {
    count(r);
    if (r.op === "sleep") {
      clock += r.ms; // retry pauses pass instantly, on the simulated clock
      return { result: undefined };
    }
    if (r.op === "open" && F.O_TMPFILE !== undefined && (r.flags & F.O_TMPFILE) === F.O_TMPFILE) {
      if (spec.noTmpfile && (tmpfileDirs === undefined || tmpfileDirs.has(r.path))) {
        throw Object.assign(errno("EOPNOTSUPP", r.path), { syscall: "open" });
      }
      return { run: r };
    }
    if (!win || spec.native) return { run: r };
    const p = "path" in r ? r.path : undefined;
    const name = p === undefined ? "" : path.basename(p);
    if (p !== undefined && RESERVED.test(name)) throw errno("ENOENT", p); // what Win32 says
    if (p !== undefined && pendingNames.has(p)) {
      // A delete-pending name refuses everything, creation included.
      if (r.op === "unlink" || r.op === "open" || r.op === "lstat" || r.op === "mkdir") {
        throw errno("EPERM", p);
      }
    }
    switch (r.op) {
      case "open": {
        if (name.includes(":")) {
          // An NTFS alternate data stream: "base:stream" opens a stream of the existing file "base".
          const base = path.join(path.dirname(r.path), name.slice(0, name.indexOf(":")));
          return { run: { ...r, path: base, flags: r.flags & ~F.O_EXCL } };
        }
        if ((r.flags & F.O_CREAT) && (r.flags & F.O_EXCL) && caseCollides(r.path)) {
          throw errno("EEXIST", r.path);
        }
        // libuv's CREATE_NEW follows a dangling link and creates its target
        // (Rust std's create_new, under Deno, refuses it, as Linux does).
        const target = libuv && (r.flags & F.O_CREAT) && (r.flags & F.O_EXCL)
          ? danglingTarget(r.path)
          : undefined;
        // No modes: the entry inherits the directory's ACL (here: readable by all).
        return { run: { ...r, path: target ?? r.path, flags: r.flags & ~SIM_O_TEMPORARY, mode: 0o666 } };
      }
      case "mkdir":
        if (caseCollides(r.path)) throw errno("EEXIST", r.path);
        return { run: { ...r, mode: 0o777 } };
      case "unlink": {
        const h = held(r.path);
        if (h) throw Object.assign(errno(h.code, r.path), { syscall: "unlink" });
        if (spec.deleteSemantics === "pending" && openCount(r.path) > 0) {
          pendingNames.add(r.path); // gone from view only when the last descriptor closes
          return { result: undefined };
        }
        return { run: r };
      }
      case "rename": {
        for (const q of [r.from, r.to]) {
          const h = held(q);
          if (h || pendingNames.has(q)) throw Object.assign(errno("EPERM", q), { syscall: "rename" });
        }
        return { run: r };
      }
      case "rmdir": {
        const h = held(r.path);
        if (h) throw errno(h.code, r.path);
        return { run: r };
      }
      case "chmod":
        // Only the read-only attribute exists.
        return { run: { ...r, mode: r.mode & 0o200 ? 0o777 : 0o555 } };
      case "fchmod":
        return { run: { ...r, mode: r.mode & 0o200 ? 0o666 : 0o444 } };
      case "truncate":
        // libuv opens appends with FILE_APPEND_DATA but not FILE_WRITE_DATA (nodejs/node#3177).
        if (fds.get(r.fd)?.append) throw Object.assign(errno("EPERM"), { syscall: "ftruncate" });
        return { run: r };
      case "close": {
        const f = fds.get(r.fd);
        fds.delete(r.fd);
        // The last descriptor of a delete-pending or delete-on-close file takes its name with it.
        const last = f !== undefined && openCount(f.path) === 0;
        if (last && (pendingNames.delete(f.path) || f.deleteOnClose)) return { run: r, removeAfter: f.path };
        return { run: r };
      }
    }
    return { run: r };
  }

  /** The target of `p` when `p` is a link to nothing. */
  function danglingTarget(p: string): string | undefined {
    if (!fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() || fs.existsSync(p)) return undefined;
    return path.resolve(path.dirname(p), fs.readlinkSync(p));
  }

  function caseCollides(p: string): boolean {
    const name = path.basename(p).toLowerCase();
    try {
      return fs.readdirSync(path.dirname(p)).some((n) => n.toLowerCase() === name && n !== path.basename(p));
    } catch {
      return false;
    }
  }

  function after(r: Request, original: Request, result: unknown, removeAfter?: string): unknown {
    if (!win || spec.native) return result;
    if (r.op === "open" && original.op === "open") {
      fds.set(result as number, {
        // The file really opened: a followed link's target, else the name asked for (a stream's too).
        path: r.path !== original.path && !path.basename(original.path).includes(":")
          ? r.path
          : original.path,
        append: (original.flags & F.O_APPEND) !== 0,
        deleteOnClose: (original.flags & SIM_O_TEMPORARY) !== 0,
      });
    }
    if (removeAfter !== undefined) fs.rmSync(removeAfter, { force: true });
    if (r.op === "lstat") {
      const st = result as Lstat;
      // Modes are made up from the read-only attribute; there are no owners.
      const perm = st.isDirectory ? 0o777 : st.mode & 0o200 ? 0o666 : 0o444;
      return { ...st, mode: (st.mode & ~0o777) | perm, uid: 0 };
    }
    return result;
  }

  const env = (name: string): string | undefined => {
    if (name === "TMPDIR") return win ? undefined : tempDir;
    if (name === "TEMP" || name === "TMP") return win ? tempDir : undefined;
    return real.env(name);
  };

  const profiled: Backend = spec.native
    ? {
      ...real,
      env,
      hooks: processHooks(proc),
      // The real platform answers; the operations are only counted.
      performSync: (r) => (count(r), real.performSync(r)),
      perform: (r) => (count(r), real.perform(r)),
    }
    : {
      ...real,
      platform: spec.platform,
      flags: {
        ...F,
        O_NOFOLLOW: win ? 0 : F.O_NOFOLLOW,
        O_TMPFILE: spec.platform === "linux" ? F.O_TMPFILE : undefined,
        // Node and Bun on Windows pass libuv's delete-on-close; Deno drops the flag.
        O_TEMPORARY: win && (spec.runtime === "node" || spec.runtime === "bun") ? SIM_O_TEMPORARY : 0,
      },
      env,
      // Deno without --allow-sys has no home directory to offer (the Deno backend's answer).
      homedir: () => spec.runtime?.startsWith("deno") ? undefined : real.homedir(),
      processIds: () => ({ ...real.processIds(), uid: win ? undefined : real.processIds().uid }),
      hooks: processHooks(proc),
      performSync(r) {
        const step = before(r);
        if ("result" in step) return step.result;
        return after(step.run, r, real.performSync(step.run), step.removeAfter);
      },
      async perform(r) {
        const step = before(r);
        if ("result" in step) return step.result;
        return after(step.run, r, await real.perform(step.run), step.removeAfter);
      },
    };
  useBackend(profiled);
  setTempdir(undefined);
  afterTest(() => {
    // What a failed test left goes now, and the registry lets go of the simulated hooks.
    proc.emit("exit", 0);
    useBackend(real);
    setTempdir(undefined);
  });
  return {
    spec,
    proc,
    tempDir,
    holdOpen(p, o = {}) {
      holds.set(p, { code: o.code ?? "EBUSY", until: o.forMs === undefined ? Infinity : clock + o.forMs });
    },
    refuseTmpfileIn(dirs) {
      tmpfileDirs = new Set(dirs);
    },
    pending: () => [...pendingNames],
    counts,
  };
}
