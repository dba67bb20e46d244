// Google Benchmark of extraction on real news text, one core, article by
// article as ingest would call it: the first 8 MiB of articles of ../shared/data
// (ANT v2.1 multi-source and SaudiNewsNet are read when present; else the
// bundled article repeated). Reports bytes/s (MB/s) for numbers and dates
// together, and for each alone, and for the tokenizer alone as a floor.
//   build/extract_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rasid/analysis/tokenizer.h"
#include "rasid/base/file.h"
#include "rasid/extract/calendar.h"
#include "rasid/extract/extractor.h"

namespace {

struct Article {
  std::string text;
  std::optional<int32_t> day;
};

const std::vector<Article>& Articles() {
  static std::vector<Article>* articles = [] {
    auto* v = new std::vector<Article>();
    size_t bytes = 0;
    std::ifstream in(std::string(RASID_SHARED_DIR) + "/data/ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl");
    std::string line;
    while (bytes < (8u << 20) && std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object() || !j["text"].is_string()) continue;
      Article a;
      a.text = j["text"].get<std::string>();
      if (j.contains("date_ymd") && j["date_ymd"].is_string()) {
        auto d = rasid::extract::ParseReferenceDate(j["date_ymd"].get<std::string>());
        if (d.ok()) a.day = *d;
      }
      bytes += a.text.size();
      v->push_back(std::move(a));
    }
    if (v->empty()) {
      auto a = rasid::ReadFile(std::string(RASID_TESTDATA_DIR) + "/ant_article.txt");
      std::string one = a.ok() ? *a : std::string("7٫7 مليون شخص في 14 نوفمبر الحالي. ");
      for (size_t n = 0; n < (4u << 20); n += one.size()) v->push_back({one, std::nullopt});
    }
    return v;
  }();
  return *articles;
}

size_t TotalBytes() {
  size_t n = 0;
  for (const Article& a : Articles()) n += a.text.size();
  return n;
}

void Run(benchmark::State& state, bool numbers, bool dates) {
  const auto& articles = Articles();
  auto ex = rasid::extract::Extractor::Create();
  if (!ex.ok()) {
    state.SkipWithError(ex.status().ToString().c_str());
    return;
  }
  rasid::extract::Extraction out;
  size_t mentions = 0;
  for (auto _ : state) {
    mentions = 0;
    for (const Article& a : articles) {
      rasid::extract::ExtractOptions opts;
      opts.reference_day = a.day;
      opts.numbers = numbers;
      opts.dates = dates;
      (*ex)->Extract(a.text, opts, &out);
      mentions += out.numbers.size() + out.dates.size();
    }
    benchmark::DoNotOptimize(mentions);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
  state.counters["mentions"] = static_cast<double>(mentions);
}

void BM_ExtractNumbersAndDates(benchmark::State& state) { Run(state, true, true); }
void BM_ExtractNumbers(benchmark::State& state) { Run(state, true, false); }
void BM_ExtractDates(benchmark::State& state) { Run(state, false, true); }

void BM_TokenizeOnly(benchmark::State& state) {
  const auto& articles = Articles();
  rasid::analysis::Tokenizer tok;
  std::vector<rasid::analysis::Token> out;
  for (auto _ : state) {
    for (const Article& a : articles) {
      out.clear();
      tok.Tokenize(a.text, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}

BENCHMARK(BM_ExtractNumbersAndDates)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractNumbers)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractDates)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TokenizeOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
