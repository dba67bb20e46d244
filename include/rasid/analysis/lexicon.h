// Word frequencies that guard clitic segmentation and suffix stripping.
//
// A Lexicon maps a word in analysis form (NormalizeOptions::Analysis(): no
// diacritics, folded alef, ى -> ي, ta marbuta kept) to how often it occurs in
// the news corpora it was built from (tools/build_lexicon.cc), and knows a
// list of function words that are never segmented (data/protected.txt).
// File format: docs/format/lexicon.md.
//
// Thread safety: immutable after loading; share it between threads.
#ifndef RASID_ANALYSIS_LEXICON_H_
#define RASID_ANALYSIS_LEXICON_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rasid/base/status.h"

namespace rasid::analysis {

class Lexicon {
 public:
  // Builds a lexicon from (word, count) pairs and protected words; for tests
  // and for the loader.
  Lexicon(const std::vector<std::pair<std::string, uint32_t>>& counts,
          const std::vector<std::string>& protected_words);

  // Loads "<dir>/lexicon.tsv" and "<dir>/protected.txt". Errors name the file
  // and line.
  static Result<std::shared_ptr<const Lexicon>> Load(const std::string& dir);
  // Loads from DataDir(). The result is cached for the process.
  static Result<std::shared_ptr<const Lexicon>> Default();

  // Occurrences of `word` in the corpora, 0 when unknown.
  uint32_t Count(std::string_view word) const;
  bool IsProtected(std::string_view word) const;
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0;  // into keys_
    uint16_t length = 0;
    uint8_t is_protected = 0;
    uint32_t count = 0;
  };
  void Insert(std::string_view word, uint32_t count, bool is_protected);
  const Slot* Find(std::string_view word) const;

  // A nonzero one-byte tag of each occupied slot's hash (0: empty), probed
  // before the slot: a quarter of a MiB, so that looking up a word that is
  // not there (most of the candidate bases of clitic segmentation) stays
  // in the CPU caches instead of walking the slot table.
  static uint8_t Tag(uint64_t hash) { return static_cast<uint8_t>(hash >> 56) | 1; }
  std::vector<uint8_t> tags_;
  std::vector<Slot> slots_;
  std::string keys_;
  size_t size_ = 0;
};

// The folder holding rasid's data files: $RASID_DATA_DIR if set, else
// "data" beside the executable or one level up, else the source tree's data/.
std::string DataDir();

// 64-bit hash of a short string (used by the lexicon and analysis caches).
uint64_t HashBytes(std::string_view s);

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_LEXICON_H_
