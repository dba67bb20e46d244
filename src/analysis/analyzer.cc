#include "rasid/analysis/analyzer.h"

#include "rasid/analysis/root.h"

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
      stemmer_(std::move(lexicon)),
      slots_(1024, Slot{0, 0}) {}

void Analyzer::Fill(std::string_view surface, TokenKind kind, Entry* e) const {
  e->norm = norm_.Normalize(surface);
  if (kind != TokenKind::kArabic) {
    e->stem = e->norm;
    if (kind == TokenKind::kLatin || kind == TokenKind::kMixed) {
      e->stopword = false;
    }
    return;
  }
  std::string form = analysis_norm_.Normalize(surface);
  e->stopword = stopwords_->Contains(form);
  Segmentation seg = stemmer_.segmenter().Segment(form);
  e->stem = stemmer_.StemBase(seg.base);
  if (options_.roots) e->root = ExtractRoot(seg.base);
  e->proclitics = std::move(seg.proclitics);
  e->enclitic = std::move(seg.enclitic);
}

const Analyzer::Entry& Analyzer::Lookup(std::string_view surface, TokenKind kind) {
  uint64_t h = HashBytes(surface) ^ static_cast<uint64_t>(kind);
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (; slots_[i].index != 0; i = (i + 1) & mask) {
    if (slots_[i].hash == h && keys_[slots_[i].index - 1] == surface) return entries_[slots_[i].index - 1];
  }
  entries_.emplace_back();
  keys_.emplace_back(surface);
  Fill(surface, kind, &entries_.back());
  slots_[i] = Slot{h, static_cast<uint32_t>(entries_.size())};
  if (entries_.size() * 2 > slots_.size()) {  // grow and rehash
    std::vector<Slot> bigger(slots_.size() * 2, Slot{0, 0});
    size_t m = bigger.size() - 1;
    for (const Slot& s : slots_) {
      if (s.index == 0) continue;
      size_t j = s.hash & m;
      while (bigger[j].index != 0) j = (j + 1) & m;
      bigger[j] = s;
    }
    slots_.swap(bigger);
  }
  return entries_.back();
}

void Analyzer::Analyze(std::string_view text, std::vector<AnalyzedToken>* out) {
  out->clear();
  scratch_.clear();
  if (entries_.size() > options_.cache_entries) {
    entries_.clear();
    keys_.clear();
    slots_.assign(1024, Slot{0, 0});
  }
  tokens_.clear();
  tokenizer_.Tokenize(text, &tokens_);
  out->reserve(tokens_.size());
  for (const Token& t : tokens_) {
    bool punct = t.kind == TokenKind::kPunct || t.kind == TokenKind::kSymbol;
    if (punct && !options_.punctuation) continue;
    std::string_view surface = text.substr(t.start, t.end - t.start);
    const Entry* e;
    if (t.IsWord()) {
      e = &Lookup(surface, t.kind);
    } else {
      scratch_.emplace_back();
      Fill(surface, t.kind, &scratch_.back());
      e = &scratch_.back();
    }
    if (e->stopword && options_.drop_stopwords) continue;
    out->push_back(AnalyzedToken{t, e->norm, e->stem, e->root, e->proclitics, e->enclitic, e->stopword});
  }
}

}  // namespace rasid::analysis
