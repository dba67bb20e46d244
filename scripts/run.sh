#!/usr/bin/env bash
# The main job: install, build, and analyse the bundled sample article.
# (Until `rasid serve` exists this prints the analysis of the article.)
#   bash scripts/run.sh [FILE...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
if (( $# == 0 )); then set -- tests/testdata/ant_article.txt; fi
build/rasid analyze "$@"
