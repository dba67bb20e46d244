#include "rasid/analysis/normalizer.h"

#include <gtest/gtest.h>

#include "rasid/analysis/char_filters.h"
#include "rasid/text/utf8.h"

namespace rasid::analysis {
namespace {

// Each filter alone: {code point, expected output}.
struct FilterCase {
  bool (*filter)(char32_t, std::u32string*);
  char32_t input;
  std::u32string expected;  // what the filter appends
  bool applies;
};

TEST(CharFilters, EachRuleAlone) {
  const FilterCase cases[] = {
      {filters::PresentationForms, 0xFEFB, U"\u0644\u0627", true},                   // ﻻ -> لا
      {filters::PresentationForms, 0xFDF2, U"\u0627\u0644\u0644\u0647", true},       // ﷲ -> الله
      {filters::PresentationForms, 0xFE8D, U"\u0627", true},                         // ﺍ isolated alef
      {filters::PresentationForms, 0xFE70, U"\u064B", true},                         // isolated fathatan, no space
      {filters::PresentationForms, 0x0627, U"", false},
      {filters::Diacritics, 0x064E, U"", true},                                      // FATHA
      {filters::Diacritics, 0x0651, U"", true},                                      // SHADDA
      {filters::Diacritics, 0x0670, U"", true},                                      // SUPERSCRIPT ALEF
      {filters::Diacritics, 0x0628, U"", false},                                     // BEH stays
      {filters::Tatweel, 0x0640, U"", true},
      {filters::FormatChars, 0x200F, U"", true},                                     // RLM
      {filters::FormatChars, 0x200C, U"", true},                                     // ZWNJ
      {filters::FormatChars, 0x061C, U"", true},                                     // ALM
      {filters::Alef, 0x0623, U"\u0627", true},                                      // أ
      {filters::Alef, 0x0625, U"\u0627", true},                                      // إ
      {filters::Alef, 0x0622, U"\u0627", true},                                      // آ
      {filters::Alef, 0x0671, U"\u0627", true},                                      // ٱ
      {filters::AlefMaqsura, 0x0649, U"\u064A", true},                               // ى -> ي
      {filters::TaMarbuta, 0x0629, U"\u0647", true},                                 // ة -> ه
      {filters::HamzaCarriers, 0x0624, U"\u0648", true},                             // ؤ -> و
      {filters::HamzaCarriers, 0x0626, U"\u064A", true},                             // ئ -> ي
      {filters::PersianLetters, 0x06A9, U"\u0643", true},                            // ک -> ك
      {filters::PersianLetters, 0x06CC, U"\u064A", true},                            // ی -> ي
      {filters::PersianLetters, 0x06C1, U"\u0647", true},                            // ہ -> ه
      {filters::PersianLetters, 0x06C0, U"\u0647", true},                            // ۀ -> ه
      {filters::Digits, 0x0667, U"7", true},                                         // ٧
      {filters::Digits, 0x06F4, U"4", true},                                         // ۴
      {filters::Digits, 0x066B, U".", true},                                         // ٫
      {filters::Digits, 0x066C, U",", true},                                         // ٬
      {filters::Digits, 0x066A, U"%", true},                                         // ٪
      {filters::LatinCase, U'T', U"t", true},
      {filters::LatinCase, 0x0628, U"", false},
      {filters::LatinAccents, 0x00E9, U"e", true},                                   // é
      {filters::LatinAccents, 0x00DF, U"ss", true},                                  // ß
      {filters::LatinAccents, 0x0622, U"", false},                                   // آ is not Latin
  };
  for (const auto& c : cases) {
    std::u32string out;
    EXPECT_EQ(c.filter(c.input, &out), c.applies) << std::hex << static_cast<uint32_t>(c.input);
    EXPECT_EQ(out, c.expected) << std::hex << static_cast<uint32_t>(c.input);
  }
}

TEST(Normalizer, SearchLevel) {
  Normalizer n(NormalizeOptions::Search());
  struct { const char* in; const char* out; } cases[] = {
      {"وَلِلْحُكُومَةِ", "وللحكومه"},       // wa-lil-hukumati, full harakat
      {"أغراض", "اغراض"},                   // aghrad
      {"إلى", "الي"},                       // ila
      {"مـــصـــر", "مصر"},                 // misr with tatweel
      {"ﻻ", "لا"},                          // presentation-form lam-alef
      {"٧٫٧", "7.7"},                       // 7.7 in Arabic-Indic digits
      {"١٬٢٠٠", "1,200"},                   // 1,200
      {"٢٥٪", "25%"},                       // 25 percent
      {"Café TRUMP", "cafe trump"},
      {"\u200Fسوريا\u200E", "سوريا"},       // RLM/LRM around suriya
      {"کتاب", "كتاب"},                     // Persian keheh
      {"مسؤول", "مسؤول"},                   // hamza carrier kept by default
  };
  for (const auto& c : cases) EXPECT_EQ(n.Normalize(c.in), c.out) << c.in;
}

TEST(Normalizer, HamzaCarriersCanBeFolded) {
  NormalizeOptions o;
  o.hamza_carriers = true;
  EXPECT_EQ(Normalizer(o).Normalize("مسؤول"), "مسوول");  // mas'ul
}

TEST(Normalizer, RulesCanBeSwitchedOff) {
  NormalizeOptions o;
  o.diacritics = false;
  o.alef = false;
  EXPECT_EQ(Normalizer(o).Normalize("أَ"), "أَ");
}

TEST(Normalizer, DisplayLevelKeepsLetters) {
  Normalizer n(NormalizeOptions::Display());
  EXPECT_EQ(n.Normalize("أَحْمَد\u200F ﻻ ٧"), "أَحْمَد لا ٧");  // ahmad, lam-alef, seven
}

TEST(Normalizer, IdempotentOnEveryBmpCodePoint) {
  for (const auto& opts : {NormalizeOptions::Search(), NormalizeOptions::Display(), NormalizeOptions::Analysis()}) {
    Normalizer n(opts);
    for (char32_t c = 1; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      std::string s;
      rasid::text::AppendUtf8(c, &s);
      std::string once = n.Normalize(s);
      ASSERT_EQ(n.Normalize(once), once) << std::hex << static_cast<uint32_t>(c);
    }
  }
}


// Normalisers share the composed table of their options: one switched
// filter gives another table, and a copy outlives the original.
TEST(Normalizer, SharedTablesFollowTheOptions) {
  NormalizeOptions no_tatweel = NormalizeOptions::Search();
  no_tatweel.tatweel = false;
  Normalizer search(NormalizeOptions::Search());
  Normalizer keeps_tatweel(no_tatweel);
  EXPECT_EQ(search.Normalize("مـــصـــر"), "مصر");  // "misr" with tatweel
  EXPECT_EQ(keeps_tatweel.Normalize("مـــصـــر"), "مـــصـــر");
  auto copy = [] {
    Normalizer original(NormalizeOptions::Display());
    return Normalizer(original);
  }();
  EXPECT_EQ(copy.Normalize("ﻻ أَحْمَد"), "لا أَحْمَد");
  EXPECT_EQ(Normalizer(NormalizeOptions::Search()).Normalize("ﻻ أَحْمَد"), "لا احمد");
}

}  // namespace
}  // namespace rasid::analysis
