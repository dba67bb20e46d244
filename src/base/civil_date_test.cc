// Article dates as scrapers write them: one parser for the index (lenient)
// and for extraction's reference dates (strict).
#include "rasid/base/civil_date.h"

#include <gtest/gtest.h>

namespace rasid {
namespace {

std::string Parse(std::string_view text, bool strict) {
  int32_t days = 0;
  return ParseArticleDate(text, strict, &days) ? FormatDays(days) : "none";
}

TEST(ArticleDate, FormsOfTheCorpora) {
  for (bool strict : {false, true}) {
    EXPECT_EQ(Parse("2019-03-14", strict), "2019-03-14");
    EXPECT_EQ(Parse("  2015-07-26 16:51:11", strict), "2015-07-26");      // SaudiNewsNet
    EXPECT_EQ(Parse("2019-03-14T08:00:00+03:00", strict), "2019-03-14");  // ISO 8601: the local date
    EXPECT_EQ(Parse("2019/03/14", strict), "2019-03-14");
    EXPECT_EQ(Parse("14/11/2019", strict), "2019-11-14");
    EXPECT_EQ(Parse("14.11.2019", strict), "2019-11-14");
    EXPECT_EQ(Parse("Sun, 18 Feb 2018 21:35:43 +0400", strict), "2018-02-18");  // ANT v2.1
    EXPECT_EQ(Parse("5 Mar 2020", strict), "2020-03-05");
    EXPECT_EQ(Parse("2024-02-29", strict), "2024-02-29");
    EXPECT_EQ(Parse("", strict), "none");
    EXPECT_EQ(Parse("yesterday", strict), "none");
    EXPECT_EQ(Parse("١٤ نوفمبر ٢٠١٩", strict), "none");  // dates in the text are extraction's job
  }
}

TEST(ArticleDate, StrictRefusesWhatLenientSkips) {
  // Lenient (document dates at ingest): the first valid date at the start.
  EXPECT_EQ(Parse("2019-03-14xyz", false), "2019-03-14");
  EXPECT_EQ(Parse("2019-02-30", false), "none");
  EXPECT_EQ(Parse("2019-03-14  ", false), "2019-03-14");
  // Strict (--date of rasid extract): nothing but a time may follow; a
  // recognised form with an impossible day is not a date.
  EXPECT_EQ(Parse("2019-03-14xyz", true), "none");
  EXPECT_EQ(Parse("2019-02-30", true), "none");
  EXPECT_EQ(Parse("31/04/2019", true), "none");
  EXPECT_EQ(Parse("2019-03-14  ", true), "2019-03-14");
}

}  // namespace
}  // namespace rasid
