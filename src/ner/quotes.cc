#include "rasid/ner/quotes.h"

namespace rasid::ner {

std::vector<Quote> FindQuotes(const std::vector<analysis::AnalyzedToken>& tokens, std::string_view text,
                              const std::vector<Mention>& mentions, const std::vector<Entity>& entities) {
  return {};
}

}  // namespace rasid::ner
