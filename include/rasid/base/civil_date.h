// Proleptic Gregorian dates as day numbers: the count of days since
// 1970-01-01 (negative before). Shared by the index (document dates) and
// extraction (dates in the text).
#ifndef RASID_BASE_CIVIL_DATE_H_
#define RASID_BASE_CIVIL_DATE_H_

#include <cstdint>
#include <string>
#include <string_view>

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

// The day number of an article date as scrapers write it: YYYY-MM-DD or
// YYYY/MM/DD, DD/MM/YYYY (or with '-' or '.'), or RFC 2822 "[Day, ]D Mon
// YYYY ...", leading whitespace ignored. Lenient (`strict` false): the
// first of these forms that holds a valid date at the start wins, whatever
// follows. Strict: a YYYY-MM-DD date may be followed only by nothing or a
// time ('T', 't' or ' ' then anything), trailing whitespace is ignored, and
// an invalid day in a recognised form is not a date. False when no date.
bool ParseArticleDate(std::string_view text, bool strict, int32_t* days);

}  // namespace rasid

#endif  // RASID_BASE_CIVIL_DATE_H_
