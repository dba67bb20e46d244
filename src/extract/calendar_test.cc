#include "rasid/extract/calendar.h"

#include <gtest/gtest.h>

namespace rasid::extract {
namespace {

TEST(Calendar, CivilRoundTrip) {
  for (int32_t d = -200000; d < 200000; d += 37) {
    CivilDate c = CivilFromDays(d);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(FormatDays(DaysFromCivil(2019, 5, 20)), "2019-05-20");
  EXPECT_EQ(IsoWeekday(DaysFromCivil(2019, 5, 20)), 1);  // a Monday
  EXPECT_EQ(IsoWeekday(DaysFromCivil(2015, 7, 24)), 5);  // a Friday
}

struct HijriCase {
  HijriDate hijri;
  const char* gregorian;
};

// Dates of the official Saudi (Umm al-Qura) calendar.
TEST(Calendar, UmmAlQura) {
  const HijriCase kCases[] = {
      {{1440, 9, 15}, "2019-05-20"},  // 15 Ramadan 1440
      {{1440, 9, 1}, "2019-05-06"},   // 1 Ramadan 1440
      {{1436, 10, 1}, "2015-07-17"},  // Eid al-Fitr 1436
      {{1436, 1, 1}, "2014-10-25"},
      {{1440, 1, 1}, "2018-09-11"},
      {{1439, 12, 10}, "2018-08-21"},  // Eid al-Adha 1439
      {{1445, 9, 1}, "2024-03-11"},
      {{1420, 1, 1}, "1999-04-17"},
  };
  for (const HijriCase& c : kCases) {
    HijriCalendar used;
    std::optional<int32_t> d = HijriToDays(c.hijri, &used);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(FormatDays(*d), c.gregorian) << c.hijri.year << "-" << c.hijri.month << "-" << c.hijri.day;
    EXPECT_EQ(used, HijriCalendar::kUmmAlQura);
    std::optional<HijriDate> back = DaysToHijri(*d, &used);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->year, c.hijri.year);
    EXPECT_EQ(back->month, c.hijri.month);
    EXPECT_EQ(back->day, c.hijri.day);
  }
}

TEST(Calendar, HijriRoundTripAndFallback) {
  HijriCalendar used;
  for (int32_t d = DaysFromCivil(1900, 1, 1); d < DaysFromCivil(2100, 1, 1); d += 3) {
    std::optional<HijriDate> h = DaysToHijri(d, &used);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(HijriToDays(*h, &used), d);
  }
  // Outside the table: the tabular calendar, and it says so.
  std::optional<int32_t> d = HijriToDays({1300, 1, 1}, &used);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(used, HijriCalendar::kTabular);
  EXPECT_STREQ(HijriCalendarName(used), "islamic-tabular");
  EXPECT_FALSE(HijriToDays({1440, 13, 1}, &used).has_value());
  EXPECT_FALSE(HijriToDays({1440, 9, 31}, &used).has_value());
}

TEST(Calendar, ReferenceDates) {
  const std::pair<const char*, const char*> kCases[] = {
      {"2019-05-20", "2019-05-20"},
      {"2017-01-25T14:36:00+01:00", "2017-01-25"},
      {"2015-07-21 02:51:32", "2015-07-21"},
      {"Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18"},
      {"25/01/2017", "2017-01-25"},
  };
  for (auto [in, want] : kCases) {
    Result<int32_t> d = ParseReferenceDate(in);
    ASSERT_TRUE(d.ok()) << in;
    EXPECT_EQ(FormatDays(*d), want);
  }
  EXPECT_FALSE(ParseReferenceDate("2019-02-30").ok());
  EXPECT_FALSE(ParseReferenceDate("yesterday").ok());
}

}  // namespace
}  // namespace rasid::extract
