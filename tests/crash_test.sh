#!/usr/bin/env bash
# Crash safety and snapshot isolation of an index, end to end, through the rasid command.
#   tests/crash_test.sh path/to/rasid [TESTDATA_DIR]
#
# 1. Kill -9 at random moments: a generated corpus (6 batches of 1400 small Arabic
#    documents, ids doc-N, source "crashtest") is ingested batch after batch into one index
#    with --buffer-mb 1 --threads 2 (so a run commits several times and merges run in the
#    background). Every batch is started 6 times (2 in slow sanitizer builds); each run is killed with SIGKILL after a
#    seeded random delay, or just after the k-th new segment file or MANIFEST.tmp appears
#    (to land inside commits and merges more often). A run that finishes first counts as
#    completed; later runs of the same batch then replace documents that are already
#    committed. After every run:
#      - rasid stats and rasid search succeed; stats is internally consistent;
#      - every document of every completed batch is present (nothing committed is lost), and
#        every document seen in an earlier check is still present;
#      - no document outside the started batches, no id twice, stats documents = hits;
#      - every hit's title, and the full stored document (rasid get) of a seeded sample,
#        are exactly the input.
#    Each batch ends with a run left to finish, after which no file is left that the MANIFEST
#    does not name. At the end the index holds exactly the union of all batches.
# 2. Readers during ingest: while a fresh index is being built, two reader loops run stats
#    and search again and again: each answer is consistent, a reader's counts never
#    decrease nor exceed the final total.
#    While the whole corpus is ingested again (every document replaced), every answer holds
#    exactly the whole corpus, each id once.
# Deterministic outcome: the kill points are random (seed CRASH_TEST_SEED, default fixed)
# but every check holds for any kill point. No network, no ../shared.
set -u
RASID=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$RASID" "$TMP" <<'PY'
import json, os, random, struct, subprocess, sys, threading, time, zlib

RASID, TMP = sys.argv[1], sys.argv[2]
SEED = int(os.environ.get("CRASH_TEST_SEED", "20240501"))
N_BATCHES, PER_BATCH = 6, 1400
ALL_QUERY = "source:crashtest"      # matches every document of the corpus
TIMEOUT = 120                       # a command that takes longer is a hang
fails = 0
start_time = time.monotonic()

fail_lock = threading.Lock()
def fail(msg):
    global fails
    with fail_lock:
        fails += 1
        print("FAIL " + msg, flush=True)

def ok(msg):
    print("ok   " + msg, flush=True)

# ---------------------------------------------------------------- corpus
vocab = ("الحكومة وزير الخارجية الرئيس البرلمان الانتخابات الاقتصاد النفط الأسعار السوق المدينة "
         "القاهرة بغداد الرباط تونس عمان بيروت دمشق الرياض الدوحة المغرب الجزائر مصر العراق سوريا "
         "لبنان الأردن فلسطين غزة المفاوضات الاتفاق الأمم المتحدة مجلس الأمن الجيش الشرطة المستشفى "
         "المدرسة الجامعة الطلاب المعلمين الكتاب المكتبة الثقافة المسرح السينما الموسيقى الرياضة كرة "
         "القدم المنتخب البطولة الفريق اللاعب المدرب الطقس الأمطار الحرارة الزراعة المياه الكهرباء "
         "الطاقة الشمس الرياح البحر الميناء السفينة الطائرة المطار قال أعلن أكد أضاف أشار كشف نفى "
         "طالب دعا رفض وافق اجتمع زار التقى بحث ناقش في من إلى على عن مع بعد قبل خلال يوم أمس اليوم "
         "الأسبوع الشهر العام الماضي المقبل").split()
crng = random.Random(1)
corpus = {}          # id -> document
batches = []         # list of id lists
for b in range(N_BATCHES):
    ids = []
    path = os.path.join(TMP, "batch%d.jsonl" % b)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(b * PER_BATCH, (b + 1) * PER_BATCH):
            d = {"id": "doc-%d" % i,
                 "title": " ".join(crng.choice(vocab) for _ in range(crng.randint(3, 7))) + " %d" % i,
                 "text": " ".join(crng.choice(vocab) for _ in range(crng.randint(150, 450))) + ".",
                 "source": "crashtest"}
            corpus[d["id"]] = d
            ids.append(d["id"])
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    batches.append(ids)
ALL = set(corpus)
QUERIES = os.path.join(TMP, "all.tsv")
with open(QUERIES, "w", encoding="utf-8") as f:
    f.write("all\t%s\n" % ALL_QUERY)
def batch_file(b): return os.path.join(TMP, "batch%d.jsonl" % b)
# --no-extract: what is checked (commits, merges, snapshots) does not depend on extraction, and
# the entity recogniser would spend minutes of a sanitizer build on every run.
def ingest_cmd(idx, files): return [RASID, "ingest", idx] + files + ["--buffer-mb", "1", "--threads", "2", "--no-extract", "-q"]

def run(args):
    try:
        return subprocess.run(args, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("hang: %s did not finish in %d s" % (" ".join(args[1:3]), TIMEOUT))
        return subprocess.CompletedProcess(args, 124, b"", b"timeout")

def err(r): return r.stderr.decode("utf-8", "replace").strip()

# ---------------------------------------------------------------- reading an index
def read_manifest(idx):
    """The files the MANIFEST names (docs/format/index.md), or None if there is none."""
    try:
        data = open(os.path.join(idx, "MANIFEST"), "rb").read()
    except FileNotFoundError:
        return None
    assert data[:8] == b"RASIDMAN" and zlib.crc32(data[:-4]) == struct.unpack("<I", data[-4:])[0]
    (n,) = struct.unpack_from("<I", data, 28)
    names = set()
    for i in range(n):
        sid, _, del_gen, _ = struct.unpack_from("<QIII", data, 32 + 20 * i)
        names.add("seg_%06d.rsg" % sid)
        if del_gen:
            names.add("seg_%06d.del%d" % (sid, del_gen))
    return names

def stats(idx, label):
    """rasid stats, checked for internal consistency; None on failure."""
    r = run([RASID, "stats", idx])
    if r.returncode != 0:
        fail("%s: rasid stats exit %d: %s" % (label, r.returncode, err(r)))
        return None
    s = json.loads(r.stdout)
    segs = s["segment_list"]
    if (s["segments"] != len(segs) or s["documents"] != sum(x["live"] for x in segs)
            or s["max_docs"] != sum(x["documents"] for x in segs) or s["documents"] > s["max_docs"]):
        fail("%s: stats inconsistent: %s" % (label, json.dumps({k: v for k, v in s.items() if k != "segment_list"})))
    return s

def search_all(idx, label, titles=False):
    """(total, [(id, title or None)]) of the match-all query; None on failure. The ids come
    from batch mode (--queries: no snippets, cheap), the total from a --json search;
    with titles=True every hit of a --json search instead (slower: snippets)."""
    if titles:
        r = run([RASID, "search", idx, ALL_QUERY, "-k", "10000", "--json"])
        if r.returncode != 0:
            fail("%s: rasid search exit %d: %s" % (label, r.returncode, err(r)))
            return None
        j = json.loads(r.stdout)
        return j["total"], [(h["id"], h["title"]) for h in j["hits"]]
    r = run([RASID, "search", idx, "--queries", QUERIES, "-k", "10000"])
    if r.returncode != 0:
        fail("%s: rasid search --queries exit %d: %s" % (label, r.returncode, err(r)))
        return None
    hits = [(line.split()[2], None) for line in r.stdout.decode().splitlines()]
    r = run([RASID, "search", idx, ALL_QUERY, "-k", "1", "--json"])
    if r.returncode != 0:
        fail("%s: rasid search exit %d: %s" % (label, r.returncode, err(r)))
        return None
    return json.loads(r.stdout)["total"], hits

def check_hits(label, total, hits):
    """Checks ids are unique, known, titles exact; returns the set of ids."""
    ids = [h[0] for h in hits]
    present = set(ids)
    if total != len(hits):
        fail("%s: total %d but %d hits" % (label, total, len(hits)))
    if len(present) != len(ids):
        dup = sorted(i for i in present if ids.count(i) > 1)[:5]
        fail("%s: %d duplicated ids, e.g. %s" % (label, len(ids) - len(present), dup))
    unknown = present - ALL
    if unknown:
        fail("%s: unknown ids %s" % (label, sorted(unknown)[:5]))
    bad = [i for i, t in hits if i in corpus and t is not None and corpus[i]["title"] != t]
    if bad:
        fail("%s: %d hits with a wrong title, e.g. %s" % (label, len(bad), bad[:5]))
    return present

def check_get(idx, label, ids):
    """rasid get returns each document exactly as it was ingested."""
    for i in ids:
        r = run([RASID, "get", idx, i])
        if r.returncode != 0:
            fail("%s: rasid get %s exit %d: %s" % (label, i, r.returncode, err(r)))
            continue
        g, d = json.loads(r.stdout), corpus[i]
        if any(g.get(k) != d[k] for k in d):
            fail("%s: rasid get %s returned another document" % (label, i))

def check_no_stray(idx, label):
    named = read_manifest(idx)
    files = set(os.listdir(idx))
    stray = sorted(files - (named or set()) - {"MANIFEST", "LOCK"})
    missing = sorted((named or set()) - files)
    if stray or missing:
        fail("%s: files not named by MANIFEST %s, named but missing %s" % (label, stray, missing))

# ---------------------------------------------------------------- 1. kill -9 at random moments
IDX = os.path.join(TMP, "idx")
rng = random.Random(SEED)              # the kill schedule
sample_rng = random.Random(SEED + 1)   # which documents rasid get checks
# How long does a batch take here? (scaled kill delays keep the kill points spread over a
# whole run on a slow or a fast machine; the outcome does not depend on them).
t0 = time.monotonic()
r = run(ingest_cmd(os.path.join(TMP, "calibrate"), [batch_file(0)]))
T = time.monotonic() - t0
if r.returncode != 0:
    fail("calibration ingest exit %d: %s" % (r.returncode, err(r)))
# Runs per batch: 6 (30+ kills); 2 when a batch takes over 2 s (a sanitizer or debug
# build, where 6 would take many minutes); CRASH_TEST_RUNS overrides.
RUNS_PER_BATCH = int(os.environ.get("CRASH_TEST_RUNS", "6" if T < 2 else "2"))
print("# one batch takes %.2f s; seed %d; %d runs per batch" % (T, SEED, RUNS_PER_BATCH), flush=True)

completed, started, seen = set(), set(), set()
kills = kills_before_manifest = kills_with_garbage = 0
finished_runs = 0
def check_index(label, extra_gets=8):
    """The invariants that hold after any crash. Returns the set of present ids or None."""
    s = stats(IDX, label)
    if s is None:
        return None
    res = search_all(IDX, label)
    if res is None:
        return None
    present = check_hits(label, *res)
    if s["documents"] != len(present):
        fail("%s: stats says %d documents, the match-all query finds %d" % (label, s["documents"], len(present)))
    required = set().union(*(set(batches[b]) for b in completed)) if completed else set()
    allowed = set().union(*(set(batches[b]) for b in started))
    lost = required - present
    if lost:
        fail("%s: %d documents of completed batches lost, e.g. %s" % (label, len(lost), sorted(lost)[:5]))
    gone = seen - present
    if gone:
        fail("%s: %d documents present before are gone, e.g. %s" % (label, len(gone), sorted(gone)[:5]))
    extra = present - allowed
    if extra:
        fail("%s: %d documents of batches never started, e.g. %s" % (label, len(extra), sorted(extra)[:5]))
    seen.update(present)
    if present:
        check_get(IDX, label, sample_rng.sample(sorted(present), min(extra_gets, len(present))))
    return present

for b in range(N_BATCHES):
    started.add(b)
    for attempt in range(RUNS_PER_BATCH):
        label = "batch %d run %d" % (b, attempt + 1)
        # When to kill: after a seeded delay, or (to land inside commits and merges more
        # often) just after the k-th new segment file or the k-th MANIFEST.tmp shows up.
        # The very first run is killed almost at once (maybe before the index exists).
        mode = rng.choice(["time", "time", "segment", "manifest"])
        fraction, k, extra = rng.uniform(0.0, 1.2), rng.randint(1, 4), rng.uniform(0.0, 0.004)
        delay = fraction * T
        if b == attempt == 0:
            mode, delay = "time", fraction * 0.01
        p = subprocess.Popen(ingest_cmd(IDX, [batch_file(b)]), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        t0 = time.monotonic()
        killed = False
        if mode == "time":
            try:
                p.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                p.kill()            # SIGKILL
                killed = True
        else:
            old = set(os.listdir(IDX)) if os.path.isdir(IDX) else set()
            seen_files, events, had_tmp = set(), 0, False
            while p.poll() is None:
                try:
                    names = set(os.listdir(IDX))
                except FileNotFoundError:
                    names = set()
                if mode == "segment":
                    seen_files |= {n for n in names - old if n.endswith(".rsg")}
                    events = len(seen_files)
                else:
                    tmp = "MANIFEST.tmp" in names
                    events += tmp and not had_tmp
                    had_tmp = tmp
                if events >= k:
                    time.sleep(extra)
                    p.kill()
                    killed = True
                    delay = time.monotonic() - t0
                    break
                time.sleep(0.0005)
        try:
            out, errout = p.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            out, errout = p.communicate()
            fail("%s: ingest hangs after SIGKILL?" % label)
        rc = p.returncode
        if rc == 0:
            completed.add(b)
            finished_runs += 1
            T = time.monotonic() - t0
            what = "finished"
        elif killed and rc == -9:
            kills += 1
            what = "killed after %.3f s" % delay
            if mode == "segment":
                what += " (new segment file %d)" % k
            elif mode == "manifest":
                what += " (MANIFEST.tmp %d)" % k
            named = read_manifest(IDX)
            if named is not None and set(os.listdir(IDX)) - named - {"MANIFEST", "LOCK"}:
                kills_with_garbage += 1   # killed inside a commit or a merge
                what += ", unreferenced files left"
        else:
            fail("%s: ingest exit %s: %s" % (label, rc, errout.decode("utf-8", "replace").strip()))
            continue
        # Killed before the first MANIFEST of a new index was written: no index yet.
        if read_manifest(IDX) is None and not completed:
            r = run([RASID, "stats", IDX])
            if r.returncode != 3:
                fail("%s: no MANIFEST yet, stats exit %d (expected 3): %s" % (label, r.returncode, err(r)))
            kills_before_manifest += 1
            print("ok   %s: %s, no index yet (stats exit 3)" % (label, what), flush=True)
            continue
        before = fails
        present = check_index(label)
        if fails == before and present is not None:
            print("ok   %s: %s, %d documents" % (label, what, len(present)), flush=True)
    # Then one run to the end (the batch's first complete run, or a replacement of all its
    # documents), after which no unreferenced file may be left.
    t0 = time.monotonic()
    r = run(ingest_cmd(IDX, [batch_file(b)]))
    if r.returncode != 0:
        fail("batch %d final run: ingest exit %d: %s" % (b, r.returncode, err(r)))
    else:
        completed.add(b)
        finished_runs += 1
        T = time.monotonic() - t0
    present = check_index("batch %d final run" % b)
    if present is not None:
        ok("batch %d final run: %d documents" % (b, len(present)))
    check_no_stray(IDX, "batch %d done" % b)

present = check_index("after all batches", extra_gets=60)
res = search_all(IDX, "after all batches, --json", titles=True)
if res is not None:
    check_hits("after all batches, --json", *res)
if present == ALL:
    ok("after all batches: exactly the %d documents of the 6 batches" % len(ALL))
else:
    fail("after all batches: %d documents, expected exactly %d" % (len(present or ()), len(ALL)))
check_no_stray(IDX, "after all batches")
print("# %d runs killed (%d before the first MANIFEST, %d leaving unreferenced files), %d finished; %.1f s so far"
      % (kills, kills_before_manifest, kills_with_garbage, finished_runs, time.monotonic() - start_time), flush=True)

# ---------------------------------------------------------------- 2. readers during ingest
READERS = 2
def read_while(idx, p, label, exact, out):
    """Runs stats and searches again and again while ingest process p runs; appends to out
    the document counts in the order they were answered (each command opens its own
    snapshot, so they can only grow while documents are added)."""
    calls = during = 0
    while p.poll() is None or calls < 2:
        calls += 1
        during += p.poll() is None
        where = "%s, call %d" % (label, calls)
        s = stats(idx, where)
        if s is not None:
            out.append(("stats", s["documents"]))
        r = run([RASID, "search", idx, "--queries", QUERIES, "-k", "10000"])
        if r.returncode != 0:
            fail("%s: rasid search --queries exit %d: %s" % (where, r.returncode, err(r)))
        else:
            hits = [(line.split()[2], None) for line in r.stdout.decode().splitlines()]
            present = check_hits(where, len(hits), hits)
            out.append(("hits", len(hits)))
            if exact and present != ALL:
                fail("%s: %d documents, expected exactly the %d" % (where, len(present), len(ALL)))
        r = run([RASID, "search", idx, ALL_QUERY, "-k", "1", "--json"])
        if r.returncode != 0:
            fail("%s: rasid search exit %d: %s" % (where, r.returncode, err(r)))
        else:
            out.append(("total", json.loads(r.stdout)["total"]))
    out.append(("during", during))

def readers_during(idx, files, label, exact):
    """Starts an ingest of files into idx and READERS reader loops beside it; returns the
    readers' count sequences and how many of their calls started during the ingest."""
    p = subprocess.Popen(ingest_cmd(idx, files), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    outs = [[] for _ in range(READERS)]
    threads = [threading.Thread(target=read_while, args=(idx, p, "%s, reader %d" % (label, i + 1), exact, outs[i]))
               for i in range(READERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _, errout = p.communicate()
    if p.returncode != 0:
        fail("%s: ingest exit %d: %s" % (label, p.returncode, errout.decode("utf-8", "replace")))
    during = sum(c for out in outs for k, c in out if k == "during")
    return [[c for k, c in out if k != "during"] for out in outs], during

# 2a. A fresh index grows: in each reader, counts never decrease, never exceed the total.
RIDX = os.path.join(TMP, "ridx")
r = run(ingest_cmd(RIDX, [batch_file(0)]))   # so that the index exists before reading starts
if r.returncode != 0:
    fail("growing index: first ingest exit %d: %s" % (r.returncode, err(r)))
label = "reading a growing index"
seqs, during = readers_during(RIDX, [batch_file(b) for b in range(1, N_BATCHES)], label, exact=False)
bad = [seq for seq in seqs if any(b < a for a, b in zip(seq, seq[1:])) or any(c > len(ALL) or c < PER_BATCH for c in seq)]
if bad:
    fail("%s: counts go back or out of range: %s" % (label, bad))
else:
    allc = [c for seq in seqs for c in seq]
    ok("%s: %d readers, %d answers (%d calls started during the ingest), counts never decrease (%d .. %d)"
       % (label, READERS, len(allc), during, min(allc), max(allc)))
s = stats(RIDX, "grown index")
res = search_all(RIDX, "grown index")
if s is None or res is None or s["documents"] != len(ALL) or check_hits("grown index", *res) != ALL:
    fail("grown index: not exactly the %d documents" % len(ALL))

# 2b. Every document replaced while reading: each snapshot holds each id exactly once.
label = "reading while every document is replaced"
seqs, during = readers_during(RIDX, [batch_file(b) for b in range(N_BATCHES)], label, exact=True)
bad = [c for seq in seqs for c in seq if c != len(ALL)]
if bad:
    fail("%s: counts other than %d: %s" % (label, len(ALL), bad[:10]))
else:
    ok("%s: %d readers, %d answers (%d calls started during the ingest), all exactly %d"
       % (label, READERS, sum(map(len, seqs)), during, len(ALL)))
check_no_stray(RIDX, "after replacing")

print("# %.1f s in all" % (time.monotonic() - start_time))
if fails:
    print("%d checks failed" % fails)
sys.exit(1 if fails else 0)
PY
