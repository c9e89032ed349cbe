// `npm start`: runs every example in examples/ under Node, Bun and Deno and
// shows what each did. An example passes when it exits 0, every path it says
// it created is gone afterwards, and every "removed X: Y" line says true.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import process from "node:process";

const tsx = new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const runtimes = {
  node: (file) => [process.execPath, ["--import", tsx, file]],
  bun: (file) => ["node_modules/.bin/bun", [file]],
  deno: (file) => ["node_modules/.bin/deno", ["run", "-A", file]],
};
const only = process.argv.slice(2);
const examples = readdirSync("examples").filter((f) => f.endsWith(".ts")).sort();
let failures = 0;
for (const [runtime, command] of Object.entries(runtimes)) {
  if (only.length && !only.includes(runtime)) continue;
  console.log(`\n=== ${runtime}`);
  for (const example of examples) {
    const [cmd, args] = command(`examples/${example}`);
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000 });
    const lines = r.stdout.trim().split("\n");
    const created = lines.filter((l) => l.startsWith("created ")).map((l) => l.slice(8));
    const leftover = created.filter((p) => existsSync(p));
    const badRemoval = lines.filter((l) => /^removed .*: (?!true$)/.test(l));
    const ok = r.status === 0 && leftover.length === 0 && badRemoval.length === 0;
    if (!ok) failures++;
    console.log(`${ok ? "ok  " : "FAIL"} ${example}`);
    for (const l of lines) console.log(`       ${l}`);
    if (r.status !== 0) console.log(`       exit ${r.status}: ${r.stderr.trim()}`);
    for (const p of leftover) console.log(`       left behind: ${p}`);
  }
}
console.log(
  `\n${failures === 0 ? "every example ran and left nothing behind" : `${failures} example run(s) failed`}`,
);
process.exit(failures === 0 ? 0 : 1);
