#include "rasid/analysis/analyzer.h"

#include "rasid/analysis/root.h"

#include <cstring>

namespace rasid::analysis {

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
  Result<std::shared_ptr<const Lexicon>> lex = Lexicon::Default();
  if (!lex.ok()) return lex.status();
  Result<std::shared_ptr<const StopWords>> stop = StopWords::Default();
  if (!stop.ok()) return stop.status();
  return std::make_unique<Analyzer>(options, lex.value(), stop.value());
}

Analyzer::Analyzer(const AnalyzerOptions& options, std::shared_ptr<const Lexicon> lexicon,
                   std::shared_ptr<const StopWords> stopwords)
    : options_(options),
      norm_(options.normalize),
      analysis_norm_(NormalizeOptions::Analysis()),
      stopwords_(std::move(stopwords)),
      stemmer_(std::move(lexicon)) {
  ResetCache();
}

namespace {
constexpr size_t kBlockSize = size_t{1} << 20;
constexpr size_t kMaxPart = 0xFFFF;
}  // namespace

void Analyzer::ResetCache() {
  cached_ = 0;
  ++generation_;
  blocks_.clear();
  block_used_ = block_size_ = 0;
  slots_.assign(size_t{1} << 16, Slot());
}

const char* Analyzer::Store(const std::string (&parts)[6], uint16_t (&len)[6]) {
  size_t total = 0;
  for (int i = 0; i < 6; ++i) {
    len[i] = static_cast<uint16_t>(std::min(parts[i].size(), kMaxPart));
    total += len[i];
  }
  if (block_used_ + total > block_size_) {
    block_size_ = std::max(kBlockSize, total);
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* p = blocks_.back().get() + block_used_;
  char* q = p;
  for (int i = 0; i < 6; ++i) {
    std::memcpy(q, parts[i].data(), len[i]);
    q += len[i];
  }
  block_used_ += total;
  return p;
}

void Analyzer::Fill(std::string_view surface, TokenKind kind, Slot* slot) {
  // parts: surface, norm, stem, root, proclitics, enclitic
  std::string parts[6];
  parts[0].assign(surface);
  parts[1] = norm_.Normalize(surface);
  if (kind != TokenKind::kArabic) {
    parts[2] = parts[1];
  } else {
    std::string form = analysis_norm_.Normalize(surface);
    slot->stopword = stopwords_->Contains(form);
    Segmentation seg = stemmer_.segmenter().Segment(form);
    parts[2] = stemmer_.StemBase(seg.base);
    if (options_.roots) parts[3] = ExtractRoot(seg.base);
    parts[4] = std::move(seg.proclitics);
    parts[5] = std::move(seg.enclitic);
  }
  slot->data = Store(parts, slot->len);
}

const Analyzer::Slot& Analyzer::Lookup(std::string_view surface, uint64_t h, TokenKind kind) {
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (; slots_[i].data != nullptr; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.hash == h && s.len[0] == surface.size() && std::memcmp(s.data, surface.data(), surface.size()) == 0)
      return s;
  }
  Slot fresh;
  fresh.hash = h;
  Fill(surface, kind, &fresh);
  slots_[i] = fresh;
  if (++cached_ * 2 > slots_.size()) {  // grow and rehash
    std::vector<Slot> bigger(slots_.size() * 2);
    size_t m = bigger.size() - 1;
    for (const Slot& s : slots_) {
      if (s.data == nullptr) continue;
      size_t j = s.hash & m;
      while (bigger[j].data != nullptr) j = (j + 1) & m;
      bigger[j] = s;
    }
    slots_.swap(bigger);
    return Lookup(surface, h, kind);
  }
  return slots_[i];
}

void Analyzer::Analyze(std::string_view text, std::vector<AnalyzedToken>* out) {
  out->clear();
  if (cached_ > options_.cache_entries) ResetCache();
  tokens_.clear();
  tokenizer_.Tokenize(text, &tokens_);
  out->reserve(tokens_.size());
  // Hash every token first and prefetch its slot, then prefetch the strings
  // of a slot a few tokens ahead: the cache is larger than the CPU caches,
  // and this hides most of the memory latency of the look-ups.
  const size_t n = tokens_.size();
  hashes_.resize(n);
  size_t mask = slots_.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    const Token& t = tokens_[i];
    hashes_[i] = HashBytes(text.substr(t.start, t.end - t.start)) ^ static_cast<uint64_t>(t.kind);
    __builtin_prefetch(&slots_[hashes_[i] & mask]);
  }
  constexpr size_t kAhead = 4;
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) {
      const Slot& ahead = slots_[hashes_[i + kAhead] & (slots_.size() - 1)];
      if (ahead.data != nullptr) __builtin_prefetch(ahead.data);
    }
    const Token& t = tokens_[i];
    bool punct = t.kind == TokenKind::kPunct || t.kind == TokenKind::kSymbol;
    if (punct && !options_.punctuation) continue;
    const Slot& s = Lookup(text.substr(t.start, t.end - t.start), hashes_[i], t.kind);
    if (s.stopword && options_.drop_stopwords) continue;
    AnalyzedToken a;
    a.token = t;
    a.data = s.data;
    std::memcpy(a.len, s.len, sizeof a.len);
    a.stopword = s.stopword;
    out->push_back(a);
  }
}

}  // namespace rasid::analysis
