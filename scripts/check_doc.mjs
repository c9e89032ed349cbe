// Part of `npm run check`: the documented API (`deno doc --json mod.ts`) shows
// no internal member of any exported class: no `_`-named member, and no
// member whose signature names a type that mod.ts does not export.
import { execFileSync } from "node:child_process";
import process from "node:process";

const doc = JSON.parse(
  execFileSync("node_modules/.bin/deno", ["doc", "--json", "mod.ts"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    maxBuffer: 1 << 26,
  }),
);
const symbols = Object.values(doc.nodes)[0].symbols;
const exported = new Set(symbols.map((s) => s.name));
const problems = [];
/** Names of the project's own types a JSON subtree refers to (imports resolved to a local file). */
function localTypeRefs(node, out = []) {
  if (Array.isArray(node)) { for (const n of node) localTypeRefs(n, out); }
  else if (node && typeof node === "object") {
    if (node.kind === "typeRef" && node.value?.resolution?.kind === "import") out.push(node.value.typeName);
    for (const v of Object.values(node)) localTypeRefs(v, out);
  }
  return out;
}
for (const s of symbols) {
  for (const decl of s.declarations.filter((d) => d.kind === "class")) {
    const def = decl.def;
    const members = [...(def.constructors ?? []), ...(def.methods ?? []), ...(def.properties ?? [])];
    for (const m of members) {
      const name = typeof m.name === "string" ? m.name : "?";
      const hidden = localTypeRefs(m).filter((t) => !exported.has(t.split(".")[0]));
      if (name.startsWith("_")) problems.push(`${s.name}.${name}: an internal name`);
      if (hidden.length > 0) problems.push(`${s.name}.${name}: names internal type(s) ${hidden.join(", ")}`);
    }
  }
}
for (const p of problems) console.error(`deno doc shows an internal member: ${p}`);
if (problems.length > 0) process.exit(1);
console.log(`deno doc: ${symbols.length} exported symbols, no internal member shown`);
