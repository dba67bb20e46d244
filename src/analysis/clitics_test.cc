#include "rasid/analysis/clitics.h"

#include <gtest/gtest.h>

#include <map>

#include "rasid/analysis/normalizer.h"
#include "rasid/base/file.h"
#include "rasid/base/lines.h"

namespace rasid::analysis {
namespace {

const CliticSegmenter& Segmenter() {
  static CliticSegmenter* s = [] {
    auto lex = Lexicon::Default();
    EXPECT_TRUE(lex.ok()) << lex.status().ToString();
    return new CliticSegmenter(lex.value());
  }();
  return *s;
}

std::string Form(std::string_view w) { return Normalizer(NormalizeOptions::Analysis()).Normalize(w); }

TEST(CliticSegmenter, SplitsRealClitics) {
  struct { const char* word; const char* pro; const char* base; const char* enc; } cases[] = {
      {"وللحكومة", "و+ل+ال", "حكومة", ""},   // wa-lil-hukuma
      {"وأغراضها", "و", "اغراض", "ها"},      // wa-aghradiha
      {"بالتحالف", "ب+ال", "تحالف", ""},     // bil-tahaluf
      {"لترامب", "ل", "ترامب", ""},          // li-Trump
      {"حكومتها", "", "حكومة", "ها"},        // hukumatuha: teh restored to ta marbuta
      {"وقال", "و", "قال", ""},              // wa-qala
      {"الحكومة", "ال", "حكومة", ""},        // al-hukuma
      {"سيكون", "س", "يكون", ""},            // sa-yakun
      {"كتابه", "", "كتاب", "ه"},            // kitabuhu
      {"والوزير", "و+ال", "وزير", ""},       // wal-wazir
  };
  for (const auto& c : cases) {
    Segmentation s = Segmenter().Segment(Form(c.word));
    EXPECT_EQ(s.proclitics, c.pro) << c.word;
    EXPECT_EQ(s.base, c.base) << c.word;
    EXPECT_EQ(s.enclitic, c.enc) << c.word;
  }
}

// A preposition or conjunction before the article: the base is that of the
// article form when the article form itself splits, even if the base is rare
// alone (the lexicon has «للصحفيين» 510 times, «الصحفيين» 421, «صحفيين» 74).
TEST(CliticSegmenter, PrepositionAndArticleTakeTheBaseOfTheArticleForm) {
  struct { const char* word; const char* pro; const char* base; } cases[] = {
      {"للصحفيين", "ل+ال", "صحفيين"},  // lil-sahafiyyin, as al-sahafiyyin
      {"الصحفيين", "ال", "صحفيين"},
      {"والعراق", "و+ال", "عراق"},     // wal-iraq, as al-iraq
      {"بالعراق", "ب+ال", "عراق"},
      {"للعراق", "ل+ال", "عراق"},
      {"العراق", "ال", "عراق"},
      {"والصين", "و", "الصين"},        // al-sin stays whole, so wal-sin keeps it whole too
      {"الصين", "", "الصين"},
      {"والتي", "و", "التي"},          // the relative pronoun is protected
  };
  for (const auto& c : cases) {
    Segmentation s = Segmenter().Segment(Form(c.word));
    EXPECT_EQ(s.proclitics, c.pro) << c.word;
    EXPECT_EQ(s.base, Form(c.base)) << c.word;
  }
}

TEST(CliticSegmenter, KeepsRealLetters) {
  // walid, balad, albania, kitab, dhalik, lakin, allah, alladhi, libya, london, tafahum, mike
  for (const char* w : {"والد", "بلد", "البانيا", "كتاب", "ذلك", "لكن", "الله", "الذي", "ليبيا", "لندن",
                        "تفاهم", "مايك", "بريطانيا", "وزارة", "فرنسا", "سوريا"}) {
    Segmentation s = Segmenter().Segment(Form(w));
    EXPECT_EQ(s.proclitics, "") << w;
    EXPECT_EQ(s.enclitic, "") << w;
    EXPECT_EQ(s.base, Form(w)) << w;
  }
}

TEST(CliticSegmenter, UnknownWordAfterArticleIsSplit) {
  Lexicon lex({}, {});
  CliticSegmenter seg(std::make_shared<Lexicon>(lex));
  EXPECT_EQ(seg.Segment("الكوفيدي").base, "كوفيدي");   // al-kufidi, unseen
  EXPECT_EQ(seg.Segment("وكوفيدي").base, "وكوفيدي");   // a lone waw is not split blindly
}

TEST(CliticSegmenter, ProtectedWordsStayWhole) {
  Lexicon lex({{"له", 1000}, {"الله", 10}}, {"الله"});
  CliticSegmenter seg(std::make_shared<Lexicon>(lex));
  EXPECT_EQ(seg.Segment("الله").base, "الله");
}


}  // namespace
}  // namespace rasid::analysis

namespace rasid::analysis {
namespace {

TEST(ProtectedWords, AreInAnalysisForm) {
  Result<std::string> data = ReadFile(DataDir() + "/protected.txt");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  Normalizer n(NormalizeOptions::Analysis());
  int lines = 0;
  ForEachLine(*data, [&](size_t, std::string_view line) {
    if (line.empty() || line[0] == '#') return true;
    EXPECT_EQ(n.Normalize(line), line);
    ++lines;
    return true;
  });
  EXPECT_GT(lines, 50);
}


// The lexicon's one-byte tags in front of its slots: every word present is
// found with its count and protection, every word absent is not, also when
// many share a tag (with 20,000 words, each tag has about 150).
TEST(Lexicon, TagsInFrontOfSlotsLoseNothing) {
  std::vector<std::pair<std::string, uint32_t>> counts;
  std::vector<std::string> protected_words;
  std::map<std::string, uint32_t> expected;
  for (uint32_t i = 0; i < 20000; ++i) {
    std::string w(1, 'w');
    w += std::to_string(i * 7919 % 100000);
    counts.emplace_back(w, i + 1);
    expected[w] += i + 1;
    if (i % 100 == 0) protected_words.push_back(w);
  }
  counts.emplace_back("w0", 5);  // a repeated word adds up
  expected["w0"] += 5;
  Lexicon lex(counts, protected_words);
  EXPECT_EQ(lex.size(), expected.size());
  for (const auto& [w, c] : expected) ASSERT_EQ(lex.Count(w), c) << w;
  for (uint32_t i = 0; i < 20000; ++i) {
    std::string absent(1, 'x');
    absent += std::to_string(i);
    ASSERT_EQ(lex.Count(absent), 0u) << absent;
    ASSERT_FALSE(lex.IsProtected(absent));
  }
  for (const std::string& w : protected_words) EXPECT_TRUE(lex.IsProtected(w)) << w;
  EXPECT_FALSE(lex.IsProtected("w1"));
  EXPECT_EQ(lex.Count(""), 0u);
}

}  // namespace
}  // namespace rasid::analysis
