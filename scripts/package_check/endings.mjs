// A program that ends as its second argument says, with a named file and a
// directory tree live in the directory of its first ("default": the default
// temporary directory). The package check runs it in Deno from the npm
// package and from the JSR one: the two must end alike and leave nothing.
import * as fs from "node:fs";
import process from "node:process";
import * as t from "@x/tempfile";

const [where, ending] = process.argv.slice(2);
const dir = where === "default" ? undefined : where;
const named = t.NamedTemporaryFileSync({ dir, suffix: ".named" });
const tree = t.TemporaryDirectorySync({ dir, suffix: ".dir" });
fs.writeFileSync(`${tree.name}/inner`, "x");
globalThis.keep = [named, tree];
console.log(JSON.stringify([named.name, tree.name]));
if (ending === "deno-exit") Deno.exit(3);
if (ending === "throw") {
  setTimeout(() => {
    throw new Error("boom");
  }, 10);
}
if (ending === "reject") Promise.reject(new Error("rejected"));
if (ending === "signal") setTimeout(() => {}, 30_000);
