// An atomic write with persist: readers of config.json see the old or the new
// content, never a half-written file.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NamedTemporaryFile, TemporaryDirectorySync } from "../mod.ts";

using work = TemporaryDirectorySync();
const target = join(work.name, "config.json");
console.log(`created ${work.name}`);
{
  await using f = await NamedTemporaryFile({ mode: "w", dir: work.name, suffix: ".tmp" });
  console.log(`created ${f.name}`);
  await f.write(JSON.stringify({ version: 2 }));
  await f.persist(target); // flush, fsync, rename: atomic in one file system
  console.log(`persisted as ${f.name}`);
}
console.log(`content: ${readFileSync(target, "utf8")}`);
rmSync(target);
console.log(`removed ${target}: ${!existsSync(target)}`);
