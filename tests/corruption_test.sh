#!/usr/bin/env bash
# Damaged index files give a clear error, never a crash, a hang or results.
#   tests/corruption_test.sh path/to/rasid TESTDATA_DIR
#
# A small index (tests/testdata/ant_sample.jsonl, then 4 of its articles again, so that it
# has two segments and a deletion file) is copied afresh for every case, then damaged:
# a byte flipped at seeded positions of each segment file (every header byte, the footer,
# the first and last byte of every section, random bytes), of the MANIFEST and of the
# deletion file (every byte); files truncated, extended, zeroed in part, swapped, deleted.
# For each case rasid stats, search, get and ingest must exit with 4 (Corruption) or, for a
# flipped version field of a segment or deletion file, 6 (Unsupported); print nothing on
# stdout; name the damaged file on stderr. ingest must leave every file of the index as it
# was (a writer never "repairs" by deleting). Exceptions are listed where they are tested:
#   - a missing MANIFEST means "no index here": stats/search/get exit 3 (NotFound), while
#     ingest, which sees segment files, refuses with 4.
set -u
RASID=$1
TESTDATA=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$RASID" "$TESTDATA" "$TMP" <<'PY'
import hashlib, json, os, random, shutil, struct, subprocess, sys, time

RASID, TESTDATA, TMP = sys.argv[1:4]
SEED = int(os.environ.get("CORRUPTION_TEST_SEED", "4242"))
rng = random.Random(SEED)
fails = known = cases = 0
start_time = time.monotonic()
# Known failures: (file kind, case) -> what is wrong. Reported, not counted as failures.
KNOWN = {}

def fail(msg):
    global fails
    fails += 1
    print("FAIL " + msg, flush=True)

def run(args, timeout=30):
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, "hang", b"", b"")

# ---------------------------------------------------------------- the pristine index
PRISTINE = os.path.join(TMP, "pristine")
SAMPLE = os.path.join(TESTDATA, "ant_sample.jsonl")
FOUR = os.path.join(TMP, "four.jsonl")
with open(SAMPLE, encoding="utf-8") as f:
    lines = f.readlines()
with open(FOUR, "w", encoding="utf-8") as f:
    f.writelines(lines[:4])
ONE = os.path.join(TMP, "one.jsonl")   # what ingest tries to add to a damaged index
with open(ONE, "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "new-1", "title": "خبر", "text": "نص الخبر الجديد"}, ensure_ascii=False) + "\n")
for inp in (SAMPLE, FOUR):
    r = run([RASID, "ingest", PRISTINE, inp, "-q", "--threads", "1"])
    if r.returncode != 0:
        print("FAIL building the index: exit %s: %s" % (r.returncode, r.stderr.decode()))
        sys.exit(1)
files = sorted(os.listdir(PRISTINE))
expect_files = ["LOCK", "MANIFEST", "seg_000001.del1", "seg_000001.rsg", "seg_000002.rsg"]
if files != expect_files:
    print("FAIL the test index has files %s, expected %s (did the writer change?)" % (files, expect_files))
    sys.exit(1)
QUERY = "الأوبرا المصرية"
GET_ID = json.loads(lines[0])["id"]
def answers(idx):
    """What a healthy index answers: stats documents, search ids, one stored document."""
    s = run([RASID, "stats", idx])
    q = run([RASID, "search", idx, QUERY, "--json"])
    g = run([RASID, "get", idx, GET_ID])
    if s.returncode or q.returncode or g.returncode:
        return None
    return (json.loads(s.stdout)["documents"], [h["id"] for h in json.loads(q.stdout)["hits"]], g.stdout)
GOOD = answers(PRISTINE)
if GOOD is None or GOOD[0] != 12:
    print("FAIL the pristine index does not answer: %s" % (GOOD,))
    sys.exit(1)
print("ok   test index: 12 documents, 2 segments, 1 deletion file; seed %d" % SEED, flush=True)

def digest(idx):
    out = {}
    for name in sorted(os.listdir(idx)):
        if name != "LOCK":
            with open(os.path.join(idx, name), "rb") as f:
                out[name] = hashlib.sha1(f.read()).hexdigest()
    return out

# ---------------------------------------------------------------- one case
WORK = os.path.join(TMP, "work")
def case(label, damage, target, codes=(4,), known_failure=None):
    """Copies the pristine index, applies damage(dir), runs every command.
    target: the file name the error message must contain. codes: accepted exit codes.
    known_failure: (codes, why): an exit code in codes is a KNOWN FAILURE, not a failure."""
    global cases, known
    cases += 1
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.copytree(PRISTINE, WORK)
    damage(WORK)
    before = digest(WORK)
    known_hits = []
    commands = [("stats", [RASID, "stats", WORK]),
                ("search", [RASID, "search", WORK, QUERY]),
                ("get", [RASID, "get", WORK, GET_ID]),
                ("ingest", [RASID, "ingest", WORK, ONE, "-q", "--threads", "1"])]
    for name, args in commands:
        want = codes if not isinstance(codes, dict) else codes[name]
        r = run(args)
        err = r.stderr.decode("utf-8", "replace").strip()
        what = "%s: rasid %s" % (label, name)
        if r.returncode == "hang":
            fail("%s hangs" % what)
            continue
        if r.returncode < 0 or r.returncode >= 128:
            fail("%s crashed (exit %d, signal %d): %s" % (what, r.returncode, -r.returncode, err[:300]))
            continue
        if r.returncode not in want:
            if known_failure is not None and r.returncode in known_failure[0]:
                known_hits.append("%s exit %d" % (name, r.returncode))
            else:
                fail("%s: exit %d, expected %s: %s" % (what, r.returncode, "/".join(map(str, want)), err[:300]))
        if r.stdout:
            fail("%s printed on stdout: %r" % (what, r.stdout[:200]))
        if target not in err:
            fail("%s: the message does not name %s: %s" % (what, target, err[:300]))
        if name == "ingest" and digest(WORK) != before:
            fail("%s changed the damaged index: %s -> %s" % (what, sorted(before), sorted(digest(WORK))))
    if known_hits:
        known += 1
        print("KNOWN FAILURE: %s: %s; %s" % (label, ", ".join(known_hits), known_failure[1]), flush=True)

def flip(name, pos, x=None):
    x = x or rng.randrange(1, 256)
    def f(d):
        p = os.path.join(d, name)
        with open(p, "r+b") as fh:
            fh.seek(pos)
            b = fh.read(1)[0]
            fh.seek(pos)
            fh.write(bytes([b ^ x]))
    return f

def truncate(name, size):
    def f(d):
        os.truncate(os.path.join(d, name), size)
    return f

def append(name, data):
    def f(d):
        with open(os.path.join(d, name), "ab") as fh:
            fh.write(data)
    return f

def zero(name, pos, n):
    def f(d):
        with open(os.path.join(d, name), "r+b") as fh:
            fh.seek(pos)
            fh.write(b"\0" * n)
    return f

def remove(name):
    return lambda d: os.unlink(os.path.join(d, name))

def replace(name, other):
    return lambda d: shutil.copyfile(os.path.join(d, other), os.path.join(d, name))

def size_of(name):
    return os.path.getsize(os.path.join(PRISTINE, name))

def sections(name):
    with open(os.path.join(PRISTINE, name), "rb") as fh:
        data = fh.read()
    table = data[-160:]
    return [struct.unpack_from("<QQI", table, 20 * i)[:2] for i in range(7)]

SECTION_NAMES = ["meta", "dictionary", "postings", "positions", "stored", "values", "ids"]

# ---------------------------------------------------------------- segments: flipped bytes
for seg in ("seg_000001.rsg", "seg_000002.rsg"):
    size = size_of(seg)
    n0 = cases
    for pos in range(24):
        field = "magic" if pos < 8 else "version" if pos < 12 else "segment id" if pos < 20 else "section count"
        case("%s header %s byte %d flipped" % (seg, field, pos), flip(seg, pos), seg,
             codes=(6,) if field == "version" else (4,))
    # The footer: the tail (count, version, CRC, magic) byte by byte, the section table
    # at seeded positions.
    for pos in range(size - 20, size):
        case("%s footer tail byte %d flipped" % (seg, pos - size), flip(seg, pos), seg)
    for pos in sorted(rng.sample(range(size - 160, size - 20), 16)):
        case("%s footer section table byte %d flipped" % (seg, pos - size), flip(seg, pos), seg)
    # Every section: its first and last byte and seeded bytes in between.
    for (off, length), sname in zip(sections(seg), SECTION_NAMES):
        picks = {off, off + length - 1} | set(rng.sample(range(off, off + length), min(4, length)))
        for pos in sorted(picks):
            case("%s %s section byte %d flipped" % (seg, sname, pos), flip(seg, pos), seg)
    for pos in sorted(rng.sample(range(24, size - 160), 20)):
        case("%s byte %d flipped" % (seg, pos), flip(seg, pos), seg)
    print("ok   %s: %d flipped bytes" % (seg, cases - n0), flush=True)

# ---------------------------------------------------------------- segments: other damage
for seg in ("seg_000001.rsg", "seg_000002.rsg"):
    size = size_of(seg)
    n0 = cases
    for new_size in sorted({0, 1, 100, 183, 184, size // 2, size - 160, size - 21, size - 1}
                           | set(rng.sample(range(size), 5))):
        case("%s truncated to %d bytes" % (seg, new_size), truncate(seg, new_size), seg)
    case("%s with a byte appended" % seg, append(seg, b"\0"), seg)
    case("%s with 4 KiB of garbage appended" % seg, append(seg, bytes(rng.randrange(256) for _ in range(4096))), seg)
    case("%s with 4 KiB zeroed in the middle" % seg, zero(seg, size // 2 - 2048, 4096), seg)
    case("%s with its first 4 KiB zeroed" % seg, zero(seg, 0, 4096), seg)
    other = "seg_000002.rsg" if seg == "seg_000001.rsg" else "seg_000001.rsg"
    case("%s replaced by a copy of %s" % (seg, other), replace(seg, other), seg)
    # A segment named by the MANIFEST is missing. Readers retry (a writer may have merged
    # it away since they read the MANIFEST), but when the file stays missing under the
    # same MANIFEST the index is damaged: Corruption, as for any other damage.
    case("%s deleted" % seg, remove(seg), seg)
    print("ok   %s: %d truncated, extended, zeroed, swapped, deleted" % (seg, cases - n0), flush=True)

# ---------------------------------------------------------------- MANIFEST
n0 = cases
size = size_of("MANIFEST")
for pos in range(size):
    # Every byte is covered by the CRC, which is checked before the version: Corruption.
    case("MANIFEST byte %d flipped" % pos, flip("MANIFEST", pos), "MANIFEST")
for new_size in sorted({0, 1, 8, 35, 36, size - 20, size - 4, size - 1} | set(rng.sample(range(size), 3))):
    case("MANIFEST truncated to %d bytes" % new_size, truncate("MANIFEST", new_size), "MANIFEST")
case("MANIFEST with a byte appended", append("MANIFEST", b"\0"), "MANIFEST")
case("MANIFEST replaced by a deletion file", replace("MANIFEST", "seg_000001.del1"), "MANIFEST")
# No MANIFEST: "no index here" for readers (exit 3, documented); ingest sees segment
# files without a MANIFEST and refuses to start a new index over them (4).
case("MANIFEST deleted", remove("MANIFEST"), "MANIFEST",
     codes={"stats": (3,), "search": (3,), "get": (3,), "ingest": (4,)})
print("ok   MANIFEST: %d cases" % (cases - n0), flush=True)

# ---------------------------------------------------------------- the deletion file
n0 = cases
DEL = "seg_000001.del1"
size = size_of(DEL)
for pos in range(size):
    # Bytes 8-11 are the version: Unsupported (6); every other byte: Corruption (magic,
    # exact size, CRC over the rest).
    case("%s byte %d flipped" % (DEL, pos), flip(DEL, pos), DEL, codes=(6,) if 8 <= pos < 12 else (4,))
for new_size in sorted({0, 1, 12, 24, size - 4, size - 1}):
    case("%s truncated to %d bytes" % (DEL, new_size), truncate(DEL, new_size), DEL)
case("%s with a byte appended" % DEL, append(DEL, b"\0"), DEL)
case("%s deleted" % DEL, remove(DEL), DEL)
print("ok   %s: %d cases" % (DEL, cases - n0), flush=True)

# The pristine index was never touched.
if answers(PRISTINE) != GOOD:
    fail("the pristine copy no longer answers as before")
print("# %d cases, %d known failures, %d failures, %.1f s" % (cases, known, fails, time.monotonic() - start_time))
sys.exit(1 if fails else 0)
PY
