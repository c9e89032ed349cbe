// Objects that show themselves: console.log, util.inspect (Node, Bun) and Deno.inspect print the class, the
// name, the mode and the state; a named file and a directory are their path in a template literal.
import { afterEach, describe, expect, it } from "vitest";
import { inspect } from "node:util";
import {
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  TemporaryDirectorySync,
  TemporaryFileSync,
} from "../mod.ts";
import { cleanupScratch, RUNTIME, scratchDir } from "./_helpers.ts";

afterEach(cleanupScratch);

const g = globalThis as unknown as { Deno?: { inspect(v: unknown, o?: object): string } };

/** Every inspector of the running runtime, named. */
const inspectors: [string, (v: unknown) => string][] = [["util.inspect", (v) => inspect(v)]];
if (RUNTIME === "deno") inspectors.push(["Deno.inspect", (v) => g.Deno!.inspect(v)]);

/**
 * A string as the inspector quotes it: Deno's inspect uses double quotes, Node's and Bun's single; both escape
 * backslashes (Windows paths).
 */
const q = (s: string, how: string) =>
  how === "Deno.inspect" ? JSON.stringify(s) : `'${s.replaceAll("\\", "\\\\")}'`;

describe.each(inspectors)("%s", (how, show) => {
  it("a named file shows its class, name, mode, and closed and kept state", () => {
    const f = NamedTemporaryFileSync({ dir: scratchDir(), mode: "w+", suffix: ".txt" });
    const name = q(f.name, how);
    expect(show(f)).toBe(
      `NamedTempFile { name: ${name}, mode: ${q("w+", how)}, closed: false, kept: false }`,
    );
    f.keep();
    f.closeSync();
    expect(show(f)).toBe(`NamedTempFile { name: ${name}, mode: ${q("w+", how)}, closed: true, kept: true }`);
  });

  it("a binary named file shows the mode Python reports, and delete: false as kept", () => {
    using f = NamedTemporaryFileSync({ dir: scratchDir(), delete: false });
    expect(show(f)).toBe(
      `NamedTempFile { name: ${q(f.name, how)}, mode: ${q("rb+", how)}, closed: false, kept: true }`,
    );
  });

  it("an anonymous file shows its descriptor as its name", () => {
    using f = TemporaryFileSync({ dir: scratchDir() });
    expect(show(f)).toBe(`TempFile { name: ${f.fileno()}, mode: ${q("rb+", how)}, closed: false }`);
  });

  it("a spooled file shows whether it rolled over", () => {
    using f = SpooledTemporaryFileSync({ dir: scratchDir(), maxSize: 4 });
    expect(show(f)).toBe(
      `SpooledTempFile { name: undefined, mode: ${q("w+b", how)}, closed: false, rolled: false }`,
    );
    f.writeSync(new Uint8Array(10));
    expect(show(f)).toBe(
      `SpooledTempFile { name: ${f.fileno()}, mode: ${q("rb+", how)}, closed: false, rolled: true }`,
    );
  });

  it("a directory shows its path, and kept and removed state", () => {
    const d = TemporaryDirectorySync({ dir: scratchDir() });
    const name = q(d.name, how);
    expect(show(d)).toBe(`TempDir { name: ${name}, kept: false, removed: false }`);
    d.cleanupSync();
    expect(show(d)).toBe(`TempDir { name: ${name}, kept: false, removed: true }`);
    const kept = TemporaryDirectorySync({ dir: scratchDir() });
    kept.keep();
    expect(show(kept)).toBe(`TempDir { name: ${q(kept.name, how)}, kept: true, removed: false }`);
  });

  it("an object inside another is shown the same way", () => {
    using f = NamedTemporaryFileSync({ dir: scratchDir() });
    expect(show({ file: f })).toContain(`file: NamedTempFile { name: ${q(f.name, how)}`);
  });
});

describe("template literals", () => {
  it("a named file and a directory are their path; an anonymous file is not a path", () => {
    using d = TemporaryDirectorySync({ dir: scratchDir() });
    using f = NamedTemporaryFileSync({ dir: d.name });
    expect(`${d}/x`).toBe(`${d.name}/x`);
    expect(String(f)).toBe(f.name);
    using a = TemporaryFileSync({ dir: d.name });
    expect(String(a)).toBe("[object Object]");
  });

  it("showing an object keeps nothing per object: the inspectors are on the prototypes", () => {
    using f = NamedTemporaryFileSync({ dir: scratchDir() });
    using d = TemporaryDirectorySync({ dir: scratchDir() });
    for (const o of [f, d]) {
      for (const key of [Symbol.for("nodejs.util.inspect.custom"), Symbol.for("Deno.customInspect")]) {
        expect([key in o, Object.hasOwn(o, key)]).toEqual([true, false]);
      }
    }
  });
});
