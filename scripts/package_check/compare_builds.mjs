// The differences between two npm builds of the package (dnt's and the
// stand-in's), in what users get: the packed file list (the shared core's
// content hash aside), package.json's fields (dnt's own bookkeeping aside) and
// every .d.ts file. The JavaScript itself may differ in form: two compilers.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** Fields dnt adds for itself, not for users. */
const BOOKKEEPING = new Set(["_generatedBy", "scripts", "devDependencies"]);

function packedFiles(dir) {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--silent"], {
    cwd: dir,
    encoding: "utf8",
  });
  return JSON.parse(out)[0].files.map((f) => f.path.replace(/core-\w+\.js$/, "core-HASH.js")).sort();
}

function userFields(dir) {
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  return Object.fromEntries(
    Object.keys(pkg).filter((k) => !BOOKKEEPING.has(k)).sort().map((k) => [k, pkg[k]]),
  );
}

/** What differs between the builds in `a` and `b`, one line each; empty when they match. */
export function compareBuilds(a, b) {
  const diffs = [];
  const [filesA, filesB] = [packedFiles(a), packedFiles(b)];
  for (const f of filesA.filter((f) => !filesB.includes(f))) diffs.push(`only in ${a}: ${f}`);
  for (const f of filesB.filter((f) => !filesA.includes(f))) diffs.push(`only in ${b}: ${f}`);
  const [pkgA, pkgB] = [userFields(a), userFields(b)];
  for (const k of new Set([...Object.keys(pkgA), ...Object.keys(pkgB)])) {
    if (JSON.stringify(pkgA[k]) !== JSON.stringify(pkgB[k])) diffs.push(`package.json "${k}" differs`);
  }
  for (const f of filesA.filter((f) => f.endsWith(".d.ts") && filesB.includes(f))) {
    if (readFileSync(path.join(a, f), "utf8") !== readFileSync(path.join(b, f), "utf8")) {
      diffs.push(`${f} differs`);
    }
  }
  return diffs;
}
