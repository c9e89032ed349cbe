/**
 * A file's `readable` and `writable` Web streams, over its async calls (so
 * they take their turn among the file's other calls).
 * @module
 */

/** How much one pull reads. */
const STREAM_CHUNK = 65536;

/** What the streams need of a file. */
interface StreamedFile<T> {
  read(size: number): Promise<T>;
  write(data: T): Promise<number>;
  flush(): Promise<void>;
}

/** Reads on demand only (high-water mark 0): no read-ahead moves the file's position. */
export function readableOf<T extends { length: number }>(file: StreamedFile<T>): ReadableStream<T> {
  return new ReadableStream<T>({
    pull: async (controller) => {
      const chunk = await file.read(STREAM_CHUNK);
      if (chunk.length === 0) controller.close();
      else controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

/** Writes at the file's position; closing the stream flushes the file. */
export function writableOf<T>(file: StreamedFile<T>): WritableStream<T> {
  return new WritableStream<T>({
    write: async (chunk) => void await file.write(chunk),
    close: () => file.flush(),
  });
}
