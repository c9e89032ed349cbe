/**
 * The body every `with...` callback form shares: make the object, run the
 * callback with it, dispose of it whether the callback returns or throws.
 * @module
 */

/** Runs `fn` with the object `made` resolves to, then disposes of the object. */
export async function disposedAfter<T extends AsyncDisposable, R>(
  made: Promise<T>,
  fn: (obj: T) => R | Promise<R>,
): Promise<R> {
  const obj = await made;
  try {
    return await fn(obj);
  } finally {
    await obj[Symbol.asyncDispose]();
  }
}
