// Google Benchmark of the analysis chain, stage by stage, on real news text:
// the first N articles of ../shared/data's ANT v2.1 corpus when present,
// else the bundled article repeated. Reports bytes/s and tokens/s.
//   build/analysis_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "rasid/analysis/analyzer.h"
#include "rasid/base/file.h"
#include "rasid/text/decode.h"

namespace {

const std::string& Corpus() {
  static std::string* text = [] {
    auto* s = new std::string();
    std::ifstream in(std::string(RASID_SHARED_DIR) + "/data/ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl");
    std::string line;
    while (s->size() < (8u << 20) && std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j["text"].is_string()) *s += j["text"].get<std::string>() + "\n";
    }
    if (s->empty()) {
      auto a = rasid::ReadFile(std::string(RASID_TESTDATA_DIR) + "/ant_article.txt");
      std::string one = a.ok() ? *a : std::string("وللحكومة الجديدة 7٫7 مليون شخص. ");
      while (s->size() < (4u << 20)) *s += one;
    }
    return s;
  }();
  return *text;
}

void BM_Decode(benchmark::State& state) {
  const std::string& text = Corpus();
  rasid::text::DecodeOptions o;
  for (auto _ : state) {
    auto r = rasid::text::Decode(text, "bench", o, nullptr);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

void BM_Tokenize(benchmark::State& state) {
  const std::string& text = Corpus();
  rasid::analysis::Tokenizer tok;
  std::vector<rasid::analysis::Token> out;
  for (auto _ : state) {
    out.clear();
    tok.Tokenize(text, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(out.size()) * state.iterations(),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

void BM_Normalize(benchmark::State& state) {
  const std::string& text = Corpus();
  rasid::analysis::Normalizer n(rasid::analysis::NormalizeOptions::Search());
  std::string out;
  for (auto _ : state) {
    out.clear();
    n.AppendNormalized(text, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);

// Article by article, as ingest does it.
std::vector<std::string_view> Articles() {
  std::vector<std::string_view> out;
  std::string_view rest = Corpus();
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    out.push_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return out;
}

// The whole chain with a warm word cache (the steady state of ingest).
void BM_AnalyzeChain(benchmark::State& state) {
  const std::string& text = Corpus();
  std::vector<std::string_view> articles = Articles();
  rasid::analysis::AnalyzerOptions o;
  o.roots = state.range(0) != 0;
  auto a = std::move(rasid::analysis::Analyzer::Create(o)).value();
  std::vector<rasid::analysis::AnalyzedToken> toks;
  for (auto art : articles) a->Analyze(art, &toks);  // warm the cache
  size_t tokens = 0;
  for (auto _ : state) {
    for (auto art : articles) {
      a->Analyze(art, &toks);
      tokens += toks.size();
      benchmark::DoNotOptimize(toks.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AnalyzeChain)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Cold: a new analyzer (empty cache) per iteration.
void BM_AnalyzeCold(benchmark::State& state) {
  const std::string& text = Corpus();
  std::vector<std::string_view> articles = Articles();
  std::vector<rasid::analysis::AnalyzedToken> toks;
  for (auto _ : state) {
    auto a = std::move(rasid::analysis::Analyzer::Create(rasid::analysis::AnalyzerOptions())).value();
    for (auto art : articles) {
      a->Analyze(art, &toks);
      benchmark::DoNotOptimize(toks.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_AnalyzeCold)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
