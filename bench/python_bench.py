"""Python's tempfile on the same workloads as bench/suite.ts, timed in-process
with the same method (warm-up, rounds, medians, ratio to the raw syscalls of
the same round). Prints one JSON object. Started by bench/run.mjs."""
import codecs, gc, json, os, shutil, sys, tempfile, time

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
WRITES = round(1_000_000 * SCALE)
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
    for _ in range(WRITES):
        os.write(fd, CHUNK)
    os.close(fd)
    os.unlink(p)

def py_writes():
    with tempfile.NamedTemporaryFile(dir=DIR) as f:
        w = f.write
        for _ in range(WRITES):
            w(CHUNK)
        f.flush()

# The same text as bench/suite.ts: 16 rotations of a 16-character string,
# lines of 5 of them, the readline file whole blocks of 16 lines.
BASE = "temp file é ü ✓ "
STRINGS = [BASE[i:] + BASE[:i] for i in range(16)]
ENCODED = [s.encode("utf-8") for s in STRINGS]
BLOCK = "".join("".join(STRINGS[(j + k) % 16] for k in range(5)) + "\n" for j in range(16))
BLOCKS = int(100 * SCALE * 2**20) // len(BLOCK.encode("utf-8"))

def raw_text_writes():
    p = raw_path()
    fd = os.open(p, FLAGS, 0o600)
    for i in range(WRITES):
        os.write(fd, ENCODED[i & 15])
    os.close(fd)
    os.unlink(p)

def py_text_writes():
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=DIR) as f:
        w = f.write
        for i in range(WRITES):
            w(STRINGS[i & 15])
        f.flush()

text_file = [None]
def make_text_file():
    f = tempfile.NamedTemporaryFile("w+", encoding="utf-8", dir=DIR)
    for _ in range(BLOCKS):
        f.write(BLOCK)
    f.flush()
    text_file[0] = f

def raw_read_text():
    fd = os.open(text_file[0].name, os.O_RDONLY)
    decoder = codecs.getincrementaldecoder("utf-8")()
    while True:
        b = os.read(fd, 1 << 16)
        if not b:
            break
        decoder.decode(b)
    os.close(fd)

def py_for_line():
    f = text_file[0]
    f.seek(0)
    for _ in f:
        pass

def py_readline():
    f = text_file[0]
    f.seek(0)
    readline = f.readline
    while readline():
        pass

DATA = b"\x01" * 4096
def named_4k():
    with tempfile.NamedTemporaryFile(dir=DIR) as f:
        f.write(DATA); f.seek(0); f.read()

def spooled_4k():
    with tempfile.SpooledTemporaryFile(max_size=8192, dir=DIR) as f:
        f.write(DATA); f.seek(0); f.read()

# (name, iterations, operations per iteration or None, raw, impls[, setup, teardown])
WORKLOADS = [
    ("1. sync named file: create, close (deletes)", 2000, None, raw_named,
     {"NamedTemporaryFile": lambda: tempfile.NamedTemporaryFile(dir=DIR).close()}),
    ("3. TemporaryFile (anonymous): create, close", 2000, None, raw_anonymous,
     {"TemporaryFile": lambda: tempfile.TemporaryFile(dir=DIR).close()}),
    ("4. TemporaryDirectory + 100 files: create, fill, cleanup", 20, None, raw_dir,
     {"TemporaryDirectory": py_dir}),
    ("5. 1,000,000 writes of 16 bytes, then flush (per write)", 1, WRITES, raw_writes,
     {"buffered file": py_writes}),
    ("6. 4 KiB write, seek 0, read, close", 10000, None, named_4k, {"SpooledTemporaryFile": spooled_4k}),
    ("9. 1,000,000 text writes of 16 characters (utf-8), then flush (per write)", 1, WRITES,
     raw_text_writes, {"text file": py_text_writes}),
    ("10. readline over a 100 MiB text file (utf-8, 81-character lines; per line)", 1, BLOCKS * 16,
     raw_read_text, {"readline()": py_readline, "for line in f": py_for_line},
     make_text_file, lambda: text_file[0].close()),
]

def timed(fn, n):
    gc.collect()  # as suite.ts: no implementation pays for the previous one's garbage
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) * 1e6 / n

def median(xs):
    return sorted(xs)[len(xs) // 2]

only = os.environ.get("BENCH_ONLY")
results = []
for name, n, ops, raw, impls, *hooks in WORKLOADS:
    if only and name.split(".")[0] not in only.split(","):
        continue
    if hooks:
        hooks[0]()
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
    if hooks:
        hooks[1]()
    results.append({"workload": name, "per": ops, "raw_us": median(raws),
                    "impls": {k: {"us": median(per[k]), "ratio": median(ratios[k])} for k in impls}})
shutil.rmtree(DIR, ignore_errors=True)
print(json.dumps({"runtime": "python", "version": sys.version.split()[0], "rounds": ROUNDS, "scale": SCALE,
                  "results": results}))
