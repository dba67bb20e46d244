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

#include <cstdint>
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

// A token and its analysis. Compact (48 bytes): the strings lie back to back
// in the Analyzer's cache, in the order surface, norm, stem, root,
// proclitics, enclitic.
struct AnalyzedToken {
  Token token;
  const char* data = nullptr;
  uint16_t len[6] = {};
  // The analyzer's number of this surface form (and kind): 1, 2, 3 ... in
  // order of first sight, the same for every occurrence until the cache is
  // emptied (Analyzer::reset_generation); callers index their own tables by
  // it. 0 for tokens the analyzer dropped or did not look up (punctuation
  // when options.punctuation is off).
  uint32_t word = 0;
  bool stopword = false;

  std::string_view norm() const { return Part(1); }        // normalised surface (options.normalize)
  std::string_view stem() const { return Part(2); }        // light stem; == norm() for non-Arabic tokens
  std::string_view root() const { return Part(3); }        // ISRI root of Arabic words, when options.roots
  std::string_view proclitics() const { return Part(4); }  // "و+ل+ال", Arabic words only
  std::string_view enclitic() const { return Part(5); }    // "ها", Arabic words only

 private:
  std::string_view Part(int k) const {
    const char* p = data;
    for (int i = 0; i < k; ++i) p += len[i];
    return std::string_view(p, len[k]);
  }
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
  // Changes whenever the cache is emptied or its frequent words are moved
  // to the hot table (their data pointers move).
  uint64_t cache_generation() const { return generation_; }
  // Changes only when the cache is emptied: between two such changes an
  // AnalyzedToken::word keeps naming its surface form, and no number is
  // above words_seen().
  uint64_t reset_generation() const { return reset_generation_; }
  uint32_t words_seen() const { return next_word_; }
  bool InHotTable(const char* p) const;

 private:
  // One cached analysis: its strings lie back to back in the arena
  // (surface, norm, stem, root, proclitics, enclitic), so a hit touches the
  // slot and one run of bytes.
  struct Slot {
    uint32_t hash = 0;  // the low half of the key's hash
    uint32_t word = 0;  // AnalyzedToken::word
    const char* data = nullptr;  // null = empty slot
    uint16_t len[6] = {};
    bool stopword = false;
    TokenKind kind = TokenKind::kArabic;
    uint16_t hits = 0;  // look-ups since the last hot-table rebuild (saturates)
  };
  // A frequent word's whole analysis in one cache line: its strings in
  // `bytes` (the surface first, at most 16 bytes), its part lengths, kind
  // and stop-word flag. Filled from the most looked-up slots.
  struct alignas(64) HotSlot {
    char bytes[48];
    uint32_t word;
    uint8_t len[6];  // a hot word's parts fit in `bytes`
    uint8_t kind;
    uint8_t stopword;
    uint16_t hits;  // look-ups since the last rebuild (saturates)
  };
  // A token's surface as a key: the first 16 bytes, zero-padded, and a hash
  // of all of them and of the kind.
  struct Key {
    uint64_t lo;
    uint64_t hi;
    uint64_t hash;
  };
  // Frees memory of AllocateLarge (analyzer.cc): the tables and the arena,
  // in 2 MiB pages where the system allows it.
  struct FreeDeleter {
    void operator()(void* p) const;
  };
  template <typename T>
  using LargePtr = std::unique_ptr<T[], FreeDeleter>;

  const Slot& Lookup(std::string_view surface, const Key& key, TokenKind kind);
  void Fill(std::string_view surface, TokenKind kind, Slot* slot);
  const char* Store(const std::string (&parts)[6], uint16_t (&len)[6]);
  void ResetCache();
  void RebuildHot();
  void Grow();

  AnalyzerOptions options_;
  Tokenizer tokenizer_;
  Normalizer norm_;
  Normalizer analysis_norm_;
  std::shared_ptr<const StopWords> stopwords_;
  LightStemmer stemmer_;
  std::vector<Token> tokens_;
  std::vector<Key> keys_;
  std::vector<uint32_t> misses_;
  // Token cache by surface form and kind (open addressing), and the arena
  // of its strings: blocks that never move, so views stay valid until the
  // cache is reset.
  LargePtr<Slot> slots_;
  size_t slot_count_ = 0;  // a power of two
  size_t cached_ = 0;
  uint64_t generation_ = 0;
  uint64_t reset_generation_ = 0;
  uint32_t next_word_ = 0;  // the last AnalyzedToken::word given
  std::vector<LargePtr<char>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  // In front of slots_: a small two-way table of the most frequent words
  // (it fits in the CPU's L2 cache), rebuilt from the hit counts of slots_
  // every hot_interval_ tokens.
  LargePtr<HotSlot> hot_;
  size_t hot_filled_ = 0;
  uint64_t tokens_since_rebuild_ = 0;
  uint64_t hot_interval_ = 0;
};

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_ANALYZER_H_
