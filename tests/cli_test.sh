#!/usr/bin/env bash
# End-to-end checks of the rasid command line: output, errors, exit codes.
#   tests/cli_test.sh path/to/rasid TESTDATA_DIR
set -u
RASID=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" != "$3" ]]; then
    echo "FAIL $1"; echo "  expected: $2"; echo "  actual:   $3"; fails=$((fails + 1))
  else
    echo "ok   $1"
  fi
}

# JSON output of one word: wa-lil-hukuma.
out=$(printf 'وللحكومة' | "$RASID" analyze --json)
check json-token '{"text":"وللحكومة","norm":"وللحكومه","stem":"حكوم","root":"حكم","start":0,"end":16,"kind":"arabic","sentence":0,"proclitics":"و+ل+ال"}' "$out"

# Tab-separated output, display level keeps diacritics.
out=$(printf 'أَحْمَد' | "$RASID" analyze --level display --no-roots)
check tsv-display "$(printf 'أَحْمَد\tأَحْمَد\tاحمد\t-\t0\t14\tarabic\t0')" "$out"

# Invalid UTF-8: exit code 2 and the byte offset.
printf 'abc\xe9z' > "$TMP/bad.txt"
err=$("$RASID" analyze "$TMP/bad.txt" 2>&1 >/dev/null); code=$?
check invalid-utf8-code 2 "$code"
check invalid-utf8-msg "rasid analyze: $TMP/bad.txt: invalid UTF-8 at byte 3 (try --encoding windows-1256 or --encoding auto)" "$(head -1 <<< "$err")"

# Windows-1256 with --encoding auto: decoded, and said so.
printf '\xe3\xd1\xcd\xc8\xc7' > "$TMP/cp1256.txt"   # marhaba
out=$("$RASID" analyze --encoding auto --no-roots "$TMP/cp1256.txt" 2>"$TMP/err"); code=$?
check cp1256-code 0 "$code"
check cp1256-text "مرحبا" "$(cut -f1 <<< "$out")"
check cp1256-warning "rasid analyze: $TMP/cp1256.txt: invalid UTF-8 at byte 0, decoded as windows-1256" "$(cat "$TMP/err")"

# Missing file: exit code 3.
"$RASID" analyze "$TMP/none.txt" >/dev/null 2>&1; check missing-file-code 3 "$?"

# Bad option value: exit code 2.
printf 'x' | "$RASID" analyze --level nope >/dev/null 2>&1; check bad-level-code 2 "$?"

# --help on the command and the sub-command.
"$RASID" --help | grep -q analyze; check help 0 "$?"
"$RASID" analyze --help | grep -q -- --encoding; check analyze-help 0 "$?"

# A UTF-8 BOM and CRLF do not shift offsets of the decoded text.
printf '\xef\xbb\xbfسلام\r\nعليكم' > "$TMP/bom.txt"
out=$("$RASID" analyze --no-roots "$TMP/bom.txt" | cut -f1,5,6,8 | tr '\t\n' ' |')
check bom-crlf "سلام 0 8 0|عليكم 9 19 1|" "$out"

# Binary garbage never crashes.
head -c 20000 /dev/urandom > "$TMP/random.bin"
"$RASID" analyze --encoding auto "$TMP/random.bin" >/dev/null 2>&1; code=$?
check random-bytes-no-crash 1 "$(( code < 128 ))"

# ---- ingest, search, get, stats on 12 ANT articles (tests/testdata/ant_sample.jsonl)
IDX="$TMP/idx"
out=$("$RASID" ingest "$IDX" "$2/ant_sample.jsonl" --json 2>&1); code=$?
check ingest-code 0 "$code"
check ingest-docs 12 "$(sed -n 's/.*"documents":\([0-9]*\).*/\1/p' <<< "$out")"
# The Cairo Opera article is the best match for "الأوبرا المصرية" (the Egyptian opera).
out=$("$RASID" search "$IDX" "الأوبرا المصرية" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["hits"][0]["id"])')
check search-top "2 BB-culture-126-20180423" "$out"
# A phrase, highlighted in the original text: "تاج محل" (Taj Mahal).
out=$("$RASID" search "$IDX" '"تاج محل"' --json | python3 -c '
import json,sys
d=json.load(sys.stdin); h=d["hits"][0]; s=h["snippet"].encode()
print(d["total"], h["id"], " ".join(s[a:b].decode() for a,b in h["highlights"]))')
check search-phrase "1 BB-culture-113-20180413 تاج محل محل" "$out"
# Filters restrict: BBC articles of 1-20 April 2018.
out=$("$RASID" search "$IDX" 'source:BBC date:2018-04-01..2018-04-20' --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["facets"]["source"][0]["value"])')
check search-filters "3 BBC" "$out"
# Facts extracted at ingest: articles that mention April 2018, and a prize of
# «25 ألف دولار» (25,000 dollars: order of magnitude 4).
out=$("$RASID" search "$IDX" 'mentions:2018-04' --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], " ".join(sorted(h["id"] for h in d["hits"])))')
check mentions "4 BB-culture-114-20180416 BB-culture-126-20180423 BB-culture-128-20180424 BB-culture-132-20180428" "$out"
# ... and as a facet: months that the matches mention.
out=$("$RASID" search "$IDX" 'mentions:2018-04' --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print([f for f in d["facets"]["mentioned_month"] if f["value"] == "2018-04"][0]["count"])')
check mentioned-month-facet 4 "$out"
out=$("$RASID" search "$IDX" 'money:USD>10000' --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["hits"][0]["id"])')
check money-over "1 BB-culture-121-20180421" "$out"
out=$("$RASID" search "$IDX" 'money:USD>100000' --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
check money-not-over 0 "$out"
# Entities found at ingest: the most mentioned person, and person: finds
# exactly the articles counted.
out=$("$RASID" entities "$IDX" --type PER --json | python3 -c 'import json,sys; p=json.load(sys.stdin)["person"][0]; print(p["name"]); print(p["articles"])')
name=$(head -1 <<< "$out"); count=$(tail -1 <<< "$out")
out=$("$RASID" search "$IDX" "person:\"$name\"" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
check person-filter "$count" "$out"
# get returns the stored article with its unknown fields.
out=$("$RASID" get "$IDX" BB-culture-113-20180413 | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["source"], "abstract" in d)')
check get "BBC True" "$out"
"$RASID" get "$IDX" no-such-id >/dev/null 2>&1; check get-missing-code 3 "$?"
out=$("$RASID" stats "$IDX" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["documents"], d["segments"])')
check stats "12 1" "$out"
# The index folder's parents are created as needed.
"$RASID" ingest "$TMP/a/b/idx" "$2/ant_sample.jsonl" -q; check ingest-mkdir-p 0 "$?"
# Re-ingesting the same ids replaces, never duplicates.
"$RASID" ingest "$IDX" "$2/ant_sample.jsonl" -q; check reingest-code 0 "$?"
out=$("$RASID" stats "$IDX" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
check reingest-no-duplicates 12 "$out"
# Batch mode: TREC lines.
printf 'q1\tالأوبرا المصرية\nq2\tتاج محل\n' > "$TMP/q.tsv"
out=$("$RASID" search "$IDX" --queries "$TMP/q.tsv" -k 1 2>/dev/null | awk '{print $1, $3, $4}' | tr '\n' '|')
check search-trec "q1 BB-culture-126-20180423 1|q2 BB-culture-113-20180413 1|" "$out"
# Bad query: exit code 2 and the byte offset.
err=$("$RASID" search "$IDX" '(غزة' 2>&1 >/dev/null); code=$?
check bad-query-code 2 "$code"
# No index: exit code 3.
"$RASID" search "$TMP/none" x >/dev/null 2>&1; check no-index-code 3 "$?"
# A second writer is refused while one holds the lock.
python3 -c "
import fcntl,os,sys,subprocess,time
fd=os.open('$IDX/LOCK', os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX)
r=subprocess.run(['$RASID','ingest','$IDX','$2/ant_sample.jsonl','-q'],capture_output=True,text=True)
print(r.returncode, 'is locked by' in r.stderr)" > "$TMP/lock.out"
check locked-writer "5 True" "$(cat "$TMP/lock.out")"

exit $(( fails > 0 ))
