// keep() decides after creation that a file stays; permissions opens it to other users, exactly.
import { existsSync, statSync, unlinkSync } from "node:fs";
import { NamedTemporaryFileSync } from "../mod.ts";

let kept = "";
{
  using report = NamedTemporaryFileSync({ mode: "w", suffix: ".txt", permissions: 0o644 });
  console.log(`created ${report.name}`);
  report.writeSync("worth keeping\n");
  console.log(`mode ${(statSync(report.name).mode & 0o777).toString(8)}, whatever the umask`);
  kept = report.keep(); // the end of the block closes it but no longer removes it
}
console.log(`kept after the block: ${existsSync(kept)}`);
unlinkSync(kept);
console.log(`removed ${kept}: ${!existsSync(kept)}`);
