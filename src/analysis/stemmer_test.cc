#include "rasid/analysis/stemmer.h"

#include <gtest/gtest.h>

#include "rasid/analysis/normalizer.h"

namespace rasid::analysis {
namespace {

std::string Stem(std::string_view w) {
  static LightStemmer* s = new LightStemmer(Lexicon::Default().value());
  return s->Stem(Normalizer(NormalizeOptions::Analysis()).Normalize(w));
}

TEST(LightStemmer, ConflatesWhatLight10Misses) {
  // Lucene's Light10 strips only one proclitic group and leaves وأغراضها as
  // "اغراضها"; rasid reaches the same stem as the bare word.
  EXPECT_EQ(Stem("وأغراضها"), Stem("أغراض"));  // wa-aghradiha / aghrad
  EXPECT_EQ(Stem("وللحكومة"), Stem("الحكومة"));  // wa-lil-hukuma / al-hukuma
  EXPECT_EQ(Stem("حكومتها"), Stem("حكومة"));    // hukumatuha / hukuma
  EXPECT_EQ(Stem("حكومات"), Stem("الحكومة"));   // hukumat (plural)
  EXPECT_EQ(Stem("الانتخابات"), Stem("انتخاب"));  // elections / election
  EXPECT_EQ(Stem("الأمريكية"), Stem("أمريكي"));  // American (f.) / American (m.)
  EXPECT_EQ(Stem("المعلمين"), Stem("معلم"));     // teachers / teacher
}

TEST(LightStemmer, ExactStems) {
  struct { const char* word; const char* stem; } cases[] = {
      {"وللحكومة", "حكوم"}, {"وأغراضها", "اغراض"}, {"مطارات", "مطار"}, {"التحالف", "تحالف"},
      {"لبنان", "لبنان"},   {"فلسطين", "فلسطين"},  {"أوقات", "اوقات"}, {"ثلاثين", "ثلاثين"},
      {"مليون", "مليون"},   {"والد", "والد"},      {"بلد", "بلد"},     {"كتاب", "كتاب"},
  };
  for (const auto& c : cases) EXPECT_EQ(Stem(c.word), c.stem) << c.word;
}

TEST(LightStemmer, SuffixNeedsAttestedRemainder) {
  LightStemmer s(std::make_shared<Lexicon>(std::vector<std::pair<std::string, uint32_t>>{{"مطار", 50}},
                                           std::vector<std::string>{}));
  EXPECT_EQ(s.StemBase("مطارات"), "مطار");
  EXPECT_EQ(s.StemBase("سيارات"), "سيارات");  // سيار/سيارة unknown to this lexicon
  EXPECT_EQ(s.StemBase("سيارة"), "سيار");     // ta marbuta always goes
}

}  // namespace
}  // namespace rasid::analysis
