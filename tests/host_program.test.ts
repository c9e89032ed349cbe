// The host program decides: its own signal, error and exit handlers run and
// choose whether and when the process ends, whichever API added them and
// whether before or after the first temp object; the library removes its
// files when the process really ends.
import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { setSignalCleanup } from "../mod.ts";
import {
  cleanupScratch,
  listDir,
  runChild,
  RUNTIME,
  runtimeCommand,
  scratchDir,
  startChild,
  writeScript,
} from "./_helpers.ts";
import { posixOnly, skipIf } from "./_windows.ts";

/** Windows has no signal one process can deliver to another's handler: TerminateProcess ends it at once. */
const SIGNAL_FROM_OUTSIDE = posixOnly(
  "a signal from another process (Windows ends the process at once: no handler)",
);

afterEach(cleanupScratch);

/** Makes a named file and a directory in DIR, holding both; `install` runs before or after, as WHEN says. */
const MAKE = `
import * as fs from "node:fs";
import process from "node:process";
import * as m from "MOD";
const dir = process.env.DIR;
let file = "";
const make = () => {
  const f = m.NamedTemporaryFileSync({ dir });
  file = f.name;
  globalThis.keep = [f, m.TemporaryDirectorySync({ dir })];
};
const there = () => fs.existsSync(file);
`;

const SIGNAL_CHILD = `${MAKE}
const sig = process.env.SIG;
const shutdown = () => {
  console.log("handler ran, file there: " + there());
  setTimeout(() => {
    console.log("shutdown done, file there: " + there());
    process.exit(0);
  }, 200);
};
const install = () => {
  const how = process.env.HOW;
  if (how === "on") process.on(sig, shutdown);
  else if (how === "once") process.once(sig, shutdown);
  else if (how === "prepend") process.prependListener(sig, shutdown);
  // Deno's own API; the others have none, and listen through process.on.
  else if (globalThis.Deno) Deno.addSignalListener(sig, shutdown);
  else process.on(sig, shutdown);
};
if (process.env.WHEN === "before") install();
make();
if (process.env.WHEN === "after") install();
console.log("ready");
setTimeout(() => {}, 30_000);
`;

async function signalled(script: string, env: Record<string, string>, signal: NodeJS.Signals) {
  const child = startChild(script, { env: { ...process.env, ...env } });
  await child.line(/^ready$/);
  process.kill(child.pid, signal);
  return await child.done;
}

describe("a signal the program handles is the program's", () => {
  const cases = [
    ["on", "before", "SIGINT"],
    ["on", "after", "SIGINT"],
    ["once", "before", "SIGINT"],
    ["once", "after", "SIGINT"],
    ["once", "before", "SIGTERM"],
    ["once", "after", "SIGTERM"],
    ["prepend", "after", "SIGTERM"],
    ["Deno.addSignalListener", "before", "SIGINT"],
    ["Deno.addSignalListener", "after", "SIGINT"],
    ["Deno.addSignalListener", "before", "SIGTERM"],
  ] as const;
  skipIf(SIGNAL_FROM_OUTSIDE).each(cases)(
    "%s, added %s the first temp object, %s: the handler runs once and finishes, and the files go when it exits",
    async (how, when, signal) => {
      const dir = scratchDir();
      const script = writeScript(scratchDir(), SIGNAL_CHILD);
      const r = await signalled(script, { DIR: dir, HOW: how, WHEN: when, SIG: signal }, signal);
      expect(r.stdout.match(/handler ran.*/g)).toEqual(["handler ran, file there: true"]);
      expect(r.stdout).toContain("shutdown done, file there: true");
      expect({ status: r.status, signal: r.signal, left: listDir(dir) }).toEqual({
        status: 0,
        signal: null,
        left: [],
      });
    },
  );
});

const ERROR_CHILD = `${MAKE}
const rejection = process.env.KIND === "rejection";
// Deno has the web's events; elsewhere the program listens through node:process.
const web = process.env.HOW === "event" && globalThis.Deno;
const handler = (e) => {
  if (web) e.preventDefault();
  console.log("handled");
};
const install = () => {
  if (web) globalThis.addEventListener(rejection ? "unhandledrejection" : "error", handler);
  else process.on(rejection ? "unhandledRejection" : "uncaughtException", handler);
};
if (process.env.WHEN === "before") install();
make();
if (process.env.WHEN === "after") install();
if (rejection) Promise.reject(new Error("rejected"));
else setTimeout(() => { throw new Error("boom"); }, 10);
setTimeout(() => {
  console.log("still running, file there: " + there());
  process.exit(0);
}, 300);
`;

describe("an error the program handles does not end it, and its files stay", () => {
  const cases = [
    ["rejection", "node", "before"],
    ["rejection", "node", "after"],
    ["exception", "node", "before"],
    ["exception", "node", "after"],
    ["rejection", "event", "after"],
    ["exception", "event", "after"],
  ] as const;
  it.each(cases)(
    "an unhandled %s, handled by a %s listener added %s the first temp object",
    (kind, how, when) => {
      const dir = scratchDir();
      const script = writeScript(scratchDir(), ERROR_CHILD);
      const r = runChild(script, { env: { ...process.env, DIR: dir, KIND: kind, HOW: how, WHEN: when } });
      expect(r.stdout).toContain("handled");
      expect(r.stdout).toContain("still running, file there: true");
      expect({ status: r.status, left: listDir(dir) }).toEqual({ status: 0, left: [] });
    },
  );
});

describe("exit listeners", () => {
  it("process.exit() inside an exit listener added before the first temp object still removes the files", () => {
    const dir = scratchDir();
    const script = writeScript(
      scratchDir(),
      `${MAKE}
      process.on("exit", () => process.exit(5));
      make();`,
    );
    const r = runChild(script, { env: { ...process.env, DIR: dir } });
    expect({ status: r.status, stderr: r.stderr, left: listDir(dir) }).toEqual({
      status: 5,
      stderr: "",
      left: [],
    });
  });

  it("an exit listener added after the first temp object still finds its files", () => {
    const dir = scratchDir();
    const script = writeScript(
      scratchDir(),
      `${MAKE}
      make();
      process.on("exit", () => console.log("exit listener, file there: " + there()));`,
    );
    const r = runChild(script, { env: { ...process.env, DIR: dir } });
    expect(r.stdout).toContain("exit listener, file there: true");
    expect({ status: r.status, left: listDir(dir) }).toEqual({ status: 0, left: [] });
  });
});

describe("temp objects only in a worker", () => {
  skipIf(SIGNAL_FROM_OUTSIDE)(
    "a signal to the process ends it as without the library; the worker's objects are left",
    async () => {
      const dir = scratchDir();
      const scripts = scratchDir();
      const worker = writeScript(
        scripts,
        `${MAKE}
      make();
      const port = globalThis.Deno || globalThis.Bun ? self : (await import("node:worker_threads")).parentPort;
      port.postMessage("made");`,
        "worker.mjs",
      );
      const main = writeScript(
        scripts,
        `const url = ${JSON.stringify(pathToFileURL(worker).href)};
      const node = !globalThis.Deno && !globalThis.Bun;
      const w = node ? new (await import("node:worker_threads")).Worker(new URL(url)) : new Worker(url, { type: "module" });
      const ready = () => {
        console.log("ready");
        setTimeout(() => console.log("main still running"), 2_000);
        setTimeout(() => process.exit(0), 2_500);
      };
      if (node) w.on("message", ready); else w.onmessage = ready;`,
      );
      const r = await signalled(main, { DIR: dir }, "SIGINT");
      expect({ status: r.status, signal: r.signal }).toEqual({ status: null, signal: "SIGINT" });
      expect(r.stdout).not.toContain("main still running");
      // Node and Bun may run the worker's exit hook while the process goes down: none, one or both may
      // be gone. Deno ends the worker with the process.
      if (RUNTIME === "deno") expect(listDir(dir)).toHaveLength(2);
      else expect(listDir(dir).length).toBeLessThanOrEqual(2);
    },
  );
});

describe("a program stuck in synchronous code", () => {
  const STUCK = `${MAKE}
  if (process.env.OPT_OUT) (await import("MOD")).setSignalCleanup(false);
  make();
  console.log("ready");
  for (;;);`;

  skipIf(SIGNAL_FROM_OUTSIDE)(
    "limit: while a temp object lives, SIGINT waits for the event loop, forever",
    async () => {
      const dir = scratchDir();
      const child = startChild(writeScript(scratchDir(), STUCK), { env: { ...process.env, DIR: dir } });
      await child.line(/^ready$/);
      process.kill(child.pid, "SIGINT");
      const ended = await Promise.race([
        child.done.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 1_000)),
      ]);
      process.kill(child.pid, "SIGKILL");
      await child.done;
      expect(ended).toBe(false);
    },
  );

  skipIf(SIGNAL_FROM_OUTSIDE)(
    "setSignalCleanup(false): SIGINT ends it at once, as without the library, leaving its paths as SIGKILL does",
    async () => {
      const dir = scratchDir();
      const child = startChild(writeScript(scratchDir(), STUCK), {
        env: { ...process.env, DIR: dir, OPT_OUT: "1" },
      });
      await child.line(/^ready$/);
      process.kill(child.pid, "SIGINT");
      const r = await child.done;
      expect({ status: r.status, signal: r.signal }).toEqual({ status: null, signal: "SIGINT" });
      expect(listDir(dir)).toHaveLength(2);
    },
  );

  it("setSignalCleanup takes a boolean only", () => {
    expect(() => setSignalCleanup("no" as unknown as boolean)).toThrow(TypeError);
  });
});

describe("endings that run no code leave every named path", () => {
  const ENDING = `${MAKE}
  if (!process.env.BARE) make();
  console.log("ready");
  if (process.env.ABORT) setTimeout(() => process.abort(), 10);
  setTimeout(() => {}, 1_000);`;

  const endings = [["process.abort()"], ["SIGQUIT"], ["SIGUSR2"], ["SIGALRM"], ["SIGUSR1"]] as const;
  for (const [ending] of endings) {
    // Windows has no SIGQUIT, SIGUSR1/2 or SIGALRM one process can send another (libuv: ENOSYS).
    skipIf(ending === "process.abort()" ? undefined : posixOnly(`${ending}, a POSIX signal`))(
      `${ending}: the same ending as without the library; named file and directory left`,
      () => endsAsWithout(ending),
    );
  }
  async function endsAsWithout(ending: (typeof endings)[number][0]) {
    const script = writeScript(scratchDir(), ENDING);
    const end = async (env: Record<string, string>) => {
      const child = startChild(script, { env: { ...process.env, ...env } });
      await child.line(/^ready$/);
      if (ending !== "process.abort()") process.kill(child.pid, ending);
      return await child.done;
    };
    const abort: Record<string, string> = ending === "process.abort()" ? { ABORT: "1" } : {};
    const bare = await end({ DIR: scratchDir(), BARE: "1", ...abort });
    const dir = scratchDir();
    const r = await end({ DIR: dir, ...abort });
    expect({ status: r.status, signal: r.signal }).toEqual({ status: bare.status, signal: bare.signal });
    // SIGUSR1 starts Node's inspector and ends Bun and Deno; a program that lives on ends normally.
    expect(listDir(dir)).toHaveLength(r.status === 0 ? 0 : 2);
  }
});

describe("descriptors exhausted", () => {
  skipIf(posixOnly("ulimit -n (sh)"))(
    "a creation that cannot get a descriptor rejects with EMFILE, and the next one with descriptors works",
    () => {
      const dir = scratchDir();
      const script = writeScript(
        scratchDir(),
        `import * as fs from "node:fs";
      import * as m from "MOD";
      const fds = [];
      try { for (;;) fds.push(fs.openSync(${
          JSON.stringify(process.execPath)
        }, "r")); } catch (e) { console.log("filled " + e.code); }
      try { await m.NamedTemporaryFile({ dir: ${
          JSON.stringify(dir)
        } }); } catch (e) { console.log("async " + e.code); }
      try { m.TemporaryDirectorySync({ dir: ${
          JSON.stringify(dir)
        } }).cleanupSync(); } catch (e) { console.log("sync " + e.code); }
      for (const fd of fds.splice(0, 8)) fs.closeSync(fd);
      const f = await m.NamedTemporaryFile({ dir: ${JSON.stringify(dir)} });
      await f.close();
      console.log("created");`,
      );
      const [cmd, args] = runtimeCommand(script);
      const r = spawnSync("sh", ["-c", 'ulimit -n 64 && exec "$0" "$@"', cmd, ...args], { encoding: "utf8" });
      expect(r.stdout.trim().split("\n")).toEqual([
        "filled EMFILE",
        "async EMFILE",
        "sync EMFILE",
        "created",
      ]);
      expect({ status: r.status, left: listDir(dir) }).toEqual({ status: 0, left: [] });
    },
  );
});
