// Tokens to lexemes: the units the extraction grammar works on.
//
// A lexeme is a token (or a piece of a mixed token: و400 -> و + 400, 2014م ->
// 2014 + م), or a phrase of several tokens found in the word table (في المئة,
// كانون الثاني, ما يقرب من). Arabic words are looked up by their normal form,
// first whole, then without the proclitics و ف, ب ل ك and ال (ل + ال = لل);
// the span of the lexeme leaves the conjunction and preposition out.
#ifndef RASID_EXTRACT_LEXER_H_
#define RASID_EXTRACT_LEXER_H_

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extract/words.h"
#include "rasid/analysis/normalizer.h"
#include "rasid/analysis/tokenizer.h"

namespace rasid::extract {

enum Clitic : uint8_t { kWa = 1, kFa = 2, kBi = 4, kLi = 8, kKa = 16, kAl = 32 };
constexpr uint8_t kConj = kWa | kFa;
constexpr uint8_t kPrep = kBi | kLi | kKa;

enum class LexKind : uint8_t {
  kWord,    // Arabic word or phrase (entries when the table knows it)
  kNumber,  // digits
  kPunct,   // punctuation and symbols ($ € £ included); norm is the mark
  kLatin,   // Latin word (norm folded to lower case)
  kOther,   // anything else: URLs, mixed tokens that are names (كوفيد-19)
};

struct Lexeme {
  LexKind kind = LexKind::kOther;
  uint8_t clitics = 0;       // proclitics left out of the span (kWa ... kAl)
  bool percent = false;      // a number with % or ٪
  bool decimal = false;      // a number with a decimal part
  bool grouped = false;      // a number with thousands separators
  bool leading_zero = false; // a number written with a leading 0 (0096..., 05)
  uint8_t int_digits = 0;    // digits before the decimal point
  uint32_t start = 0, end = 0;  // span (without و ف ب ل ك; with ال)
  uint32_t outer_start = 0;     // start of the token, clitics included
  uint32_t sentence = 0;
  double number = 0;
  std::string_view norm;     // normal form without proclitics (points into the Lexer)
  std::span<const WordEntry* const> entries;

  const WordEntry* Find(Cls cls) const {
    for (const WordEntry* e : entries)
      if (e->cls == cls) return e;
    return nullptr;
  }
  bool Is(Cls cls) const { return Find(cls) != nullptr; }
  bool IsPunct(std::string_view mark) const { return kind == LexKind::kPunct && norm == mark; }
};

class Lexer {
 public:
  Lexer(const WordTable* table, const analysis::Normalizer* normalizer);
  // Replaces *out with the lexemes of `text`. Views stay valid until the next Run.
  void Run(std::string_view text, std::vector<Lexeme>* out);

 private:
  void AddWord(std::string_view text, size_t i, std::vector<Lexeme>* out, size_t* consumed);
  void AddMixed(std::string_view text, const analysis::Token& t, std::vector<Lexeme>* out);
  bool AddNumber(std::string_view digits, uint32_t start, uint32_t end, Lexeme* lx);
  void MergeSplitNumbers(std::vector<Lexeme>* out);
  std::string_view Norm(size_t token) const {
    return std::string_view(arena_).substr(norm_off_[token], norm_off_[token + 1] - norm_off_[token]);
  }
  std::string_view Keep(std::string_view s);  // a copy that lives until the next Run

  const WordTable* table_;
  const analysis::Normalizer* normalizer_;
  analysis::Tokenizer tokenizer_;
  std::vector<analysis::Token> tokens_;
  std::string arena_;                 // token norms, back to back
  std::vector<uint32_t> norm_off_;    // token i's norm is arena_[off[i], off[i+1])
  std::deque<std::string> kept_;      // strings made while lexing (لل -> ال); never move
  std::string key_;
};

// Byte offset in `surface` after skipping `letters` code points that are not
// removed by the normalizer (and every removed one that follows them).
size_t SkipLetters(std::string_view surface, size_t letters, const analysis::Normalizer& normalizer);

}  // namespace rasid::extract

#endif  // RASID_EXTRACT_LEXER_H_
