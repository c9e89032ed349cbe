// Uses the installed package as a consumer would: every factory, and a child
// that must have its temp files removed when it exits. Plain JavaScript, so it
// runs on Node 20/22 (no `using`), Node 24, Bun and Deno alike.
import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import process from "node:process";
import * as t from "@x/tempfile";
import { tmpPathTest } from "@x/tempfile/testing";

const assert = (ok, what) => {
  if (!ok) throw new Error(`smoke check failed: ${what}`);
};
if (process.argv[2] === "child") {
  const f = t.NamedTemporaryFileSync({ dir: process.argv[3] });
  const d = t.TemporaryDirectorySync({ dir: process.argv[3] });
  fs.writeFileSync(`${d.name}/inner`, "x");
  console.log(JSON.stringify([f.name, d.name]));
  process.exit(0);
}

const dir = t.mkdtempSync({ prefix: "smoke-" }); // after the child's branch, which would leave it behind

assert(t.gettempprefix() === "tmp" && fs.existsSync(t.gettempdir()), "gettempdir");
for (const [fd, name] of [t.mkstempSync({ dir }), await t.mkstemp({ dir })]) {
  fs.writeSync(fd, "x");
  fs.closeSync(fd);
  assert(fs.readFileSync(name, "utf8") === "x", "mkstemp");
}
assert(
  fs.statSync(t.mkdtempSync({ dir })).isDirectory() && fs.statSync(await t.mkdtemp({ dir })).isDirectory(),
  "mkdtemp",
);
assert(!fs.existsSync(t.mktemp({ dir })), "mktemp");

const anon = t.TemporaryFileSync({ dir, mode: "w+" });
anon.writeSync("anonymous");
anon.seekSync(0);
assert(anon.readSync() === "anonymous" && typeof anon.name === "number", "TemporaryFileSync");
anon.closeSync();
const anon2 = await t.TemporaryFile({ dir });
await anon2.write(new Uint8Array([1, 2]));
await anon2.close();

const named = t.NamedTemporaryFileSync({ dir });
named.writeSync(new Uint8Array([7]));
named.flushSync();
assert(fs.readFileSync(named.name)[0] === 7, "NamedTemporaryFileSync");
named.closeSync();
assert(!fs.existsSync(named.name), "NamedTemporaryFile removed on close");
const named2 = await t.NamedTemporaryFile({ dir, mode: "w" });
await named2.write("persisted");
await named2.persist(`${dir}/final.txt`);
await named2.close();
assert(fs.readFileSync(`${dir}/final.txt`, "utf8") === "persisted", "persist");
await t.withNamedTemporaryFile(async (f) => void await f.write(new Uint8Array(3)), { dir });

// Text lines over several buffers: lines across buffer ends, the runtime's own UTF-8 decoder, the read-ahead.
const lines = Array.from({ length: 3000 }, (_, i) => `${"é✓".repeat(i % 9)} line ${i}\n`);
const text = t.NamedTemporaryFileSync({ dir, mode: "w+" });
text.writeSync(lines.join(""));
text.seekSync(0);
const readBack = [];
for (let l; (l = text.readlineSync()) !== "";) readBack.push(l);
text.closeSync();
assert(
  readBack.join("") === lines.join("") && readBack.length === lines.length,
  "readline over many buffers",
);

const spooled = t.SpooledTemporaryFileSync({ maxSize: 4 });
spooled.writeSync(new Uint8Array(10));
assert(spooled.rolled, "SpooledTemporaryFileSync rolls over");
spooled.closeSync();
const spooled2 = await t.SpooledTemporaryFile({ mode: "w+" });
await spooled2.write("memory");
await spooled2.close();

const td = t.TemporaryDirectorySync({ dir });
fs.writeFileSync(`${td.name}/a`, "a");
td.cleanupSync();
const td2 = await t.TemporaryDirectory({ dir });
await td2[Symbol.asyncDispose]();
await t.withTemporaryDirectory((p) => fs.writeFileSync(`${p}/b`, "b"), { dir });
assert(!fs.existsSync(td.name) && !fs.existsSync(td2.name), "TemporaryDirectory removed");

// A child of this runtime: its temp files must be gone once it exits.
const self = "Deno" in globalThis ? [process.execPath, "run", "-A"] : [process.execPath];
const out = execFileSync(self[0], [...self.slice(1), process.argv[1], "child", dir], { encoding: "utf8" });
for (const p of JSON.parse(out)) assert(!fs.existsSync(p), `child's ${p} removed at exit`);

// The testing entry point: a passing test's directory is removed.
let tested = "";
await tmpPathTest((p) => void (tested = p), { dir })();
assert(tested.startsWith(dir) && !fs.existsSync(tested), "tmpPathTest");

fs.rmSync(dir, { recursive: true });
console.log("smoke ok");
