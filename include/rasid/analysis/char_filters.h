// The character filters that normalisation is made of, one per rule.
//
// Each filter looks at one code point. When its rule applies it appends the
// replacement (possibly nothing) to `out` and returns true; otherwise it
// returns false and leaves `out` alone. Normalizer composes the enabled
// filters in the order of NormalizeOptions, feeding each filter's output to
// the next. Tables list Arabic letters by code point and name.
#ifndef RASID_ANALYSIS_CHAR_FILTERS_H_
#define RASID_ANALYSIS_CHAR_FILTERS_H_

#include <string>

namespace rasid::analysis::filters {

bool PresentationForms(char32_t c, std::u32string* out);  // NFKC via ICU
bool Diacritics(char32_t c, std::u32string* out);
bool Tatweel(char32_t c, std::u32string* out);
bool FormatChars(char32_t c, std::u32string* out);
bool Alef(char32_t c, std::u32string* out);
bool AlefMaqsura(char32_t c, std::u32string* out);
bool TaMarbuta(char32_t c, std::u32string* out);
bool HamzaCarriers(char32_t c, std::u32string* out);
bool PersianLetters(char32_t c, std::u32string* out);
bool Digits(char32_t c, std::u32string* out);
bool LatinCase(char32_t c, std::u32string* out);     // ICU simple case folding
bool LatinAccents(char32_t c, std::u32string* out);  // ICU NFD, marks dropped

// True for the code points FormatChars removes (also used by the tokenizer,
// for which they are ignorable inside a word).
bool IsFormatChar(char32_t c);
// True for the Arabic combining marks Diacritics removes.
bool IsArabicMark(char32_t c);

}  // namespace rasid::analysis::filters

#endif  // RASID_ANALYSIS_CHAR_FILTERS_H_
