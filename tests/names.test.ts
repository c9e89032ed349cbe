import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { mkstempSync, mktemp, TMP_MAX } from "../mod.ts";
import { ALPHABET } from "../src/_random_names.ts";
import { absolutePath } from "../src/_platform.ts";
import fc from "fast-check";
import { Buffer } from "node:buffer";
import { backend } from "../src/backend.ts";
import { spawnSync } from "node:child_process";
import { cleanupScratch, listDir, runtimeCommand, scratchDir, writeScript } from "./_helpers.ts";
import { posixOnly, skipIf } from "./_windows.ts";

afterEach(cleanupScratch);

const NAME = /^tmp[a-z0-9_]{8}$/;

describe("names", () => {
  it("1000 names are distinct and match prefix + 8 alphabet characters + suffix", () => {
    const dir = scratchDir();
    const names = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const name = mktemp({ dir, suffix: ".x" });
      expect(path.dirname(name)).toBe(dir);
      expect(path.basename(name)).toMatch(/^tmp[a-z0-9_]{8}\.x$/);
      names.add(name);
    }
    expect(names.size).toBe(1000);
    expect(listDir(dir)).toEqual([]);
  });

  it("uses Python's alphabet of 37 characters, all of them", () => {
    expect(ALPHABET).toBe("abcdefghijklmnopqrstuvwxyz0123456789_");
    const dir = scratchDir();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) for (const c of path.basename(mktemp({ dir })).slice(3)) seen.add(c);
    expect([...seen].sort().join("")).toBe([...ALPHABET].sort().join(""));
  });

  it("mkstemp names are absolute and inside dir", () => {
    const dir = scratchDir();
    const [fd, name] = mkstempSync({ dir });
    fs.closeSync(fd);
    expect(path.isAbsolute(name)).toBe(true);
    expect(path.basename(name)).toMatch(NAME);
    expect(listDir(dir)).toEqual([path.basename(name)]);
  });

  it("TMP_MAX is Python's 10000", () => {
    expect(TMP_MAX).toBe(10000);
  });
});

describe("absolute paths", () => {
  it("a path taken as it is (already absolute and normal) is exactly what resolve() would give", () => {
    const segment = fc.constantFrom("a", "tmp", ".", "..", "", ".x", "..y", "a.b");
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.boolean(), (parts, lead) => {
        const p = (lead ? "/" : "") + parts.join("/");
        if (p === "") return;
        expect(absolutePath(p)).toBe(path.resolve(p));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the random source", () => {
  it("fills a whole buffer from the platform CSPRNG, never with the same bytes twice", () => {
    const a = new Uint8Array(4096);
    const b = new Uint8Array(4096);
    backend().randomFill(a);
    backend().randomFill(b);
    expect(a.some((x) => x !== 0)).toBe(true);
    expect(a.subarray(4000).some((x) => x !== 0)).toBe(true); // to the end, not a short read
    expect(Buffer.compare(a, b)).not.toBe(0);
  });
});

describe("the random source without /dev/urandom", () => {
  // A mount namespace where /dev/urandom reads nothing (bound to /dev/null): the runtime's own source takes over.
  skipIf(posixOnly("/dev/urandom and mount namespaces (unshare)"))(
    "names still come, all different, from the runtime's CSPRNG",
    () => {
      const script = writeScript(
        scratchDir(),
        `import { mktemp } from "MOD";
      const names = new Set(Array.from({ length: 2000 }, () => mktemp({ dir: "/nonexistent" })));
      console.log(names.size);`,
      );
      const [cmd, args] = runtimeCommand(script);
      const r = spawnSync("unshare", [
        "--mount",
        "sh",
        "-c",
        'mount --bind /dev/null /dev/urandom && exec "$@"',
        "sh",
        cmd,
        ...args,
      ], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe("2000");
    },
  );
});
