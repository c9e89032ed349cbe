import { afterEach, describe, expect, it } from "vitest";
import { FILE_CHECKS, readFileOptions } from "../src/temporary_file.ts";
import { NAMED_CHECKS, readNamedOptions } from "../src/named_temporary_file.ts";
import fc from "fast-check";
import {
  mkdtemp,
  mkdtempSync,
  mkstemp,
  mkstempSync,
  mktemp,
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  TemporaryFileSync,
} from "../mod.ts";
import { tmpPathTest } from "../testing.ts";
import { cleanupScratch, failure, listDir, scratchDir } from "./_helpers.ts";
import { posixOnly, skipIf, WINDOWS } from "./_windows.ts";

afterEach(cleanupScratch);
/** The separator the library joins a name to a native `dir` with. */
const SEP = WINDOWS ? "\\" : "/";
const creators = { mkstemp, mkstempSync, mkdtemp, mkdtempSync, mktemp } as Record<
  string,
  (o: unknown) => unknown
>;

const BAD: [string, unknown, RegExp, typeof TypeError | typeof RangeError][] = [
  ["prefix", 1, /"prefix" must be a string/, TypeError],
  ["prefix", ["a"], /"prefix" must be a string, got an array/, TypeError],
  ["prefix", null, /"prefix" must be a string, got null/, TypeError],
  ["prefix", { toString: () => "x" }, /"prefix" must be a string/, TypeError],
  ["prefix", "a/b", /"prefix" must not contain/, TypeError],
  ["prefix", "..\\x", /"prefix" must not contain/, TypeError],
  ["prefix", "a\0b", /"prefix" must not contain/, TypeError],
  ["prefix", "\ud800", /"prefix" must not contain lone surrogates/, TypeError],
  ["suffix", "/../../etc", /"suffix" must not contain/, TypeError],
  ["suffix", 0, /"suffix" must be a string/, TypeError],
  ["dir", 5, /"dir" must be a string or a file: URL/, TypeError],
  ["dir", "", /"dir" must not be empty/, RangeError],
  ["dir", "/tmp\0x", /"dir" must not contain NUL/, TypeError],
  ["dir", new URL("https://example.invalid/"), /"dir" must be a file: URL/, TypeError],
];

describe.each(Object.entries(creators))(
  "%s rejects bad options before creating anything",
  (fnName, create) => {
    it.each(BAD)("%s = %o", async (key, value, message, kind) => {
      const dir = scratchDir();
      const options = key === "dir" ? { dir: value } : { dir, [key]: value };
      const err = await failure(() => create(options));
      expect(err).toBeInstanceOf(kind);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(fnName.replace("Sync", ""));
      expect(listDir(dir)).toEqual([]);
    });

    it("an unknown option key is a TypeError naming it", async () => {
      const dir = scratchDir();
      const err = await failure(() => create({ dir, prefx: "typo" }));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toMatch(/unknown option "prefx"/);
      expect(listDir(dir)).toEqual([]);
    });

    it.each([[null], [5], ["opts"], [[1]]])("options = %o is a TypeError", async (options) => {
      const err = await failure(() => create(options));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toMatch(/options must be an object/);
    });

    it("a name with '..' stays inside dir", async () => {
      const dir = scratchDir();
      // Windows refuses a name ending in "." (it would be dropped): the suffix carries ".." inside there.
      const name = await Promise.resolve(create({ dir, prefix: "..", suffix: WINDOWS ? "..s" : ".." }));
      const path = Array.isArray(name) ? name[1] : name;
      expect(String(path).startsWith(dir + SEP + "..")).toBe(true);
    });

    // Win32 answers a name longer than the file system allows with ENOENT, as for a missing directory; mktemp,
    // which only looks, then finds the name free, as CPython's does there.
    skipIf(
      fnName === "mktemp" ? posixOnly("ENAMETOOLONG (Win32 says ENOENT: the name looks free)") : undefined,
    )(
      "a name too long for the file system comes out as a clean error (ENAMETOOLONG; Windows: ENOENT)",
      async () => {
        const dir = scratchDir();
        const err = await failure(() => create({ dir, prefix: "x".repeat(300) }));
        expect(err.code).toBe(WINDOWS ? "ENOENT" : "ENAMETOOLONG");
        expect(listDir(dir)).toEqual([]);
      },
    );
  },
);

describe("option readers", () => {
  it.each(
    [
      ["TemporaryFile", FILE_CHECKS, readFileOptions],
      ["NamedTemporaryFile", NAMED_CHECKS, readNamedOptions],
    ] as const,
  )("%s's reader reads every option of its table, in its order, once each", (_name, checks, read) => {
    const reads: PropertyKey[] = [];
    read(new Proxy({}, { get: (_t, k) => void reads.push(k) }) as never);
    expect(reads).toEqual(Object.keys(checks));
  });
});

/** A getter that shows the check a safe prefix, then an escaping one to any later read. */
function twoFacedPrefix(dir: string): object {
  let reads = 0;
  return {
    dir,
    get prefix() {
      return reads++ === 0 ? "ok-" : "../escaped-";
    },
  };
}

describe.each(Object.entries(creators))("%s reads each option once", (_name, create) => {
  it("a getter that changes its answer cannot smuggle '../' past the check", async () => {
    const parent = scratchDir();
    const dir = mkdtempSync({ dir: parent });
    const made = await Promise.resolve(create(twoFacedPrefix(dir)));
    const path = String(Array.isArray(made) ? made[1] : made);
    expect(path.startsWith(`${dir}${SEP}ok-`)).toBe(true);
    expect(listDir(parent)).toEqual([dir.slice(parent.length + 1)]);
  });

  it("prototype getters, non-enumerable properties and Proxies are checked like plain keys", async () => {
    const dir = scratchDir();
    class Opts {
      get prefix() {
        return "../escaped-";
      }
    }
    const hidden = Object.defineProperty({ dir }, "suffix", { value: "/../x", enumerable: false });
    const proxy = new Proxy({ dir }, { get: (t, k) => (k === "prefix" ? "a/b" : t[k as "dir"]) });
    for (const options of [Object.assign(new Opts(), { dir }), hidden, proxy]) {
      const err = await failure(() => create(options));
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toMatch(/must not contain/);
    }
    expect(listDir(dir)).toEqual([]);
  });
});

/** Every numeric option, with its range and a way to use it in `dir`; `made` is what a valid value creates. */
const NUMERIC: [string, number, number, (dir: string, value: number) => unknown][] = [
  ["buffering", -1, 2 ** 30, (dir, buffering) => NamedTemporaryFileSync({ dir, buffering }).closeSync()],
  ["buffering", -1, 2 ** 30, (dir, buffering) => TemporaryFileSync({ dir, buffering }).closeSync()],
  [
    "maxSize",
    0,
    Number.MAX_SAFE_INTEGER,
    (dir, maxSize) => SpooledTemporaryFileSync({ dir, maxSize }).closeSync(),
  ],
  ["permissions", 0, 0o777, (dir, permissions) => NamedTemporaryFileSync({ dir, permissions }).closeSync()],
  ["permissions", 0, 0o777, (dir, permissions) => mkdtempSync({ dir, permissions })],
  ["keepRuns", 1, Number.MAX_SAFE_INTEGER, (dir, keepRuns) => tmpPathTest(() => {}, { dir, keepRuns })],
];

describe.each(NUMERIC)("the numeric option %s (from %d to %d)", (key, min, max, use) => {
  // -0, NaN, infinities, fractions and each side of both bounds, then any double.
  const special = [
    -0,
    0,
    NaN,
    Infinity,
    -Infinity,
    0.5,
    -0.5,
    min - 1,
    min,
    min + 0.5,
    max,
    max + 1,
    max + 0.5,
    0o7777,
  ];
  const value = fc.oneof(
    fc.constantFrom(...special),
    fc.double(),
    fc.integer({ min: min - 3, max: min + 3 }),
  );

  it("takes every integer in range (-0 as 0) and refuses anything else with a RangeError naming it", () => {
    const dir = scratchDir();
    fc.assert(
      fc.property(value, (v) => {
        const valid = Number.isSafeInteger(v) && v >= min && v <= max;
        let err: unknown;
        try {
          use(dir, v);
        } catch (e) {
          err = e;
        }
        if (valid) expect(err).toBeUndefined();
        else {
          expect(err).toBeInstanceOf(RangeError);
          expect((err as Error).message).toContain(`option "${key}"`);
        }
      }),
      { numRuns: 200, examples: special.map((v) => [v]) },
    );
  });
});
