#!/usr/bin/env bash
# Search benchmark: rasid beside Xapian, Lucene and SQLite FTS5, in one run, on the same files
# (docs/search-benchmarks.md).
#
#   bash bench/run_search_bench.sh
#
# 1. Builds rasid into build-search-bench/ (Release, target rasid only); with COMMIT=<rev>,
#    builds a clean `git archive` export of that commit instead (in $TMPDIR), so that edits in
#    progress in the working tree cannot leak into the figures.
# 2. Makes the corpus and the query sets with bench/make_search_sets.py into SETS_DIR, outside
#    the repository, unless they are there already (MAKE_SETS=1 rebuilds them).
# 3. For each engine, one after the other (rasid once per entry of RASID_RUNS, "THREADS" or
#    "THREADS:INGEST OPTIONS", e.g. "1:--no-extract"):
#    a. indexes corpus.jsonl into a fresh index (BENCH index line; /usr/bin/time adds the
#       CPU seconds and peak memory of the whole process);
#         rasid ingest IDX corpus.jsonl --threads T [OPTIONS] --bench -q
#         <engine>-bench index corpus.jsonl IDX $INDEX_OPTS_<engine>
#    b. runs short.tsv and questions.tsv on it: K results, WARMUP untimed passes, REPEAT timed
#       passes (BENCH search line);
#         rasid search IDX --queries F -k K --warmup W --repeat R $RASID_SEARCH_OPTS
#         <engine>-bench search IDX F K --warmup W --repeat R $SEARCH_OPTS_<engine>
#    c. known-item task, once per engine: indexes corpus_notitle.jsonl (rasid: default ingest,
#       KI_THREADS threads), runs known_item.tsv with KI_K results (no warm-up, one pass: only
#       the ranking is used) and scores the run with ../shared/bench/eval.py -q against
#       known_item.qrels.
# 4. Prints one markdown table (and writes OUT_DIR/table.md): engine, threads, index s, CPU s,
#    docs/s, MB/s of text, index MB, rasid's index MB without its stored documents, latency
#    mean/median/p99 of both query sets, MRR@10, nDCG@10, R@100, and the ratios rasid/Lucene.
#
# Environment: SHARED_DIR (../shared), PEERS_DIR (/tmp/peers; build the peers with
# `BUILD_DIR=/tmp/peers bash ../shared/bench/peers/build.sh`), SETS_DIR
# (/tmp/rasid-search-sets), OUT_DIR (a new temp dir), ENGINES ("rasid xapian lucene fts5"),
# RASID_RUNS ("1 2 1:--no-extract"), RASID_SEARCH_OPTS ("--plain": queries as plain words, as
# the peers read them), KI_THREADS (2), K (10), KI_K (100), WARMUP (5), REPEAT (3),
# JOBS (2, build parallelism), INDEX_OPTS_<engine>, SEARCH_OPTS_<engine> (peers only),
# KEEP_INDEXES (0: the indexes are deleted at the end, the logs and runs are kept), COMMIT.
# Exits 0 after a SKIP message when the data is absent; a peer that is not built is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
PEERS_DIR=${PEERS_DIR:-/tmp/peers}
SETS_DIR=${SETS_DIR:-/tmp/rasid-search-sets}
ENGINES=${ENGINES:-rasid xapian lucene fts5}
RASID_RUNS=${RASID_RUNS:-1 2 1:--no-extract}
RASID_SEARCH_OPTS=${RASID_SEARCH_OPTS---plain}
KI_THREADS=${KI_THREADS:-2}
K=${K:-10}
KI_K=${KI_K:-100}
WARMUP=${WARMUP:-5}
REPEAT=${REPEAT:-3}
JOBS=${JOBS:-2}
KEEP_INDEXES=${KEEP_INDEXES:-0}
MAKE_SETS=${MAKE_SETS:-0}
EVAL=$SHARED_DIR/bench/eval.py
DATA=$SHARED_DIR/data

for f in ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl \
         saudinewsnet/saudinewsnet.jsonl.gz; do
  if [[ ! -r $DATA/$f ]]; then
    echo "SKIP: news corpus $DATA/$f is absent (needs ../shared/data)"; exit 0
  fi
done
[[ -r $EVAL ]] || { echo "SKIP: $EVAL is absent"; exit 0; }

if [[ -n ${COMMIT:-} ]]; then
  # A clean export of one commit, so that edits in progress in the working tree do not leak in.
  sha=$(git rev-parse --short "$COMMIT")
  SRC=${TMPDIR:-/tmp}/rasid-search-bench-src-$sha
  if [[ ! -f $SRC/CMakeLists.txt ]]; then
    mkdir -p "$SRC"
    git archive "$sha" | tar -x -C "$SRC"
  fi
  echo "== building $SRC/build-search-bench (commit $sha, Release, target rasid)"
  cmake -S "$SRC" -B "$SRC/build-search-bench" -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build "$SRC/build-search-bench" -j"$JOBS" --target rasid > /dev/null
  RASID=$SRC/build-search-bench/rasid
  COMMIT_NOTE="$sha (clean export: $SRC)"
else
  echo "== building build-search-bench (Release, target rasid)"
  cmake -S . -B build-search-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build-search-bench -j"$JOBS" --target rasid > /dev/null
  RASID=$ROOT/build-search-bench/rasid
  dirty=$(git status --porcelain --untracked-files=no -- src include cli CMakeLists.txt data 2> /dev/null \
    | grep -q . && echo " + uncommitted changes in src/include/cli/data" || true)
  COMMIT_NOTE="$(git rev-parse --short HEAD 2> /dev/null || echo unknown)$dirty (working tree)"
fi

SETS=(corpus.jsonl corpus_notitle.jsonl known_item.tsv known_item.qrels short.tsv questions.tsv)
missing=0
for f in "${SETS[@]}"; do [[ -s $SETS_DIR/$f ]] || missing=1; done
if [[ $MAKE_SETS == 1 || $missing == 1 ]]; then
  echo "== making the corpus and query sets in $SETS_DIR"
  python3 bench/make_search_sets.py --data "$DATA" "$SETS_DIR"
fi

OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/rasid-search-bench.XXXXXX")}
mkdir -p "$OUT_DIR/idx"
if [[ $KEEP_INDEXES != 1 ]]; then trap 'rm -rf "$OUT_DIR/idx"' EXIT; fi
TIME=(/usr/bin/time -f 'TIME wall=%e user=%U sys=%S maxrss_kb=%M')
[[ -x /usr/bin/time ]] || TIME=()

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "rasid: $COMMIT_NOTE"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "memory: $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
  echo "sets: $SETS_DIR ($(wc -l < "$SETS_DIR/corpus.jsonl") articles, $(stat -c %s "$SETS_DIR/corpus.jsonl") bytes)"
  echo "K=$K WARMUP=$WARMUP REPEAT=$REPEAT KI_K=$KI_K KI_THREADS=$KI_THREADS RASID_RUNS='$RASID_RUNS' RASID_SEARCH_OPTS='$RASID_SEARCH_OPTS'"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT_DIR/machine.txt"

load() { echo "   (load $(cut -d' ' -f1-3 /proc/loadavg))"; }

# rasid_sections NAME IDX: rasid's index without its stored documents, from the section table
# in every segment's footer (docs/format/segment.md: section 4 is "stored documents"); the
# other files of the index count in full.
rasid_sections() {
  python3 - "$2" > "$OUT_DIR/$1.sections.txt" <<'EOF'
import glob, os, struct, sys
d = sys.argv[1]
names = ["meta", "dictionary", "postings", "positions", "stored", "values", "ids"]
tot = dict.fromkeys(names, 0)
files = 0
for root, _, fs in os.walk(d):
    for f in fs:
        files += os.path.getsize(os.path.join(root, f))
for p in sorted(glob.glob(os.path.join(d, "**", "seg_*.rsg"), recursive=True)):
    with open(p, "rb") as f:
        f.seek(-160, os.SEEK_END)
        table = f.read(140)
    for i, n in enumerate(names):
        _, length, _ = struct.unpack_from("<QQI", table, 20 * i)
        tot[n] += length
print(f"all_files={files} without_stored={files - tot['stored']} " + " ".join(f"{n}={v}" for n, v in tot.items()))
EOF
  echo "   index sections: $(cat "$OUT_DIR/$1.sections.txt")"
}

# run_engine ENGINE NAME THREADS INGEST_OPTS KNOWN_ITEMS(0|1): index, latency, known items;
# logs in OUT_DIR/NAME.*
run_engine() {
  local e=$1 name=$2 t=$3 ropts=$4 ki_too=$5 prog
  local idx=$OUT_DIR/idx/$name ki=$OUT_DIR/idx/$name-ki
  rm -rf "$idx" "$ki"
  local iopts_var="INDEX_OPTS_$e" sopts_var="SEARCH_OPTS_$e"
  echo "== $name: index corpus.jsonl$(load)" | tee -a "$OUT_DIR/machine.txt"
  if [[ $e == rasid ]]; then
    # shellcheck disable=SC2086
    "${TIME[@]}" "$RASID" ingest "$idx" "$SETS_DIR/corpus.jsonl" --threads "$t" $ropts --bench -q \
      2> "$OUT_DIR/$name.index.log"
    "$RASID" stats "$idx" > "$OUT_DIR/$name.stats.json"
    rasid_sections "$name" "$idx"
  else
    prog=$PEERS_DIR/$e-bench
    # shellcheck disable=SC2086
    "${TIME[@]}" "$prog" index "$SETS_DIR/corpus.jsonl" "$idx" ${!iopts_var:-} 2> "$OUT_DIR/$name.index.log"
  fi
  grep '^BENCH index' "$OUT_DIR/$name.index.log"
  for set in short questions; do
    echo "== $name: search $set.tsv$(load)" | tee -a "$OUT_DIR/machine.txt"
    if [[ $e == rasid ]]; then
      # shellcheck disable=SC2086
      "$RASID" search "$idx" --queries "$SETS_DIR/$set.tsv" -k "$K" --warmup "$WARMUP" --repeat "$REPEAT" \
        $RASID_SEARCH_OPTS > "$OUT_DIR/$name.$set.run" 2> "$OUT_DIR/$name.$set.log"
    else
      # shellcheck disable=SC2086
      "$prog" search "$idx" "$SETS_DIR/$set.tsv" "$K" --warmup "$WARMUP" --repeat "$REPEAT" ${!sopts_var:-} \
        > "$OUT_DIR/$name.$set.run" 2> "$OUT_DIR/$name.$set.log"
    fi
    grep '^BENCH search' "$OUT_DIR/$name.$set.log"
  done
  if [[ $ki_too != 1 ]]; then
    [[ $KEEP_INDEXES == 1 ]] || rm -rf "$idx"
    return
  fi
  echo "== $name: known items (corpus_notitle.jsonl)$(load)" | tee -a "$OUT_DIR/machine.txt"
  if [[ $e == rasid ]]; then
    "$RASID" ingest "$ki" "$SETS_DIR/corpus_notitle.jsonl" --threads "$KI_THREADS" --bench -q 2> "$OUT_DIR/rasid.ki.index.log"
    # shellcheck disable=SC2086
    "$RASID" search "$ki" --queries "$SETS_DIR/known_item.tsv" -k "$KI_K" $RASID_SEARCH_OPTS \
      > "$OUT_DIR/rasid.ki.run" 2> "$OUT_DIR/rasid.ki.log"
    python3 "$EVAL" -q "$OUT_DIR/rasid.ki.run" "$SETS_DIR/known_item.qrels" > "$OUT_DIR/rasid.ki.eval"
    grep -v '^ki' "$OUT_DIR/rasid.ki.eval"
  else
    # shellcheck disable=SC2086
    "$prog" index "$SETS_DIR/corpus_notitle.jsonl" "$ki" ${!iopts_var:-} 2> "$OUT_DIR/$e.ki.index.log"
    # shellcheck disable=SC2086
    "$prog" search "$ki" "$SETS_DIR/known_item.tsv" "$KI_K" ${!sopts_var:-} \
      > "$OUT_DIR/$e.ki.run" 2> "$OUT_DIR/$e.ki.log"
    python3 "$EVAL" -q "$OUT_DIR/$e.ki.run" "$SETS_DIR/known_item.qrels" > "$OUT_DIR/$e.ki.eval"
    grep -v '^ki' "$OUT_DIR/$e.ki.eval"
  fi
  [[ $KEEP_INDEXES == 1 ]] || rm -rf "$ki" "$idx"
}

ROWS=()
for e in $ENGINES; do
  if [[ $e == rasid ]]; then
    ki_done=0
    for spec in $RASID_RUNS; do
      t=${spec%%:*}
      ropts=""
      [[ $spec == *:* ]] && ropts=${spec#*:}
      ropts=${ropts//,/ }
      name=rasid-t$t$(tr -c 'a-z0-9\n' - <<< "$ropts" | tr -s - | sed 's/^-*\(.\)/-\1/; s/-$//')
      # The known-item run once, after the first plain run (the ranking does not depend on it).
      ki=0
      if [[ $ki_done == 0 && -z $ropts ]]; then ki=1; ki_done=1; fi
      echo "$t $ropts" > "$OUT_DIR/$name.spec"
      run_engine rasid "$name" "$t" "$ropts" "$ki"
      ROWS+=("$name")
    done
  elif [[ -x $PEERS_DIR/$e-bench ]]; then
    run_engine "$e" "$e" 1 "" 1
    ROWS+=("$e")
  else
    echo "== $e: $PEERS_DIR/$e-bench not built, skipped"
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT_DIR/machine.txt"

echo
python3 - "$OUT_DIR" "${ROWS[@]}" <<'EOF' | tee "$OUT_DIR/table.md"
import os, re, sys
out, rows = sys.argv[1], sys.argv[2:]

def kv(path, prefix):
    if not os.path.exists(path):
        return {}
    for line in open(path, encoding="utf-8"):
        if line.startswith(prefix):
            return dict(re.findall(r"(\w+)=(\S+)", line))
    return {}

def spec(name):
    path = f"{out}/{name}.spec"
    if not os.path.exists(path):
        return "1", ""
    t, _, opts = open(path, encoding="utf-8").read().strip().partition(" ")
    return t, opts

def metrics(path):
    m = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            p = line.split()
            if len(p) >= 2 and p[0] in ("MRR@10", "nDCG@10", "Recall@100"):
                m[p[0]] = float(p[1])
    return m

data = {}
for name in rows:
    e = "rasid" if name.startswith("rasid") else name
    i = kv(f"{out}/{name}.index.log", "BENCH index")
    t = kv(f"{out}/{name}.index.log", "TIME")
    s = {q: kv(f"{out}/{name}.{q}.log", "BENCH search") for q in ("short", "questions")}
    sec = kv(f"{out}/{name}.sections.txt", "all_files")
    data[name] = dict(
        threads=spec(name)[0], label=("rasid" + (f" `{spec(name)[1]}`" if spec(name)[1] else "")) if e == "rasid" else e,
        secs=float(i["seconds"]), cpu=(float(t["user"]) + float(t["sys"])) if t else None,
        dps=float(i["docs_per_s"]), mbps=float(i["text_bytes"]) / float(i["seconds"]) / 1e6,
        mb=float(i["index_bytes"]) / 1e6,
        mb_nostored=float(sec["without_stored"]) / 1e6 if sec else None,
        lat={q: (float(v["mean_ms"]), float(v["median_ms"]), float(v["p99_ms"])) for q, v in s.items() if v},
        ki=metrics(f"{out}/{e}.ki.eval"), docs=int(i["docs"]))

def f(x, fmt):
    return "–" if x is None else format(x, fmt)

def lat(d, q):
    return " / ".join(f"{v:.2f}" for v in d["lat"][q]) if q in d["lat"] else "–"

print("| engine | threads | index s | CPU s | docs/s | MB/s of text | index MB | short ms mean / median / p99 "
      "| questions ms mean / median / p99 | MRR@10 | nDCG@10 | R@100 |")
print("|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|")
for name, d in data.items():
    mb = f"{d['mb']:.1f}" + (f" ({d['mb_nostored']:.1f} without stored docs)" if d["mb_nostored"] else "")
    print(f"| {d['label']} | {d['threads']} | {d['secs']:.1f} | {f(d['cpu'], '.1f')} | {d['dps']:,.0f} "
          f"| {d['mbps']:.1f} | {mb} | {lat(d, 'short')} | {lat(d, 'questions')} "
          f"| {f(d['ki'].get('MRR@10'), '.3f')} | {f(d['ki'].get('nDCG@10'), '.3f')} "
          f"| {f(d['ki'].get('Recall@100'), '.3f')} |")
if "lucene" in data:
    L = data["lucene"]
    print()
    print("Ratios rasid / Lucene (docs/s: higher is better; times and size: lower is better):\n")
    print("| rasid | threads | docs/s | index MB | index MB without stored docs | short median | short p99 "
          "| questions median | questions p99 | MRR@10 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, d in data.items():
        if not name.startswith("rasid"):
            continue
        r = lambda q, j: f"{d['lat'][q][j] / L['lat'][q][j]:.3g}" if q in d["lat"] and q in L["lat"] else "–"
        nost = f"{d['mb_nostored'] / L['mb']:.2f}" if d["mb_nostored"] else "–"
        mrr = (f"{d['ki']['MRR@10'] / L['ki']['MRR@10']:.2f}" if "MRR@10" in d["ki"] and "MRR@10" in L["ki"]
               else "–")
        print(f"| {d['label']} | {d['threads']} | {d['dps'] / L['dps']:.2f} | {d['mb'] / L['mb']:.2f} | {nost} "
              f"| {r('short', 1)} | {r('short', 2)} | {r('questions', 1)} | {r('questions', 2)} | {mrr} |")
# Known items: is rasid's MRR@10 difference to each peer more than noise? Paired randomization
# test over the queries (10,000 random sign flips of the per-query differences, two-sided).
def per_query(e):
    out = {}
    path = f"{out_dir}/{e}.ki.eval"
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            p = line.split("\t")
            if len(p) == 4 and p[1].startswith("MRR@10="):
                out[p[0]] = float(p[1].split("=")[1])
    return out
out_dir = out
mine = per_query("rasid")
peers = [n for n in data if not n.startswith("rasid")]
if mine and peers:
    import random
    print()
    print("Known items, rasid against each peer (paired randomization test, 10,000 sign flips):\n")
    print("| peer | MRR@10 rasid − peer | p (two-sided) | queries rasid better / worse / same |")
    print("|---|---:|---:|---|")
    for e in peers:
        other = per_query(e)
        if not other:
            continue
        d = [mine[q] - other.get(q, 0.0) for q in sorted(mine)]
        obs = sum(d) / len(d)
        rng = random.Random(1)
        hits = sum(1 for _ in range(10000)
                   if abs(sum(x if rng.random() < 0.5 else -x for x in d) / len(d)) >= abs(obs) - 1e-12)
        better, worse = sum(x > 0 for x in d), sum(x < 0 for x in d)
        print(f"| {e} | {obs:+.4f} | {hits / 10000:.3f} | {better} / {worse} / {len(d) - better - worse} |")
print()
print("Documents indexed: " + ", ".join(f"{n} {d['docs']:,}" for n, d in data.items()) + ".")
EOF
echo
echo "outputs kept in $OUT_DIR"
