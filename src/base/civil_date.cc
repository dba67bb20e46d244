#include "rasid/base/civil_date.h"

#include <cstdio>

namespace rasid {

int32_t DaysFromCivil(int y, int m, int d) {
  // H. Hinnant's days_from_civil.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

CivilDate CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return kDays[m - 1] + (m == 2 && IsLeapYear(y));
}

bool ValidCivil(int y, int m, int d) { return y >= 1 && y <= 9999 && d >= 1 && d <= DaysInMonth(y, m); }

int IsoWeekday(int32_t days) {
  // 1970-01-01 was a Thursday (4).
  int w = static_cast<int>(((static_cast<int64_t>(days) % 7) + 7 + 3) % 7);
  return w + 1;
}

std::string FormatDays(int32_t days) {
  CivilDate c = CivilFromDays(days);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

namespace {

int ReadDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int MonthAbbrev(std::string_view s) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return -1;
  char lower[3];
  for (int i = 0; i < 3; ++i) lower[i] = static_cast<char>(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
  for (int i = 0; i < 12; ++i) {
    if (std::string_view(lower, 3) == kNames[i]) return i + 1;
  }
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

bool ParseArticleDate(std::string_view s, bool strict, int32_t* days) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  if (strict) {
    while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  }
  // YYYY-MM-DD or YYYY/MM/DD.
  int y = ReadDigits(s, 0, 4), m = ReadDigits(s, 5, 2), d = ReadDigits(s, 8, 2);
  if (y >= 0 && m >= 0 && d >= 0 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
    bool valid = ValidCivil(y, m, d);
    if (strict) {
      if (!valid || !(s.size() == 10 || s[10] == 'T' || s[10] == ' ' || s[10] == 't')) return false;
    }
    if (valid) {
      *days = DaysFromCivil(y, m, d);
      return true;
    }
  }
  // DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY.
  d = ReadDigits(s, 0, 2), m = ReadDigits(s, 3, 2), y = ReadDigits(s, 6, 4);
  if (y >= 0 && m >= 0 && d >= 0 && (s[2] == '/' || s[2] == '-' || s[2] == '.') && s[5] == s[2]) {
    if (ValidCivil(y, m, d)) {
      *days = DaysFromCivil(y, m, d);
      return true;
    }
    if (strict) return false;
  }
  // RFC 2822: [Day, ]D[D] Mon YYYY ...
  size_t i = 0;
  if (s.size() > 4 && s[3] == ',') i = 4;
  while (i < s.size() && s[i] == ' ') ++i;
  size_t j = i;
  while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
  if (j > i && j - i <= 2 && j + 1 < s.size() && s[j] == ' ') {
    d = ReadDigits(s, i, j - i);
    m = MonthAbbrev(s.substr(j + 1));
    size_t k = j + 1;
    while (k < s.size() && s[k] != ' ') ++k;
    y = ReadDigits(s, k + 1, 4);
    if (y > 0 && m > 0 && ValidCivil(y, m, d)) {
      *days = DaysFromCivil(y, m, d);
      return true;
    }
  }
  return false;
}

}  // namespace rasid
