// A CommonJS consumer: require() of the package, which Node (20.19+, 22.12+)
// and Bun load as the same ES module an import gets: one cleanup registry.
const fs = require("node:fs");
const t = require("@x/tempfile");
const { tmpPathFixture } = require("@x/tempfile/testing");

const dir = t.mkdtempSync({ prefix: "cjs-" });
const f = t.NamedTemporaryFileSync({ dir });
f.writeSync(new Uint8Array([1]));
f.closeSync();
const ok = fs.existsSync(dir) && !fs.existsSync(f.name) && typeof t.TemporaryDirectory === "function" &&
  typeof tmpPathFixture === "function";
fs.rmdirSync(dir);
console.log(ok ? "require ok" : "require broken");
