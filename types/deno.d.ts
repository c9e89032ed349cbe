// For `tsc` only (Deno checks runtimes/deno.ts against its own types): the
// part of the Deno namespace the Deno backend uses.
declare namespace Deno {
  type Signal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGBREAK" | "SIGKILL" | string;
  const pid: number;
  const errors: { NotCapable: new () => Error; PermissionDenied: new () => Error };
  const env: { get(name: string): string | undefined };
  const permissions: {
    querySync(
      d: { name: "env"; variable?: string } | { name: "run" } | { name: "read"; path?: string },
    ): { state: string };
  };
  const build: { os: string };
  const internal: symbol;
  function addSignalListener(signal: Signal, handler: () => void): void;
  function removeSignalListener(signal: Signal, handler: () => void): void;
  function kill(pid: number, signal: Signal): void;
  function exit(code?: number): never;
  function execPath(): string;
  function unrefTimer(id: number): void;
  function lstatSync(path: string): { isDirectory: boolean };
  function lstat(path: string): Promise<{ isDirectory: boolean }>;
  // For the benchmark's Deno peer.
  const version: { deno: string };
  function makeTempFileSync(options?: { dir?: string }): string;
  function makeTempFile(options?: { dir?: string }): Promise<string>;
  function makeTempDirSync(options?: { dir?: string }): string;
  function removeSync(path: string, options?: { recursive?: boolean }): void;
  function remove(path: string, options?: { recursive?: boolean }): Promise<void>;
}
