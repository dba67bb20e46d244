#include "rasid/ner/quotes.h"

#include <gtest/gtest.h>

namespace rasid::ner {
namespace {

TEST(Quotes, Placeholder) { SUCCEED(); }

}  // namespace
}  // namespace rasid::ner
