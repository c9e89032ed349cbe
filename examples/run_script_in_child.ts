// A script written to a temp file and run as a child process: the child opens it by name.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { NamedTemporaryFileSync } from "../mod.ts";

let name: string;
{
  using script = NamedTemporaryFileSync({ mode: "w", suffix: ".mjs" });
  name = script.name;
  console.log(`created ${name}`);
  script.writeSync(`console.log("child says: 6 x 7 = " + 6 * 7);\n`);
  script.flushSync(); // the child reads the file, so the data must be in it
  // Node runs the script; under Deno and Bun, process.execPath is their own binary.
  const runtime = "Deno" in globalThis ? [process.execPath, "run", name] : [process.execPath, name];
  console.log(execFileSync(runtime[0], runtime.slice(1), { encoding: "utf8" }).trim());
}
console.log(`removed ${name}: ${!existsSync(name)}`);
