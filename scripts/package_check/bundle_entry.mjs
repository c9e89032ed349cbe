// A program as a bundler sees it: one import of the package, then use. The
// bundle must keep the backend (the package says it has no side effects).
import { existsSync, rmdirSync } from "node:fs";
import { mkdtempSync, NamedTemporaryFileSync } from "@x/tempfile";

const dir = mkdtempSync({ prefix: "bundled-" });
const f = NamedTemporaryFileSync({ dir });
f.writeSync(new Uint8Array([1, 2, 3]));
f.closeSync();
const ok = existsSync(dir) && !existsSync(f.name);
rmdirSync(dir);
console.log(ok ? "bundle ok" : "bundle broken");
