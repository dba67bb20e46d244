#include "rasid/analysis/tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

}  // namespace
}  // namespace rasid::analysis
