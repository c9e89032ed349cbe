// Errors that say what to write instead, for what users of tmp, tempy, Node and Python bring along.
import { afterEach, describe, expect, it } from "vitest";
import {
  mkdtempSync,
  mkstempPathSync,
  mkstempSync,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  TemporaryDirectorySync,
  TemporaryFileSync,
} from "../mod.ts";
import process from "node:process";
import { cleanupScratch, failure, listDir, runChild, scratchDir, writeScript } from "./_helpers.ts";

afterEach(cleanupScratch);

// deno-lint-ignore no-explicit-any
type Factory = (o: any) => unknown;

describe("a peer library's option name points at this library's", () => {
  const cases: [string, Factory, Record<string, unknown>, RegExp][] = [
    [
      "postfix",
      NamedTemporaryFileSync,
      { postfix: ".txt" },
      /unknown option "postfix"; use "suffix" \(with the dot/,
    ],
    [
      "extension",
      mkstempPathSync,
      { extension: "csv" },
      /unknown option "extension"; use "suffix" \(with the dot/,
    ],
    [
      "template",
      mkstempSync,
      { template: "tmp-XXXXXX" },
      /unknown option "template"; use "prefix" and "suffix"/,
    ],
    ["tmpdir", TemporaryDirectorySync, { tmpdir: "/tmp" }, /unknown option "tmpdir"; use "dir"/],
    [
      "keep",
      NamedTemporaryFileSync,
      { keep: true },
      /unknown option "keep"; use delete: false, or call keep\(\)/,
    ],
    [
      "keep",
      TemporaryDirectorySync,
      { keep: true },
      /unknown option "keep"; use delete: false, or call keep\(\)/,
    ],
    [
      "unsafeCleanup",
      TemporaryDirectorySync,
      { unsafeCleanup: true },
      /"unsafeCleanup"; not needed: .* always removed/,
    ],
    [
      "numeric mode of a directory",
      TemporaryDirectorySync,
      { mode: 0o755 },
      /unknown option "mode"; use "permissions"/,
    ],
    ["numeric mode of mkdtemp", mkdtempSync, { mode: 0o755 }, /unknown option "mode"; use "permissions"/],
    [
      "Python's snake_case",
      NamedTemporaryFileSync,
      { delete_on_close: false },
      /"delete_on_close"; use "deleteOnClose"/,
    ],
    [
      "Python's snake_case",
      TemporaryDirectorySync,
      { ignore_cleanup_errors: true },
      /use "ignoreCleanupErrors"/,
    ],
    [
      "Python's max_size",
      SpooledTemporaryFileSync,
      { max_size: 10 },
      /unknown option "max_size"; use "maxSize"/,
    ],
    ["discardDescriptor", NamedTemporaryFileSync, { discardDescriptor: true }, /use mkstempPath\(\)/],
  ];

  it.each(cases)("%s", async (_, create, options, message) => {
    const dir = scratchDir();
    const err = await failure(() => create({ dir, ...options }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(message);
    expect(listDir(dir)).toEqual([]);
  });

  it("a hint is only given where the option it names exists", async () => {
    // An anonymous file has no `delete`: no hint to use it.
    const err = await failure(() => TemporaryFileSync({ keep: true } as never));
    expect(err.message).toBe('TemporaryFile: unknown option "keep"');
    const typo = await failure(() => NamedTemporaryFileSync({ prefx: "a" } as never));
    expect(typo.message).toBe('NamedTemporaryFile: unknown option "prefx"');
  });
});

describe("a numeric mode points at permissions", () => {
  it.each([
    ["NamedTemporaryFileSync", NamedTemporaryFileSync as Factory],
    ["NamedTemporaryFile", NamedTemporaryFile as Factory],
    ["TemporaryFileSync", TemporaryFileSync as Factory],
  ])("%s({ mode: 0o644 }) is a TypeError naming permissions", async (_, create) => {
    const dir = scratchDir();
    const err = await failure(() => create({ dir, mode: 0o644 }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(
      /option "mode" must be a string, Python's open\(\) mode such as "w\+" \(text\)/,
    );
    expect(err.message).toMatch(/mode bits such as 0o644 go in option "permissions"$/);
    expect(listDir(dir)).toEqual([]);
  });

  it("a mode of another wrong type says what a mode is, without the permissions hint", async () => {
    const err = await failure(() => NamedTemporaryFileSync({ mode: true } as never));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/"mode" must be a string, Python's open\(\) mode .* got boolean$/);
  });
});

describe("writing the wrong data type says which mode takes it", () => {
  it('a string written to a binary file points at mode: "w+"', async () => {
    using f = NamedTemporaryFileSync({ dir: scratchDir() });
    expect(() => f.writeSync("x" as never)).toThrow(
      new TypeError(
        'write() argument must be a Uint8Array in binary mode, not string; create the file with mode: "w+" to write strings',
      ),
    );
    await expect(f.write("x" as never)).rejects.toThrow(/create the file with mode: "w\+" to write strings/);
  });

  it('bytes written to a text file point at mode: "w+b"', () => {
    using f = TemporaryFileSync({ mode: "w+", dir: scratchDir() });
    expect(() => f.writeSync(new Uint8Array(1) as never)).toThrow(
      /must be a string in text mode, not Uint8Array; create the file with mode: "w\+b" to write bytes/,
    );
  });
});

describe("a suffix without a leading dot", () => {
  it("is used as given, as Python does, and the debug log says what it gives", () => {
    const dir = scratchDir();
    const script = writeScript(
      scratchDir(),
      `import { NamedTemporaryFileSync, mkstempPathSync } from "MOD";
      const f = NamedTemporaryFileSync({ dir: ${JSON.stringify(dir)}, suffix: "csv", delete: false });
      f.closeSync();
      mkstempPathSync({ dir: ${JSON.stringify(dir)}, suffix: ".csv" });`,
    );
    const r = runChild(script, { env: { ...process.env, XTEMPFILE_DEBUG: "1" } });
    expect(r.status).toBe(0);
    const names = listDir(dir);
    expect(names.filter((n) => /^tmp[a-z0-9_]{8}csv$/.test(n))).toHaveLength(1);
    expect(names.filter((n) => /^tmp[a-z0-9_]{8}\.csv$/.test(n))).toHaveLength(1);
    const hints = r.stderr.split("\n").filter((l) => l.includes(": suffix "));
    expect(hints).toHaveLength(1); // ".csv" gives no line
    expect(hints[0]).toMatch(
      /: suffix "csv" has no leading dot: names end "\.\.\.csv"; write "\.csv" for an extension$/,
    );
  });
});
