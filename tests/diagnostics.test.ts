import { afterEach, describe, expect, it } from "vitest";
import * as path from "node:path";
import process from "node:process";
import { cleanupScratch, GC_FLAGS, listDir, runChild, scratchDir, writeScript } from "./_helpers.ts";

afterEach(cleanupScratch);

/** A script that uses every kind of object once, leaks one named file, and ends normally. */
function program(dir: string, prelude = ""): string {
  return writeScript(
    scratchDir(),
    `import * as t from "MOD";
    ${prelude}
    const dir = ${JSON.stringify(dir)};
    const f = t.NamedTemporaryFileSync({ dir, mode: "w" });
    f.writeSync("x");
    f.persistSync(dir + "/persisted.txt");
    f.closeSync();
    const s = t.SpooledTemporaryFileSync({ dir, maxSize: 2 });
    s.writeSync(new Uint8Array(5));
    s.closeSync();
    t.TemporaryDirectorySync({ dir }).cleanupSync();
    globalThis.leaked = t.NamedTemporaryFileSync({ dir, suffix: ".leaked" }); // never closed`,
  );
}

const env = (extra: Record<string, string>) => ({ env: { ...process.env, ...extra } });

describe("the debug log", () => {
  it.each([["XTEMPFILE_DEBUG=1", { XTEMPFILE_DEBUG: "1" }], ["NODE_DEBUG=tempfile", {
    NODE_DEBUG: "fs,tempfile",
  }]])(
    "%s lists each creation, persist, rollover and removal on stderr",
    (_, vars) => {
      const dir = scratchDir();
      const r = runChild(program(dir), env(vars));
      const events = r.stderr.trim().split("\n").map((l) =>
        l.replace(/^@x\/tempfile \d*: /, "").split(" ")[0]
      );
      expect(events).toEqual([
        "created",
        "persisted",
        "created",
        "rollover",
        "close", // the rolled file's bytes sit in its buffer until then, as in Python
        "created",
        "removed",
        "created",
        "removed",
      ]);
      expect(r.stderr).toMatch(/removed .*\.leaked \(at exit\)/);
      expect(listDir(dir)).toEqual(["persisted.txt"]);
    },
  );

  it("is off by default, and so are leak warnings", () => {
    const r = runChild(program(scratchDir()));
    expect(r.stderr).toBe("");
  });
});

describe("leak warnings", () => {
  it("XTEMPFILE_WARNINGS=1 names an object cleaned up at exit and where it was created", () => {
    const dir = scratchDir();
    const script = program(dir);
    const r = runChild(script, env({ XTEMPFILE_WARNINGS: "1" }));
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1); // the disposed and closed objects are not reported
    expect(lines[0]).toMatch(
      /^ResourceWarning: @x\/tempfile implicitly cleaned up NamedTempFile .*\.leaked, created/,
    );
    expect(lines[0]).toContain(`${path.basename(script)}:12:`); // the line that made it
    expect(lines[0]).toMatch(/\(at exit\)/);
  });

  it("enableLeakWarnings() reports an object the garbage collector cleaned up", () => {
    const dir = scratchDir();
    const script = writeScript(
      scratchDir(),
      `import * as fs from "node:fs";
      import { enableLeakWarnings, TemporaryDirectorySync } from "MOD";
      enableLeakWarnings();
      const gc = globalThis.Bun ? () => Bun.gc(true) : globalThis.gc;
      (() => void TemporaryDirectorySync({ dir: ${JSON.stringify(dir)} }))();
      for (let i = 0; i < 100 && fs.readdirSync(${JSON.stringify(dir)}).length > 0; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 20));
      }`,
    );
    const r = runChild(script, {}, GC_FLAGS);
    expect(r.stderr.trim()).toMatch(
      /^ResourceWarning: @x\/tempfile implicitly cleaned up TemporaryDirectory .*, created .*child\.mjs:5:.* \(collected\)/,
    );
    expect(listDir(dir)).toEqual([]);
  });
});
