#!/usr/bin/env bash
# End-to-end browser test of rasid serve's page (tests/e2e/e2e.mjs) in
# Debian's headless chromium through playwright-core; screenshots go to
# BUILD_DIR/e2e-artifacts/. Skips, saying why, when node, npm or chromium is
# missing or playwright-core cannot be installed; a failure is retried once
# (a browser that stalls on a loaded machine is not a bug of the page).
#   bash tests/e2e/run.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
skip() { echo "e2e: skipped: $*"; exit 0; }
command -v node > /dev/null || skip "node is not installed"
command -v npm > /dev/null || skip "npm is not installed"
[[ -x $CHROMIUM ]] || skip "no chromium at $CHROMIUM (apt-get install chromium)"
[[ -x $BUILD/rasid ]] || { echo "e2e: no $BUILD/rasid; build first"; exit 1; }
if [[ ! -d tests/e2e/node_modules/playwright-core ]]; then
  npm ci --prefix tests/e2e --no-audit --no-fund > "$BUILD/e2e-npm.log" 2>&1 ||
    skip "npm ci failed (no registry?), see $BUILD/e2e-npm.log"
fi
OUT=$BUILD/e2e-artifacts
rm -rf "$OUT"
for attempt in 1 2; do
  CHROMIUM=$CHROMIUM timeout 300 node tests/e2e/e2e.mjs "$BUILD/rasid" "$OUT"
  code=$?
  (( code == 0 )) && { echo "e2e: screenshots in $OUT"; exit 0; }
  (( code == 77 )) && exit 0  # chromium could not start: said so already
  echo "e2e: attempt $attempt failed (exit $code)"
done
exit 1
