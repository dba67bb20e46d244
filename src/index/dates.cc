#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

#include "rasid/base/civil_date.h"
#include "rasid/index/segment.h"

namespace rasid::index {

namespace {

int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int MonthFromName(std::string_view s) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return -1;
  std::string lower;
  for (int i = 0; i < 3; ++i) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  for (int i = 0; i < 12; ++i) {
    if (lower == kNames[i]) return i + 1;
  }
  return -1;
}

}  // namespace

int32_t ParseDateDays(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  // YYYY-MM-DD or YYYY/MM/DD at the start.
  int y = Digits(s, 0, 4), m = Digits(s, 5, 2), d = Digits(s, 8, 2);
  if (y > 0 && m > 0 && d > 0 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] && ValidCivil(y, m, d)) {
    return DaysFromCivil(y, m, d);
  }
  // DD/MM/YYYY or DD-MM-YYYY.
  d = Digits(s, 0, 2), m = Digits(s, 3, 2), y = Digits(s, 6, 4);
  if (y > 0 && m > 0 && d > 0 && (s[2] == '/' || s[2] == '-' || s[2] == '.') && s[5] == s[2] &&
      ValidCivil(y, m, d)) {
    return DaysFromCivil(y, m, d);
  }
  // RFC 2822: [Day, ]D[D] Mon YYYY ...
  size_t i = 0;
  if (s.size() > 4 && s[3] == ',') i = 4;
  while (i < s.size() && s[i] == ' ') ++i;
  size_t j = i;
  while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
  if (j > i && j - i <= 2 && j + 1 < s.size() && s[j] == ' ') {
    d = Digits(s, i, j - i);
    m = MonthFromName(s.substr(j + 1));
    size_t k = j + 1;
    while (k < s.size() && s[k] != ' ') ++k;
    y = Digits(s, k + 1, 4);
    if (y > 0 && m > 0 && ValidCivil(y, m, d)) return DaysFromCivil(y, m, d);
  }
  return kNoDate;
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
