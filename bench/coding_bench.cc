// Decoding speed of the postings' runs (docs/format/segment.md, "Packed
// runs"): a run of 128 values as packed (PFor) and as a Rice run, for gaps
// drawn like document gaps of lists of several densities.
//
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_BENCHMARKS=ON
//   cmake --build build-bench --target coding_bench && build-bench/coding_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "rasid/index/coding.h"

namespace {

using rasid::index::Decoder;
using rasid::index::GetPackedRun;
using rasid::index::kMaxPackedRun;
using rasid::index::kRiceRunFlag;
using rasid::index::PutPackedRun;

// 1,024 runs of 128 geometric gaps with the given mean (a list holding one
// document in mean + 1), encoded as the writer chooses; `rice` counts the
// runs that came out as Rice runs.
std::string Runs(double mean, int* rice) {
  uint64_t x = 12345;
  auto uniform = [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(x >> 11) + 0.5) / 9007199254740992.0;
  };
  std::string out;
  *rice = 0;
  uint32_t v[kMaxPackedRun];
  for (int r = 0; r < 1024; ++r) {
    for (auto& e : v) e = static_cast<uint32_t>(-std::log(uniform()) * mean);
    const size_t at = out.size();
    PutPackedRun(&out, v, kMaxPackedRun);
    *rice += (static_cast<unsigned char>(out[at]) & kRiceRunFlag) != 0;
  }
  return out + std::string(8, '\0');
}

void BM_DecodeRuns(benchmark::State& state) {
  const double mean = static_cast<double>(state.range(0));
  int rice = 0;
  const std::string runs = Runs(mean, &rice);
  uint32_t out[kMaxPackedRun];
  for (auto _ : state) {
    Decoder d(runs);
    for (int r = 0; r < 1024; ++r) {
      if (!GetPackedRun(&d, out, kMaxPackedRun)) state.SkipWithError("bad run");
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * 1024 * kMaxPackedRun);
  state.counters["rice_runs"] = rice;
  state.counters["bits_per_value"] = static_cast<double>(runs.size() - 8) * 8 / (1024.0 * kMaxPackedRun);
}
BENCHMARK(BM_DecodeRuns)->Arg(0)->Arg(1)->Arg(3)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
