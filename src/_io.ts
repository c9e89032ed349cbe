// File operations written once, as generators that yield I/O requests; a sync
// driver and an async driver carry the requests out. Buffering and text logic
// therefore exist once for both `read()` and `readSync()`.
import { backend } from "./backend.ts";

/** One request to the file system, about the file's descriptor. */
export type IORequest =
  | { op: "read"; buf: Uint8Array; pos: number }
  | { op: "write"; buf: Uint8Array; pos: number | null }
  | { op: "size" }
  | { op: "truncate"; length: number }
  | { op: "fsync" }
  | { op: "close" }
  | { op: "unlink"; path: string }
  | { op: "rename"; from: string; to: string }
  | { op: "link"; from: string; to: string };

/** A file operation: yields requests, receives their results, returns T. */
export type IOGen<T> = Generator<IORequest, T, number>;

function doSync(fd: number, r: IORequest): number {
  const b = backend();
  switch (r.op) {
    case "read":
      return b.readSync(fd, r.buf, r.pos);
    case "write":
      return b.writeSync(fd, r.buf, r.pos);
    case "size":
      return b.fstatSync(fd).size;
    case "truncate":
      return b.ftruncateSync(fd, r.length), 0;
    case "fsync":
      return b.fsyncSync(fd), 0;
    case "close":
      return b.closeSync(fd), 0;
    case "unlink":
      return b.unlinkSync(r.path), 0;
    case "rename":
      return b.renameSync(r.from, r.to), 0;
    case "link":
      return b.linkSync(r.from, r.to), 0;
  }
}

async function doAsync(fd: number, r: IORequest): Promise<number> {
  const b = backend();
  switch (r.op) {
    case "read":
      return await b.read(fd, r.buf, r.pos);
    case "write":
      return await b.write(fd, r.buf, r.pos);
    case "size":
      return (await b.fstat(fd)).size;
    case "truncate":
      return await b.ftruncate(fd, r.length), 0;
    case "fsync":
      return await b.fsync(fd), 0;
    case "close":
      return await b.close(fd), 0;
    case "unlink":
      return await b.unlink(r.path), 0;
    case "rename":
      return await b.rename(r.from, r.to), 0;
    case "link":
      return await b.link(r.from, r.to), 0;
  }
}

/**
 * Steps `gen`, handing each request it yields to `perform` and the result (or
 * the failure) back in. The file operations and the tree removal share it.
 */
export function driveSync<R, T, N>(gen: Generator<R, T, N>, perform: (request: R) => N): T {
  let step = gen.next();
  while (!step.done) {
    let result: N;
    try {
      result = perform(step.value);
    } catch (err) {
      step = gen.throw(err);
      continue;
    }
    step = gen.next(result);
  }
  return step.value;
}

/** The async twin of {@linkcode driveSync}. */
export async function drive<R, T, N>(
  gen: Generator<R, T, N>,
  perform: (request: R) => Promise<N>,
): Promise<T> {
  let step = gen.next();
  while (!step.done) {
    let result: N;
    try {
      result = await perform(step.value);
    } catch (err) {
      step = gen.throw(err);
      continue;
    }
    step = gen.next(result);
  }
  return step.value;
}

/** Runs `gen` with synchronous I/O on `fd`. */
export function runSync<T>(fd: number, gen: IOGen<T>): T {
  return driveSync(gen, (r) => doSync(fd, r));
}

/** Runs `gen` with asynchronous I/O on `fd`. */
export function runAsync<T>(fd: number, gen: IOGen<T>): Promise<T> {
  return drive(gen, (r) => doAsync(fd, r));
}
