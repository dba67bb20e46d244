// UTF-8 primitives: decoding one code point, validation, encoding.
//
// All text inside rasid is valid UTF-8 (input is validated or converted at the
// door, see decode.h), so the fast decoder below may assume validity; the
// checking decoder is for untrusted bytes.
#ifndef RASID_TEXT_UTF8_H_
#define RASID_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rasid::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at s[i] of VALID UTF-8 and advances i past it.
inline char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + *i;
  unsigned char b0 = p[0];
  if (b0 < 0x80) { *i += 1; return b0; }
  if (b0 < 0xE0) { *i += 2; return ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu); }
  if (b0 < 0xF0) { *i += 3; return ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); }
  *i += 4;
  return ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

// Decodes the code point ending just before s[*i] of VALID UTF-8 and moves i
// back to its first byte. Precondition: *i > 0.
inline char32_t PrevCodePoint(std::string_view s, size_t* i) {
  size_t j = *i - 1;
  while (j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
  *i = j;
  size_t k = j;
  return NextCodePoint(s, &k);
}

// Decodes one code point of UNTRUSTED bytes at s[i]. On success returns the
// code point and sets *len to its byte length (1..4). On an invalid, overlong,
// surrogate or truncated sequence returns nullopt and sets *len to 1.
std::optional<char32_t> DecodeChecked(std::string_view s, size_t i, int* len);

// Byte offset of the first invalid UTF-8 sequence in s, or nullopt when s is
// valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Appends the UTF-8 encoding of cp (a valid scalar value) to out.
inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Number of code points in valid UTF-8.
size_t CountCodePoints(std::string_view s);

}  // namespace rasid::text

#endif  // RASID_TEXT_UTF8_H_
