// vitest's toEqual walks a typed array through its generic equality, element by element: ~0.5 s of CPU for
// 100 KB (bun test's is native, and does not load this file). Two byte arrays of one type are compared here by
// length and bytes instead: the same verdict, and a mismatch still fails with vitest's own diff.
import { expect } from "vitest";

function sameBytes(a: unknown, b: unknown): boolean | undefined {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.constructor !== b.constructor) {
    return undefined;
  }
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Once a worker: a worker that runs several files runs this file before each.
const installed = Symbol.for("xtempfile.test.sameBytes");
const g = globalThis as { [installed]?: true };
if (!g[installed]) {
  expect.addEqualityTesters([sameBytes]);
  g[installed] = true;
}
