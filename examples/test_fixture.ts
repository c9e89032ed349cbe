// pytest's tmp_path: each test gets a fresh directory. A passing test's is
// removed; a failing test's is kept, and its path printed on stderr.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { tmpPathTest } from "../testing.ts";

// Any runner takes these: Deno.test(name, fn), bun:test's test(name, fn), vitest, node:test, jest.
let used = "";
const writesConfig = tmpPathTest((dir) => {
  used = dir;
  writeFileSync(`${dir}/config.json`, "{}");
}, { name: "writes a config" });
const breaks = tmpPathTest((dir) => {
  used = dir;
  writeFileSync(`${dir}/partial.txt`, "half");
  throw new Error("deliberate failure");
}, { name: "a failing test" });

await writesConfig();
console.log(`test "writes a config" passed`);
console.log(`removed ${used}: ${!existsSync(used)}`);
await breaks().catch((err) => console.log(`test "a failing test" failed: ${err.message}`));
console.log(`kept for a look: ${used}: ${existsSync(`${used}/partial.txt`)}`);
rmSync(used, { recursive: true }); // the example tidies up after itself
