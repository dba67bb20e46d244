#include "rasid/extract/calendar.h"

#include <cctype>
#include <cstdio>

namespace rasid::extract {

namespace {

struct UmmAlQuraYear {
  int year;             // AH
  int32_t first_day;    // day number of 1 Muharram
  uint16_t long_months; // bit m-1 set: month m has 30 days
};

constexpr UmmAlQuraYear kUmmAlQura[] = {
#include "extract/umalqura_data.inc"
};
constexpr int kTableFirst = kUmmAlQura[0].year;
constexpr int kTableLast = kUmmAlQura[sizeof(kUmmAlQura) / sizeof(kUmmAlQura[0]) - 1].year;

// Tabular Islamic calendar (Kuwaiti algorithm). Day number of 1 Muharram 1 AH
// (16 July 622 Julian = 19 July 622 proleptic Gregorian).
constexpr int32_t kTabularEpoch = -492148;

bool TabularLeap(int year) { return (14 + 11 * year) % 30 < 11; }

int32_t TabularToDays(int year, int month, int day) {
  return kTabularEpoch + (year - 1) * 354 + (3 + 11 * year) / 30 + 29 * (month - 1) + month / 2 + day - 1;
}

int TabularMonthLength(int year, int month) {
  if (month % 2 == 1) return 30;
  if (month == 12 && TabularLeap(year)) return 30;
  return 29;
}

const UmmAlQuraYear* TableYear(int year) {
  if (year < kTableFirst || year > kTableLast) return nullptr;
  return &kUmmAlQura[year - kTableFirst];
}

}  // namespace



const char* HijriCalendarName(HijriCalendar calendar) {
  return calendar == HijriCalendar::kUmmAlQura ? "islamic-umalqura" : "islamic-tabular";
}

int HijriMonthLength(int year, int month, HijriCalendar* used) {
  if (const UmmAlQuraYear* y = TableYear(year)) {
    *used = HijriCalendar::kUmmAlQura;
    return (y->long_months >> (month - 1)) & 1 ? 30 : 29;
  }
  *used = HijriCalendar::kTabular;
  return TabularMonthLength(year, month);
}

std::optional<int32_t> HijriToDays(const HijriDate& h, HijriCalendar* used) {
  if (h.year < 1 || h.year > 9000 || h.month < 1 || h.month > 12 || h.day < 1) return std::nullopt;
  if (h.day > HijriMonthLength(h.year, h.month, used)) return std::nullopt;
  if (const UmmAlQuraYear* y = TableYear(h.year)) {
    int32_t days = y->first_day;
    for (int m = 1; m < h.month; ++m) days += (y->long_months >> (m - 1)) & 1 ? 30 : 29;
    return days + h.day - 1;
  }
  return TabularToDays(h.year, h.month, h.day);
}

std::optional<HijriDate> DaysToHijri(int32_t days, HijriCalendar* used) {
  if (days < kTabularEpoch) return std::nullopt;
  int first_table = kUmmAlQura[0].first_day;
  const UmmAlQuraYear& last = kUmmAlQura[kTableLast - kTableFirst];
  int32_t table_end = last.first_day;
  for (int m = 1; m <= 12; ++m) table_end += (last.long_months >> (m - 1)) & 1 ? 30 : 29;
  if (days >= first_table && days < table_end) {
    *used = HijriCalendar::kUmmAlQura;
    int i = 0;
    while (i + 1 <= kTableLast - kTableFirst && kUmmAlQura[i + 1].first_day <= days) ++i;
    const UmmAlQuraYear& y = kUmmAlQura[i];
    int32_t start = y.first_day;
    for (int m = 1; m <= 12; ++m) {
      int len = (y.long_months >> (m - 1)) & 1 ? 30 : 29;
      if (days < start + len) return HijriDate{y.year, m, static_cast<int>(days - start) + 1};
      start += len;
    }
  }
  *used = HijriCalendar::kTabular;
  int year = static_cast<int>((static_cast<int64_t>(days - kTabularEpoch) * 30 + 10646) / 10631);
  while (TabularToDays(year + 1, 1, 1) <= days) ++year;
  while (year > 1 && TabularToDays(year, 1, 1) > days) --year;
  int month = 1;
  while (month < 12 && TabularToDays(year, month + 1, 1) <= days) ++month;
  return HijriDate{year, month, static_cast<int>(days - TabularToDays(year, month, 1)) + 1};
}

namespace {

int ReadDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int MonthAbbrev(std::string_view s) {
  static const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return -1;
  char lower[3];
  for (int i = 0; i < 3; ++i) lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  for (int i = 0; i < 12; ++i) {
    if (std::string_view(lower, 3) == kNames[i]) return i + 1;
  }
  return -1;
}

}  // namespace

Result<int32_t> ParseReferenceDate(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  auto bad = [&] {
    return Status::InvalidArgument("not a date: '" + std::string(text) +
                                   "' (expected YYYY-MM-DD or an ISO-8601 date-time)");
  };
  // YYYY-MM-DD, then optionally 'T' or ' ' and a time with an offset: the date as written is the local date.
  int y = ReadDigits(s, 0, 4), m = ReadDigits(s, 5, 2), d = ReadDigits(s, 8, 2);
  if (y >= 0 && m >= 0 && d >= 0 && s.size() >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
    if (!ValidCivil(y, m, d)) return bad();
    if (s.size() == 10 || s[10] == 'T' || s[10] == ' ' || s[10] == 't') return DaysFromCivil(y, m, d);
    return bad();
  }
  // DD/MM/YYYY
  d = ReadDigits(s, 0, 2), m = ReadDigits(s, 3, 2), y = ReadDigits(s, 6, 4);
  if (y >= 0 && m >= 0 && d >= 0 && (s[2] == '/' || s[2] == '-' || s[2] == '.') && s[5] == s[2]) {
    if (!ValidCivil(y, m, d)) return bad();
    return DaysFromCivil(y, m, d);
  }
  // RFC 2822: [Day, ]D[D] Mon YYYY ...
  size_t i = 0;
  if (s.size() > 4 && s[3] == ',') i = 4;
  while (i < s.size() && s[i] == ' ') ++i;
  size_t j = i;
  while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
  if (j > i && j - i <= 2 && j + 1 < s.size() && s[j] == ' ') {
    d = ReadDigits(s, i, j - i);
    m = MonthAbbrev(s.substr(j + 1));
    size_t k = j + 1;
    while (k < s.size() && s[k] != ' ') ++k;
    y = ReadDigits(s, k + 1, 4);
    if (y > 0 && m > 0 && ValidCivil(y, m, d)) return DaysFromCivil(y, m, d);
  }
  return bad();
}

}  // namespace rasid::extract
