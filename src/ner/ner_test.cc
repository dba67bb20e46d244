#include "rasid/ner/ner.h"

#include <gtest/gtest.h>

namespace rasid::ner {
namespace {

TEST(Tags, NamesRoundTrip) {
  for (int t = 0; t < kNumTags; ++t) EXPECT_EQ(ParseTag(TagName(static_cast<Tag>(t))), t);
  EXPECT_EQ(ParseTag("B-PERS"), BeginTag(EntityType::kPer));
  EXPECT_FALSE(ParseTag("B-XYZ").has_value());
}

}  // namespace
}  // namespace rasid::ner
