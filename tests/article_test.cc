// Whole-article checks on real news text: the bundled sample and, when
// present, ../shared/reference/article-ar-001.txt and the corpora in
// ../shared/data (skipped when absent, as in a plain clone).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rasid/analysis/analyzer.h"
#include "rasid/analysis/normalizer.h"
#include "rasid/base/file.h"
#include "rasid/text/utf8.h"

namespace rasid::analysis {
namespace {

std::string SharedPath(const std::string& rel) { return std::string(RASID_SHARED_DIR) + "/" + rel; }

// Invariants that must hold on any text.
void CheckInvariants(Analyzer* a, const std::string& text) {
  std::vector<AnalyzedToken> toks;
  a->Analyze(text, &toks);
  const Normalizer& n = a->normalizer();
  uint32_t prev_end = 0, prev_sentence = 0;
  for (const auto& t : toks) {
    ASSERT_LE(prev_end, t.token.start);
    ASSERT_LT(t.token.start, t.token.end);
    ASSERT_LE(t.token.end, text.size());
    ASSERT_GE(t.token.sentence, prev_sentence);
    std::string_view surface = std::string_view(text).substr(t.token.start, t.token.end - t.token.start);
    ASSERT_FALSE(text::FindInvalidUtf8(surface)) << "span cuts a character at " << t.token.start;
    ASSERT_EQ(n.Normalize(surface), t.norm());   // norm is the normal form of the span
    ASSERT_EQ(n.Normalize(t.norm()), t.norm());    // idempotent
    prev_end = t.token.end;
    prev_sentence = t.token.sentence;
  }
}

// ANT corpus v2.1 article SK-internationalNews-1544-20180513 (Sky News
// Arabia; Apache-2.0, see tests/testdata/README.md).
TEST(Article, BundledArticleTokens) {
  Result<std::string> text = ReadFile(std::string(RASID_TESTDATA_DIR) + "/ant_article.txt");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto a = std::move(Analyzer::Create(AnalyzerOptions())).value();
  CheckInvariants(a.get(), *text);
  std::vector<AnalyzedToken> toks;
  a->Analyze(*text, &toks);
  struct Want { const char* text; const char* norm; const char* stem; const char* kind; uint32_t sentence; };
  // "Toll of the church bombings in Indonesia rises \n The Indonesian police reported ..."
  const Want want[] = {
      {"ارتفاع", "ارتفاع", "ارتفاع", "arabic", 0},
      {"عدد", "عدد", "عدد", "arabic", 0},
      {"ضحايا", "ضحايا", "ضحايا", "arabic", 0},
      {"تفجيرات", "تفجيرات", "تفجير", "arabic", 0},
      {"الكنائس", "الكنائس", "كنائس", "arabic", 0},
      {"بإندونيسيا", "باندونيسيا", "اندونيسيا", "arabic", 0},
      {"أفادت", "افادت", "افادت", "arabic", 1},
      {"الشرطة", "الشرطه", "شرط", "arabic", 1},
      {"الإندونيسية", "الاندونيسيه", "اندونيسي", "arabic", 1},
      {"بارتفاع", "بارتفاع", "ارتفاع", "arabic", 1},
      {"عدد", "عدد", "عدد", "arabic", 1},
      {"الضحايا", "الضحايا", "ضحايا", "arabic", 1},
      {"الى", "الي", "الي", "arabic", 1},
      {"6", "6", "6", "number", 1},
      {"قتلى", "قتلي", "قتلي", "arabic", 1},
      {"و35", "و35", "و35", "mixed", 1},
      {"جريحا", "جريحا", "جريح", "arabic", 1},
  };
  ASSERT_GE(toks.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    const auto& t = toks[i];
    EXPECT_EQ(text->substr(t.token.start, t.token.end - t.token.start), want[i].text) << i;
    EXPECT_EQ(t.norm(), want[i].norm) << i;
    EXPECT_EQ(t.stem(), want[i].stem) << i;
    EXPECT_STREQ(TokenKindName(t.token.kind), want[i].kind) << i;
    EXPECT_EQ(t.token.sentence, want[i].sentence) << i;
  }
  // "7,30" (half past seven) is one number token.
  bool found = false;
  for (const auto& t : toks) found |= text->substr(t.token.start, t.token.end - t.token.start) == "7,30";
  EXPECT_TRUE(found);
}

TEST(Article, ReferenceArticleWhenPresent) {
  std::string path = SharedPath("reference/article-ar-001.txt");
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) GTEST_SKIP() << "needs ../shared/reference (absent): " << path;
  auto a = std::move(Analyzer::Create(AnalyzerOptions())).value();
  CheckInvariants(a.get(), *text);
  std::vector<AnalyzedToken> toks;
  a->Analyze(*text, &toks);
  struct Want { const char* text; const char* norm; const char* stem; };
  // "With the military victories achieved by the international coalition"
  const Want want[] = {
      {"مع", "مع", "مع"},
      {"الانتصارات", "الانتصارات", "انتصار"},
      {"العسكرية", "العسكريه", "عسكري"},
      {"التي", "التي", "التي"},
      {"حققها", "حققها", "حقق"},
      {"التحالف", "التحالف", "تحالف"},
      {"الدولي", "الدولي", "دولي"},
  };
  for (size_t i = 0; i < std::size(want); ++i) {
    const auto& t = toks[i];
    EXPECT_EQ(text->substr(t.token.start, t.token.end - t.token.start), want[i].text) << i;
    EXPECT_EQ(t.norm(), want[i].norm) << i;
    EXPECT_EQ(t.stem(), want[i].stem) << i;
  }
  bool found = false;
  for (const auto& t : toks) {
    if (text->substr(t.token.start, t.token.end - t.token.start) == "7٫7") {
      EXPECT_EQ(t.norm(), "7.7");
      EXPECT_EQ(t.token.kind, TokenKind::kNumber);
      found = true;
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(toks.back().norm(), ":");  // the article ends with "رابط دائم:"
}

TEST(Article, NewsCorpusInvariantsWhenPresent) {
  std::ifstream in(SharedPath("data/ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl"));
  if (!in) GTEST_SKIP() << "needs ../shared/data (absent)";
  auto a = std::move(Analyzer::Create(AnalyzerOptions())).value();
  std::string line;
  for (int i = 0; i < 300 && std::getline(in, line); ++i) CheckInvariants(a.get(), line);
}

}  // namespace
}  // namespace rasid::analysis
