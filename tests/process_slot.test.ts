import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { cleanupScratch, importable, MOD, runChild, scratchDir, writeScript } from "./_helpers.ts";
import { WINDOWS } from "./_windows.ts";

afterEach(cleanupScratch);

/** Two copies of the library, as a process gets them from the npm package's ES module and CommonJS builds. */
function twoCopies(dir: string): [string, string] {
  const copies: [string, string] = [path.join(dir, "copy_a.mjs"), path.join(dir, "copy_b.mjs")];
  buildSync({
    entryPoints: [MOD],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: copies[0],
    logLevel: "error",
  });
  fs.copyFileSync(copies[0], copies[1]);
  return copies;
}

/** Two exit signals the library listens to; Deno for Windows takes no SIGTERM listener (it ignores `process.on`). */
const SIGNALS = WINDOWS ? ["SIGINT", "SIGBREAK"] : ["SIGINT", "SIGTERM"];

describe("one registry per process", () => {
  it("two copies of the library share one registry, one set of hooks, one signal switch and one default directory", () => {
    const dir = scratchDir();
    const [a, b] = twoCopies(dir);
    const made = scratchDir();
    const script = writeScript(
      dir,
      `import process from "node:process";
      import * as a from ${importable(a)};
      import * as b from ${importable(b)};
      const signals = ${JSON.stringify(SIGNALS)};
      const before = signals.map((s) => process.listenerCount(s));
      a.setTempdir(${JSON.stringify(made)});
      const live = [a, b].flatMap((m) => [m.NamedTemporaryFileSync(), m.TemporaryDirectorySync()]);
      globalThis.keep = live;
      console.log(JSON.stringify({
        twoCopies: a.NamedTemporaryFileSync !== b.NamedTemporaryFileSync,
        defaultShared: b.gettempdir() === ${JSON.stringify(made)},
        added: signals.map((s, i) => process.listenerCount(s) - before[i]),
        paths: live.map((o) => o.name),
        switchedOff: (b.setSignalCleanup(false), signals.map((s, i) => process.listenerCount(s) - before[i])),
      }));`,
    );
    const r = runChild(script, { env: { ...process.env, XTEMPFILE_DEBUG: "1" } });
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ twoCopies: true, defaultShared: true, added: [1, 1], switchedOff: [0, 0] });
    expect(out.paths).toHaveLength(4);
    for (const p of out.paths) {
      expect(p.startsWith(made)).toBe(true);
      expect(fs.existsSync(p)).toBe(false);
      // Removed at exit once, by the one registry: a second registry would not count it twice, but
      // a second set of hooks would show in the listener counts above.
      expect(r.stderr.split(`: removed ${p} (at exit)`).length - 1).toBe(1);
    }
  });
});
