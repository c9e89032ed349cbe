/**
 * Retrying the platform's transient removal and rename errors: on Windows an
 * entry another process holds open (antivirus, indexers) refuses for a moment.
 * Every unlink and rename of a temp path goes through it; a tree's removal
 * (`_remove_tree.ts`) too.
 * @module
 */
import { errorCode } from "./errors.ts";
import { platform } from "./_platform.ts";
import { call, type Gen, type Op, type Ops, type Request, type RequestOf, type Step } from "./_requests.ts";

const RETRIES = 10;

/**
 * Runs `r`, retrying the platform's transient removal errors (on Windows, an
 * entry another process holds open) with a growing pause: 10 tries, 450 ms.
 * Nothing to retry (POSIX): the request itself, with no generator around it.
 */
export function retried<K extends Op>(r: RequestOf<K>): Step<Ops[K]["result"]> {
  const transient = platform().transientRemovalErrors;
  return transient.size === 0 ? r as Request : retrying(r, transient);
}

function* retrying<K extends Op>(r: RequestOf<K>, transient: ReadonlySet<string>): Gen<Ops[K]["result"]> {
  for (let attempt = 1;; attempt++) {
    try {
      return yield* call(r);
    } catch (err) {
      if (attempt >= RETRIES || !transient.has(errorCode(err) ?? "")) throw err;
      yield* call({ op: "sleep", ms: 10 * attempt });
    }
  }
}
