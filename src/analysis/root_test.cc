#include "rasid/analysis/root.h"

#include <gtest/gtest.h>

namespace rasid::analysis {
namespace {

TEST(Root, TrilateralAndQuadrilateral) {
  struct { const char* word; const char* root; } cases[] = {
      {"مكتبة", "كتب"},      // maktaba, library
      {"كاتب", "كتب"},       // katib, writer
      {"استخدام", "خدم"},    // istikhdam, use
      {"انتخاب", "نخب"},     // intikhab, election
      {"مدرسة", "درس"},      // madrasa, school
      {"تحالف", "حلف"},      // tahaluf, alliance
      {"مكتوب", "كتب"},      // maktub, written
      {"مفاوضات", "فاض"},    // mufawadat: ISRI's known miss (the root is فوض)
      {"مسلحين", "سلح"},     // musallahin, gunmen
      {"زلزال", "زلزل"},     // zilzal, earthquake (quadrilateral)
      {"دحرجة", "دحرج"},     // dahraja, rolling (quadrilateral)
  };
  for (const auto& c : cases) EXPECT_EQ(ExtractRoot(c.word), c.root) << c.word;
}

TEST(Root, NonArabicPassesThrough) { EXPECT_EQ(ExtractRoot("abc"), "abc"); }

}  // namespace
}  // namespace rasid::analysis
