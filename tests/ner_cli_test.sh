#!/usr/bin/env bash
# End-to-end checks of rasid ner and train-ner: output formats, errors, exit codes.
#   tests/ner_cli_test.sh path/to/rasid
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

# CoNLL: token<TAB>tag, extra columns ignored, blank lines kept between sentences.
printf 'فرانكفورت\tX\tY\n(\n\nالقاهرة B-LOC\n' > "$TMP/in.conll"
out=$("$RASID" ner --conll "$TMP/in.conll")
check conll-lines "$(printf 'فرانكفورت\tB-LOC\n(\tO\n\nالقاهرة\tB-LOC\n')" "$out"

# -DOCSTART- lines are kept where they were.
out=$(printf 'القاهرة\n\n-DOCSTART- -X- O O\n\nدبي\n' | "$RASID" ner --conll)
check conll-docstart "$(printf 'القاهرة\tB-LOC\n\n-DOCSTART- -X- O O\n\nدبي\tB-LOC\n')" "$out"

# Plain text: one JSON line per mention with byte spans and the canonical name.
# (wa-qala al-rais donald trump fi washington ... wa-adafa trump anna al-sin ...)
out=$(printf 'وقال الرئيس دونالد ترامب في واشنطن إن القرار نهائي. وأضاف ترامب أن الصين ستدفع الثمن.' | "$RASID" ner)
check plain-first '{"doc":"<stdin>","type":"PER","start":22,"end":45,"text":"دونالد ترامب","name":"دونالد ترامب","entity":"دونالد ترامب"}' "$(head -1 <<< "$out")"
check plain-grouped '{"doc":"<stdin>","type":"PER","start":105,"end":115,"text":"ترامب","name":"ترامب","entity":"دونالد ترامب"}' "$(sed -n 3p <<< "$out")"

# Entities and quotations.
text='وقال الرئيس دونالد ترامب: «لن نتراجع عن قرارنا». وأضاف ترامب أن الصين ستدفع الثمن.'
out=$(printf '%s' "$text" | "$RASID" ner --entities | head -1)
check entities '{"doc":"<stdin>","type":"PER","name":"دونالد ترامب","count":2,"mentions":[[22,45],[99,109]]}' "$out"
out=$(printf '%s' "$text" | "$RASID" ner --quotes)
check quotes '{"doc":"<stdin>","text":"لن نتراجع عن قرارنا","start":49,"end":84,"speaker":"الرئيس دونالد ترامب","speaker_span":[9,45],"entity":"دونالد ترامب","cue":"وقال"}' "$out"

# Errors: missing file 3, damaged model 4, bad encoding 2.
"$RASID" ner "$TMP/none.txt" >/dev/null 2>&1; check missing-file 3 "$?"
printf 'RASIDNER garbage' > "$TMP/bad.bin"
"$RASID" ner --model "$TMP/bad.bin" "$TMP/in.conll" >/dev/null 2>&1; check damaged-model 4 "$?"
printf 'abc\xe9' > "$TMP/bad.txt"
"$RASID" ner "$TMP/bad.txt" >/dev/null 2>&1; check bad-utf8 2 "$?"
"$RASID" train-ner --data "$TMP/nothing" --clusters "$TMP/none.tsv" --out "$TMP/m.bin" >/dev/null 2>&1
check train-missing-data 3 "$?"

if [[ $fails -gt 0 ]]; then echo "$fails failed"; exit 1; fi
echo "all passed"
