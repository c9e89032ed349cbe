// delete: false keeps the file after close; the program removes it itself.
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { NamedTemporaryFileSync } from "../mod.ts";

const f = NamedTemporaryFileSync({ mode: "w", delete: false, prefix: "report-" });
console.log(`created ${f.name}`);
f.writeSync("kept after close\n");
f.closeSync();
console.log(
  `still there after close: ${existsSync(f.name)}, content ${JSON.stringify(readFileSync(f.name, "utf8"))}`,
);
unlinkSync(f.name);
console.log(`removed ${f.name}: ${!existsSync(f.name)}`);
