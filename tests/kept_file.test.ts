// mkstempPath and mkstempWrite: a path the caller owns from the start, created exclusively and privately,
// complete when returned, and never removed by the library: not at collection, not at exit, not on a signal.
import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { mkstempPath, mkstempPathSync, mkstempWrite, mkstempWriteSync } from "../mod.ts";
import { registryState } from "../src/_cleanup_registry.ts";
import {
  cleanupScratch,
  currentUmask,
  errno,
  failure,
  GC_FLAGS,
  injectFaults,
  listDir,
  runChild,
  scratchDir,
  startChild,
  writeScript,
} from "./_helpers.ts";
import { posixOnly, skipIf, WINDOWS } from "./_windows.ts";

afterEach(cleanupScratch);

const umasked = (mode: number) => mode & ~currentUmask();

describe.each(
  [
    ["sync", mkstempPathSync, mkstempWriteSync],
    ["async", mkstempPath, mkstempWrite],
  ] as const,
)("%s", (_, pathOf, write) => {
  it("mkstempPath creates an empty private file for a suffix and leaves nothing open", async () => {
    const dir = scratchDir();
    const before = registryState().live;
    const name = await pathOf({ dir, prefix: "data-", suffix: ".csv" });
    expect(path.dirname(name)).toBe(dir);
    expect(path.basename(name)).toMatch(/^data-[a-z0-9_]{8}\.csv$/);
    const st = fs.statSync(name);
    expect(st.size).toBe(0);
    if (!WINDOWS) expect(st.mode & 0o777).toBe(umasked(0o600)); // Windows: the parent's ACL
    expect(registryState().live).toBe(before);
  });

  it("mkstempWrite writes a string as UTF-8, or bytes, and the content is there when it returns", async () => {
    const dir = scratchDir();
    const text = await write("ünïcode 🦄\n", { dir, suffix: ".txt" });
    expect(fs.readFileSync(text, "utf8")).toBe("ünïcode 🦄\n");
    const big = new Uint8Array(300_000).map((_, i) => i % 251);
    const bytes = await write(big, { dir });
    expect(Buffer.from(big).equals(fs.readFileSync(bytes))).toBe(true);
    expect(listDir(dir)).toHaveLength(2);
  });

  skipIf(posixOnly("permission bits"))("permissions are applied exactly", async () => {
    const name = await write("shared", { dir: scratchDir(), permissions: 0o644 });
    expect(fs.statSync(name).mode & 0o777).toBe(0o644);
  });

  it("wrong data or options are a TypeError naming them, and nothing is created", async () => {
    const dir = scratchDir();
    const err = await failure(() => write(42 as never, { dir }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe("mkstempWrite: data must be a string or a Uint8Array, got number");
    const opt = await failure(() => pathOf({ dir, extension: ".csv" } as never));
    expect(opt.message).toMatch(/^mkstempPath: unknown option "extension"; use "suffix"/);
    expect(listDir(dir)).toEqual([]);
  });

  it("a failed write leaves no file behind and reports the error", async () => {
    const dir = scratchDir();
    injectFaults({
      write: {
        before: () => {
          throw errno("ENOSPC");
        },
      },
    });
    const err = await failure(() => write("data", { dir }));
    expect(err.code).toBe("ENOSPC");
    expect(listDir(dir)).toEqual([]);
  });
});

describe("the caller owns the result", () => {
  it("kept paths survive collection and exit", () => {
    const dir = scratchDir();
    const script = writeScript(
      scratchDir(),
      `import { mkstempPath, mkstempPathSync, mkstempWrite, mkstempWriteSync } from "MOD";
      import process from "node:process";
      const dir = ${JSON.stringify(dir)};
      const gc = globalThis.Bun ? () => Bun.gc(true) : globalThis.gc;
      mkstempPathSync({ dir, suffix: ".a" });
      await mkstempPath({ dir, suffix: ".b" });
      mkstempWriteSync("c", { dir, suffix: ".c" });
      await mkstempWrite("d", { dir, suffix: ".d" });
      for (let i = 0; i < 5; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 20));
      }
      console.log("collected");
      process.exit(0);`,
    );
    const r = runChild(script, {}, GC_FLAGS);
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, "collected", ""]);
    const names = listDir(dir);
    expect(names.map((n) => path.extname(n)).sort()).toEqual([".a", ".b", ".c", ".d"]);
    const content = (ext: string) =>
      fs.readFileSync(path.join(dir, names.find((n) => n.endsWith(ext))!), "utf8");
    expect([content(".c"), content(".d")]).toEqual(["c", "d"]);
  });

  skipIf(posixOnly("a signal from another process reaching a handler (Windows ends the process at once)"))(
    "kept paths survive SIGTERM, while a temporary file made beside them goes",
    async () => {
      const dir = scratchDir();
      const script = writeScript(
        scratchDir(),
        `import { mkstempPathSync, mkstempWrite, NamedTemporaryFileSync } from "MOD";
      const dir = ${JSON.stringify(dir)};
      const f = NamedTemporaryFileSync({ dir, suffix: ".tmp" });
      mkstempPathSync({ dir, suffix: ".a" });
      await mkstempWrite("b", { dir, suffix: ".b" });
      console.log("ready");
      setInterval(() => {}, 1000);`,
      );
      const child = startChild(script);
      await child.line(/ready/);
      process.kill(child.pid, "SIGTERM");
      const r = await child.done;
      expect(r.signal ?? r.status).not.toBe(0);
      const names = listDir(dir);
      expect(names.map((n) => path.extname(n)).sort()).toEqual([".a", ".b"]);
      expect(fs.readFileSync(path.join(dir, names.find((n) => n.endsWith(".b"))!), "utf8")).toBe("b");
    },
  );
});
