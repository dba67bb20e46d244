#!/usr/bin/env bash
# The main job: install what is missing, build, index the bundled sample corpus
# (3,000 Arabic news articles, data/sample/) into an embedded index, and search it.
# A second run reuses the index. (The web page comes with `rasid serve`.)
#   bash scripts/run.sh [QUERY...]
# Environment: RASID_INDEX (default: rasid-index/ in the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
INDEX=${RASID_INDEX:-rasid-index}
if [[ ! -f $INDEX/MANIFEST ]]; then
  echo "== indexing data/sample/ant_recent_3000.jsonl.gz into $INDEX"
  build/rasid ingest "$INDEX" data/sample/ant_recent_3000.jsonl.gz
else
  echo "== reusing the index in $INDEX"
fi
build/rasid stats "$INDEX" | head -8
if (( $# == 0 )); then set -- "الحكومة العراقية" '"كأس العالم"' 'ترامب source:BBC'; fi
for q in "$@"; do
  echo
  echo "== rasid search $INDEX '$q' -k 3"
  build/rasid search "$INDEX" "$q" -k 3
done
