// mkstempPath and mkstempWrite: paths the program owns from the start. Nothing removes them for it: not
// collection, not exit, not a signal; here it removes them itself.
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { inspect } from "node:util";
import { mkstempPathSync, mkstempWrite, NamedTemporaryFileSync } from "../mod.ts";

const empty = mkstempPathSync({ prefix: "upload-", suffix: ".csv" });
console.log(`created ${empty}`);
const config = await mkstempWrite('{"retries": 3}\n', { suffix: ".json" });
console.log(`created ${config}`);
console.log(`complete on return: ${JSON.stringify(readFileSync(config, "utf8"))}`);

// A file object shows its state; keep() hands its path over in the same way.
const f = NamedTemporaryFileSync({ mode: "w", suffix: ".log" });
f.writeSync("worth keeping\n");
console.log(inspect(f));
const log = f.keep();
f.closeSync();
console.log(`created ${log}`);
console.log(inspect(f));

for (const path of [empty, config, log]) {
  unlinkSync(path);
  console.log(`removed ${path}: ${!existsSync(path)}`);
}
