#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

#include "rasid/index/segment.h"

namespace rasid::index {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil).
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool ValidDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap);
}

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
  if (y > 0 && m > 0 && d > 0 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] && ValidDate(y, m, d)) {
    return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  }
  // DD/MM/YYYY or DD-MM-YYYY.
  d = Digits(s, 0, 2), m = Digits(s, 3, 2), y = Digits(s, 6, 4);
  if (y > 0 && m > 0 && d > 0 && (s[2] == '/' || s[2] == '-' || s[2] == '.') && s[5] == s[2] &&
      ValidDate(y, m, d)) {
    return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
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
    if (y > 0 && m > 0 && ValidDate(y, m, d)) return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  }
  return kNoDate;
}

std::string FormatDate(int32_t days) {
  if (days == kNoDate) return "";
  // H. Hinnant's civil_from_days.
  int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

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
