// A data-processing pipeline through an external tool: write input to a temp
// file, let `sort` write its result to another, read the result back.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { NamedTemporaryFile } from "../mod.ts";

const names: string[] = [];
{
  await using input = await NamedTemporaryFile({ mode: "w", suffix: ".csv" });
  await using output = await NamedTemporaryFile({ mode: "r", suffix: ".csv" });
  names.push(input.name, output.name);
  for (const n of names) console.log(`created ${n}`);
  await input.writelines(["pear,3\n", "apple,7\n", "fig,1\n"]);
  await input.flush();
  execFileSync("sort", ["-t,", "-k2", "-n", "-o", output.name, input.name]);
  console.log(`sorted by count: ${JSON.stringify(await output.readlines())}`);
}
for (const n of names) console.log(`removed ${n}: ${!existsSync(n)}`);
