// At exit, a file that outlives the process gets every async call the
// program made on it and did not await, run synchronously in call order,
// then its buffer written: unawaited writes followed by process.exit(), an
// uncaught error or a signal are on disk. A failure there is said on stderr
// once per file, with its path and code; the exit status stays the program's.
import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { EOL } from "node:os";
import process from "node:process";
import { NamedTemporaryFileSync } from "../mod.ts";
import { backend, useBackend } from "../src/backend.ts";
import { CallQueue } from "../src/_call_queue.ts";
import { call, type Gen, type Request } from "../src/_requests.ts";
import { afterTest, cleanupScratch, runChild, scratchDir, writeScript } from "./_helpers.ts";
import { posixOnly, skipIf } from "./_windows.ts";

afterEach(cleanupScratch);

// 1000 lines, 8890 bytes: more than the 8 KiB buffer, so some of them need I/O. Text mode writes "\n" as the
// platform's line end.
const LINES = Array.from({ length: 1000 }, (_, i) => `line ${i}${EOL}`).join("");

/** The child: a delete: false file, 1000 unawaited writes unless BARE, then it ends as ENDING says. */
const CHILD = `
import process from "node:process";
import { NamedTemporaryFileSync } from "MOD";
const f = NamedTemporaryFileSync({ dir: process.env.DIR, mode: "w", delete: false });
console.log(f.name);
if (!process.env.BARE) for (let i = 0; i < 1000; i++) f.write(\`line \${i}\\n\`);
const ending = process.env.ENDING;
if (ending === "exit") process.exit(3);
if (ending === "throw") throw new Error("boom");
if (ending === "signal") process.kill(process.pid, "SIGTERM");
if (ending === "signal") setTimeout(() => {}, 30_000);
`;

describe("unawaited writes reach the disk however the process ends", () => {
  const endings = ["exit", "throw", "signal", "normal"] as const;
  for (const ending of endings) {
    skipIf(
      ending === "signal"
        ? posixOnly("a signal reaching a handler (Windows: process.kill ends the process at once)")
        : undefined,
    )(`${ending}: every queued write is in the file, and the exit status is the program's`, () => {
      const script = writeScript(scratchDir(), CHILD);
      const run = (bare: boolean) =>
        runChild(script, {
          env: { ...process.env, DIR: scratchDir(), ENDING: ending, ...(bare ? { BARE: "1" } : {}) },
        });
      const bare = run(true);
      const r = run(false);
      expect({ status: r.status, signal: r.signal }).toEqual({ status: bare.status, signal: bare.signal });
      expect(r.stderr).not.toContain("@x/tempfile");
      const name = r.stdout.split("\n")[0];
      expect(fs.readFileSync(name, "utf8")).toBe(LINES);
    });
  }
});

describe("a failure at exit", () => {
  /** FILES files with 5000 bytes buffered (unless QUEUED: queued, unawaited); then every write fails with ENOSPC. */
  const FAILING = `
import process from "node:process";
import { NamedTemporaryFileSync } from "MOD";
import { backend, useBackend } from "INTERNALS";
// Held: one collected before the exit is closed by its finaliser, which reports nothing (seen in Node 26).
globalThis.held = [];
for (let i = 0; i < Number(process.env.FILES); i++) {
  const f = NamedTemporaryFileSync({ dir: process.env.DIR, delete: false });
  if (process.env.QUEUED) for (let j = 0; j < 5; j++) f.write(new Uint8Array(1000).fill(1));
  else f.writeSync(new Uint8Array(5000).fill(1));
  globalThis.held.push(f);
}
console.log(JSON.stringify(globalThis.held.map((f) => f.name)));
const real = backend();
const full = () => { throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" }); };
useBackend({
  ...real,
  performSync: (r) => r.op === "write" ? full() : real.performSync(r),
  perform: (r) => r.op === "write" ? Promise.reject(full()) : real.perform(r),
});
if (process.env.ENDING === "exit") process.exit(0);
`;

  it.each(
    [
      ["a buffer that cannot be written", 1, false, "exit"],
      ["a buffer that cannot be written, at the natural end", 1, false, "normal"],
      ["queued writes that cannot be written", 1, true, "exit"],
      ["two files that cannot be written", 2, false, "exit"],
    ] as const,
  )(
    "%s is said once per file on stderr, with the path and code; the status stays 0",
    (_, n, queued, ending) => {
      const script = writeScript(scratchDir(), FAILING);
      const dir = scratchDir();
      const env = {
        ...process.env,
        DIR: dir,
        FILES: String(n),
        ENDING: ending,
        ...(queued ? { QUEUED: "1" } : {}),
      };
      const r = runChild(script, { env });
      expect(r.status).toBe(0);
      const files: string[] = JSON.parse(r.stdout.split("\n")[0]);
      const said = r.stderr.split("\n").filter((l) => l.includes("@x/tempfile"));
      expect(said.sort()).toEqual(
        files.map((f) => `@x/tempfile: could not write ${f} (ENOSPC) at exit`).sort(),
      );
    },
  );
});

describe("the call queue at exit (drainSync)", () => {
  /** A backend whose async writes never finish: the write stays in flight, as when the process ends under it. */
  function hangingWrites(): Request[] {
    const started: Request[] = [];
    const real = backend();
    useBackend({
      ...real,
      perform: (r) => {
        if (r.op !== "write") return real.perform(r);
        started.push(r);
        return new Promise(() => {});
      },
    });
    afterTest(() => void useBackend(real));
    return started;
  }

  it("finishes the operation in flight from its pending request, then runs the queued ones in order", async () => {
    const f = NamedTemporaryFileSync({ dir: scratchDir(), delete: false });
    const fd = f.fileno();
    const started = hangingWrites();
    const queue = new CallQueue();
    const log: string[] = [];
    function* write(text: string, pos: number): Gen<number> {
      log.push(`start ${text}`);
      const n = yield* call({ op: "write", fd, buf: new TextEncoder().encode(text), pos });
      log.push(`done ${text}`);
      return n;
    }
    const results = [queue.push(() => write("abc", 0)), queue.push(() => write("def", 3))];
    while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(queue.idle).toBe(false);
    expect(queue.drainSync()).toBeUndefined();
    expect(queue.idle).toBe(true);
    expect(log).toEqual(["start abc", "done abc", "start def", "done def"]);
    expect(await Promise.all(results)).toEqual([3, 3]);
    expect(fs.readFileSync(f.name, "utf8")).toBe("abcdef");
    f.closeSync();
  });

  it("an append in flight is taken as done, never written twice", async () => {
    const f = NamedTemporaryFileSync({ dir: scratchDir(), delete: false });
    const fd = f.fileno();
    const started = hangingWrites();
    const queue = new CallQueue();
    const done = queue.push(() => call({ op: "write", fd, buf: new Uint8Array(7), pos: null }));
    while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    queue.drainSync();
    expect(await done).toBe(7);
    expect(fs.statSync(f.name).size).toBe(0); // the hanging backend never wrote it; the drain did not either
    f.closeSync();
  });

  it("a failed operation does not stop the later ones; the first failure is returned and each caller told", async () => {
    const queue = new CallQueue();
    // deno-lint-ignore require-yield
    function* failing(): Gen<void> {
      throw Object.assign(new Error("EIO: injected"), { code: "EIO" });
    }
    const log: string[] = [];
    // deno-lint-ignore require-yield
    function* ok(): Gen<string> {
      log.push("ok ran");
      return "ok";
    }
    const first = queue.push(failing);
    const second = queue.push(ok);
    expect((queue.drainSync() as { code: string }).code).toBe("EIO");
    expect(log).toEqual(["ok ran"]);
    await expect(first).rejects.toMatchObject({ code: "EIO" });
    expect(await second).toBe("ok");
  });
});
