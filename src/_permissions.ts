/**
 * The `permissions` option: exact mode bits for a named file or directory,
 * in place of the private default (0o600 / 0o700, less the umask).
 * @module
 */
import type { Check } from "./_options.ts";
import { call, type Gen } from "./_requests.ts";

/** The option itself, shared by the creators of named entries. */
export interface PermissionsOption {
  /**
   * Mode bits set exactly, whatever the umask, such as `0o644` for a file a
   * daemon of another user must read. Default: private (0o600 for files,
   * 0o700 for directories, less the umask). The entry is created private and
   * widened once it exists, so it is never more open than asked, not even for
   * a moment. **Risk:** any bit beyond the owner's lets other users read (or,
   * with write bits, change) the entry while it exists. On Windows only the
   * owner's write bit means anything (read-only or not).
   */
  permissions?: number;
}

/** An integer from 0 to 0o777: no setuid, setgid or sticky bits. */
export const permissionsCheck: Check = (fn, key, value) => {
  if (typeof value !== "number") throw new TypeError(`${fn}: option "${key}" must be a number`);
  if (!Number.isInteger(value) || value < 0 || value > 0o777) {
    throw new RangeError(`${fn}: option "${key}" must be an integer from 0 to 0o777, got ${value}`);
  }
};

/**
 * Sets `exact` on the new entry at `path` (through `fd` for a file); when that
 * fails, the entry is removed again, so a failure leaves nothing behind.
 */
export function* applyPermissions(path: string, fd: number | undefined, exact: number): Gen<void> {
  try {
    yield* fd === undefined
      ? call({ op: "chmod", path, mode: exact })
      : call({ op: "fchmod", fd, mode: exact });
  } catch (err) {
    try {
      if (fd !== undefined) yield* call({ op: "close", fd });
      yield* fd === undefined ? call({ op: "rmdir", path }) : call({ op: "unlink", path });
    } catch { /* the first error is the one to report */ }
    throw err;
  }
}
