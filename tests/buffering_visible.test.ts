// Writes are buffered, as in Python; with the debug log on, the two moments where that bites say so:
// handing out fileno() with bytes still buffered, and a close that flushes bytes nobody else could read yet.
import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import process from "node:process";
import { cleanupScratch, listDir, runChild, scratchDir, writeScript } from "./_helpers.ts";

afterEach(cleanupScratch);

/** An absolute path in a log line: `/...`, or `C:\...` on Windows. */
const ABS = String.raw`(?:/|[A-Za-z]:\\)\S+`;

function debugLines(source: string, env: Record<string, string> = { XTEMPFILE_DEBUG: "1" }): string[] {
  const script = writeScript(scratchDir(), source);
  const r = runChild(script, { env: { ...process.env, ...env } });
  expect([r.status, r.stdout]).toEqual([0, ""]);
  // Only the events this test is about: creation and removal lines come and go with other options.
  return r.stderr.split("\n").filter((l) => / (fileno|close) /.test(l)).map((l) => l.replace(/^.*?: /, ""));
}

describe("the debug log shows buffered data at the moments it matters", () => {
  it("fileno() says how many bytes are still buffered; a flushed file's says nothing more", () => {
    const dir = scratchDir();
    const lines = debugLines(
      `import { NamedTemporaryFileSync } from "MOD";
      const f = NamedTemporaryFileSync({ dir: ${JSON.stringify(dir)}, mode: "w" });
      f.writeSync("abc");
      const fd = f.fileno();
      f.flushSync();
      if (f.fileno() !== fd) throw new Error("another descriptor");
      f.closeSync();`,
    );
    expect(listDir(dir)).toEqual([]); // removed at close
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^fileno \\d+ of ${ABS}, with 3 bytes still buffered: flush first$`));
    expect(lines[1]).toMatch(new RegExp(`^fileno \\d+ of ${ABS}$`));
  });

  it("a close that flushes data says so; one with nothing buffered is silent", () => {
    const dir = scratchDir();
    const lines = debugLines(
      `import { NamedTemporaryFileSync, TemporaryFile } from "MOD";
      const dir = ${JSON.stringify(dir)};
      const f = NamedTemporaryFileSync({ dir, mode: "w", delete: false });
      f.writeSync("hello");
      f.closeSync();
      const clean = NamedTemporaryFileSync({ dir });
      clean.writeSync(new Uint8Array(2));
      clean.flushSync();
      clean.closeSync();
      const a = await TemporaryFile({ dir });
      await a.write(new Uint8Array(7));
      await a.close();`,
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^close ${ABS}: flushing 5 bytes that no other process could read until now$`),
    );
    expect(lines[1]).toMatch(/^close \d+: flushing 7 bytes that no other process could read until now$/);
    const [kept] = listDir(dir);
    expect(fs.readFileSync(`${dir}/${kept}`, "utf8")).toBe("hello");
  });

  it("with the debug log off, nothing is written", () => {
    const lines = debugLines(
      `import { NamedTemporaryFileSync } from "MOD";
      const f = NamedTemporaryFileSync({ dir: ${JSON.stringify(scratchDir())} });
      f.writeSync(new Uint8Array(3));
      f.fileno();
      f.closeSync();`,
      { XTEMPFILE_DEBUG: "0" },
    );
    expect(lines).toEqual([]);
  });
});
