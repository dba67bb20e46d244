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

exit $(( fails > 0 ))
