// One process that loads the package twice, as jest and mixed projects do: the
// ES module by import and the CommonJS copy by require(). Both must use one
// cleanup registry (one listener per process event, each object removed
// once at exit) and one setTempdir default. Prints what the parent checks.
import { createRequire } from "node:module";
import process from "node:process";
import * as esm from "@x/tempfile";

const cjs = createRequire(import.meta.url)("@x/tempfile");
const events = ["exit", "SIGINT", "SIGTERM", "SIGHUP"];
const before = events.map((e) => process.listenerCount(e));
esm.setTempdir(process.argv[2]);
const live = [esm, cjs, esm, cjs].flatMap((
  copy,
) => [copy.NamedTemporaryFileSync(), copy.TemporaryDirectorySync()]);
const paths = live.map((o) => o.name);
globalThis.keep = live; // left open: the exit hook removes them
console.log(JSON.stringify({
  twoCopies: esm.NamedTemporaryFileSync !== cjs.NamedTemporaryFileSync,
  sharedTempdir: cjs.gettempdir() === process.argv[2],
  added: Object.fromEntries(events.map((e, i) => [e, process.listenerCount(e) - before[i]])),
  paths,
}));
