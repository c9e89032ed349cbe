// A TypeScript consumer in a CommonJS project (its imports compile to
// require()): both entry points, with every `module` setting that emits
// CommonJS, and moduleResolution node10.
import { mkdtempSync, NamedTemporaryFileSync, type TempDir } from "@x/tempfile";
import { type TmpPathOptions, tmpPathTest } from "@x/tempfile/testing";

export function consume(): number {
  const dir: string = mkdtempSync();
  const f = NamedTemporaryFileSync({ dir, mode: "w" });
  const n: number = f.writeSync("text");
  f.closeSync();
  const d = {} as TempDir;
  const options: TmpPathOptions = { keepRuns: 2 };
  const test: () => Promise<void> = tmpPathTest((p: string) => p.length, { ...options, name: "typed" });
  return n + dir.length + (d.name?.length ?? 0) + test.length;
}
