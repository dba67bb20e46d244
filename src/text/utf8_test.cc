#include "rasid/text/utf8.h"

#include <gtest/gtest.h>

namespace rasid::text {
namespace {

TEST(Utf8, FindInvalid) {
  struct Case {
    std::string input;
    std::optional<size_t> bad;
  } cases[] = {
      {"", std::nullopt},
      {"abc", std::nullopt},
      {"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", std::nullopt},  // سلام (salam)
      {"ab\xff", 2},                                       // never valid
      {"\xc0\xaf", 0},                                     // overlong '/'
      {"\xed\xa0\x80", 0},                                 // surrogate D800
      {"\xf4\x90\x80\x80", 0},                             // above U+10FFFF
      {"\xd8", 0},                                         // truncated
      {"12345678\xd8\xb3\xd8", 10},                        // truncated after the fast path
      {"\xe2\x82", 0},                                     // truncated 3-byte
  };
  for (const auto& c : cases) EXPECT_EQ(FindInvalidUtf8(c.input), c.bad) << c.input;
}

TEST(Utf8, RoundTrip) {
  std::u32string cps = {U'a', 0x0627, 0x20AC, 0x1F600};
  std::string s;
  for (char32_t c : cps) AppendUtf8(c, &s);
  EXPECT_FALSE(FindInvalidUtf8(s));
  size_t i = 0;
  for (char32_t c : cps) EXPECT_EQ(NextCodePoint(s, &i), c);
  EXPECT_EQ(i, s.size());
  EXPECT_EQ(CountCodePoints(s), 4u);
  size_t j = s.size();
  EXPECT_EQ(PrevCodePoint(s, &j), 0x1F600u);
}

}  // namespace
}  // namespace rasid::text
