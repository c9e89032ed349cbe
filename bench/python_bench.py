"""Python's tempfile on the same workloads as bench/suite.ts, timed in-process
with the same method (warm-up, rounds, medians, ratio to the raw syscalls of
the same round). Prints one JSON object. Started by bench/run.mjs."""
import json, os, shutil, sys, tempfile, time

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
DIR = tempfile.mkdtemp(prefix="xtf-bench-py-")
FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
seq = [0]

def raw_path():
    seq[0] += 1
    return os.path.join(DIR, "raw%d" % seq[0])

def raw_named():
    p = raw_path()
    os.close(os.open(p, FLAGS, 0o600))
    os.unlink(p)

def raw_anonymous():
    os.close(os.open(DIR, os.O_TMPFILE | os.O_RDWR, 0o600))

def fill(d):
    for i in range(100):
        with open(os.path.join(d, "f%d" % i), "w") as f:
            f.write("x")

def raw_dir():
    d = tempfile.mkdtemp(dir=DIR)
    fill(d)
    shutil.rmtree(d)

def py_dir():
    with tempfile.TemporaryDirectory(dir=DIR) as d:
        fill(d)

CHUNK = b"\x07" * 16
def raw_writes():
    p = raw_path()
    fd = os.open(p, FLAGS, 0o600)
    for _ in range(1_000_000):
        os.write(fd, CHUNK)
    os.close(fd)
    os.unlink(p)

def py_writes():
    with tempfile.NamedTemporaryFile(dir=DIR) as f:
        w = f.write
        for _ in range(1_000_000):
            w(CHUNK)
        f.flush()

DATA = b"\x01" * 4096
def named_4k():
    with tempfile.NamedTemporaryFile(dir=DIR) as f:
        f.write(DATA); f.seek(0); f.read()

def spooled_4k():
    with tempfile.SpooledTemporaryFile(max_size=8192, dir=DIR) as f:
        f.write(DATA); f.seek(0); f.read()

WORKLOADS = [
    ("1. sync named file: create, close (deletes)", 2000, raw_named,
     {"NamedTemporaryFile": lambda: tempfile.NamedTemporaryFile(dir=DIR).close()}),
    ("3. TemporaryFile (anonymous): create, close", 2000, raw_anonymous,
     {"TemporaryFile": lambda: tempfile.TemporaryFile(dir=DIR).close()}),
    ("4. TemporaryDirectory + 100 files: create, fill, cleanup", 40, raw_dir, {"TemporaryDirectory": py_dir}),
    ("5. 1,000,000 writes of 16 bytes, then flush (per write)", 1, raw_writes, {"buffered file": py_writes}),
    ("6. 4 KiB write, seek 0, read, close", 2000, named_4k, {"SpooledTemporaryFile": spooled_4k}),
]

def timed(fn, n):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) * 1e6 / n

def median(xs):
    return sorted(xs)[len(xs) // 2]

only = os.environ.get("BENCH_ONLY")
results = []
for name, n, raw, impls in WORKLOADS:
    if only and not name.startswith(only):
        continue
    timed(raw, max(1, n // 10))
    for fn in impls.values():
        timed(fn, max(1, n // 10))
    raws, per, ratios = [], {k: [] for k in impls}, {k: [] for k in impls}
    for _ in range(ROUNDS):
        r = timed(raw, n)
        raws.append(r)
        for k, fn in impls.items():
            t = timed(fn, n)
            per[k].append(t)
            ratios[k].append(t / r)
    results.append({"workload": name, "raw_us": median(raws),
                    "impls": {k: {"us": median(per[k]), "ratio": median(ratios[k])} for k in impls}})
shutil.rmtree(DIR, ignore_errors=True)
print(json.dumps({"runtime": "python", "version": sys.version.split()[0], "rounds": ROUNDS, "results": results}))
