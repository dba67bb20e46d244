#include "rasid/analysis/tokenizer.h"

#include <unicode/uchar.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <array>
#include <cstring>
#include <string>

#include "analysis/tokenizer_internal.h"
#include "rasid/analysis/char_filters.h"
#include "rasid/text/utf8.h"

namespace rasid::analysis {

namespace {

enum Cls : uint8_t {
  kSpace,
  kNewline,
  kArabicLetter,
  kMark,        // combining marks and tatweel: continue a word, never start one
  kIgnorable,   // format characters: continue a word, invisible
  kLetter,      // letters of other scripts
  kDigit,       // decimal digits of any script
  kPunctCls,
  kSymbolCls,
};

// Character classes of the BMP, built once from ICU's properties with the
// Arabic specifics on top.
class ClassTable {
 public:
  ClassTable() {
    for (char32_t c = 0; c < 0x10000; ++c) table_[c] = Compute(c);
    // The fast path of ScanWordChars takes U+0620-U+063F for letters, and
    // of U+0640-U+065F only U+0641-U+064A for letters, the rest for marks.
    arabic_run_ok_ = true;
    for (char32_t c = 0x0620; c <= 0x065F; ++c) {
      bool letter = c < 0x0640 || (c >= 0x0641 && c <= 0x064A);
      if (table_[c] != (letter ? kArabicLetter : kMark)) arabic_run_ok_ = false;
    }
  }
  bool arabic_run_ok() const { return arabic_run_ok_; }
  Cls Get(char32_t c) const { return c < 0x10000 ? table_[c] : Compute(c); }
  const Cls* data() const { return table_.data(); }
  // Decodes the code point at p[*i] (valid UTF-8) and returns its class;
  // the one- and two-byte cases (ASCII, Arabic) are inline.
  Cls Next(std::string_view s, size_t* i, char32_t* cp) const {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    unsigned char b = p[*i];
    if (b < 0x80) {
      *cp = b;
      *i += 1;
      return table_[b];
    }
    if (b < 0xE0) {
      char32_t c = ((b & 0x1Fu) << 6) | (p[*i + 1] & 0x3Fu);
      *cp = c;
      *i += 2;
      return table_[c];
    }
    *cp = text::NextCodePoint(s, i);
    return Get(*cp);
  }

  static Cls Compute(char32_t c) {
    if (c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x85) return kNewline;
    if (c == 0x200B) return kSpace;  // ZERO WIDTH SPACE separates words
    if (filters::IsFormatChar(c)) return kIgnorable;
    if (c == 0x0640 || filters::IsArabicMark(c)) return kMark;  // TATWEEL, harakat
    auto uc = static_cast<UChar32>(c);
    if (u_isUWhiteSpace(uc) || c == '\t' || c == '\v' || c == '\f' || c == '\r') return kSpace;
    int8_t t = static_cast<int8_t>(u_charType(uc));
    if (t == U_DECIMAL_DIGIT_NUMBER) return kDigit;
    bool arabic_block = (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
                        (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
                        (c >= 0xFE70 && c <= 0xFEFE);
    if (arabic_block && (u_isalpha(uc) || t == U_OTHER_LETTER)) return kArabicLetter;
    if (t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK) return kMark;
    if (u_isalpha(uc)) return kLetter;
    if (u_ispunct(uc)) return kPunctCls;
    if (t == U_CONTROL_CHAR) return kSpace;
    return kSymbolCls;
  }

 private:
  std::array<Cls, 0x10000> table_;
  bool arabic_run_ok_ = false;
};

// The end of a run of two-byte characters U+0620-U+065F (Arabic letters,
// tatweel, harakat: most of the bytes of Arabic text) from p[e], 16 bytes
// at a time, while 16 bytes remain before n; *letter tells whether the run
// has a letter (U+0620-U+063F, U+0641-U+064A) rather than only marks.
inline size_t ArabicRun(const unsigned char* p, size_t e, size_t n, bool* letter) {
#ifdef __SSE2__
  // Each 16-bit lane is one character when the run is intact: lead byte
  // (low) and trail byte (high).
  const __m128i lead_and_top = _mm_set1_epi16(static_cast<short>(0xE0FF));
  const __m128i d8_a0 = _mm_set1_epi16(static_cast<short>(0xA0D8));  // U+0620-U+063F
  const __m128i d9_80 = _mm_set1_epi16(static_cast<short>(0x80D9));  // U+0640-U+065F
  const __m128i d9_81 = _mm_set1_epi16(static_cast<short>(0x81D9));  // U+0641
  const __m128i flip = _mm_set1_epi16(static_cast<short>(0x8000));
  const __m128i ten = _mm_set1_epi16(static_cast<short>(0x0A00 ^ 0x8000));  // U+0641 + 10
  unsigned letters = 0;
  while (e + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + e));
    __m128i top = _mm_and_si128(v, lead_and_top);
    __m128i low = _mm_cmpeq_epi16(top, d8_a0);
    __m128i high = _mm_cmpeq_epi16(top, d9_80);
    // U+0641-U+064A: (lane - 0xD981) as unsigned below 0x0A00.
    __m128i fa_ya = _mm_cmplt_epi16(_mm_xor_si128(_mm_sub_epi16(v, d9_81), flip), ten);
    unsigned ok = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, high)));
    unsigned lets = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, _mm_and_si128(high, fa_ya))));
    if (ok == 0xFFFF) {
      letters |= lets;
      e += 16;
      continue;
    }
    unsigned run = static_cast<unsigned>(__builtin_ctz(~ok));  // bytes, even
    letters |= lets & ((1u << run) - 1);
    e += run;
    break;
  }
  *letter = letters != 0;
  return e;
#else
  (void)p;
  (void)n;
  *letter = false;
  return e;
#endif
}

const ClassTable& Classes() {
  static const ClassTable* table = new ClassTable();
  return *table;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsClosing(char32_t c) {
  return c == U'»' || c == U'”' || c == U'’' || c == U')' || c == U']' || c == U'}' || c == U'"' ||
         c == U'\'' || c == U'›';
}

bool IsTerminal(char32_t c) { return c == U'.' || c == U'!' || c == U'?' || c == U'؟' || c == U'…'; }

// Words after which a full stop does not end the sentence (compared in
// lower case); single letters of any script are initials and also qualify.
bool IsAbbreviation(std::string_view w) {
  static constexpr std::string_view kList[] = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs",
                                               "etc", "inc", "ltd", "co", "no", "fig", "gen", "col",
                                               "lt", "sgt", "capt", "gov", "sen", "rep", "jan", "feb",
                                               "aug", "sept", "oct", "nov", "dec",
                                               "\xd8\xa5\xd9\x84\xd8\xae",   // إلخ
                                               "\xd8\xa7\xd9\x84\xd8\xae"};  // الخ
  constexpr size_t kLongest = 6;
  if (w.size() > kLongest) return false;
  char lower[kLongest];
  for (size_t i = 0; i < w.size(); ++i) lower[i] = static_cast<char>(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
  std::string_view l(lower, w.size());
  for (std::string_view a : kList) {
    if (l == a) return true;
  }
  return false;
}

class Scanner {
 public:
  // `fast`: runs of plain Arabic 16 bytes at a time (ArabicRun); off, every
  // character goes through the class table (the reference for tests).
  Scanner(std::string_view text, std::vector<Token>* out, bool fast)
      : s_(text), out_(out), cls_(Classes()), fast_(fast && cls_.arabic_run_ok()) {}

  void Run() {
    size_t i = 0;
    while (i < s_.size()) {
      if (s_[i] == ' ') {
        ++i;
        continue;
      }
      size_t next = i;
      char32_t c;
      Cls k = cls_.Next(s_, &next, &c);
      if (k == kSpace || k == kIgnorable) {
        i = next;
        continue;
      }
      if (k == kNewline) {
        if (!out_->empty() && out_->back().sentence == sentence_) pending_break_ = true;
        i = next;
        continue;
      }
      i = ScanToken(i, c, k);
    }
  }

 private:
  char32_t At(size_t i, size_t* next) const {
    *next = i;
    if (i >= s_.size()) return 0;
    return text::NextCodePoint(s_, next);
  }
  Cls ClsAt(size_t i) const {
    size_t n;
    if (i >= s_.size()) return kSpace;
    return cls_.Get(At(i, &n));
  }
  bool WordChar(Cls k) const {
    return k == kArabicLetter || k == kLetter || k == kDigit || k == kMark || k == kIgnorable;
  }

  void Emit(size_t start, size_t end, TokenKind kind) {
    bool closing = false;
    if (kind == TokenKind::kPunct) {
      size_t n;
      char32_t c = At(start, &n);
      closing = IsClosing(c) && (c != U'"' || end >= s_.size() || ClsAt(end) == kSpace ||
                                 ClsAt(end) == kNewline || ClsAt(end) == kPunctCls);
    }
    if (pending_break_ && !closing) {
      ++sentence_;
      pending_break_ = false;
    }
    out_->push_back(Token{static_cast<uint32_t>(start), static_cast<uint32_t>(end), sentence_, kind});
  }

  size_t ScanToken(size_t i, char32_t c, Cls k) {
    if (c < 0x80) {
      if (size_t e = MatchUrl(i)) return EmitAt(i, e, TokenKind::kUrl);
      if (IsAsciiAlnum(static_cast<char>(c))) {
        if (size_t e = MatchEmail(i)) return EmitAt(i, e, TokenKind::kEmail);
      }
      if ((c == '#' || c == '@') && i + 1 < s_.size()) {
        size_t e = ScanTagBody(i + 1);
        bool glued = i > 0 && IsAsciiAlnum(s_[i - 1]);
        if (e > i + 1 && !glued) return EmitAt(i, e, c == '#' ? TokenKind::kHashtag : TokenKind::kMention);
      }
    }
    if (k == kDigit) return ScanNumber(i);
    if (k == kArabicLetter || k == kLetter) return ScanWord(i, TokenKind::kArabic);
    if (k == kMark) {  // a stray mark with no letter before it
      size_t n;
      At(i, &n);
      return EmitAt(i, n, TokenKind::kSymbol);
    }
    return ScanPunct(i, c, k);
  }

  size_t EmitAt(size_t start, size_t end, TokenKind kind) {
    Emit(start, end, kind);
    return end;
  }

  // Letters, digits, marks and underscores after # or @.
  size_t ScanTagBody(size_t i) const {
    size_t e = i;
    while (e < s_.size()) {
      size_t n;
      char32_t c = At(e, &n);
      Cls k = cls_.Get(c);
      if (!(WordChar(k) || c == '_')) break;
      e = n;
    }
    return e;
  }

  size_t MatchUrl(size_t i) const {
    std::string_view rest = s_.substr(i);
    auto starts = [&](std::string_view p) {
      if (rest.size() < p.size()) return false;
      for (size_t j = 0; j < p.size(); ++j) {
        char x = rest[j];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
        if (x != p[j]) return false;
      }
      return true;
    };
    size_t skip;
    if (starts("https://")) skip = 8;
    else if (starts("http://")) skip = 7;
    else if (starts("www.")) skip = 4;
    else return 0;
    if (i > 0 && IsAsciiAlnum(s_[i - 1])) return 0;
    size_t e = i + skip;
    while (e < s_.size()) {
      size_t n;
      char32_t c = At(e, &n);
      Cls k = cls_.Get(c);
      if (k == kSpace || k == kNewline || c == '"' || c == '<' || c == '>' || c == U'«' || c == U'»' ||
          c == U'،' || c == U'؛' || c == U'“' || c == U'”')
        break;
      e = n;
    }
    // Trailing punctuation belongs to the sentence, not the address.
    while (e > i + skip && std::strchr(".,;:!?)'", s_[e - 1]) != nullptr) --e;
    if (e <= i + skip) return 0;
    return e;
  }

  size_t MatchEmail(size_t i) const {
    size_t e = i;
    auto local = [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
    while (e < s_.size() && local(s_[e])) ++e;
    if (e >= s_.size() || s_[e] != '@' || e == i) return 0;
    size_t d = e + 1;
    size_t last_dot = 0;
    while (d < s_.size() && (IsAsciiAlnum(s_[d]) || s_[d] == '.' || s_[d] == '-')) {
      if (s_[d] == '.') last_dot = d;
      ++d;
    }
    while (d > e + 1 && (s_[d - 1] == '.' || s_[d - 1] == '-')) --d;
    if (last_dot == 0 || last_dot + 1 >= d) return 0;
    return d;
  }

  // Digits with decimal and thousands separators, then % or ٪, or letters
  // glued on (a mixed token).
  size_t ScanNumber(size_t i) {
    size_t e = i;
    for (;;) {
      size_t n;
      char32_t c = At(e, &n);
      Cls k = cls_.Get(c);
      if (e < s_.size() && (k == kDigit || k == kIgnorable)) {
        e = n;
        continue;
      }
      if (e < s_.size() && (c == '.' || c == ',' || c == 0x066B || c == 0x066C) && ClsAt(n) == kDigit) {
        e = n;
        continue;
      }
      break;
    }
    size_t n;
    char32_t c = At(e, &n);
    if (e < s_.size() && (c == '%' || c == 0x066A)) return EmitAt(i, n, TokenKind::kPercent);
    Cls k = e < s_.size() ? cls_.Get(c) : kSpace;
    if (k == kArabicLetter || k == kLetter) {
      size_t w = ScanWordChars(e, nullptr);
      return EmitAt(i, w, TokenKind::kMixed);
    }
    return EmitAt(i, e, TokenKind::kNumber);
  }

  // Extends over word characters; reports the scripts seen. The hot loop of
  // the tokenizer: ASCII and two-byte characters (all of Arabic) inline.
  static constexpr unsigned kWordClasses = (1u << kArabicLetter) | (1u << kLetter) | (1u << kDigit) |
                                           (1u << kMark) | (1u << kIgnorable);

  // Runs of plain Arabic (U+0620-U+065F) go 16 bytes at a time; a run that
  // ends at ASCII other than a word character or an apostrophe ends the
  // word there (the common case: a space), else the character by character
  // loop takes over.
  __attribute__((always_inline)) size_t ScanWordChars(size_t e, unsigned* seen) const {
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data());
    const size_t n = s_.size();
    unsigned mask = 0;
    if (e + 16 <= n && (p[e] & 0xFE) == 0xD8 && fast_) {
      bool letter;
      e = ArabicRun(p, e, n, &letter);
      mask = letter ? 1 : 0;
      unsigned b = e < n ? p[e] : 0x80;
      if (b < 0x80 && b != '\'' && ((1u << cls_.data()[b]) & kWordClasses) == 0) {
        if (seen) *seen = mask;
        return e;
      }
    }
    return ScanWordCharsSlow(e, mask, seen);
  }

  // Character by character; `mask` has the script bits seen so far.
  __attribute__((noinline)) size_t ScanWordCharsSlow(size_t e, unsigned mask, unsigned* seen) const {
    // Script bits by class: 1 Arabic letter, 2 other letter, 4 digit.
    static constexpr uint8_t kBits[] = {0, 0, 1, 0, 0, 2, 4, 0, 0};
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data());
    const Cls* table = cls_.data();
    const size_t n = s_.size();
    while (e < n) {
      unsigned b = p[e];
      Cls k;
      size_t next;
      if (b < 0x80) {
        k = table[b];
        next = e + 1;
      } else if (b < 0xE0) {
        k = table[((b & 0x1Fu) << 6) | (p[e + 1] & 0x3Fu)];
        next = e + 2;
      } else {
        next = e;
        k = cls_.Get(text::NextCodePoint(s_, &next));
      }
      if (((1u << k) & kWordClasses) == 0) {
        // An apostrophe inside a Latin word (O'Brien, don't) keeps it whole.
        size_t after = e;
        char32_t c = text::NextCodePoint(s_, &after);
        if ((c == '\'' || c == U'’') && (mask & 2) && ClsAt(after) == kLetter) {
          e = after;
          continue;
        }
        break;
      }
      mask |= kBits[k];
      e = next;
    }
    if (seen) *seen = mask;
    return e;
  }

  size_t ScanWord(size_t i, TokenKind) {
    unsigned mask;
    size_t e = ScanWordChars(i, &mask);
    // Letters joined by a hyphen to digits: كوفيد-19, F-16.
    if (e < s_.size() && s_[e] == '-' && ClsAt(e + 1) == kDigit) {
      unsigned m2;
      e = ScanWordChars(e + 1, &m2);
      mask |= m2 | 4;
    }
    TokenKind kind = TokenKind::kArabic;
    if (mask == 2) kind = TokenKind::kLatin;
    else if (mask != 1) kind = TokenKind::kMixed;
    Emit(i, e, kind);
    CheckAbbreviation(i, e);
    return e;
  }

  void CheckAbbreviation(size_t start, size_t end) {
    last_word_start_ = start;
    last_word_end_ = end;
  }

  size_t ScanPunct(size_t i, char32_t c, Cls k) {
    size_t n;
    At(i, &n);
    if (c == '.') {  // "..." is one token
      size_t e = i;
      while (e < s_.size() && s_[e] == '.') ++e;
      if (e - i >= 2) n = e;
    }
    TokenKind kind = k == kPunctCls ? TokenKind::kPunct : TokenKind::kSymbol;
    Emit(i, n, kind);
    if (IsTerminal(c) && !IsNonTerminalStop(i, n, c)) pending_break_ = true;
    return n;
  }

  // A full stop glued to an initial or an abbreviation, or glued to what
  // follows, does not end the sentence.
  bool IsNonTerminalStop(size_t start, size_t end, char32_t c) const {
    if (c != '.' || end - start != 1) return false;
    if (end < s_.size()) {
      Cls next = ClsAt(end);
      if (next != kSpace && next != kNewline && next != kPunctCls) return true;
    }
    if (last_word_end_ != start) return false;
    std::string_view w = s_.substr(last_word_start_, last_word_end_ - last_word_start_);
    return text::CountCodePoints(w) == 1 || IsAbbreviation(w);
  }

  std::string_view s_;
  std::vector<Token>* out_;
  const ClassTable& cls_;
  const bool fast_;
  uint32_t sentence_ = 0;
  bool pending_break_ = false;
  size_t last_word_start_ = 0;
  size_t last_word_end_ = static_cast<size_t>(-1);
};

}  // namespace

const char* TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kArabic: return "arabic";
    case TokenKind::kLatin: return "latin";
    case TokenKind::kNumber: return "number";
    case TokenKind::kPercent: return "percent";
    case TokenKind::kMixed: return "mixed";
    case TokenKind::kHashtag: return "hashtag";
    case TokenKind::kMention: return "mention";
    case TokenKind::kUrl: return "url";
    case TokenKind::kEmail: return "email";
    case TokenKind::kPunct: return "punct";
    case TokenKind::kSymbol: return "symbol";
  }
  return "?";
}

Tokenizer::Tokenizer() { Classes(); }

void Tokenizer::Tokenize(std::string_view text, std::vector<Token>* out) const {
  Scanner(text, out, /*fast=*/true).Run();
}

void TokenizeCharByChar(std::string_view text, std::vector<Token>* out) {
  Classes();
  Scanner(text, out, /*fast=*/false).Run();
}

}  // namespace rasid::analysis
