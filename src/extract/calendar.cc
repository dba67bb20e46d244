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

Result<int32_t> ParseReferenceDate(std::string_view text) {
  int32_t days;
  if (ParseArticleDate(text, /*strict=*/true, &days)) return days;
  return Status::InvalidArgument("not a date: '" + std::string(text) +
                                 "' (expected YYYY-MM-DD or an ISO-8601 date-time)");
}

}  // namespace rasid::extract
