import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { spawnSync } from "node:child_process";
import { tmpPathFixture, tmpPathTest } from "../testing.ts";
import { backend } from "../src/backend.ts";
import {
  afterTest,
  cleanupScratch,
  failure,
  injectFaults,
  listDir,
  ROOT,
  RUNTIME,
  scratchDir,
  startChild,
  writeScript,
} from "./_helpers.ts";
import { posixOnly, skipIf, WINDOWS } from "./_windows.ts";

afterEach(cleanupScratch);

/** The per-user base the fixture made under `parent`. */
function baseIn(parent: string): string {
  const [base] = listDir(parent).filter((n) => n.startsWith("xtempfile-of-"));
  return path.join(parent, base);
}

/** Captures console.error until the end of the test. */
function captureStderr(): string[] {
  const lines: string[] = [];
  const real = console.error;
  console.error = (...args: unknown[]) => void lines.push(args.join(" "));
  afterTest(() => console.error = real);
  return lines;
}

/**
 * A process id that no process has now: a child that has exited. On Windows an odd number, since process ids
 * there are multiples of 4 (and Wine hands an exited child's id to the next process at once).
 */
let odd = 1_000_001;
function deadPid(): number {
  if (WINDOWS) return odd += 2;
  const r = spawnSync("true", { stdio: "ignore" }); // any ended process: not a runtime's ~0.1 s start
  return r.pid!;
}

describe("tmpPathTest", () => {
  it("gives a fresh private directory in this run's directory, removed when the test passes", async () => {
    const parent = scratchDir();
    let seen = "";
    await tmpPathTest((dir) => {
      seen = dir;
      if (!WINDOWS) expect(fs.statSync(dir).mode & 0o777).toBe(0o700); // Windows: the parent's ACL
      fs.writeFileSync(path.join(dir, "out.txt"), "x");
    }, { dir: parent, name: "writes out.txt" })();
    const base = baseIn(parent);
    expect(path.basename(seen)).toMatch(/^writes_out_txt-/);
    expect(path.dirname(path.dirname(seen))).toBe(base);
    expect(path.basename(path.dirname(seen))).toMatch(/^run-\d+$/);
    if (!WINDOWS) expect(fs.statSync(base).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(seen)).toBe(false);
  });

  it("keeps a failed test's directory with its content, prints the path, and rethrows", async () => {
    const parent = scratchDir();
    const stderr = captureStderr();
    let seen = "";
    const boom = new Error("boom");
    const err = await failure(tmpPathTest((dir) => {
      seen = dir;
      fs.writeFileSync(path.join(dir, "partial.txt"), "half");
      throw boom;
    }, { dir: parent, name: "breaks" }));
    expect(err).toBe(boom);
    expect(fs.readFileSync(path.join(seen, "partial.txt"), "utf8")).toBe("half");
    expect(stderr).toEqual([`tmp_path of failed test "breaks" kept: ${seen}`]);
  });

  it("takes the name from the runner's context, and passes the runner's arguments on", async () => {
    const parent = scratchDir();
    const got: unknown[] = [];
    const ctx = { name: "deno style" };
    await tmpPathTest((dir, ...args: unknown[]) => void got.push(path.basename(dir), ...args), {
      dir: parent,
    })(
      ctx,
      42,
    );
    expect(got[0]).toMatch(/^deno_style-/);
    expect(got.slice(1)).toEqual([ctx, 42]);
  });

  it("every test of one run shares the run directory; each gets its own", async () => {
    const parent = scratchDir();
    const dirs: string[] = [];
    const body = tmpPathTest((dir) => void dirs.push(dir), { dir: parent });
    await body();
    await body();
    expect(dirs[0]).not.toBe(dirs[1]);
    expect(path.dirname(dirs[0])).toBe(path.dirname(dirs[1]));
  });

  skipIf(posixOnly("owners (a directory chowned to uid 65534)"))(
    "refuses a base directory that is a link, or another user's, creating nothing in it",
    async () => {
      const parent = scratchDir();
      const elsewhere = scratchDir();
      fs.symlinkSync(elsewhere, path.join(parent, "xtempfile-of-" + userName()));
      expect((await failure(tmpPathTest(() => {}, { dir: parent }))).code).toBe("ENOTDIR");
      expect(listDir(elsewhere)).toEqual([]);

      const shared = scratchDir();
      const base = path.join(shared, "xtempfile-of-" + userName());
      fs.mkdirSync(base, { mode: 0o700 });
      fs.chownSync(base, 65534, 65534);
      const err = await failure(tmpPathTest(() => {}, { dir: shared }));
      expect(err.code).toBe("EACCES");
      expect(err.path).toBe(base);
      expect(listDir(base)).toEqual([]);
    },
  );

  skipIf(posixOnly("owners (a directory chowned to uid 65534)"))(
    "without a known uid (Deno without --allow-sys) ownership is still checked, by a probe",
    async () => {
      const real = backend().processIds();
      injectFaults({}, { processIds: () => ({ ...real, uid: undefined }) });
      const shared = scratchDir();
      const base = path.join(shared, "xtempfile-of-" + userName());
      fs.mkdirSync(base, { mode: 0o700 });
      fs.chownSync(base, 65534, 65534);
      expect((await failure(tmpPathTest(() => {}, { dir: shared }))).code).toBe("EACCES");
      expect(listDir(shared)).toEqual([path.basename(base)]); // the probe is gone

      const mine = scratchDir();
      await tmpPathTest(() => {}, { dir: mine })();
      expect(listDir(mine)).toEqual([path.basename(baseIn(mine))]);
    },
  );

  skipIf(posixOnly("permission bits"))("makes an existing base of ours private again", async () => {
    const parent = scratchDir();
    const base = path.join(parent, "xtempfile-of-" + userName());
    fs.mkdirSync(base);
    fs.chmodSync(base, 0o777);
    await tmpPathTest(() => {}, { dir: parent })();
    expect(fs.statSync(base).mode & 0o777).toBe(0o700);
  });

  it("keeps the newest finished runs, removes older ones, and never touches a running one", async () => {
    const parent = scratchDir();
    const base = path.join(parent, "xtempfile-of-" + userName());
    fs.mkdirSync(base, { mode: 0o700 });
    const dead = [deadPid(), deadPid(), deadPid()];
    const old = dead.map((pid, i) => {
      const run = path.join(base, `run-${pid}`);
      fs.mkdirSync(path.join(run, "failed-test"), { recursive: true });
      fs.utimesSync(run, 1000 + i, 1000 + i); // the last is the newest
      return run;
    });
    // A run still going (a child that waits) is never pruned, however old.
    const alive = startChild(writeScript(scratchDir(), "setInterval(() => {}, 1000);"));
    afterTest(() => process.kill(alive.pid));
    const running = path.join(base, `run-${alive.pid}`);
    fs.mkdirSync(running);
    fs.utimesSync(running, 1, 1);
    await tmpPathTest(() => {}, { dir: parent, keepRuns: 2 })();
    const left = listDir(base);
    expect(left).toContain(path.basename(old[2]));
    expect(left).not.toContain(path.basename(old[0]));
    expect(left).not.toContain(path.basename(old[1]));
    expect(left).toContain(path.basename(running));
    expect(left).toHaveLength(3); // the newest finished, the running one, and this run
  });

  it("a run whose liveness cannot be asked about is kept", async () => {
    injectFaults({}, { isRunning: () => undefined });
    const parent = scratchDir();
    const base = path.join(parent, "xtempfile-of-" + userName());
    const stale = path.join(base, `run-${deadPid()}`);
    fs.mkdirSync(stale, { recursive: true, mode: 0o700 });
    await tmpPathTest(() => {}, { dir: parent, keepRuns: 1 })();
    expect(fs.existsSync(stale)).toBe(true);
  });

  it("rejects bad options and a body that is not a function, naming them", () => {
    expect(() => tmpPathTest(() => {}, { keepRuns: 0 })).toThrow(RangeError);
    expect(() => tmpPathTest(() => {}, { keepRuns: 0 })).toThrow(/keepRuns/);
    expect(() => tmpPathTest(() => {}, { name: 5 as never })).toThrow(/"name" must be a string/);
    expect(() => tmpPathTest(() => {}, { nme: "x" } as never)).toThrow(/unknown option "nme"/);
    expect(() => tmpPathTest("x" as never)).toThrow(TypeError);
    expect(() => tmpPathFixture({ dir: "" })).toThrow(/"dir"/);
  });
});

describe("tmpPathFixture", () => {
  it("removes the directory when vitest records a pass, keeps it when it records a failure", async () => {
    const parent = scratchDir();
    const stderr = captureStderr();
    const fixture = tmpPathFixture({ dir: parent });
    const dirs: string[] = [];
    for (const state of ["pass", "fail"]) {
      const task: { name: string; result?: { state: string } } = { name: `t ${state}` };
      await fixture({ task }, (dir) => {
        dirs.push(dir);
        fs.writeFileSync(path.join(dir, "f"), "x");
        task.result = { state }; // as vitest sets it before fixture teardown
        return Promise.resolve();
      });
    }
    expect(fs.existsSync(dirs[0])).toBe(false);
    expect(fs.existsSync(path.join(dirs[1], "f"))).toBe(true);
    expect(stderr).toEqual([`tmp_path of failed test "t fail" kept: ${dirs[1]}`]);
  });
});

describe("under the test runner itself", () => {
  // Each runtime runs its own runner for real: vitest under Node, bun test, deno test (without -A; without its
  // type check, ~2.5 s of CPU: CI's `deno check` covers the case file).
  it(`${RUNTIME}'s runner: a passing test's directory is gone, a failing one's is kept and reported`, () => {
    const tmp = scratchDir();
    const record = path.join(tmp, "record.txt");
    const cases = path.join(ROOT, "tests", "fixtures", "tmp_path");
    const env = { ...process.env, TMPDIR: tmp, TMP_PATH_RECORD: record, NO_COLOR: "1" };
    const [cmd, args] = RUNTIME === "bun"
      ? [process.execPath, ["test", "./bun.case.ts"]]
      : RUNTIME === "deno"
      ? [process.execPath, ["test", "--no-check", ...denoPermissions(tmp), "./deno.case.ts"]]
      : [process.execPath, [path.join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--root", "."]];
    const r = spawnSync(cmd, args, { cwd: cases, env, encoding: "utf8", timeout: 60_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).toBe(1); // one test failed
    const dirs = Object.fromEntries(
      fs.readFileSync(record, "utf8").trim().split("\n").map((l) => l.split(" ")),
    );
    expect(fs.existsSync(dirs.passes)).toBe(false);
    expect(fs.readFileSync(path.join(dirs.fails, "data.txt"), "utf8")).toBe("fails");
    expect(out).toContain(`tmp_path of failed test "fails" kept: ${dirs.fails}`);
    expect(path.dirname(path.dirname(dirs.fails))).toBe(baseIn(tmp));
  });
});

function userName(): string {
  const name = process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME;
  return name?.replace(/[^\w.-]/g, "_") || "unknown";
}

/** Read, write and env suffice; but under /dev (npm test's tmpfs scratch) Deno demands all permissions. */
function denoPermissions(dir: string): string[] {
  return fs.realpathSync(dir).startsWith("/dev/") ? ["-A"] : ["--allow-read", "--allow-write", "--allow-env"];
}
