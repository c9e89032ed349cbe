// The debug log and leak warnings, switched on by environment variables in any runtime. This
// example runs itself as a child with XTEMPFILE_DEBUG=1 and XTEMPFILE_WARNINGS=1 and shows the
// child's stderr.
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { NamedTemporaryFileSync, TemporaryDirectorySync } from "../mod.ts";

if (process.env.XTEMPFILE_DEBUG) {
  using _dir = TemporaryDirectorySync({ prefix: "debug-" }); // created, then removed at the block's end
  const forgotten = NamedTemporaryFileSync({ prefix: "forgotten-" }); // never closed: reported at exit
  Object.assign(globalThis, { forgotten });
} else {
  const file = fileURLToPath(import.meta.url);
  const [cmd, args] = "Deno" in globalThis
    ? [Deno.execPath(), ["run", "-A", file]]
    : [process.execPath, [...process.execArgv, file]];
  const env = { ...process.env, XTEMPFILE_DEBUG: "1", XTEMPFILE_WARNINGS: "1" };
  const r = spawnSync(cmd, args, { env, encoding: "utf8" });
  for (const line of r.stderr.trim().split("\n")) console.log(`stderr: ${line}`);
}
