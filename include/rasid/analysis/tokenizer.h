// Tokenizer and sentence splitter for Arabic news text.
//
// Splits valid UTF-8 into tokens that keep the byte span of their original
// text: diacritics, tatweel and invisible format characters stay inside the
// word they belong to, so text.substr(start, end - start) is exactly what the
// reader sees. Numbers keep their separators in every digit script (7٫7,
// ١٬٢٠٠, 1,200.5); percentages, hashtags, @mentions, URLs, e-mails and mixed
// forms such as كوفيد-19 are single tokens; each punctuation mark is a token.
//
// Sentences end at . ! ? ؟ … and at line breaks, but not at a full stop after
// an initial or a common abbreviation (د. م. ص. Dr.), nor inside a number.
// Closing quotes and brackets after the terminal mark stay in its sentence.
//
// Thread safety: Tokenizer is stateless and may be shared.
#ifndef RASID_ANALYSIS_TOKENIZER_H_
#define RASID_ANALYSIS_TOKENIZER_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace rasid::analysis {

enum class TokenKind : uint8_t {
  kArabic,   // Arabic letters (with marks): وللحكومة
  kLatin,    // letters of other scripts: Trump, Москва
  kNumber,   // digits with separators: 7٫7, 1,200.5, ٢٠١٤
  kPercent,  // number + % or ٪: 25%, ٢٥٪
  kMixed,    // letters and digits: كوفيد-19, 2014م, F-16, الـ15
  kHashtag,  // #عاصي_الحلاني
  kMention,  // @user
  kUrl,      // http://..., www....
  kEmail,    // name@example.com
  kPunct,    // ، ؛ ؟ « » … — . ! (one mark per token; "..." is one)
  kSymbol,   // $ € + = emoji and other symbols
};

// Lower-case name used in JSON output: "arabic", "latin", "number", ...
const char* TokenKindName(TokenKind kind);

struct Token {
  uint32_t start = 0;     // byte offset of the first byte in the text
  uint32_t end = 0;       // byte offset one past the last byte
  uint32_t sentence = 0;  // 0-based sentence index within the text
  TokenKind kind = TokenKind::kArabic;

  bool IsWord() const {
    return kind == TokenKind::kArabic || kind == TokenKind::kLatin || kind == TokenKind::kMixed;
  }
};

class Tokenizer {
 public:
  Tokenizer();
  // Appends the tokens of `text` (valid UTF-8, shorter than 4 GiB) to `out`.
  void Tokenize(std::string_view text, std::vector<Token>* out) const;
};

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_TOKENIZER_H_
