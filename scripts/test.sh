#!/usr/bin/env bash
# Runs every test: the Release build under ctest, the same tests built with
# AddressSanitizer + UndefinedBehaviorSanitizer, and the two libFuzzer targets
# (analysis; numbers, dates, NER and quotations) for FUZZ_SECONDS each
# (default 60), from the committed corpus.
#   bash scripts/test.sh
# Environment: FUZZ_SECONDS (0 skips fuzzing), SKIP_SANITIZERS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
JOBS=$(nproc)

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_BENCHMARKS=ON -DBUILD_TOOLS=ON > /dev/null
cmake --build build -j"$JOBS"
(cd build && ctest --output-on-failure -j"$JOBS")

echo "== End-to-end test of the web page in headless chromium (skips without chromium or node)"
bash tests/e2e/run.sh build

if [[ ${SKIP_SANITIZERS:-0} != 1 ]]; then
  echo "== ASan + UBSan build and tests"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRASID_SANITIZE=ON > /dev/null
  cmake --build build-asan -j"$JOBS"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$JOBS")
fi

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
if [[ $FUZZ_SECONDS != 0 && -f fuzz/analysis_fuzz.cc ]]; then
  echo "== libFuzzer: analysis_fuzz for ${FUZZ_SECONDS}s"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_FUZZERS=ON \
      -DBUILD_TESTS=OFF > /dev/null
  cmake --build build-fuzz -j"$JOBS" --target analysis_fuzz extract_fuzz
  mkdir -p build-fuzz/corpus build-fuzz/corpus-extract
  build-fuzz/analysis_fuzz -max_total_time="$FUZZ_SECONDS" -max_len=4096 -print_final_stats=1 \
      build-fuzz/corpus fuzz/corpus
  echo "== libFuzzer: extract_fuzz (numbers, dates, NER, quotations) for ${FUZZ_SECONDS}s"
  build-fuzz/extract_fuzz -max_total_time="$FUZZ_SECONDS" -max_len=4096 -print_final_stats=1 \
      build-fuzz/corpus-extract fuzz/corpus
fi
echo "== all tests passed"
