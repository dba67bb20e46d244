// Whole-job benchmark of the analysis chain, beside the peers of
// ../shared/bench/peers (stem-bench, lucene-analyze-bench):
//
//   analysis_job [--repeat N] [--roots] < TEXT
//
// Reads all of standard input (not timed), one article per line, then times
// on one thread, for every line: decoding (rasid::text::Decode, UTF-8
// validation and control-character repair, which copies the line) and
// Analyzer::Analyze (tokenize, normalise, clitics, stem; roots with --roots).
// Every token is consumed so that nothing can be optimised away: its stem
// goes byte by byte into a 64-bit FNV-1a checksum (each stem followed by
// '\n', as stem-bench and lucene-analyze-bench hash their output terms), its
// norm by its length and first and last bytes (hashing both strings in full
// would charge rasid twice the checksum work of the peers).
//
// --repeat N (default 5) timed passes over all lines with one Analyzer. The
// first pass starts with an empty word cache (cold) and is reported on its
// own; the other passes (warm cache) are reported by their median and total.
//
// Output. stdout, for one pass:
//   tokens=N words=N arabic=N lines=N checksum=HEX
// (tokens: all the analyzer emits, punctuation included; words: Arabic,
// Latin and mixed tokens; arabic: Arabic words.) stderr, in the style of the
// peers, where tokens_per_s counts `tokens` and words_per_s counts `words`:
//   BENCH analyze engine=rasid bytes=N passes=N seconds=S bytes_per_s=X tokens_per_s=X
//         words_per_s=X median_seconds=S median_bytes_per_s=X median_tokens_per_s=X
//         median_words_per_s=X                        (warm passes; one line)
//   BENCH analyze-cold engine=rasid bytes=N passes=1 seconds=S bytes_per_s=X tokens_per_s=X
//         words_per_s=X                               (first pass; one line)
// With --repeat 1 only the cold line is printed. Benchmarks measure; they
// assert nothing about time. Exit codes: 0 ok, 1 setup failed, 2 bad usage,
// 4 invalid input (the offending line is named).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/analysis/analyzer.h"
#include "rasid/base/file.h"
#include "rasid/text/decode.h"

namespace {

using rasid::analysis::AnalyzedToken;
using rasid::analysis::Analyzer;
using rasid::analysis::AnalyzerOptions;
using rasid::analysis::TokenKind;

struct JobOptions {
  long repeat = 5;
  bool roots = false;
};

struct PassResult {
  double seconds = 0;
  uint64_t tokens = 0;
  uint64_t words = 0;
  uint64_t arabic = 0;
  uint64_t checksum = 0;
  bool ok = true;
};

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

inline uint64_t Fnv(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  h ^= '\n';
  return h * kFnvPrime;
}

// The norm's length and first and last bytes: enough to consume it without
// hashing a second string per token, which the peers do not do either.
inline uint64_t NormDigest(std::string_view norm) {
  if (norm.empty()) return 0;
  return norm.size() | uint64_t{static_cast<unsigned char>(norm.front())} << 32 |
         uint64_t{static_cast<unsigned char>(norm.back())} << 40;
}

// Splits `text` at '\n' into lines (views into `text`); not timed.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// One timed pass: decode and analyse every line.
PassResult RunPass(const std::vector<std::string_view>& lines, Analyzer* analyzer,
                   std::vector<AnalyzedToken>* tokens) {
  PassResult r;
  uint64_t h = kFnvOffset;
  rasid::text::DecodeOptions decode_options;
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lines.size(); ++i) {
    rasid::Result<std::string> text = rasid::text::Decode(lines[i], "<stdin>", decode_options, nullptr);
    if (!text.ok()) {
      std::fprintf(stderr, "analysis_job: line %zu: %s\n", i + 1, text.status().ToString().c_str());
      r.ok = false;
      return r;
    }
    analyzer->Analyze(*text, tokens);
    for (const AnalyzedToken& t : *tokens) {
      h = Fnv(h, t.stem());
      h = (h ^ NormDigest(t.norm())) * kFnvPrime;
      r.words += t.token.IsWord();
      r.arabic += t.token.kind == TokenKind::kArabic;
    }
    r.tokens += tokens->size();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.checksum = h;
  return r;
}

bool ParseArgs(int argc, char** argv, JobOptions* o) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) {
      o->repeat = std::atol(argv[++i]);
    } else if (!std::strcmp(argv[i], "--roots")) {
      o->roots = true;
    } else {
      return false;
    }
  }
  if (o->repeat < 1) o->repeat = 1;
  return true;
}

double Rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0; }

void PrintCold(size_t bytes, const PassResult& p) {
  std::fprintf(
      stderr, "analyze (rasid) cold pass: %zu bytes, %.4f s: %.3f MB/s, %.0f tokens/s, %.0f words/s\n", bytes,
      p.seconds, Rate(bytes, p.seconds) / 1e6, Rate(p.tokens, p.seconds), Rate(p.words, p.seconds));
  std::fprintf(stderr,
               "BENCH analyze-cold engine=rasid bytes=%zu passes=1 seconds=%.6f bytes_per_s=%.1f "
               "tokens_per_s=%.1f words_per_s=%.1f\n",
               bytes, p.seconds, Rate(bytes, p.seconds), Rate(p.tokens, p.seconds), Rate(p.words, p.seconds));
}

void PrintWarm(size_t bytes, const std::vector<PassResult>& warm) {
  std::vector<double> secs;
  double total = 0;
  for (const PassResult& p : warm) {
    secs.push_back(p.seconds);
    total += p.seconds;
  }
  std::sort(secs.begin(), secs.end());
  size_t n = secs.size();
  double median = n % 2 ? secs[n / 2] : (secs[n / 2 - 1] + secs[n / 2]) / 2;
  double tokens = static_cast<double>(warm[0].tokens), words = static_cast<double>(warm[0].words);
  std::fprintf(stderr,
               "analyze (rasid) warm: %zu bytes x %zu passes, %.4f s, median pass %.4f s: %.3f MB/s, "
               "%.0f tokens/s, %.0f words/s (median pass)\n",
               bytes, n, total, median, Rate(bytes, median) / 1e6, Rate(tokens, median), Rate(words, median));
  std::fprintf(
      stderr,
      "BENCH analyze engine=rasid bytes=%zu passes=%zu seconds=%.6f bytes_per_s=%.1f tokens_per_s=%.1f "
      "words_per_s=%.1f median_seconds=%.6f median_bytes_per_s=%.1f median_tokens_per_s=%.1f "
      "median_words_per_s=%.1f\n",
      bytes, n, total, Rate(static_cast<double>(bytes) * n, total), Rate(tokens * n, total),
      Rate(words * n, total), median, Rate(bytes, median), Rate(tokens, median), Rate(words, median));
}

}  // namespace

int main(int argc, char** argv) {
  JobOptions options;
  if (!ParseArgs(argc, argv, &options)) {
    std::fprintf(stderr, "usage: analysis_job [--repeat N] [--roots] < TEXT\n");
    return 2;
  }
  rasid::Result<std::string> input = rasid::ReadFd(STDIN_FILENO, "<stdin>");
  if (!input.ok()) {
    std::fprintf(stderr, "analysis_job: %s\n", input.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string_view> lines = SplitLines(*input);

  AnalyzerOptions analyzer_options;
  analyzer_options.roots = options.roots;
  auto t0 = std::chrono::steady_clock::now();
  rasid::Result<std::unique_ptr<Analyzer>> analyzer = Analyzer::Create(analyzer_options);
  double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!analyzer.ok()) {
    std::fprintf(stderr, "analysis_job: %s\n", analyzer.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "analysis_job: %zu lines, %zu bytes, roots %s; Analyzer::Create %.3f s (not timed)\n",
               lines.size(), input->size(), options.roots ? "on" : "off", setup);

  std::vector<AnalyzedToken> tokens;
  std::vector<PassResult> passes;
  for (long p = 0; p < options.repeat; ++p) {
    passes.push_back(RunPass(lines, analyzer->get(), &tokens));
    if (!passes.back().ok) return 4;
  }
  const PassResult& cold = passes[0];
  for (const PassResult& p : passes) {
    if (p.checksum != cold.checksum || p.tokens != cold.tokens) {
      std::fprintf(stderr, "analysis_job: warning: a warm pass gave another checksum than the cold pass\n");
      break;
    }
  }
  std::printf("tokens=%" PRIu64 " words=%" PRIu64 " arabic=%" PRIu64 " lines=%zu checksum=%016" PRIx64 "\n",
              cold.tokens, cold.words, cold.arabic, lines.size(), cold.checksum);
  std::fflush(stdout);
  PrintCold(input->size(), cold);
  if (passes.size() > 1) PrintWarm(input->size(), std::vector<PassResult>(passes.begin() + 1, passes.end()));
  return 0;
}
