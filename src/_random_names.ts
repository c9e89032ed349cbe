/**
 * Random name generation: 8 characters from Python's alphabet, drawn from the
 * platform CSPRNG by rejection sampling, so without modulo bias.
 * @module
 */
import { backend } from "./backend.ts";

/** Python's `_RandomNameSequence.characters`. */
export const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_";
/** Characters per name, as Python. */
export const NAME_LENGTH = 8;

// Bytes at or above this would favour the alphabet's first characters.
const LIMIT = 256 - (256 % ALPHABET.length);
// Every worker and every process has its own module instance, hence its own
// pool; there is no fork() in JavaScript that could duplicate one.
// 4 KiB: one refill (three syscalls in Node) per ~450 names. Allocated at the
// first refill: nothing runs at import. NAME_LENGTH (8) characters are
// picked, read one by one below.
let pool = new Uint8Array(0);
let used = 0;
let picked: number[] = [];

function randomChars(): string {
  for (let n = 0; n < NAME_LENGTH;) {
    if (used === pool.length) {
      if (pool.length === 0) pool = new Uint8Array(4096), picked = new Array<number>(NAME_LENGTH);
      backend().randomFill(pool);
      used = 0;
    }
    const byte = pool[used++];
    if (byte < LIMIT) picked[n++] = ALPHABET.charCodeAt(byte % ALPHABET.length);
  }
  // One string, not eight growing ones: this runs for every name. No spread: it costs a call with an array.
  const p = picked;
  return String.fromCharCode(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
}

let source: () => string = randomChars;

/** The 8 random characters of the next candidate name. */
export function nextRandomChars(): string {
  return source();
}

/**
 * Replaces the name source, for tests that must predict candidate names.
 * Returns a function that restores the real source.
 */
export function useNameSource(fn: () => string): () => void {
  source = fn;
  return () => void (source = randomChars);
}
