// SpooledTemporaryFile: in memory while small, on disk (anonymously) once it grows past maxSize.
import { SpooledTemporaryFileSync } from "../mod.ts";

using f = SpooledTemporaryFileSync({ maxSize: 1024, mode: "w+" });
f.writeSync("a small note\n");
console.log(`after 13 bytes: rolled=${f.rolled}, name=${f.name}`);
f.writeSync("x".repeat(2000) + "\n");
console.log(`after 2014 bytes: rolled=${f.rolled}, name is a descriptor: ${typeof f.name === "number"}`);
f.seekSync(0);
console.log(`first line survives the rollover: ${JSON.stringify(f.readlineSync())}`);
