import { afterEach, describe, expect, it } from "vitest";
import { mkdtemp, mkdtempSync, mkstemp, mkstempSync, mktemp } from "../mod.ts";
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
