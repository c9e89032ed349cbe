// A test fixture: each test gets a private directory, removed whether the test passes or throws.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { withTemporaryDirectory } from "../mod.ts";

const used: string[] = [];
function test(name: string, body: (dir: string) => Promise<void> | void): Promise<void> {
  return withTemporaryDirectory(async (dir) => {
    used.push(dir);
    console.log(`created ${dir}`);
    await body(dir);
    console.log(`test "${name}" passed`);
  }, { prefix: "fixture-" }).catch((err) => console.log(`test "${name}" failed: ${err.message}`));
}

await test("writes a config", (dir) => {
  writeFileSync(`${dir}/config.json`, "{}");
  if (readdirSync(dir).length !== 1) throw new Error("expected one file");
});
await test("a failing test still cleans up", (dir) => {
  writeFileSync(`${dir}/partial.txt`, "half");
  throw new Error("deliberate failure");
});
for (const dir of used) console.log(`removed ${dir}: ${!existsSync(dir)}`);
