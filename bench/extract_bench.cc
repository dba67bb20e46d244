// Google Benchmark of extraction on real news text, one core, article by
// article as ingest would call it.
//
// Numbers and dates: the first 8 MiB of article texts of ANT v2.1 (else the
// bundled article repeated), together, each alone, and the tokenizer alone as
// a floor.
//
// The whole extraction (numbers, dates, analysis, entities grouped under
// canonical names, quotations with speakers: what `rasid extract --json`
// computes) and the entity and quotation part alone, on the first 8 MiB of
// article texts of each news corpus of ../shared/data: /0 ANT v2.1
// multi-source, /1 ANT v1.1 JawharaFM, /2 SaudiNewsNet (gzip). A corpus that
// is absent is skipped. Rates are per CPU second: bytes/s and tokens/s (the
// Analyzer's tokens, punctuation included, as `rasid ner --stats` counts).
//   build/extract_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rasid/analysis/analyzer.h"
#include "rasid/analysis/tokenizer.h"
#include "rasid/base/file.h"
#include "rasid/extract/calendar.h"
#include "rasid/extract/extractor.h"
#include "rasid/ner/ner.h"
#include "rasid/ner/quotes.h"

namespace {

constexpr size_t kCorpusBytes = 8u << 20;

struct Article {
  std::string text;
  std::optional<int32_t> day;
};

// Lines of a JSONL file, gzip or not; false at the end (or when absent).
class LineReader {
 public:
  explicit LineReader(const std::string& path) : gz_(gzopen(path.c_str(), "rb")) {}
  ~LineReader() {
    if (gz_ != nullptr) gzclose(gz_);
  }
  bool Next(std::string* line) {
    line->clear();
    if (gz_ == nullptr) return false;
    char buf[1 << 16];
    while (gzgets(gz_, buf, sizeof buf) != nullptr) {
      line->append(buf);
      if (!line->empty() && line->back() == '\n') return true;
    }
    return !line->empty();
  }

 private:
  gzFile gz_;
};

// Up to kCorpusBytes of article texts of a JSONL corpus, with their dates.
std::vector<Article> ReadCorpus(const std::string& path) {
  std::vector<Article> v;
  LineReader in(path);
  std::string line;
  size_t bytes = 0;
  while (bytes < kCorpusBytes && in.Next(&line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j["text"].is_string()) continue;
    Article a;
    a.text = j["text"].get<std::string>();
    for (const char* field : {"date_ymd", "date"}) {
      if (!j.contains(field) || !j[field].is_string()) continue;
      auto d = rasid::extract::ParseReferenceDate(j[field].get<std::string>());
      if (d.ok()) {
        a.day = *d;
        break;
      }
    }
    bytes += a.text.size();
    v.push_back(std::move(a));
  }
  return v;
}

const char* const kCorpora[] = {
    "/data/ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl",
    "/data/ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl",
    "/data/saudinewsnet/saudinewsnet.jsonl.gz",
};

const std::vector<Article>& Corpus(int k) {
  static std::vector<Article>* corpora = [] {
    auto* v = new std::vector<Article>[3];
    for (int i = 0; i < 3; ++i) v[i] = ReadCorpus(std::string(RASID_SHARED_DIR) + kCorpora[i]);
    return v;
  }();
  return corpora[k];
}

const std::vector<Article>& Articles() {
  static std::vector<Article>* articles = [] {
    auto* v = new std::vector<Article>(Corpus(0));
    if (v->empty()) {
      auto a = rasid::ReadFile(std::string(RASID_TESTDATA_DIR) + "/ant_article.txt");
      std::string one = a.ok() ? *a : std::string("7٫7 مليون شخص في 14 نوفمبر الحالي. ");
      for (size_t n = 0; n < (4u << 20); n += one.size()) v->push_back({one, std::nullopt});
    }
    return v;
  }();
  return *articles;
}

size_t TotalBytes(const std::vector<Article>& articles) {
  size_t n = 0;
  for (const Article& a : articles) n += a.text.size();
  return n;
}
size_t TotalBytes() { return TotalBytes(Articles()); }

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

// Numbers and dates (when `numbers_and_dates`), then analysis, entities and
// quotations of every article of corpus state.range(0).
void RunWhole(benchmark::State& state, bool numbers_and_dates) {
  int k = static_cast<int>(state.range(0));
  const std::vector<Article>& articles = Corpus(k);
  if (articles.empty()) {
    state.SkipWithError((std::string(kCorpora[k]) + " is absent from " RASID_SHARED_DIR).c_str());
    return;
  }
  auto ex = rasid::extract::Extractor::Create();
  auto model = rasid::ner::Model::Default();
  auto analyzer = rasid::analysis::Analyzer::Create(rasid::analysis::AnalyzerOptions());
  if (!ex.ok() || !model.ok() || !analyzer.ok()) {
    state.SkipWithError("cannot load the extraction tables, the NER model or the analysis data");
    return;
  }
  rasid::ner::Recognizer recognizer(*model);
  rasid::extract::Extraction out;
  std::vector<rasid::analysis::AnalyzedToken> tokens;
  size_t values = 0, mentions = 0, entities = 0, quotes = 0, token_count = 0;
  for (auto _ : state) {
    values = mentions = entities = quotes = token_count = 0;
    for (const Article& a : articles) {
      if (numbers_and_dates) {
        rasid::extract::ExtractOptions opts;
        opts.reference_day = a.day;
        (*ex)->Extract(a.text, opts, &out);
        values += out.numbers.size() + out.dates.size();
      }
      (*analyzer)->Analyze(a.text, &tokens);
      std::vector<rasid::ner::Mention> m = recognizer.Recognize(tokens, a.text);
      std::vector<rasid::ner::Entity> e = rasid::ner::GroupMentions(&m);
      std::vector<rasid::ner::Quote> q = rasid::ner::FindQuotes(tokens, a.text, m, e);
      token_count += tokens.size();
      mentions += m.size();
      entities += e.size();
      quotes += q.size();
    }
    benchmark::DoNotOptimize(mentions);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(articles)));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(token_count), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["articles"] = static_cast<double>(articles.size());
  state.counters["values"] = static_cast<double>(values);
  state.counters["mentions"] = static_cast<double>(mentions);
  state.counters["entities"] = static_cast<double>(entities);
  state.counters["quotes"] = static_cast<double>(quotes);
}

void BM_WholeExtraction(benchmark::State& state) { RunWhole(state, true); }
void BM_EntitiesAndQuotes(benchmark::State& state) { RunWhole(state, false); }

BENCHMARK(BM_ExtractNumbersAndDates)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractNumbers)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractDates)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TokenizeOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WholeExtraction)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EntitiesAndQuotes)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
