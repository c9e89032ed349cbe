// Type tests, checked by `tsc --noEmit` (and `deno check`): an options object kept in a variable still
// selects the text or binary types when it is checked with `satisfies`. Each @ts-expect-error must fire.
import {
  type NamedTemporaryFileOptions,
  NamedTemporaryFileSync,
  type SpooledTemporaryFileOptions,
  SpooledTemporaryFileSync,
  type TemporaryFileOptions,
  TemporaryFileSync,
} from "../../mod.ts";

const text = { mode: "w+", suffix: ".txt" } satisfies NamedTemporaryFileOptions;
const named = NamedTemporaryFileSync(text);
named.writeSync("a string");
// @ts-expect-error a text file takes strings only
named.writeSync(new Uint8Array(1));
const line: string = named.readlineSync();

const binary = { mode: "w+b" } satisfies TemporaryFileOptions;
const anonymous = TemporaryFileSync(binary);
anonymous.writeSync(new Uint8Array(1));
// @ts-expect-error a binary file takes bytes only
anonymous.writeSync("a string");
const bytes: Uint8Array = anonymous.readSync();

const spooledText = { mode: "w+", maxSize: 10 } satisfies SpooledTemporaryFileOptions;
// @ts-expect-error a text file reads strings
const notBytes: Uint8Array = SpooledTemporaryFileSync(spooledText).readSync();

// A mode only known at run time still type-checks, with both data types.
const someMode: string = ["w+", "w+b"][Math.round(Math.random())];
const either = NamedTemporaryFileSync({ mode: someMode });
either.writeSync("text or bytes: checked at run time");

// A mode that is no mode at all is still a string: checked at run time (RangeError).
const wrong = { mode: "rw" } satisfies TemporaryFileOptions;

export { bytes, either, line, notBytes, wrong };
