// `npm run check:readme`: every code block of README.md is complete and
// type-checks. Deno checks the ts/js blocks (`deno check --doc-only`); the
// blocks it cannot resolve, marked `ts ignore` (only bun:test ones may be),
// are checked by tsc with Bun's types, "@x/tempfile" mapped to mod.ts.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import process from "node:process";

const bin = (name) => `node_modules/.bin/${name}`;
execFileSync(bin("deno"), ["check", "--quiet", "--doc-only", "README.md"], { stdio: "inherit" });

const blocks = [...readFileSync("README.md", "utf8").matchAll(/^```ts ignore\n([\s\S]*?)^```$/gm)].map((m) =>
  m[1]
);
const notBun = blocks.filter((b) => !b.includes('from "bun:test"'));
if (notBun.length > 0) {
  console.error(`README.md: a "ts ignore" block that is not a bun:test one escapes checking:\n${notBun[0]}`);
  process.exit(1);
}
const dir = ".build/readme";
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const files = blocks.map((b, i) => {
  const file = `${dir}/bun_${i}.ts`;
  writeFileSync(file, `export {};\n${b}`);
  return file;
});
writeFileSync(
  `${dir}/tsconfig.json`,
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ESNext", "DOM"],
      types: ["bun-types", "node"],
      typeRoots: ["../../node_modules", "../../node_modules/@types"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      paths: { "@x/tempfile": ["../../mod.ts"], "@x/tempfile/testing": ["../../testing.ts"] },
    },
    // The module's own sources need the Deno declarations tsc uses for the repo.
    files: ["../../types/deno.d.ts", ...files.map((f) => f.slice(dir.length + 1))],
  }),
);
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", dir], { stdio: "inherit" });
console.log(`README.md: ${blocks.length} bun:test block(s) and every other code block type-check`);
