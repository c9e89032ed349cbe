// A TypeScript consumer: it must compile against the packed .d.ts files.
import {
  type FsError,
  NamedTemporaryFile,
  NamedTemporaryFileSync,
  SpooledTemporaryFileSync,
  type TempFile,
  TemporaryDirectory,
} from "@x/tempfile";
import { type TmpPathOptions, tmpPathTest } from "@x/tempfile/testing";

export async function consume(): Promise<number> {
  await using dir = await TemporaryDirectory();
  await using text = await NamedTemporaryFile({ dir: dir.name, mode: "w+" });
  const n: number = await text.write("typed as string");
  using binary = NamedTemporaryFileSync();
  binary.writeSync(new Uint8Array([1]));
  // @ts-expect-error: a text file takes strings, not bytes
  await text.write(new Uint8Array([1]));
  const spooled: TempFile<Uint8Array> = SpooledTemporaryFileSync({ maxSize: 10 });
  const path: string = text.name;
  const err = {} as FsError;
  const options: TmpPathOptions = { keepRuns: 2 };
  const test: (ctx: { name: string }) => Promise<void> = tmpPathTest((p: string) => p.length, options);
  await test({ name: "typed" });
  return n + spooled.tellSync() + path.length + err.code.length;
}
