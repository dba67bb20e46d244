#include "rasid/analysis/analyzer.h"

#include <gtest/gtest.h>

#include <map>

#include "rasid/analysis/root.h"
#include "rasid/base/file.h"

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


// The word cache (main table, hot table of frequent words, their rebuilds)
// against the uncached chain: tokenizer, normalisers, segmenter, stemmer,
// roots and stop words called directly on each token.
class UncachedChain {
 public:
  explicit UncachedChain(const AnalyzerOptions& o)
      : options_(o),
        norm_(o.normalize),
        analysis_norm_(NormalizeOptions::Analysis()),
        stopwords_(StopWords::Default().value()),
        stemmer_(Lexicon::Default().value()) {}

  // "norm|stem|root|proclitics|enclitic|stopword" of each token, or of the
  // tokens the analyzer keeps with these options.
  std::vector<std::string> Analyze(std::string_view text) const {
    std::vector<Token> tokens;
    Tokenizer().Tokenize(text, &tokens);
    std::vector<std::string> out;
    for (const Token& t : tokens) {
      std::string_view surface = text.substr(t.start, t.end - t.start);
      bool punct = t.kind == TokenKind::kPunct || t.kind == TokenKind::kSymbol;
      if (punct && !options_.punctuation) continue;
      std::string norm = norm_.Normalize(surface), stem = norm, root, pro, enc;
      bool stop = false;
      if (t.kind == TokenKind::kArabic) {
        std::string form = analysis_norm_.Normalize(surface);
        stop = stopwords_->Contains(form);
        Segmentation seg = stemmer_.segmenter().Segment(form);
        stem = stemmer_.StemBase(seg.base);
        if (options_.roots) root = ExtractRoot(seg.base);
        pro = seg.proclitics;
        enc = seg.enclitic;
      }
      if (stop && options_.drop_stopwords) continue;
      out.push_back(Describe(t, norm, stem, root, pro, enc, stop));
    }
    return out;
  }

  static std::string Describe(const Token& t, std::string_view norm, std::string_view stem, std::string_view root,
                              std::string_view pro, std::string_view enc, bool stop) {
    std::string s = std::to_string(t.start) + "-" + std::to_string(t.end) + " " + std::to_string(t.sentence) + " " +
                    TokenKindName(t.kind);
    for (std::string_view part : {norm, stem, root, pro, enc}) s.append("|").append(part);
    return s + (stop ? "|stop" : "|");
  }

 private:
  AnalyzerOptions options_;
  Normalizer norm_;
  Normalizer analysis_norm_;
  std::shared_ptr<const StopWords> stopwords_;
  LightStemmer stemmer_;
};

std::vector<std::string> Describe(const std::vector<AnalyzedToken>& toks) {
  std::vector<std::string> out;
  for (const AnalyzedToken& a : toks) {
    out.push_back(UncachedChain::Describe(a.token, a.norm(), a.stem(), a.root(), a.proclitics(), a.enclitic(),
                                          a.stopword));
  }
  return out;
}

// Texts for the comparison: the bundled article, the reference article of
// ../shared when present, and edge cases.
std::vector<std::string> ChainTexts() {
  std::vector<std::string> texts;
  for (std::string path : {std::string(RASID_TESTDATA_DIR) + "/ant_article.txt",
                           std::string(RASID_SHARED_DIR) + "/reference/article-ar-001.txt"}) {
    Result<std::string> t = ReadFile(path);
    if (t.ok()) texts.push_back(*t);
  }
  texts.push_back(
      // Mixed scripts, digits of every script, diacritics, tatweel,
      // presentation forms (ﻻ ﷲ), format characters, long words (> 16
      // bytes, so not in the hot table), URLs, hashtags, e-mails.
      "وَلِلْحُكُومَةِ مـــصـــر ﻻ ﷲ سو\u200Fريا Trump's O'Brien Москва café 7٫7 ١٬٢٠٠ ۱۲ ٢٥٪ 25% "
      "كوفيد-19 F-16 الـ15 2014م و400 #عاصي_الحلاني @rasid info@example.com http://x.org/هكذا. "
      "والمستشفيات والاستراتيجيات واستراتيجياتهم supercalifragilisticexpialidocious د. م. ص. «قال» … ؟ ! "
      "\xEF\xBB\xBF \u061C\u200D ـ \u064B ٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ০১২ ๑๒๓ ١٢٣abc abc١٢٣ پژوهش گزارش");
  return texts;
}

void ExpectChainAgrees(const AnalyzerOptions& o) {
  auto a = Make(o);
  UncachedChain reference(o);
  std::vector<std::string> texts = ChainTexts();
  std::vector<std::vector<std::string>> expected;
  for (const std::string& t : texts) expected.push_back(reference.Analyze(t));
  // Enough passes for several rebuilds of the hot table (after 32,768,
  // 65,536, 131,072 tokens), with the texts interleaved.
  std::vector<AnalyzedToken> toks;
  uint64_t first_generation = a->cache_generation();
  size_t analysed = 0;
  for (int pass = 0; pass < 100; ++pass) {
    for (size_t i = 0; i < texts.size(); ++i) {
      a->Analyze(texts[i], &toks);
      ASSERT_EQ(Describe(toks), expected[i]) << "pass " << pass << ", text " << i;
      analysed += expected[i].size();
    }
  }
  if (analysed > 40000) {
    EXPECT_NE(a->cache_generation(), first_generation);  // the hot table was rebuilt
  }
}

TEST(Analyzer, CacheAgreesWithUncachedChain) { ExpectChainAgrees(AnalyzerOptions()); }

TEST(Analyzer, CacheAgreesWithUncachedChainOtherOptions) {
  AnalyzerOptions o;
  o.roots = true;
  o.punctuation = false;
  o.drop_stopwords = true;
  o.normalize = NormalizeOptions::Display();
  ExpectChainAgrees(o);
  AnalyzerOptions small;
  small.cache_entries = 100;  // emptied again and again
  ExpectChainAgrees(small);
}

// Checks that the names a cache gives (data pointers, word numbers) and
// the surface forms (with their kind) correspond one to one.
template <typename Name>
class OneToOne {
 public:
  void Clear() {
    by_name_.clear();
    by_surface_.clear();
  }
  ::testing::AssertionResult Check(Name name, const std::string& text, const AnalyzedToken& t) {
    const std::string key = std::string(TokenKindName(t.token.kind)) + " " +
                            text.substr(t.token.start, t.token.end - t.token.start);
    auto p = by_name_.emplace(name, key).first;
    if (p->second != key) return ::testing::AssertionFailure() << key << " named like " << p->second;
    auto q = by_surface_.emplace(key, name).first;
    if (q->second != name) return ::testing::AssertionFailure() << key << " has two names";
    return ::testing::AssertionSuccess();
  }

 private:
  std::map<Name, std::string> by_name_;
  std::map<std::string, Name> by_surface_;
};

// Within one generation a data pointer stands for one surface form and
// kind, and each surface form has one pointer.
TEST(Analyzer, DataPointersIdentifySurfaceFormsWithinAGeneration) {
  auto a = Make();
  std::vector<std::string> texts = ChainTexts();
  OneToOne<const char*> pointers;
  uint64_t generation = a->cache_generation();
  std::vector<AnalyzedToken> toks;
  for (int pass = 0; pass < 100; ++pass) {
    for (const std::string& text : texts) {
      a->Analyze(text, &toks);
      if (a->cache_generation() != generation) {
        generation = a->cache_generation();
        pointers.Clear();
      }
      for (const AnalyzedToken& t : toks) ASSERT_TRUE(pointers.Check(t.data, text, t));
    }
  }
}

// A word number stands for one surface form and kind, and each form has
// one number, until the cache is emptied: across rebuilds of the hot table
// (data pointers move, numbers do not), and within an emptied cache again.
TEST(Analyzer, WordNumbersIdentifySurfaceFormsUntilTheCacheIsEmptied) {
  for (size_t entries : {size_t{1} << 20, size_t{300}}) {
    AnalyzerOptions o;
    o.cache_entries = entries;
    auto a = Make(o);
    std::vector<std::string> texts = ChainTexts();
    // A thousand words of its own (with or without ../shared): 60 passes
    // make 60,000 tokens or more (a hot-table rebuild comes after 32,768)
    // and more distinct words than the small cache holds.
    std::string many;
    for (int i = 0; i < 1000; ++i) many += (i % 2 ? "سوق" : "market") + std::to_string(i) + " ";
    texts.push_back(many);
    OneToOne<uint32_t> words;
    uint64_t reset = a->reset_generation();
    uint64_t generation = a->cache_generation();
    int rebuilds = 0, resets = 0;
    std::vector<AnalyzedToken> toks;
    for (int pass = 0; pass < 60; ++pass) {
      for (const std::string& text : texts) {
        a->Analyze(text, &toks);
        if (a->reset_generation() != reset) {
          reset = a->reset_generation();
          ++resets;
          words.Clear();
        } else if (a->cache_generation() != generation) {
          ++rebuilds;
        }
        generation = a->cache_generation();
        for (const AnalyzedToken& t : toks) {
          ASSERT_GE(t.word, 1u);
          ASSERT_LE(t.word, a->words_seen());
          ASSERT_TRUE(words.Check(t.word, text, t));
        }
      }
    }
    if (entries > 1000) {
      EXPECT_GT(rebuilds, 0);  // the hot table was rebuilt, the numbers kept
      EXPECT_EQ(resets, 0);
    } else {
      EXPECT_GT(resets, 0);
    }
  }
  // Two analyzers never share a reset generation (callers key by it).
  auto x = Make(), y = Make();
  EXPECT_NE(x->reset_generation(), y->reset_generation());
}

}  // namespace
}  // namespace rasid::analysis
