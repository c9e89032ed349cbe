// What cannot be tested on Windows, and why. A test that cannot apply there skips through `skipIf`/`describeSkipIf`
// with one of the reasons below, and the reason is printed ("skipped on Windows: ..."), so that a run under
// Windows or Wine (npm run test:windows) lists every skip with its cause. Off Windows both run everything.
import { describe, it } from "vitest";
import { RUNTIME, WINDOWS, WINE } from "./_helpers.ts";

export { WINDOWS, WINE, withoutWineNoise } from "./_helpers.ts";

/** What Wine 10 does not do as Windows does (measured 2026-12-05; scripts/test_windows_wine.sh). */
const WINE_GAPS = {
  "symlink stub": "CreateSymbolicLinkW reports success and creates nothing",
  "no console": "no console, so no Ctrl+C, Ctrl+Break or console close",
  "no ACLs": "ACLs are not enforced",
  "no CPython":
    "this Wine machine has no CPython for Windows to be the oracle (Linux's writes other newlines)",
  // Deno removes a file with Rust std's remove_file, i.e. DeleteFileW. On NTFS in current Windows 10/11 that
  // unlinks an open file at once (POSIX semantics: WinFsp's doc/WinFsp-Delete-Redesign.asciidoc, "File Deletion in
  // Recent Versions of Windows 10"; rust-lang/rust#112139: remove_file of an open file leaves the name on Windows 7,
  // not on Windows 10). Wine 10's DeleteFileW only marks it: the name stays, delete-pending, until the last handle
  // closes. Node and Bun ask for POSIX semantics themselves (libuv 1.49+), which Wine honours.
  "Deno's DeleteFileW":
    "DeleteFileW leaves an open file's name delete-pending until it closes; Windows 10/11 " +
    "on NTFS removes it at once (POSIX semantics: WinFsp's Delete-Redesign notes, rust-lang/rust#112139)",
} as const;

/** Why a test cannot run here because the behaviour is POSIX's only, or `undefined` where it can. */
export function posixOnly(what: string): string | undefined {
  return WINDOWS ? `POSIX-only: ${what}` : undefined;
}

/** Why a test cannot run under Wine (in `runtime` only, when given), or `undefined` where it can. */
export function wineLacks(gap: keyof typeof WINE_GAPS, runtime?: typeof RUNTIME): string | undefined {
  if (!WINE || (runtime !== undefined && runtime !== RUNTIME)) return undefined;
  return `Wine limitation (${gap}): ${WINE_GAPS[gap]}`;
}

/** Deno under Wine: a name unlinked while open stays, delete-pending, until its descriptor closes. */
export const UNLINKED_NAMES_STAY: boolean = wineLacks("Deno's DeleteFileW", "deno") !== undefined;

/** The first reason given, if any. */
const first = (reasons: (string | undefined)[]) => reasons.find((r) => r !== undefined);

function note(name: string, reason: string): void {
  console.log(`skipped on Windows: "${name}": ${reason}`);
}

/** `it`, or when any reason is given, a skipped `it` (and `it.each`) that prints the reason. */
export function skipIf(...reasons: (string | undefined)[]): typeof it {
  const reason = first(reasons);
  if (reason === undefined) return it;
  const skipped = ((name: string, ...rest: unknown[]) => {
    note(name, reason);
    // deno-lint-ignore no-explicit-any
    return (it.skip as any)(name, ...rest);
  }) as unknown as typeof it;
  // deno-lint-ignore no-explicit-any
  (skipped as any).each = (table: unknown) => (name: string, ...rest: unknown[]) => {
    note(name, reason);
    // deno-lint-ignore no-explicit-any
    return (it.skip as any).each(table)(name, ...rest);
  };
  return skipped;
}

/** `describe`, or when any reason is given, a skipped `describe` that prints the reason. */
export function describeSkipIf(...reasons: (string | undefined)[]): typeof describe {
  const reason = first(reasons);
  if (reason === undefined) return describe;
  return ((name: string, ...rest: unknown[]) => {
    note(name, reason);
    // deno-lint-ignore no-explicit-any
    return (describe.skip as any)(name, ...rest);
  }) as unknown as typeof describe;
}
