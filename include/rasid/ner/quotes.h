// Who said what: direct quotations and their speakers.
//
// A quotation is text in «…», "…" or “…” that reproduces someone's words,
// attributed through a reporting word and its position: قال، أوضح، أكد، أضاف،
// صرح، أشار، اعتبر ... before or after the quotation, «قائلا:», «وفق»,
// «بحسب», «على لسان», «نقل عن» ... The speaker is the phrase that the reporting
// word introduces (a name, or a title such as «مبعوث ترامب إلى سوريا»), or,
// for a bare verb (وأضاف: «…»), the speaker of the previous quotation. The
// speaker is resolved to an entity of the document when it is one or
// contains one.
//
// Quotation marks around names, titles, operations and scare quotes
// («العزم الصلب», «البنتاجون», «الإنجاز التاريخي») are not quotations: short
// quoted phrases count only when a reporting word introduces them directly.
// Rules and the hand-checked test set: docs/ner.md, tests/testdata/ner/quotes.tsv.
//
// Thread safety: FindQuotes is a pure function.
#ifndef RASID_NER_QUOTES_H_
#define RASID_NER_QUOTES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/analysis/analyzer.h"
#include "rasid/ner/ner.h"

namespace rasid::ner {

struct Quote {
  uint32_t start = 0;  // byte span of the quoted words, without the marks
  uint32_t end = 0;
  std::string text;  // text[start, end)
  // Who said it, as written, without leading conjunctions and prepositions;
  // empty when unknown.
  std::string speaker;
  uint32_t speaker_start = 0;  // its byte span (equal when unknown)
  uint32_t speaker_end = 0;
  int entity = -1;  // index into the document's entities when the speaker is or names one
  std::string cue;  // the reporting word as written: قال، أكد، بحسب ...
};

// The quotations of one document. `tokens` are the Analyzer's tokens of
// `text` (default options), `mentions` and `entities` what Recognize and
// GroupMentions found in them (may be empty: speakers are then unresolved).
std::vector<Quote> FindQuotes(const std::vector<analysis::AnalyzedToken>& tokens, std::string_view text,
                              const std::vector<Mention>& mentions, const std::vector<Entity>& entities);

}  // namespace rasid::ner

#endif  // RASID_NER_QUOTES_H_
