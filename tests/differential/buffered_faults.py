"""CPython's answers for tests/write_failures.test.ts.

Reads a JSON list of cases on stdin; each names a file, a buffer size, the
sizes of the chunks a program writes and what each raw write(2) does in turn
(null: succeeds; a number: takes at most that many bytes; "EINTR", "EAGAIN",
"ENOSPC", "EIO": fails so). The program writes each chunk with
io.BufferedWriter over that faulty raw file, retrying a failed write until it
succeeds (after a BlockingIOError, only the part not taken), then flushes
until that succeeds and closes. Prints, as JSON, each case's errors, the
number of raw writes and the SHA-256 of the file.

EAGAIN is what FileIO.write does on a non-blocking descriptor: it returns None.
"""
import errno
import hashlib
import io
import json
import sys


def chunk(i, size):
    return bytes((i * 31 + j) % 251 for j in range(size))


class Faulty(io.RawIOBase):
    def __init__(self, raw, faults):
        self.raw = raw
        self.faults = list(faults)
        self.writes = 0

    def writable(self):
        return True

    def seekable(self):
        return True

    def seek(self, pos, whence=0):
        return self.raw.seek(pos, whence)

    def tell(self):
        return self.raw.tell()

    def write(self, b):
        self.writes += 1
        fault = self.faults.pop(0) if self.faults else None
        if fault == "EINTR":
            raise InterruptedError(errno.EINTR, "injected")
        if fault == "EAGAIN":
            return None
        if isinstance(fault, str):
            raise OSError(getattr(errno, fault), "injected")
        data = bytes(b)
        if isinstance(fault, int):
            data = data[:fault]
        return self.raw.write(data)

    def close(self):
        self.raw.close()
        super().close()


def run(case):
    raw = Faulty(io.FileIO(case["path"], "w"), case["faults"])
    f = io.BufferedWriter(raw, buffer_size=case["buffer"])
    errors = []
    for i, size in enumerate(case["chunks"]):
        data = chunk(i, size)
        done = 0
        while True:
            try:
                f.write(data[done:])
                break
            except BlockingIOError as e:
                errors.append([i, "EAGAIN"])
                done += max(getattr(e, "characters_written", 0), 0)
            except OSError as e:
                errors.append([i, errno.errorcode[e.errno]])
    while True:
        try:
            f.flush()
            break
        except BlockingIOError:
            errors.append(["flush", "EAGAIN"])
        except OSError as e:
            errors.append(["flush", errno.errorcode[e.errno]])
    f.close()
    with open(case["path"], "rb") as g:
        digest = hashlib.sha256(g.read()).hexdigest()
    return {"errors": errors, "writes": raw.writes, "sha256": digest}


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
