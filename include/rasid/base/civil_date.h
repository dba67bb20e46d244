// Proleptic Gregorian dates as day numbers: the count of days since
// 1970-01-01 (negative before). Shared by the index (document dates) and
// extraction (dates in the text).
#ifndef RASID_BASE_CIVIL_DATE_H_
#define RASID_BASE_CIVIL_DATE_H_

#include <cstdint>
#include <string>

namespace rasid {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
};

int32_t DaysFromCivil(int year, int month, int day);  // H. Hinnant's days_from_civil
CivilDate CivilFromDays(int32_t days);                // and civil_from_days
bool IsLeapYear(int year);
int DaysInMonth(int year, int month);  // 0 for a month outside 1..12
bool ValidCivil(int year, int month, int day);  // years 1..9999
// ISO weekday of a day number: 1 Monday .. 7 Sunday.
int IsoWeekday(int32_t days);
// "YYYY-MM-DD" (years 0..9999).
std::string FormatDays(int32_t days);

}  // namespace rasid

#endif  // RASID_BASE_CIVIL_DATE_H_
