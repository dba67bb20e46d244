#!/usr/bin/env bash
# Load benchmark of `rasid serve` with wrk on loopback: GET /api/search (a
# rotation of 20 Arabic queries, first page of 10 with snippets and facets,
# as the web page asks) with 64 connections, first alone, then while
# POST /api/ingest re-ingests the sample corpus over and over (3,000
# articles replacing themselves: deletions, new segments, merges).
# Server, wrk and the ingest share this machine's cores.
#   bash bench/run_server_bench.sh [BUILD_DIR]
# Environment: DURATION (seconds per run, default 30), CONNECTIONS (64),
# WRK_THREADS (2), SERVER_THREADS (128, the default).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-128}
if ! command -v wrk > /dev/null; then
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends wrk curl > /dev/null
fi
[[ -x $BUILD/rasid ]] || cmake --build "$BUILD" --target rasid
TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2> /dev/null && wait "$SERVER_PID" 2> /dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

"$BUILD/rasid" ingest -q "$TMP/index" data/sample/ant_recent_3000.jsonl.gz
gzip -dc data/sample/ant_recent_3000.jsonl.gz > "$TMP/sample.jsonl"
"$BUILD/rasid" serve "$TMP/index" --port 0 --threads "$SERVER_THREADS" --write-token bench > "$TMP/serve.out" \
    2> "$TMP/serve.err" &
SERVER_PID=$!
for _ in $(seq 100); do grep -q http "$TMP/serve.out" 2> /dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.out")

# The queries, URL-encoded by python3 (standard library), rotated by a wrk Lua script.
python3 - "$TMP/queries.lua" <<'PY'
import sys, urllib.parse
queries = ["الحكومة", "العراق", "«كأس العالم»", "ترامب source:BBC", "الاقتصاد", "النفط", "السعودية", "مصر",
           "الانتخابات", "«وزير الخارجية»", "إيران AND العقوبات", "سوريا -روسيا", "الرئيس", "فلسطين",
           "اللاجئين", "«الأمم المتحدة»", "كرة القدم", "الحكومة date:2018-10", "category:sport", "لبنان"]
paths = ["/api/search?k=10&q=" + urllib.parse.quote(q, safe="") for q in queries]
with open(sys.argv[1], "w") as f:
    f.write("paths = {\n" + ",\n".join('  "%s"' % p for p in paths) + "\n}\n")
    f.write("""counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
""")
PY

run_wrk() {  # run_wrk NAME
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$TMP/queries.lua" "$URL" > "$TMP/$1.txt"
}
summary() {  # summary NAME LABEL
  local f=$TMP/$1.txt
  local rps p50 p99 non2xx sockerr
  rps=$(awk '/^Requests\/sec/ {print $2}' "$f")
  p50=$(awk '$1 == "50%" {print $2}' "$f")
  p99=$(awk '$1 == "99%" {print $2}' "$f")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$f"); non2xx=${non2xx:-0}
  sockerr=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$f"); sockerr=${sockerr:-0}
  printf '%-28s %10s req/s   p50 %8s   p99 %8s   non-2xx %s   socket errors %s\n' "$2" "$rps" "$p50" "$p99" \
      "$non2xx" "$sockerr"
}

echo "== rasid serve $URL: $(nproc) cores, wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s, server --threads $SERVER_THREADS"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d5s -s "$TMP/queries.lua" "$URL" > /dev/null  # warm-up
run_wrk alone

# The same load while the sample is re-ingested through the API in a loop.
: > "$TMP/ingest.log"
(
  end=$((SECONDS + DURATION + 2))
  while ((SECONDS < end)); do
    curl -s -o "$TMP/ingest.json" -w '%{http_code} %{time_total}\n' -H 'Authorization: Bearer bench' \
        -H 'Content-Type: application/x-ndjson' --data-binary @"$TMP/sample.jsonl" "$URL/api/ingest" \
        >> "$TMP/ingest.log" || echo "curl-failed" >> "$TMP/ingest.log"
  done
) &
INGEST_PID=$!
sleep 1
run_wrk with_ingest
wait "$INGEST_PID"

echo
summary alone "search alone"
summary with_ingest "search during ingest"
ingests=$(wc -l < "$TMP/ingest.log")
ok=$(grep -c '^200 ' "$TMP/ingest.log" || true)
secs=$(awk '$1 == 200 {s += $2; n++} END {if (n) printf "%.2f", s / n}' "$TMP/ingest.log")
echo "ingests during the second run: $ingests ($ok answered 200), 3,000 articles each, ${secs:-?} s per ingest"
echo "server errors in its log: $(grep -ci error "$TMP/serve.err" || true)"
curl -s "$URL/metrics" | grep -E '^rasid_(http_requests_total\{route="/api/(search|ingest)"|http_requests_rejected_total|index_documents|ingest_documents_total)'
echo
echo "-- wrk, search alone"; cat "$TMP/alone.txt"
echo "-- wrk, search during ingest"; cat "$TMP/with_ingest.txt"
