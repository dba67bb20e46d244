#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

#include "rasid/base/civil_date.h"
#include "rasid/index/segment.h"

namespace rasid::index {

int32_t ParseDateDays(std::string_view s) {
  int32_t days;
  return ParseArticleDate(s, /*strict=*/false, &days) ? days : kNoDate;
}

std::string FormatDate(int32_t days) { return days == kNoDate ? "" : FormatDays(days); }

std::string KeywordTerm(char field_letter, std::string_view value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  std::string t;
  t.reserve(value.size() + 3);
  t.push_back(kKeywordSpace);
  t.push_back(field_letter);
  t.push_back(':');
  for (char c : value) t.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  return t;
}

}  // namespace rasid::index
