#include "rasid/extract/extractor.h"

#include <gtest/gtest.h>

#include "rasid/extract/calendar.h"

namespace rasid::extract {
namespace {

class ExtractorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ex = Extractor::Create();
    ASSERT_TRUE(ex.ok()) << ex.status().ToString();
    ex_ = std::move(*ex);
  }
  Extraction Run(std::string_view text, const char* date = nullptr) {
    ExtractOptions opts;
    if (date) opts.reference_day = *ParseReferenceDate(date);
    Extraction out;
    ex_->Extract(text, opts, &out);
    return out;
  }
  std::unique_ptr<Extractor> ex_;
};

std::string_view Span(std::string_view text, uint32_t start, uint32_t end) {
  return text.substr(start, end - start);
}

TEST_F(ExtractorTest, MixedNumberWithCountedNoun) {
  // «80 ألف مسلح»: 80 thousand gunmen
  std::string text = "\u0628\u0646\u062D\u0648 80 \u0623\u0644\u0641 \u0645\u0633\u0644\u062D";
  Extraction x = Run(text);
  ASSERT_EQ(x.numbers.size(), 1u);
  EXPECT_EQ(x.numbers[0].value, 80000);
  EXPECT_EQ(x.numbers[0].unit, "\u0645\u0633\u0644\u062D");
  EXPECT_TRUE(x.numbers[0].approx);
}

TEST_F(ExtractorTest, SpansAreExact) {
  // «ارتفع بنسبة ٢٥٪ و7٫7 مليون شخص»
  std::string text =
      "\u0627\u0631\u062A\u0641\u0639 \u0628\u0646\u0633\u0628\u0629 \u0662\u0665\u066A "
      "\u06487\u066B7 \u0645\u0644\u064A\u0648\u0646 \u0634\u062E\u0635";
  Extraction x = Run(text);
  ASSERT_EQ(x.numbers.size(), 2u);
  EXPECT_EQ(x.numbers[0].type, NumberType::kPercent);
  EXPECT_EQ(x.numbers[0].value, 25);
  EXPECT_EQ(Span(text, x.numbers[0].start, x.numbers[0].end), "\u0662\u0665\u066A");
  EXPECT_EQ(x.numbers[1].value, 7700000);
  // The conjunction و is not part of the span.
  EXPECT_EQ(Span(text, x.numbers[1].start, x.numbers[1].end),
            "7\u066B7 \u0645\u0644\u064A\u0648\u0646 \u0634\u062E\u0635");
}

TEST_F(ExtractorTest, HijriDateConverted) {
  // «15 رمضان 1440 هـ»
  std::string text = "15 \u0631\u0645\u0636\u0627\u0646 1440 \u0647\u0640";
  Extraction x = Run(text);
  ASSERT_EQ(x.dates.size(), 1u);
  EXPECT_EQ(x.dates[0].value, "2019-05-20");
  EXPECT_EQ(x.dates[0].hijri, "1440-09-15");
  EXPECT_EQ(x.dates[0].calendar, "islamic-umalqura");
  EXPECT_TRUE(x.numbers.empty());
}

TEST_F(ExtractorTest, RelativeNeedsReference) {
  // «أمس»
  std::string text = "\u0623\u0645\u0633";
  Extraction x = Run(text);
  ASSERT_EQ(x.dates.size(), 1u);
  EXPECT_EQ(x.dates[0].value, "");
  x = Run(text, "2019-05-20");
  ASSERT_EQ(x.dates.size(), 1u);
  EXPECT_EQ(x.dates[0].value, "2019-05-19");
}

TEST_F(ExtractorTest, MarksAndTatweelStayInsideSpans) {
  // qutila thalathatu ashkhasin wa-50 milyuun dular wa-bi-300 alf yuru wal-15
  std::string text = "قُتِلَ ثَلاثَةُ أَشْخاصٍ و٥٠ مليـــون دولار وبـ٣٠٠ ألف يورو والـ١٥";
  Extraction x = Run(text);
  ASSERT_EQ(x.numbers.size(), 4u);
  EXPECT_EQ(Span(text, x.numbers[0].start, x.numbers[0].end), "ثَلاثَةُ أَشْخاصٍ");
  EXPECT_EQ(x.numbers[0].unit, "شخص");
  EXPECT_EQ(Span(text, x.numbers[1].start, x.numbers[1].end), "٥٠ مليـــون دولار");
  EXPECT_EQ(x.numbers[1].value, 50000000);
  EXPECT_EQ(Span(text, x.numbers[2].start, x.numbers[2].end), "٣٠٠ ألف يورو");
  EXPECT_EQ(x.numbers[2].unit, "EUR");
  EXPECT_EQ(x.numbers[3].type, NumberType::kOrdinal);
  EXPECT_EQ(Span(text, x.numbers[3].start, x.numbers[3].end), "الـ١٥");
}

TEST_F(ExtractorTest, CountryResolvesBareCurrency) {
  // dafa'a 500 junayh (paid 500 pounds)
  std::string text = "دفع 500 جنيه";
  Extraction x = Run(text);
  ASSERT_EQ(x.numbers.size(), 1u);
  EXPECT_TRUE(x.numbers[0].ambiguous);
  EXPECT_TRUE(x.numbers[0].unit.empty());
  ExtractOptions opts;
  opts.country = "EG";
  ex_->Extract(text, opts, &x);
  ASSERT_EQ(x.numbers.size(), 1u);
  EXPECT_FALSE(x.numbers[0].ambiguous);
  EXPECT_EQ(x.numbers[0].unit, "EGP");
}

TEST_F(ExtractorTest, EmptyAndOddInputs) {
  Extraction x = Run("");
  EXPECT_TRUE(x.numbers.empty() && x.dates.empty());
  // Only punctuation and digits glued to everything.
  x = Run("%%% ... 12:: --5-- 1/2/ ، ٫٫ $ €");
  for (const auto& n : x.numbers) EXPECT_LE(n.end, 40u);
}

}  // namespace
}  // namespace rasid::extract
