// A CommonJS TypeScript consumer: require(esm) typed by TypeScript 5.8+.
import { mkdtempSync, NamedTemporaryFileSync, type TempDir } from "@x/tempfile";

export function consume(): number {
  const dir: string = mkdtempSync();
  const f = NamedTemporaryFileSync({ dir, mode: "w" });
  const n: number = f.writeSync("text");
  f.closeSync();
  const d = {} as TempDir;
  return n + dir.length + (d.name?.length ?? 0);
}
