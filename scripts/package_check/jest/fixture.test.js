// The packed @x/tempfile/testing under jest, default configuration, in a
// CommonJS project: one test passes, one fails on purpose; the package check
// reads the outcome.
const { existsSync, writeFileSync } = require("node:fs");
const { tmpPathTest } = require("@x/tempfile/testing");

let passed = "";

test(
  "passes",
  tmpPathTest((tmpPath) => {
    passed = tmpPath;
    writeFileSync(`${tmpPath}/out.txt`, "x");
  }, { name: "passes" }),
);

test(
  "fails",
  tmpPathTest((tmpPath) => {
    writeFileSync(`${tmpPath}/partial.txt`, "half");
    console.log(`passing test's directory removed: ${passed !== "" && !existsSync(passed)}`);
    throw new Error("deliberate failure");
  }, { name: "fails" }),
);
