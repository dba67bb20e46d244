#!/usr/bin/env bash
# The main job: install what is missing, build, index the bundled sample corpus
# (3,000 Arabic news articles, data/sample/) into an embedded index, and serve
# the web page and the JSON API (docs/api.md) on 127.0.0.1 until Ctrl-C.
# A second run reuses the index.
#   bash scripts/run.sh
# Environment: RASID_INDEX (default: rasid-index/ in the repository), PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
INDEX=${RASID_INDEX:-rasid-index}
if [[ -f $INDEX/MANIFEST ]] && ! build/rasid stats "$INDEX" > /dev/null 2>&1 && [[ -z ${RASID_INDEX:-} ]]; then
  # The default index holds only the bundled sample: one written by an older
  # rasid (another segment format version) is rebuilt rather than refused.
  echo "== $INDEX cannot be read by this rasid ($(build/rasid stats "$INDEX" 2>&1 | head -1)): indexing the sample again"
  rm -rf "$INDEX"
fi
# The default index is rebuilt when the program or its data (NER model, name
# list, lexicon, sample) changed since it was written: entities and facts are
# extracted at ingest, so an old index would show the old ones (3,000
# articles take a few seconds).
STAMP=$( (sha256sum build/rasid; find data -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16)
if [[ -z ${RASID_INDEX:-} && -f $INDEX/MANIFEST && "$(cat "$INDEX/.rasid-run-stamp" 2> /dev/null)" != "$STAMP" ]]; then
  echo "== rasid or data/ changed since $INDEX was written: indexing the sample again"
  rm -rf "$INDEX"
fi
if [[ ! -f $INDEX/MANIFEST ]]; then
  echo "== indexing data/sample/ant_recent_3000.jsonl.gz into $INDEX"
  build/rasid ingest "$INDEX" data/sample/ant_recent_3000.jsonl.gz
  echo "$STAMP" > "$INDEX/.rasid-run-stamp"
else
  echo "== reusing the index in $INDEX"
fi
build/rasid stats "$INDEX" | head -8
PORT=${PORT:-8080}
echo
echo "== serving $INDEX: open http://127.0.0.1:$PORT/ in a browser (Ctrl-C stops)"
exec build/rasid serve "$INDEX" --host 127.0.0.1 --port "$PORT"
