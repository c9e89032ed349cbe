// Basic NamedTemporaryFile: write, read back, and it is gone after the block.
import { existsSync } from "node:fs";
import { NamedTemporaryFile } from "../mod.ts";

let name: string;
{
  await using f = await NamedTemporaryFile({ mode: "w+", suffix: ".txt" });
  name = f.name;
  console.log(`created ${name}`);
  await f.write("Hello, temporary world!\n");
  await f.seek(0);
  console.log(`read back: ${JSON.stringify(await f.read())}`);
}
console.log(`removed ${name}: ${!existsSync(name)}`);
