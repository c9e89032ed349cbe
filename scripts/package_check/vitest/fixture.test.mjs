// The packed @x/tempfile/testing fixture, as a vitest user meets it (vitest's
// globals: this project has no vitest of its own). One test passes, one fails
// on purpose; the package check reads the outcome.
import { existsSync, writeFileSync } from "node:fs";
import { tmpPathFixture } from "@x/tempfile/testing";

const it = test.extend({ tmpPath: tmpPathFixture() });
let passed = "";

it("passes", ({ tmpPath }) => {
  passed = tmpPath;
  writeFileSync(`${tmpPath}/out.txt`, "x");
});

it("fails", ({ tmpPath }) => {
  writeFileSync(`${tmpPath}/partial.txt`, "half");
  console.log(`passing test's directory removed: ${passed !== "" && !existsSync(passed)}`);
  throw new Error("deliberate failure");
});
