// Orthographic normalisation of Arabic (and Latin) text, in two levels.
//
// Search level folds what a reader does not distinguish when searching
// (diacritics, alef and hamza forms, ta marbuta, digit scripts, case); display
// level only repairs encoding artefacts (presentation forms, invisible format
// characters) and keeps every letter. Each rule is a filter of its own
// (char_filters.h) that can be switched off in NormalizeOptions; the filters
// are composed once into a code-point table, so normalising costs one table
// look-up per character whatever rules are on.
//
// Normalisation maps each code point to zero or more code points, never
// looking at neighbours, so a token's normal form is the concatenation of the
// forms of its characters and byte spans into the original text stay exact.
// Normalize(Normalize(x)) == Normalize(x) for every option set.
//
// Thread safety: a Normalizer is immutable after construction and may be
// shared by threads.
#ifndef RASID_ANALYSIS_NORMALIZER_H_
#define RASID_ANALYSIS_NORMALIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rasid::analysis {

struct NormalizeOptions {
  bool presentation_forms = true;  // NFKC of U+FB50..U+FDFF, U+FE70..U+FEFF (ﻻ -> لا)
  bool diacritics = true;          // harakat, tanwin, shadda, sukun, superscript alef, Quranic marks
  bool tatweel = true;             // U+0640
  bool format_chars = true;        // ZWNJ, ZWJ, LRM, RLM, ALM, bidi controls, soft hyphen, BOM
  bool alef = true;                // أ إ آ ٱ ٲ ٳ -> ا
  bool alef_maqsura = true;        // ى -> ي
  bool ta_marbuta = true;          // ة -> ه
  bool hamza_carriers = false;     // ؤ -> و, ئ -> ي (off by default)
  bool persian_letters = true;     // ک ی ہ ۀ ە ګ ... -> ك ي ه ه ...
  bool digits = true;              // ٠-٩ ۰-۹ -> 0-9; ٫ -> '.'; ٬ -> ','; ٪ -> '%'
  bool latin_case = true;          // Unicode simple case folding of Latin, Greek, Cyrillic
  bool latin_accents = true;       // é -> e, ß -> ss, æ -> ae

  // The two levels of the documentation.
  static NormalizeOptions Search() { return NormalizeOptions(); }
  static NormalizeOptions Display();
  // Search level with ta marbuta kept: the form the clitic and stem
  // analysis works on (its lexicon is keyed by it).
  static NormalizeOptions Analysis();
};

class Normalizer {
 public:
  explicit Normalizer(const NormalizeOptions& options);

  // Appends the normal form of the valid UTF-8 `text` to `out`.
  void AppendNormalized(std::string_view text, std::string* out) const;
  std::string Normalize(std::string_view text) const {
    std::string out;
    AppendNormalized(text, &out);
    return out;
  }
  // True when the code point is removed (maps to nothing).
  bool Removes(char32_t cp) const;
  const NormalizeOptions& options() const { return options_; }

 private:
  // The composed map of one set of options (normalizer.cc); built once per
  // process and shared, so that constructing a Normalizer is cheap.
  struct Tables;
  NormalizeOptions options_;
  std::shared_ptr<const Tables> tables_;
  const uint32_t* table_ = nullptr;  // 65536 entries, see normalizer.cc
  std::string_view pool_;            // UTF-8 replacements
};

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_NORMALIZER_H_
