import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import process from "node:process";
import {
  mkdtemp,
  mkdtempSync,
  mkstemp,
  mkstempSync,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  TemporaryDirectory,
  TemporaryDirectorySync,
} from "../mod.ts";
import { cleanupScratch, errno, failure, injectFaults, listDir, scratchDir } from "./_helpers.ts";
import { posixOnly, skipIf } from "./_windows.ts";

afterEach(cleanupScratch);

/** Each creator of a named entry, reduced to "make one in dir with these options, give its path". */
const creators: Record<string, (o: object) => string | Promise<string>> = {
  mkstempSync: (o) => {
    const [fd, name] = mkstempSync(o);
    fs.closeSync(fd);
    return name;
  },
  mkstemp: async (o) => {
    const [fd, name] = await mkstemp(o);
    fs.closeSync(fd);
    return name;
  },
  mkdtempSync: (o) => mkdtempSync(o),
  mkdtemp: (o) => mkdtemp(o),
  NamedTemporaryFileSync: (o) => NamedTemporaryFileSync({ ...o, delete: false }).name,
  NamedTemporaryFile: async (o) => (await NamedTemporaryFile({ ...o, delete: false })).name,
  TemporaryDirectorySync: (o) => TemporaryDirectorySync({ ...o, delete: false }).name,
  TemporaryDirectory: async (o) => (await TemporaryDirectory({ ...o, delete: false })).name,
};

async function withUmask<T>(mask: number, fn: () => T | Promise<T>): Promise<T> {
  const old = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

describe.each(Object.entries(creators))("%s: the permissions option", (name, create) => {
  const isDir = name.startsWith("mkdtemp") || name.includes("Directory");

  skipIf(posixOnly("permission bits and the umask"))(
    "sets the mode exactly, whatever the umask",
    async () => {
      for (const permissions of [0o644, 0o755, 0o640, 0o000]) {
        const dir = scratchDir();
        const made = await withUmask(0o077, () => create({ dir, permissions }));
        expect(fs.statSync(made).mode & 0o777).toBe(permissions);
      }
    },
  );

  skipIf(posixOnly("permission bits"))("permissions = -0 works as 0", async () => {
    const dir = scratchDir();
    const made = await withUmask(0o022, () => create({ dir, permissions: -0 }));
    expect(fs.statSync(made).mode & 0o7777).toBe(0);
  });

  skipIf(posixOnly("permission bits and the umask"))(
    "without it the entry stays private, less the umask",
    async () => {
      const dir = scratchDir();
      const made = await withUmask(0o022, () => create({ dir }));
      expect(fs.statSync(made).mode & 0o777).toBe(isDir ? 0o700 : 0o600);
    },
  );

  it.each(
    [
      [0o1777, RangeError],
      [0o7777, RangeError],
      [0o10000, RangeError],
      [0o1000, RangeError],
      [-1, RangeError],
      [1.5, RangeError],
      [NaN, RangeError],
      [Infinity, RangeError],
      [-Infinity, RangeError],
      [Number.MAX_SAFE_INTEGER + 2, RangeError],
      ["0644", TypeError],
    ] as const,
  )("permissions = %o is refused before anything exists", async (permissions, kind) => {
    const dir = scratchDir();
    const err = await failure(() => create({ dir, permissions }));
    expect(err).toBeInstanceOf(kind);
    expect(err.message).toMatch(/option "permissions"/);
    expect(listDir(dir)).toEqual([]);
  });

  it("a failure to set them removes the new entry again", async () => {
    const dir = scratchDir();
    const refuse = {
      before: (r: { op: string }) => {
        throw errno("EPERM", r.op);
      },
    };
    injectFaults({ chmod: refuse, fchmod: refuse });
    const err = await failure(() => create({ dir, permissions: 0o644 }));
    expect(err.code).toBe("EPERM");
    expect(listDir(dir)).toEqual([]);
  });
});
