// The analysis chain: tokenize, normalise, segment clitics, stem, find roots.
//
//   Analyzer analyzer = *Analyzer::Create(AnalyzerOptions());
//   std::vector<AnalyzedToken> tokens;
//   analyzer.Analyze(text, &tokens);
//
// Every AnalyzedToken keeps the byte span of its original text (token.start,
// token.end), whatever normalisation did to `norm`. Word analyses are cached
// by their surface form, so a word seen before costs one hash look-up.
//
// Ownership: the string_views in AnalyzedToken point into the Analyzer and
// stay valid until the next call to Analyze on the same Analyzer.
// Thread safety: an Analyzer is NOT thread-safe (it has a cache); use one per
// thread. Lexicon and stop words are shared between analyzers.
#ifndef RASID_ANALYSIS_ANALYZER_H_
#define RASID_ANALYSIS_ANALYZER_H_

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/analysis/lexicon.h"
#include "rasid/analysis/normalizer.h"
#include "rasid/analysis/stemmer.h"
#include "rasid/analysis/stopwords.h"
#include "rasid/analysis/tokenizer.h"
#include "rasid/base/status.h"

namespace rasid::analysis {

struct AnalyzerOptions {
  NormalizeOptions normalize = NormalizeOptions::Search();  // for `norm`
  bool roots = false;               // compute `root` (off: empty)
  bool punctuation = true;          // report punct and symbol tokens
  bool drop_stopwords = false;      // leave out stop words (search option)
  size_t cache_entries = 1 << 20;   // the word cache is emptied beyond this
};

struct AnalyzedToken {
  Token token;
  std::string_view norm;        // normalised surface (options.normalize)
  std::string_view stem;        // light stem (analysis form); == norm for non-Arabic
  std::string_view root;        // ISRI root, Arabic words only, when options.roots
  std::string_view proclitics;  // "و+ل+ال", Arabic words only
  std::string_view enclitic;    // "ها", Arabic words only
  bool stopword = false;
};

class Analyzer {
 public:
  // Uses the default lexicon and stop words (DataDir()); fails with their
  // loading error.
  static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options);
  Analyzer(const AnalyzerOptions& options, std::shared_ptr<const Lexicon> lexicon,
           std::shared_ptr<const StopWords> stopwords);

  // Replaces *out with the tokens of `text` (valid UTF-8, < 4 GiB).
  void Analyze(std::string_view text, std::vector<AnalyzedToken>* out);

  const AnalyzerOptions& options() const { return options_; }
  const Normalizer& normalizer() const { return norm_; }

 private:
  struct Entry {
    std::string norm, stem, root, proclitics, enclitic;
    bool stopword = false;
  };
  const Entry& Lookup(std::string_view surface, TokenKind kind);
  void Fill(std::string_view surface, TokenKind kind, Entry* e) const;

  AnalyzerOptions options_;
  Tokenizer tokenizer_;
  Normalizer norm_;
  Normalizer analysis_norm_;
  std::shared_ptr<const StopWords> stopwords_;
  LightStemmer stemmer_;
  std::vector<Token> tokens_;
  // Word cache: open addressing over entries_ (stable addresses).
  struct Slot {
    uint64_t hash;
    uint32_t index;  // into entries_, +1; 0 = empty
  };
  std::vector<Slot> slots_;
  std::deque<Entry> entries_;
  std::deque<std::string> keys_;
  std::deque<Entry> scratch_;  // analyses of uncached tokens, for one call
};

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_ANALYZER_H_
