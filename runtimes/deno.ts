// The Deno backend. Requests go through Deno's `node:fs`, so that the fds we
// hand out work with `node:fs` as in the other runtimes. What differs is
// permissions, environment access and the process-ending events.
import type { Backend, ExitSignal, ProcessHooks } from "../src/backend.ts";
import type { Lstat, Request } from "../src/_requests.ts";
import { type FsPart, nodeFs } from "./_node_fs.ts";
import { signalHooks, signalStatus } from "./_signals.ts";

/** The path a request is about, for errors that lack one. */
function pathOf(r: Request): string | undefined {
  return "path" in r ? r.path : "from" in r ? r.from : undefined;
}

// A missing --allow-read/--allow-write surfaces as Deno.errors.NotCapable
// without a `code`. Give it the EACCES every runtime uses; Deno's message
// already names the permission and the flag.
function mapError(err: unknown, r: Request): unknown {
  if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
    const e = err as Error & { code?: string; path?: string };
    e.code ??= "EACCES";
    e.path ??= pathOf(r);
  }
  return err;
}

/** `variable`'s value; asking first, because reading unpermitted would prompt or throw. */
function readEnv(variable: string): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable }).state === "granted") {
    return Deno.env.get(variable);
  }
  const err = new Error(`Requires env access to "${variable}", run again with the --allow-env flag`);
  throw Object.assign(err, { code: "EACCES" });
}

/** What unlink(2) says to a directory on Linux, which Deno's `node:fs` `unlink` would remove if empty. */
function isDirectoryError(path: string): Error {
  return Object.assign(new Error(`EISDIR: illegal operation on a directory, unlink '${path}'`), {
    code: "EISDIR",
    syscall: "unlink",
    path,
  });
}

/**
 * Requests over Deno's `node:fs`, whose `unlink` would remove an empty
 * directory: it answers EISDIR as Linux does. Without read permission (write
 * alone is enough for temp files) the check is skipped: lstat is refused, and
 * unlink then behaves as Deno's always did. Errors are mapped for Deno.
 */
function requests(fs: FsPart): Pick<Backend, "performSync" | "perform"> {
  const isDirectorySync = (path: string): boolean => {
    try {
      return (fs.performSync({ op: "lstat", path }) as Lstat).isDirectory;
    } catch {
      return false;
    }
  };
  const isDirectory = (path: string): Promise<boolean> =>
    fs.perform({ op: "lstat", path }).then((s) => (s as Lstat).isDirectory, () => false);
  return {
    performSync(r) {
      try {
        if (r.op === "unlink" && isDirectorySync(r.path)) throw isDirectoryError(r.path);
        return fs.performSync(r);
      } catch (err) {
        throw mapError(err, r);
      }
    },
    async perform(r) {
      try {
        if (r.op === "unlink" && await isDirectory(r.path)) throw isDirectoryError(r.path);
        return await fs.perform(r);
      } catch (err) {
        throw mapError(err, r);
      }
    },
  };
}

/** How Deno tells us that the process is ending. */
function processHooks(): ProcessHooks {
  return {
    ...signalHooks,
    // `unload` covers the normal end and Deno.exit(); process.exit() fires it
    // too. Uncaught errors and rejections end the process after their own
    // event, with no task after it, unless the program prevents that.
    onExit(fn) {
      const onError = (e: Event) => void (e.defaultPrevented || fn());
      globalThis.addEventListener("unload", fn);
      globalThis.addEventListener("error", onError);
      globalThis.addEventListener("unhandledrejection", onError);
      return () => {
        globalThis.removeEventListener("unload", fn);
        globalThis.removeEventListener("error", onError);
        globalThis.removeEventListener("unhandledrejection", onError);
      };
    },
    raise(signal: ExitSignal) {
      // Not a re-raise: a handler the program added with Deno.addSignalListener
      // is invisible to us and would run a second time. Exit as a shell
      // reports a death by that signal.
      Deno.exit(signalStatus(signal));
    },
    later(fn, ms) {
      Deno.unrefTimer(setTimeout(fn, ms) as unknown as number);
    },
  };
}

let utf8: TextDecoder | undefined;

/** The backend for Deno. */
export function denoBackend(): Backend {
  const fs = nodeFs();
  return {
    ...fs,
    ...requests(fs),
    // Deno's node:fs drops flags it does not know on Windows: no delete-on-close.
    flags: { ...fs.flags, O_TEMPORARY: 0 },
    // Without --allow-sys there is no home directory to offer: no prompt, no crash.
    homedir() {
      try {
        return fs.homedir();
      } catch {
        return undefined;
      }
    },
    env: readEnv,
    // Deno's Web Crypto costs nothing to start, and /dev/urandom would need (or prompt for) read permission.
    randomFill: (buf) => void crypto.getRandomValues(buf as Uint8Array<ArrayBuffer>),
    // One-shot: Deno's streaming decoder is 3.5 times slower (12 against 3.5 ms per 8 MB).
    decodeUtf8: (bytes) => (utf8 ??= new TextDecoder("utf-8", { ignoreBOM: true })).decode(bytes),
    hooks: processHooks(),
  };
}
