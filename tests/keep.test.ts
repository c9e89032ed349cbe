import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { NamedTemporaryFile, NamedTemporaryFileSync, TemporaryDirectorySync } from "../mod.ts";
import { registryState } from "../src/_cleanup_registry.ts";
import { cleanupScratch, listDir, runChild, scratchDir, writeScript } from "./_helpers.ts";

afterEach(cleanupScratch);

describe("keep()", () => {
  it("a kept named file survives close and disposal; its descriptor still closes", async () => {
    const dir = scratchDir();
    let fd = -1;
    let kept = "";
    {
      await using f = await NamedTemporaryFile({ dir, mode: "w" });
      await f.write("data");
      fd = f.fileno();
      kept = f.keep();
      expect(kept).toBe(f.name);
      await f.close();
    }
    expect(fs.readFileSync(kept, "utf8")).toBe("data");
    expect(() => fs.fstatSync(fd)).toThrow(/EBADF/);
    expect(registryState().live).toBe(0);
  });

  it("keep() before close: the sync forms, and a second keep() returns the same path", () => {
    const dir = scratchDir();
    const f = NamedTemporaryFileSync({ dir });
    const first = f.keep();
    expect(f.keep()).toBe(first);
    f[Symbol.dispose]();
    expect(listDir(dir)).toEqual([path.basename(first)]);
  });

  it("a kept TemporaryDirectory survives disposal, with its content; cleanup() still removes it", () => {
    const dir = scratchDir();
    let kept = "";
    {
      using d = TemporaryDirectorySync({ dir });
      fs.writeFileSync(path.join(d.name, "inner"), "x");
      kept = d.keep();
    }
    expect(fs.readFileSync(path.join(kept, "inner"), "utf8")).toBe("x");
    const again = TemporaryDirectorySync({ dir });
    again.keep();
    again.cleanupSync();
    expect(listDir(dir)).toEqual([path.basename(kept)]);
  });

  it("kept objects survive the end of the process, unkept ones do not", () => {
    const dir = scratchDir();
    const script = writeScript(
      scratchDir(),
      `import { NamedTemporaryFileSync, TemporaryDirectorySync } from "MOD";
      const dir = ${JSON.stringify(dir)};
      const f = NamedTemporaryFileSync({ dir, suffix: ".kept" });
      f.keep();
      TemporaryDirectorySync({ dir, suffix: ".keptdir" }).keep();
      NamedTemporaryFileSync({ dir, suffix: ".gone" });
      globalThis.hold = f;
      process.exit(0);`,
    );
    const r = runChild(script);
    expect(r.stderr).toBe("");
    expect(listDir(dir).map((n) => path.extname(n)).sort()).toEqual([".kept", ".keptdir"]);
  });
});
