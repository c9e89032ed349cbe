// The npm package in Deno runs the Deno backend: every way a program ends
// (endings.mjs) leaves what the JSR package leaves, nothing, with the same
// status; without --allow-env it degrades, not crashes.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import path from "node:path";

/** Runs endings.mjs in `cwd` with `flags`; kills it with `signal` once it has made its objects. */
function endIn(deno, cwd, flags, where, ending, signal) {
  return new Promise((resolve) => {
    const child = spawn(deno, ["run", ...flags, "endings.mjs", where, ending], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (signal && stdout.includes("\n")) child.kill(signal);
    });
    child.stderr.on("data", (d) => void (stderr += d));
    child.on("close", (status, sig) => {
      let paths = [];
      try {
        paths = JSON.parse(stdout.split("\n")[0]);
      } catch { /* reported below: nothing was made */ }
      resolve({ status, signal: sig, made: paths.length, left: paths.filter((p) => existsSync(p)), stderr });
    });
  });
}

const ENDINGS = [["normal"], ["deno-exit"], ["throw"], ["reject"], ["signal", "SIGINT"], [
  "signal",
  "SIGTERM",
]];

/** Runs the endings from the npm package installed in `npmProject` and the JSR one linked in `jsrProject`. */
export async function checkDenoEndings({ deno, npmProject, jsrProject, check }) {
  cpSync(new URL("endings.mjs", import.meta.url), path.join(npmProject, "endings.mjs"));
  cpSync(new URL("endings.mjs", import.meta.url), path.join(jsrProject, "endings.mjs"));
  const allowed = ["--allow-read", "--allow-write", "--allow-env"];
  for (const [ending, signal] of ENDINGS) {
    const dirs = [mkdtempSync(path.join(npmProject, "end-")), mkdtempSync(path.join(npmProject, "end-"))];
    const fromNpm = await endIn(
      deno,
      npmProject,
      ["--node-modules-dir=manual", ...allowed],
      dirs[0],
      ending,
      signal,
    );
    const fromJsr = await endIn(deno, jsrProject, allowed, dirs[1], ending, signal);
    const outcome = (r) => JSON.stringify({ status: r.status, signal: r.signal, made: r.made, left: r.left });
    const ok = fromNpm.made === 2 && fromNpm.left.length === 0 && outcome(fromNpm) === outcome(fromJsr);
    check(
      ok,
      `Deno, npm package: ${ending}${signal ? ` ${signal}` : ""} ends as with the JSR package, nothing left`,
      ok ? "" : `npm ${outcome(fromNpm)} ${fromNpm.stderr.slice(-300)}; jsr ${outcome(fromJsr)}`,
    );
  }
  const noEnvFlags = ["--node-modules-dir=manual", "--allow-read", "--allow-write"];
  const noEnv = await endIn(deno, npmProject, noEnvFlags, "default", "normal");
  check(
    noEnv.status === 0 && noEnv.made === 2 && noEnv.left.length === 0 && !noEnv.stderr.includes("NotCapable"),
    "Deno, npm package, no --allow-env: the default directory from the platform's list, cleaned up at exit",
    `${JSON.stringify(noEnv)}`,
  );
}
