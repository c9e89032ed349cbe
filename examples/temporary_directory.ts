// TemporaryDirectory with several files, removed with everything in it.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { TemporaryDirectorySync } from "../mod.ts";

let name: string;
{
  using dir = TemporaryDirectorySync({ prefix: "build-" });
  name = dir.name;
  console.log(`created ${name}`);
  mkdirSync(`${name}/src/lib`, { recursive: true });
  for (const file of ["a.txt", "src/b.txt", "src/lib/c.txt"]) writeFileSync(`${name}/${file}`, file);
  console.log(`contents: ${readdirSync(name, { recursive: true }).map(String).sort().join(", ")}`);
}
console.log(`removed ${name}: ${!existsSync(name)}`);
