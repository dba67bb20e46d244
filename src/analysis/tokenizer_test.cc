#include "rasid/analysis/tokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "analysis/tokenizer_internal.h"
#include "rasid/base/file.h"

namespace rasid::analysis {
namespace {

struct Tok {
  std::string text;
  std::string kind;
  uint32_t sentence;
  bool operator==(const Tok& o) const { return text == o.text && kind == o.kind && sentence == o.sentence; }
};

std::ostream& operator<<(std::ostream& os, const Tok& t) {
  return os << "{" << t.text << "," << t.kind << "," << t.sentence << "}";
}

std::vector<Tok> Tokens(std::string_view text) {
  std::vector<Token> tokens;
  Tokenizer().Tokenize(text, &tokens);
  std::vector<Tok> out;
  for (const Token& t : tokens) {
    out.push_back({std::string(text.substr(t.start, t.end - t.start)), TokenKindName(t.kind), t.sentence});
  }
  return out;
}

TEST(Tokenizer, ArabicWordsNumbersAndPunctuation) {
  // "7.7 million people, and 400 million dollars."
  EXPECT_EQ(Tokens("نحو 7٫7 مليون شخص، و400 مليون دولار."),
            (std::vector<Tok>{{"نحو", "arabic", 0}, {"7٫7", "number", 0}, {"مليون", "arabic", 0},
                              {"شخص", "arabic", 0}, {"،", "punct", 0}, {"و400", "mixed", 0},
                              {"مليون", "arabic", 0}, {"دولار", "arabic", 0}, {".", "punct", 0}}));
}

TEST(Tokenizer, NumbersInEveryScript) {
  EXPECT_EQ(Tokens("١٬٢٠٠ 1,200.5 ۱۲ ٢٥٪ 25%"),
            (std::vector<Tok>{{"١٬٢٠٠", "number", 0}, {"1,200.5", "number", 0}, {"۱۲", "number", 0},
                              {"٢٥٪", "percent", 0}, {"25%", "percent", 0}}));
}

TEST(Tokenizer, DiacriticsTatweelAndFormatCharsStayInTheWord) {
  // "wa-lil-hukumati" with harakat, "misr" with tatweel, RLM inside a word.
  EXPECT_EQ(Tokens("وَلِلْحُكُومَةِ مـــصـــر سو\u200Fريا"),
            (std::vector<Tok>{{"وَلِلْحُكُومَةِ", "arabic", 0}, {"مـــصـــر", "arabic", 0},
                              {"سو\u200Fريا", "arabic", 0}}));
}

TEST(Tokenizer, MixedHashtagsMentionsUrlsEmails) {
  EXPECT_EQ(Tokens("كوفيد-19 F-16 الـ15 2014م #عاصي_الحلاني @rasid_news info@example.com "
                "http://www.alarabiya.net/ar/2018/02/18/هكذا-تحالفت.html."),
            (std::vector<Tok>{{"كوفيد-19", "mixed", 0},
                              {"F-16", "mixed", 0},
                              {"الـ15", "mixed", 0},
                              {"2014م", "mixed", 0},
                              {"#عاصي_الحلاني", "hashtag", 0},
                              {"@rasid_news", "mention", 0},
                              {"info@example.com", "email", 0},
                              {"http://www.alarabiya.net/ar/2018/02/18/هكذا-تحالفت.html", "url", 0},
                              {".", "punct", 0}}));
}

TEST(Tokenizer, LatinWords) {
  EXPECT_EQ(Tokens("The Voice O'Brien"),
            (std::vector<Tok>{{"The", "latin", 0}, {"Voice", "latin", 0}, {"O'Brien", "latin", 0}}));
}

TEST(Tokenizer, SentencesDoNotSplitOnInitialsOrDecimals) {
  // "Dr. Ahmad said: 3.5 percent. Did he go? Yes!"
  auto toks = Tokens("قال د. أحمد إن النسبة 3.5 بالمئة. هل ذهب؟ نعم!");
  std::vector<uint32_t> sentences;
  for (const auto& t : toks) sentences.push_back(t.sentence);
  EXPECT_EQ(sentences, (std::vector<uint32_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2}));
}

TEST(Tokenizer, ClosingQuoteStaysWithItsSentence) {
  auto toks = Tokens("قال: «انتهى.» ثم غادر");  // "He said: «It is over.» Then he left"
  ASSERT_EQ(toks.size(), 8u);
  EXPECT_EQ(toks[5].text, "»");
  EXPECT_EQ(toks[5].sentence, 0u);
  EXPECT_EQ(toks[6].sentence, 1u);
}

TEST(Tokenizer, LineBreakEndsSentence) {
  auto toks = Tokens("عنوان الخبر\nنص الخبر");  // "headline \n body"
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_EQ(toks[1].sentence, 0u);
  EXPECT_EQ(toks[2].sentence, 1u);
}

TEST(Tokenizer, EllipsisAndDashes) {
  EXPECT_EQ(Tokens("انتظر... — ثم…"),
            (std::vector<Tok>{{"انتظر", "arabic", 0}, {"...", "punct", 0}, {"—", "punct", 1},
                              {"ثم", "arabic", 1}, {"…", "punct", 1}}));
}


TEST(Tokenizer, AbbreviationsInAnyCaseButNotLongerWords) {
  // "Dr. X", "DR. X", "etc. X", "Sept. X", "ilkh. X" keep one sentence;
  // "Drs. X" (not in the list) and a long word do not.
  for (const char* text : {"Dr. Smith", "DR. Smith", "etc. Smith", "Sept. Smith", "إلخ. سمير", "الخ. سمير"}) {
    auto toks = Tokens(text);
    ASSERT_EQ(toks.size(), 3u) << text;
    EXPECT_EQ(toks[2].sentence, 0u) << text;
  }
  for (const char* text : {"Drs. Smith", "Doctors. Smith", "والمستشفيات. سمير"}) {
    auto toks = Tokens(text);
    ASSERT_EQ(toks.size(), 3u) << text;
    EXPECT_EQ(toks[2].sentence, 1u) << text;
  }
}

std::vector<Token> Fast(std::string_view text) {
  std::vector<Token> out;
  Tokenizer().Tokenize(text, &out);
  return out;
}

std::vector<Token> CharByChar(std::string_view text) {
  std::vector<Token> out;
  TokenizeCharByChar(text, &out);
  return out;
}

std::string Describe(std::string_view text, const std::vector<Token>& tokens) {
  std::string s;
  for (const Token& t : tokens) {
    s += std::to_string(t.start) + "-" + std::to_string(t.end) + ":" + std::to_string(t.sentence) + ":" +
         TokenKindName(t.kind) + ":" + std::string(text.substr(t.start, t.end - t.start)) + "\n";
  }
  return s;
}

void ExpectSamePaths(std::string_view text) {
  ASSERT_EQ(Describe(text, Fast(text)), Describe(text, CharByChar(text))) << text;
}

// The 16-bytes-at-a-time path for runs of Arabic letters against the
// character by character one, on real text and on words that mix those
// runs with everything that can end or continue them.
TEST(Tokenizer, FastPathMatchesCharByCharOnArticles) {
  int texts = 0;
  for (std::string path : {std::string(RASID_TESTDATA_DIR) + "/ant_article.txt",
                           std::string(RASID_SHARED_DIR) + "/reference/article-ar-001.txt"}) {
    Result<std::string> text = ReadFile(path);
    if (!text.ok()) continue;
    ++texts;
    ExpectSamePaths(*text);
    // Every suffix, so that runs end at every distance from the end.
    for (size_t i = 0; i < std::min<size_t>(text->size(), 400); ++i) {
      size_t cut = text->size() - i;
      while (cut > 0 && (static_cast<unsigned char>((*text)[cut]) & 0xC0) == 0x80) --cut;
      ExpectSamePaths(std::string_view(*text).substr(0, cut));
    }
  }
  EXPECT_GE(texts, 1);
}

TEST(Tokenizer, FastPathMatchesCharByCharOnEdgeCases) {
  // Pieces: letters inside and outside U+0620-U+065F, harakat, tatweel,
  // superscript alef, Quranic marks, Persian letters, presentation forms,
  // digits of every script, Arabic punctuation (، ؛ ؟ ۔ ٪ ٫ ٬), format
  // characters (ZWSP, ZWNJ, ZWJ, RLM, ALM, BOM, soft hyphen), Latin,
  // Cyrillic, CJK, combining accents, apostrophes, hyphens, URLs, e-mails,
  // hashtags, emoji.
  const char* pieces[] = {
      "ا", "ب", "ة", "ى", "ي", "و", "ف", "ق", "ك", "ل", "م", "ن", "ه", "ء", "أ", "إ", "آ", "ؤ", "ئ", "ؠ", "ػ", "ؿ",
      "ـ", "َ", "ُ", "ِ", "ّ", "ْ", "ً", "ٌ", "ٍ", "ٰ", "ٓ", "ٔ", "ٕ", "ٟ", "ؐ", "ۖ", "ٱ", "پ", "چ", "ژ", "گ", "ک", "ی",
      "ۀ", "ە", "ﻻ", "ﷲ", "ﺍ", "ﹰ", "٠", "١", "٩", "۰", "۹", "٫", "٬", "٪", "،", "؛", "؟", "۔", "٭", "؀",
      " ", "  ", "\n", "\t", "\u200B", "\u200C", "\u200D", "\u200F", "\u061C", "\uFEFF", "\u00AD", "a", "Z", "q",
      "1", "9", "0", ".", ",", "-", "_", "'", "’", "\"", "«", "»", "(", ")", "!", "?", "…", "#", "@", "%", "$",
      "€", "😀", "http://", "www.", "x.org", "@example.com", "info", "Dr", "د", "م", "e\u0301", "ß", "Москва",
      "中文", "١٢٣", "abc", "كتاب", "والمستشفيات", "في", "من", "ـــ", "وَلِلْحُكُومَةِ"};
  std::mt19937 rng(20261129);
  for (int k = 0; k < 20000; ++k) {
    std::string text;
    int len = static_cast<int>(rng() % 48);
    for (int j = 0; j < len; ++j) text += pieces[rng() % (sizeof pieces / sizeof *pieces)];
    ExpectSamePaths(text);
    if (HasFailure()) return;
  }
}

TEST(Tokenizer, LongArabicRunsAndWhatEndsThem) {
  // A word longer than 16 bytes, ended by each kind of character.
  std::string word = "والاستراتيجيات";  // "and the strategies", 28 bytes
  for (const char* end : {" ", "،", "؟", ".", "-19", "19", "٪", "abc", "'s", "’s", "\u200F", "ـ", "ٰ", "پ", "😀",
                          "\n", "", "«", "ﻻ"}) {
    std::string text = word + word + end + " " + word;
    ExpectSamePaths(text);
  }
  EXPECT_EQ(Tokens("والاستراتيجيات-19 والاستراتيجياتabc"),
            (std::vector<Tok>{{"والاستراتيجيات-19", "mixed", 0}, {"والاستراتيجياتabc", "mixed", 0}}));
  // Harakat and tatweel only after a Latin letter: still Latin.
  EXPECT_EQ(Tokens("aَُِّْـــــــــــــ b"), (std::vector<Tok>{{"aَُِّْـــــــــــــ", "latin", 0}, {"b", "latin", 0}}));
}

}  // namespace
}  // namespace rasid::analysis
