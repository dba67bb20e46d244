#include "rasid/analysis/char_filters.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace rasid::analysis::filters {

namespace {

bool Replace(std::u32string* out, std::u32string_view with) {
  out->append(with);
  return true;
}

bool InRange(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

// Decomposes c with an ICU normaliser into code points.
std::u32string IcuNormalize(const icu::Normalizer2* n, char32_t c) {
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString s(static_cast<UChar32>(c));
  icu::UnicodeString r = n->normalize(s, err);
  std::u32string out;
  if (U_FAILURE(err)) return out;
  for (int32_t i = 0; i < r.length();) {
    UChar32 cp = r.char32At(i);
    out.push_back(static_cast<char32_t>(cp));
    i += U16_LENGTH(cp);
  }
  return out;
}

}  // namespace

bool IsArabicMark(char32_t c) {
  return InRange(c, 0x064B, 0x065F) ||  // FATHATAN .. WAVY HAMZA BELOW
         c == 0x0670 ||                 // SUPERSCRIPT ALEF
         InRange(c, 0x0610, 0x061A) ||  // SIGN SALLALLAHOU .. SMALL KASRA
         InRange(c, 0x06D6, 0x06DC) ||  // SMALL HIGH LIGATURE SAD .. SMALL HIGH SEEN
         InRange(c, 0x06DF, 0x06E8) ||  // SMALL HIGH ROUNDED ZERO .. SMALL HIGH NOON
         InRange(c, 0x06EA, 0x06ED) ||  // EMPTY CENTRE LOW STOP .. SMALL LOW MEEM
         InRange(c, 0x08D3, 0x08E1) ||  // Arabic Extended-A small marks
         InRange(c, 0x08E3, 0x08FF);
}

bool IsFormatChar(char32_t c) {
  return c == 0x00AD ||                 // SOFT HYPHEN
         c == 0x034F ||                 // COMBINING GRAPHEME JOINER
         c == 0x061C ||                 // ARABIC LETTER MARK
         InRange(c, 0x200B, 0x200F) ||  // ZWSP, ZWNJ, ZWJ, LRM, RLM
         InRange(c, 0x202A, 0x202E) ||  // bidi embeddings and overrides
         InRange(c, 0x2060, 0x2064) ||  // WORD JOINER .. INVISIBLE PLUS
         InRange(c, 0x2066, 0x2069) ||  // bidi isolates
         c == 0xFEFF;                   // ZERO WIDTH NO-BREAK SPACE (BOM)
}

bool PresentationForms(char32_t c, std::u32string* out) {
  if (!InRange(c, 0xFB50, 0xFDFF) && !InRange(c, 0xFE70, 0xFEFF)) return false;
  if (c == 0xFEFF) return false;  // a format character, not a form
  UErrorCode err = U_ZERO_ERROR;
  static const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
  if (nfkc == nullptr) return false;
  std::u32string r = IcuNormalize(nfkc, c);
  if (r.empty() || (r.size() == 1 && r[0] == c)) return false;
  // Isolated forms of marks (U+FE70 ...) decompose to SPACE + mark; the space
  // is an artefact of the isolated shape, not a word break.
  if (r.size() > 1 && r[0] == U' ') r.erase(0, 1);
  return Replace(out, r);
}

bool Diacritics(char32_t c, std::u32string* out) {
  if (!IsArabicMark(c)) return false;
  return Replace(out, U"");
}

bool Tatweel(char32_t c, std::u32string* out) {
  if (c != 0x0640) return false;  // ARABIC TATWEEL
  return Replace(out, U"");
}

bool FormatChars(char32_t c, std::u32string* out) {
  if (!IsFormatChar(c)) return false;
  return Replace(out, U"");
}

bool Alef(char32_t c, std::u32string* out) {
  switch (c) {
    case 0x0622:  // ALEF WITH MADDA ABOVE
    case 0x0623:  // ALEF WITH HAMZA ABOVE
    case 0x0625:  // ALEF WITH HAMZA BELOW
    case 0x0671:  // ALEF WASLA
    case 0x0672:  // ALEF WITH WAVY HAMZA ABOVE
    case 0x0673:  // ALEF WITH WAVY HAMZA BELOW
    case 0x0675:  // HIGH HAMZA ALEF
      return Replace(out, U"\u0627");  // ALEF
    default:
      return false;
  }
}

bool AlefMaqsura(char32_t c, std::u32string* out) {
  if (c != 0x0649) return false;   // ALEF MAKSURA
  return Replace(out, U"\u064A");  // YEH
}

bool TaMarbuta(char32_t c, std::u32string* out) {
  if (c != 0x0629) return false;   // TEH MARBUTA
  return Replace(out, U"\u0647");  // HEH
}

bool HamzaCarriers(char32_t c, std::u32string* out) {
  if (c == 0x0624) return Replace(out, U"\u0648");  // WAW WITH HAMZA ABOVE -> WAW
  if (c == 0x0626) return Replace(out, U"\u064A");  // YEH WITH HAMZA ABOVE -> YEH
  return false;
}

bool PersianLetters(char32_t c, std::u32string* out) {
  switch (c) {
    case 0x06A9:  // KEHEH (Persian kaf)
    case 0x06AA:  // SWASH KAF
      return Replace(out, U"\u0643");  // KAF
    case 0x06CC:  // FARSI YEH
    case 0x06CD:  // YEH WITH TAIL
    case 0x06D0:  // E
    case 0x06D2:  // YEH BARREE
      return Replace(out, U"\u064A");  // YEH
    case 0x06C1:  // HEH GOAL
    case 0x06C0:  // HEH WITH YEH ABOVE
    case 0x06D5:  // AE
    case 0x06BE:  // HEH DOACHASHMEE
      return Replace(out, U"\u0647");  // HEH
    case 0x06C3:                       // TEH MARBUTA GOAL
      return Replace(out, U"\u0629");  // TEH MARBUTA
    default:
      return false;
  }
}

bool Digits(char32_t c, std::u32string* out) {
  if (InRange(c, 0x0660, 0x0669)) return Replace(out, std::u32string(1, U'0' + (c - 0x0660)));
  if (InRange(c, 0x06F0, 0x06F9)) return Replace(out, std::u32string(1, U'0' + (c - 0x06F0)));
  if (c == 0x066B) return Replace(out, U".");  // ARABIC DECIMAL SEPARATOR
  if (c == 0x066C) return Replace(out, U",");  // ARABIC THOUSANDS SEPARATOR
  if (c == 0x066A) return Replace(out, U"%");  // ARABIC PERCENT SIGN
  return false;
}

bool LatinCase(char32_t c, std::u32string* out) {
  if (InRange(c, 0x0600, 0x08FF) || InRange(c, 0xFB50, 0xFEFF)) return false;
  UChar32 f = u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT);
  if (static_cast<char32_t>(f) == c) return false;
  return Replace(out, std::u32string(1, static_cast<char32_t>(f)));
}

bool LatinAccents(char32_t c, std::u32string* out) {
  switch (c) {
    case 0x00DF: return Replace(out, U"ss");  // SHARP S
    case 0x00E6: return Replace(out, U"ae");
    case 0x00C6: return Replace(out, U"AE");
    case 0x0153: return Replace(out, U"oe");
    case 0x0152: return Replace(out, U"OE");
    case 0x00F8: return Replace(out, U"o");
    case 0x00D8: return Replace(out, U"O");
    case 0x0111: return Replace(out, U"d");
    case 0x0110: return Replace(out, U"D");
    case 0x0142: return Replace(out, U"l");
    case 0x0141: return Replace(out, U"L");
    default: break;
  }
  if (!InRange(c, 0x00C0, 0x024F) && !InRange(c, 0x1E00, 0x1EFF)) return false;
  UErrorCode err = U_ZERO_ERROR;
  static const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  if (nfd == nullptr) return false;
  std::u32string d = IcuNormalize(nfd, c);
  std::u32string r;
  for (char32_t x : d) {
    if (u_charType(static_cast<UChar32>(x)) != U_NON_SPACING_MARK) r.push_back(x);
  }
  if (r.empty() || (r.size() == 1 && r[0] == c)) return false;
  return Replace(out, r);
}

}  // namespace rasid::analysis::filters
