#!/usr/bin/env bash
# Analysis throughput of rasid beside the peers, in one run (docs/benchmarks.md).
#
#   bash bench/run_analysis_bench.sh
#
# 1. Builds rasid's benchmarks into BUILD_DIR (build-bench/; Release, BUILD_BENCHMARKS=ON).
# 2. Makes the text once, in a temporary folder outside the repository: title + " " + text
#    of every article of the three news corpora of ../shared/data (ANT v2.1, ANT v1.1,
#    SaudiNewsNet), one article per line, CR and LF inside an article replaced by spaces.
# 3. ROUNDS rounds; each round runs, one after the other and each pinned to one core
#    (taskset -c $CORE when taskset exists): BUILD_DIR/analysis_job --repeat REPEAT,
#    stem-bench --repeat REPEAT, lucene-analyze-bench --warmup WARMUP --repeat REPEAT.
#    Interleaving the engines spreads the machine's noise over all of them.
# 4. Prints a markdown table of the medians over the rounds: engine, MB/s, tokens/s,
#    tokens per pass, ratio to Lucene and to Snowball; then every round's figures. Each process's
#    CPU share, (user+sys)/real, shows whether it had its core to itself: the medians use only
#    the rounds in which every process had a share >= MIN_CPU_SHARE (all rounds, with a warning,
#    when none did). On a shared machine run more ROUNDS.
# 5. Runs BUILD_DIR/analysis_bench (Google Benchmark, per stage) on the same core.
# All outputs stay in OUT_DIR (printed at the end); only the big text file is removed.
#
# Environment: PEERS_DIR (default /tmp/peers; build with
# `BUILD_DIR=/tmp/peers bash ../shared/bench/peers/build.sh`), SHARED_DIR (default
# ../shared), ROUNDS (5), REPEAT (5), WARMUP (3), CORE (1), MIN_CPU_SHARE (0.85), OUT_DIR (a new temp dir),
# JOBS (1, build parallelism), GBENCH_ARGS (extra analysis_bench flags), KEEP_TEXT (0),
# BUILD_DIR (build-bench).
# Exits 0 after a SKIP message when the data or the peers are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
PEERS_DIR=${PEERS_DIR:-/tmp/peers}
ROUNDS=${ROUNDS:-5}
REPEAT=${REPEAT:-5}
WARMUP=${WARMUP:-3}
CORE=${CORE:-1}
MIN_CPU_SHARE=${MIN_CPU_SHARE:-0.85}
JOBS=${JOBS:-1}
KEEP_TEXT=${KEEP_TEXT:-0}
BUILD_DIR=${BUILD_DIR:-build-bench}
DATA=$SHARED_DIR/data
CORPORA=("$DATA/ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl"
         "$DATA/ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl"
         "$DATA/saudinewsnet/saudinewsnet.jsonl.gz")

for f in "${CORPORA[@]}"; do
  if [[ ! -r $f ]]; then
    echo "SKIP: news corpus $f is absent (needs ../shared/data)"; exit 0
  fi
done
for p in stem-bench lucene-analyze-bench; do
  if [[ ! -x $PEERS_DIR/$p ]]; then
    echo "SKIP: peer $PEERS_DIR/$p is absent; build the peers with"
    echo "      BUILD_DIR=$PEERS_DIR bash $SHARED_DIR/bench/peers/build.sh"
    exit 0
  fi
done

PIN=()
if command -v taskset > /dev/null && taskset -c "$CORE" true 2> /dev/null; then
  PIN=(taskset -c "$CORE")
else
  echo "note: taskset unavailable (or core $CORE absent): the engines are not pinned"
fi

echo "== building $BUILD_DIR (Release, BUILD_BENCHMARKS=ON)"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DBUILD_BENCHMARKS=ON -DBUILD_TESTS=OFF > /dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target analysis_job analysis_bench > /dev/null

OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/rasid-analysis-bench.XXXXXX")}
mkdir -p "$OUT_DIR"
TEXT=$OUT_DIR/news.txt
if [[ $KEEP_TEXT != 1 ]]; then trap 'rm -f "$TEXT"' EXIT; fi

echo "== making the text in $TEXT"
python3 - "$TEXT" "${CORPORA[@]}" <<'EOF'
import gzip, json, sys
out_path, paths = sys.argv[1], sys.argv[2:]
articles = 0
with open(out_path, "w", encoding="utf-8", newline="\n") as out:
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                j = json.loads(line)
                text = (j.get("title") or "") + " " + (j.get("text") or "")
                out.write(text.replace("\r", " ").replace("\n", " ") + "\n")
                articles += 1
print(f"{articles} articles", file=sys.stderr)
EOF
BYTES=$(stat -c %s "$TEXT")
echo "   $BYTES bytes"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  dirty=$(git status --porcelain --untracked-files=no -- src/base src/text src/analysis \
    include/rasid/base include/rasid/text include/rasid/analysis data 2> /dev/null | grep -q . && echo " + uncommitted changes in base/text/analysis" || true)
  echo "commit: $(git rev-parse --short HEAD 2> /dev/null || echo unknown)$dirty"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "pinned: ${PIN[*]:-no}"
  echo "text: $BYTES bytes"
  echo "rounds: $ROUNDS, passes: $REPEAT, lucene warm-up passes: $WARMUP"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT_DIR/machine.txt"

# run NAME ROUND COMMAND...: runs COMMAND pinned, stdin from the text, into NAME.ROUND.{out,err};
# NAME.ROUND.time gets "real user sys" of the whole process: (user+sys)/real well below 1 means
# the core was shared with another process during that run.
run() {
  local name=$1 round=$2
  shift 2
  local TIMEFORMAT='%R %U %S'
  { time "${PIN[@]}" "$@" < "$TEXT" > "$OUT_DIR/$name.$round.out" 2> "$OUT_DIR/$name.$round.err"; } \
    2> "$OUT_DIR/$name.$round.time"
  grep '^BENCH' "$OUT_DIR/$name.$round.err"
}

for ((r = 1; r <= ROUNDS; r++)); do
  echo "== round $r/$ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT_DIR/machine.txt"
  run rasid "$r" "$BUILD_DIR/analysis_job" --repeat "$REPEAT"
  run snowball "$r" "$PEERS_DIR/stem-bench" --repeat "$REPEAT"
  run lucene "$r" "$PEERS_DIR/lucene-analyze-bench" --warmup "$WARMUP" --repeat "$REPEAT"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT_DIR/machine.txt"

echo
python3 - "$OUT_DIR" "$ROUNDS" "$MIN_CPU_SHARE" <<'EOF' | tee "$OUT_DIR/table.md"
import re, statistics, sys
out_dir, rounds, min_share = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def fields(path, tag):
    for line in open(path, encoding="utf-8"):
        if line.startswith("BENCH " + tag + " "):
            return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)(?:\s|$)", line)}
    return None  # rasid prints no warm line with REPEAT=1

def counts(path):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", open(path, encoding="utf-8").read())}

def cpu_share(name, r):  # (user+sys)/real of the whole process
    real, user, sys_ = (float(x) for x in open(f"{out_dir}/{name}.{r}.time").read().split())
    return (user + sys_) / real if real > 0 else 0

ENGINES = ("rasid", "snowball", "lucene")
rounds_data = []
for r in range(1, rounds + 1):
    rasid_warm = fields(f"{out_dir}/rasid.{r}.err", "analyze")
    rounds_data.append({
        "warm": rasid_warm["median_bytes_per_s"] if rasid_warm else None,
        "warm_tps": rasid_warm["median_tokens_per_s"] if rasid_warm else None,
        "cold": fields(f"{out_dir}/rasid.{r}.err", "analyze-cold")["bytes_per_s"],
        "cold_tps": fields(f"{out_dir}/rasid.{r}.err", "analyze-cold")["tokens_per_s"],
        "snowball": fields(f"{out_dir}/snowball.{r}.err", "stem")["bytes_per_s"],
        "snowball_tps": fields(f"{out_dir}/snowball.{r}.err", "stem")["arabic_tokens_per_s"],
        "lucene": fields(f"{out_dir}/lucene.{r}.err", "analyze")["bytes_per_s"],
        "lucene_tps": fields(f"{out_dir}/lucene.{r}.err", "analyze")["tokens_per_s"],
        "share": [cpu_share(n, r) for n in ENGINES],
    })
clean = [d for d in rounds_data if min(d["share"]) >= min_share]
used = clean or rounds_data

def med(key):
    return statistics.median(d[key] for d in used)

rc, sc, lc = (counts(f"{out_dir}/{n}.1.out") for n in ENGINES)
rasid_note = f"{int(rc['tokens']):,} tokens ({int(rc['words']):,} words, {int(rc['arabic']):,} Arabic)"
rows = []
if rounds_data[0]["warm"] is not None:
    rows.append(("rasid, warm word cache (median pass)", med("warm"), med("warm_tps"), rasid_note))
rows.append(("rasid, cold (first pass, empty cache)", med("cold"), med("cold_tps"), rasid_note))
rows.append(("Snowball arabic (stem-bench)", med("snowball"), med("snowball_tps"),
             f"{int(sc['arabic_tokens']):,} Arabic tokens stemmed"))
rows.append(("Lucene ArabicAnalyzer (lucene-analyze-bench)", med("lucene"), med("lucene_tps"),
             f"{int(lc['tokens']):,} tokens (stop words dropped)"))
lucene, snowball = med("lucene"), med("snowball")
if clean:
    print(f"Medians of the {len(clean)} of {rounds} rounds in which every process had the core to itself "
          f"(CPU share >= {min_share}).\n")
else:
    print(f"WARNING: no round had the core to itself (CPU share >= {min_share}); medians of all {rounds} "
          "rounds, disturbed by other processes: compare the per-round ratios.\n")
print("| engine | MB/s | M tokens/s | tokens per pass | × Lucene | × Snowball |")
print("|---|---:|---:|---|---:|---:|")
for name, bps, tps, note in rows:
    print(f"| {name} | {bps / 1e6:.1f} | {tps / 1e6:.2f} | {note} | {bps / lucene:.2f} | {bps / snowball:.2f} |")
print()
print("Per round, MB/s; CPU share = (user+sys)/real of each process, below 1 when the core was shared:\n")
print("| round | rasid warm | rasid cold | Snowball | Lucene | warm × Lucene | cold × Lucene "
      "| CPU share rasid / Snowball / Lucene | used |")
print("|---:|---:|---:|---:|---:|---:|---:|---|---|")
for r, d in enumerate(rounds_data, 1):
    warm = d["warm"] or 0
    print(f"| {r} | {warm / 1e6:.1f} | {d['cold'] / 1e6:.1f} | {d['snowball'] / 1e6:.1f} | {d['lucene'] / 1e6:.1f} "
          f"| {warm / d['lucene']:.2f} | {d['cold'] / d['lucene']:.2f} "
          f"| {' / '.join(f'{s:.2f}' for s in d['share'])} | {'yes' if d in used else 'no'} |")
EOF

echo
echo "== Google Benchmark: $BUILD_DIR/analysis_bench (per stage)"
# shellcheck disable=SC2086
"${PIN[@]}" "$BUILD_DIR/analysis_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$OUT_DIR/analysis_bench.json" --benchmark_out_format=json ${GBENCH_ARGS:-} \
  2>&1 | tee "$OUT_DIR/analysis_bench.txt"

echo
echo "outputs kept in $OUT_DIR"
