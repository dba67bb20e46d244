#include "rasid/extract/extractor.h"

#include <gtest/gtest.h>

#include <random>

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

// Random mixes of the pieces extraction reacts to: spans stay inside the
// text, on UTF-8 boundaries, and numbers never overlap each other.
TEST_F(ExtractorTest, SpansOfRandomPiecesAreValid) {
  const char* kPieces[] = {
      "\u0648", "\u0628", "\u0627\u0644", "\u0627\u0644\u0640", "\u0640", "\u066B", "\u066C", ".", ",", "/", "-",
      ":", "(", ")", "%", "\u066A", "$", "\u0645", "\u0647\u0640", "\u0631", "\u0661\u0662", "0", "12", "2019",
      "1440", "99999999999", "7\u066B7",
      "\u0645\u0644\u064A\u0648\u0646",                          // مليون
      "\u0622\u0644\u0627\u0641",                                  // آلاف
      "\u0648\u0646\u0635\u0641",                                  // ونصف
      "\u0627\u0644\u0633\u0627\u0639\u0629",                    // الساعة
      "\u0645\u0633\u0627\u0621",                                  // مساء
      "\u064A\u0646\u0627\u064A\u0631",                           // يناير
      "\u0631\u0645\u0636\u0627\u0646",                           // رمضان
      "\u0627\u0644\u0645\u0648\u0627\u0641\u0642",             // الموافق
      "\u0623\u0645\u0633",                                          // أمس
      "\u0645\u0646\u0630",                                          // منذ
      "\u0639\u0627\u0645",                                          // عام
      "\u0628\u064A\u0646",                                          // بين
      "\u0625\u0644\u0649",                                          // إلى
      "\u062F\u0648\u0644\u0627\u0631",                           // دولار
      "\u0627\u0644\u062D\u0627\u062F\u064A",                    // الحادي
      "\u0639\u0634\u0631",                                          // عشر
      "\u062B\u0644\u0627\u062B\u0629",                           // ثلاثة
      "\u064A\u0648\u0645\u064A\u0646",                           // يومين
      "\u200F", "\u064B", " ", " ", "\n"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> piece(0, std::size(kPieces) - 1), length(1, 25);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (size_t n = length(rng); n > 0; --n) {
      text += kPieces[piece(rng)];
      if (rng() % 3) text += ' ';
    }
    Extraction x = Run(text, (round % 2) ? "2019-05-20" : nullptr);
    uint32_t last_end = 0;
    for (const auto& n : x.numbers) {
      ASSERT_LT(n.start, n.end) << text;
      ASSERT_LE(n.end, text.size()) << text;
      EXPECT_GE(n.start, last_end) << text;
      last_end = n.end;
    }
    for (const auto& d : x.dates) {
      ASSERT_LT(d.start, d.end) << text;
      ASSERT_LE(d.end, text.size()) << text;
    }
    auto boundary = [&](uint32_t at) { return at == text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80; };
    for (const auto& n : x.numbers) EXPECT_TRUE(boundary(n.start) && boundary(n.end)) << text;
    for (const auto& d : x.dates) EXPECT_TRUE(boundary(d.start) && boundary(d.end)) << text;
  }
}

}  // namespace
}  // namespace rasid::extract
