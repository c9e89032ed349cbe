"""CPython's answers for tests/differential.test.ts.

Reads a JSON list of cases on stdin, each a file to create and a list of
operations; runs each on CPython's tempfile (NamedTemporaryFile or
SpooledTemporaryFile) and prints, as JSON, each case's trace (one entry per
operation: ["ok", value] or ["err", class]) and the file's final bytes. A case
stops at its first error, and the TypeScript side stops there too.

The sequences are generated on the TypeScript side only; this script decides
nothing but what CPython does.

Normalisation, where CPython's text layer has known bugs that this library
does not copy (each is a row of README's "Differences from Python"):

* bpo-12215 (gh-56424; also gh-82891, gh-93079, gh-113439): a text write after
  a read lands at the end of CPython's read-ahead, not at the position.
* gh-115059: in 3.11, text read(n) does not flush pending writes first (fixed
  in 3.12 and 3.13).
* After truncate(), CPython's text layer keeps returning characters it decoded
  before, from bytes that are gone.
* After a write, CPython's decoder looks for a byte order mark wherever it
  starts again (utf-16: "UTF-16 stream does not start with BOM").

* A text readlines(hint) that stops before the end leaves tell() raising
  OSError ("telling position disabled by next() call"): the script reads the
  lines with readline(), as IOBase.readlines does, without next().

* At byte 0, a text tell() cookie may carry decoder flags; the script uses 0
  there (see tell() below), for tell() and for seek(0, 1).

For the first four, when a text file switches between reading and writing
(truncate counts as writing) with no seek in between, this script first does
what the io documentation asks of such programs, f.seek(f.tell()), and the
library behaves as if it had.
"""

import errno
import io
import json
import os
import sys
import tempfile

MASK = (1 << 64) - 1
READS = {"read", "readline", "readlines"}
WRITES = {"write", "writelines", "truncate"}


def err_class(e):
    if isinstance(e, UnicodeError):
        return "UnicodeError"
    if isinstance(e, io.UnsupportedOperation):
        return "UnsupportedOperation"
    if isinstance(e, OSError):
        return "OSError:" + errno.errorcode.get(e.errno, "?")
    if isinstance(e, LookupError):
        return "LookupError"
    if isinstance(e, ValueError):
        return "ValueError"
    if isinstance(e, TypeError):
        return "TypeError"
    return type(e).__name__


def data_in(binary, value):
    return bytes.fromhex(value) if binary else value


def data_out(binary, value):
    return value.hex() if binary else value


class Stop(Exception):
    """The case ends here, compared so far: CPython's position is no byte offset."""


def tell(f, universal):
    """A text file's tell(), 0 at byte 0: CPython's cookie there may carry
    decoder flags (after a read), and seeking to it then writes no byte order
    mark where seek(0) does. This library's tell() is a byte offset; where
    CPython's cookie is not one (its decoder holds a \r that may start \r\n,
    or the position is inside a multi-character replacement) the case stops."""
    try:
        c = f.tell()
    except OSError:  # "can't reconstruct logical file position"
        raise Stop("tell")
    if c >> 128 or (universal and (c >> 64) & 1):
        raise Stop("cookie")
    return 0 if c & MASK == 0 else c


def readlines(f, hint, binary):
    """f.readlines(hint); in text mode IOBase's own loop over readline(), since
    CPython's iterates with next(), which leaves tell() raising "telling position
    disabled by next() call" when it stops before the end."""
    if binary or hint is None or hint <= 0:
        return f.readlines(hint)
    lines, total = [], 0
    while True:
        line = f.readline()
        if not line:
            return lines
        lines.append(line)
        total += len(line)
        if total > hint:
            return lines


def final_bytes(inner):
    """The file's bytes, on disk or (a spooled file in memory) in its BytesIO."""
    try:
        inner.flush()
    except Exception:
        pass
    if isinstance(inner, io.BytesIO):
        return inner.getvalue()
    if isinstance(getattr(inner, "buffer", None), io.BytesIO):
        return inner.buffer.getvalue()
    fd = inner.fileno()
    return os.pread(fd, os.fstat(fd).st_size, 0)


def run_case(case, tmpdir):
    binary = "b" in case["mode"]
    kwargs = {"mode": case["mode"]}
    if not binary:
        kwargs.update(encoding=case["encoding"], errors=case["errors"], newline=case["newline"])
    if case["kind"] == "spooled":
        f = tempfile.SpooledTemporaryFile(max_size=case["maxSize"], **kwargs)
    else:
        f = tempfile.NamedTemporaryFile(dir=tmpdir, **kwargs)
    trace = []
    cookies = []
    universal = case["newline"] in (None, "")
    last = None  # "read" or "write": the last kind of text operation since a seek
    for op in case["ops"]:
        name = op[0]
        try:
            kind = "read" if name in READS else "write" if name in WRITES else None
            if not binary and kind is not None and last is not None and kind != last:
                f.seek(tell(f, universal))
            if kind is not None:
                last = kind
            if name in ("write", "writelines") and case["mode"].startswith("a"):
                # This library appends, CPython's tempfile writes at the position: seek to the end
                # first, unless no byte would be written (an append of nothing moves nothing).
                items = [op[1]] if name == "write" else op[1]
                if any(data_in(binary, d) if binary else d.encode(case["encoding"], case["errors"]) for d in items):
                    f.seek(0, 2)
            if name == "write":
                value = f.write(data_in(binary, op[1]))
            elif name == "writelines":
                value = f.writelines([data_in(binary, d) for d in op[1]])
            elif name == "read":
                value = data_out(binary, f.read(op[1]))
            elif name == "readline":
                value = data_out(binary, f.readline(op[1]))
            elif name == "readlines":
                value = [data_out(binary, line) for line in readlines(f, op[1], binary)]
            elif name == "seek":
                last = None
                if not binary and op[1:] == [0, 1]:
                    f.seek(tell(f, universal))  # what CPython's seek(0, 1) does, with tell() at byte 0 as 0
                    value = None
                else:
                    value = f.seek(op[1], op[2])
                    value = value if binary else None
            elif name == "seek_cookie":
                last = None
                f.seek(cookies[op[1]])
                value = None
            elif name == "tell":
                cookie = f.tell() if binary else tell(f, universal)
                cookies.append(cookie)
                value = cookie if binary else None
            elif name == "truncate":
                value = f.truncate(op[1])
            elif name == "flush":
                value = f.flush()
            elif name == "rollover":
                value = f.rollover()
            elif name == "attrs":
                rolled = f._rolled if case["kind"] == "spooled" else None
                value = [f.mode, None if binary else f.encoding, rolled]
            else:
                raise AssertionError(name)
            trace.append(["ok", value])
        except Stop as e:
            trace.append(["stop", str(e)])
            break
        except Exception as e:  # compared by class with the library's error
            trace.append(["err", err_class(e)])
            break
    final = final_bytes(f._file if case["kind"] == "spooled" else f.file).hex()
    try:
        f.close()
    except Exception:
        pass
    return {"trace": trace, "final": final}


def main():
    cases = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as tmpdir:
        results = [run_case(case, tmpdir) for case in cases]
    json.dump({"version": sys.version.split()[0], "results": results}, sys.stdout, ensure_ascii=True)


main()
