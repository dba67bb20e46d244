#include "rasid/analysis/analyzer.h"

#include <gtest/gtest.h>

namespace rasid::analysis {
namespace {

std::unique_ptr<Analyzer> Make(AnalyzerOptions o = AnalyzerOptions()) {
  auto a = Analyzer::Create(o);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return std::move(a).value();
}

TEST(Analyzer, DiacritisedTextKeepsExactSpans) {
  auto a = Make();
  // "wa-lil-hukumati al-jadidati" fully vowelled.
  std::string text = "وَلِلْحُكُومَةِ الجَدِيدَةِ";
  std::vector<AnalyzedToken> toks;
  a->Analyze(text, &toks);
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(text.substr(toks[0].token.start, toks[0].token.end - toks[0].token.start), "وَلِلْحُكُومَةِ");
  EXPECT_EQ(toks[0].norm(), "وللحكومه");
  EXPECT_EQ(toks[0].stem(), "حكوم");
  EXPECT_EQ(toks[0].proclitics(), "و+ل+ال");
  EXPECT_EQ(toks[1].norm(), "الجديده");
  EXPECT_EQ(toks[1].stem(), "جديد");
}

TEST(Analyzer, CachedAndUncachedAgree) {
  auto a = Make();
  std::vector<AnalyzedToken> t1, t2;
  a->Analyze("وأغراضها وأغراضها", &t1);
  ASSERT_EQ(t1.size(), 2u);
  EXPECT_EQ(t1[0].stem(), t1[1].stem());
  std::string s0(t1[0].stem());
  a->Analyze("وأغراضها", &t2);
  EXPECT_EQ(t2[0].stem(), s0);
}

TEST(Analyzer, DisplayLevel) {
  AnalyzerOptions o;
  o.normalize = NormalizeOptions::Display();
  auto a = Make(o);
  std::vector<AnalyzedToken> toks;
  a->Analyze("أَحْمَد ﻻ", &toks);
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[0].norm(), "أَحْمَد");
  EXPECT_EQ(toks[1].norm(), "لا");
  EXPECT_EQ(toks[0].stem(), "احمد");  // stems are always in analysis form
}

TEST(Analyzer, StopwordsAndPunctuationOptions) {
  AnalyzerOptions o;
  o.drop_stopwords = true;
  o.punctuation = false;
  auto a = Make(o);
  std::vector<AnalyzedToken> toks;
  a->Analyze("ذهب إلى المدرسة في الصباح.", &toks);  // "He went to school in the morning."
  std::vector<std::string> norms;
  for (const auto& t : toks) norms.emplace_back(t.norm());
  EXPECT_EQ(norms, (std::vector<std::string>{"ذهب", "المدرسه", "الصباح"}));
}

TEST(Analyzer, RootsWhenAsked) {
  AnalyzerOptions o;
  o.roots = true;
  auto a = Make(o);
  std::vector<AnalyzedToken> toks;
  a->Analyze("والمكتبة", &toks);  // wal-maktaba
  ASSERT_EQ(toks.size(), 1u);
  EXPECT_EQ(toks[0].root(), "كتب");
}

TEST(Analyzer, NumbersAreNormalised) {
  auto a = Make();
  std::vector<AnalyzedToken> toks;
  a->Analyze("٧٫٧ مليون", &toks);
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[0].token.kind, TokenKind::kNumber);
  EXPECT_EQ(toks[0].norm(), "7.7");
  EXPECT_EQ(toks[0].stem(), "7.7");
}

}  // namespace
}  // namespace rasid::analysis
