// Cold start as users feel it: from process start, through the import, to the
// first NamedTemporaryFileSync created, written, closed and removed; against
// the same program written with raw node:fs calls. Each script prints
// performance.now(), which counts from process start, when it is done: this
// leaves out the process-spawn noise of wall-clock timing. Used by run.mjs.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";

const DIR = ".build/bench";
const WRITE = 'new TextEncoder().encode("cold start\\n")';
const done = "console.log(performance.now());\n";
const ours = (mod) =>
  `import { NamedTemporaryFileSync } from ${JSON.stringify(mod)};\n` +
  `const f = NamedTemporaryFileSync();\nf.writeSync(${WRITE});\nf.closeSync();\n${done}`;
const SCRIPTS = {
  "empty.mjs": done,
  "fs_import.mjs": `import "node:fs";\n${done}`,
  // The same work with the bare calls a user would write: tmpdir, open O_EXCL, write, close, unlink.
  "raw.mjs": `import { closeSync, constants as C, openSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const p = join(tmpdir(), \`cold-\${Date.now()}-\${Math.random().toString(36).slice(2)}\`);
const fd = openSync(p, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600);
writeSync(fd, ${WRITE});
closeSync(fd);
unlinkSync(p);
${done}`,
  // What npm users run (scripts/build_node.mjs, imported as the package, so its "exports" conditions pick
  // the copy for the runtime), what JSR serves (scripts/build_jsr.mjs), and the sources.
  "npm.mjs": ours("@x/tempfile"),
  "jsr.mjs": ours("../../dist/mod.js"),
  "ts.mjs": ours("../../mod.ts"),
};

/**
 * The npm build as one module whose body never runs, and a script importing
 * it: what loading and compiling this much code costs the runtime, apart
 * from anything the library does.
 */
function compileOnly() {
  const built = esbuild.buildSync({
    entryPoints: [`${DIR}/../npm/esm/node/mod.js`], // what Node and Bun load
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    logLevel: "warning",
  }).outputFiles[0].text;
  const body = built.slice(0, built.lastIndexOf("export {"));
  writeFileSync(
    `${DIR}/compile_only_lib.mjs`,
    `if (globalThis.neverSet) {\n${body}\n}\nexport const loaded = true;\n`,
  );
  return `import "./compile_only_lib.mjs";\n${done}`;
}

/** The middle value of `xs`. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Medians of `runs` starts of each script in `names` (interleaved, after one
 * discarded warm-up start each), in ms after process start.
 * @param {string} cmd the runtime's executable
 * @param {string[]} pre its arguments before the script
 * @param {string[]} names scripts from SCRIPTS, without ".mjs"
 */
export function coldStart(cmd, pre, names, runs = 15) {
  mkdirSync(`${DIR}/node_modules/@x`, { recursive: true });
  rmSync(`${DIR}/node_modules/@x/tempfile`, { force: true });
  symlinkSync(path.resolve(`${DIR}/../npm`), `${DIR}/node_modules/@x/tempfile`, "dir");
  for (const [name, text] of Object.entries(SCRIPTS)) writeFileSync(`${DIR}/${name}`, text);
  if (names.includes("compile_only")) writeFileSync(`${DIR}/compile_only.mjs`, compileOnly());
  const start = (name) =>
    Number(execFileSync(cmd, [...pre, `${DIR}/${name}.mjs`], { encoding: "utf8", stdio: "pipe" }));
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i <= runs; i++) {
    for (const n of names) {
      const ms = start(n);
      if (i > 0) samples[n].push(ms);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}
