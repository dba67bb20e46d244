// Clitic segmentation of Arabic words: وللحكومة -> و + ل + ال + حكومة.
//
// Input is one word in analysis form (NormalizeOptions::Analysis()).
// Proclitics are a conjunction (و ف), then a preposition (ب ك ل) or the
// future marker (س, before ي ت ن ا), then the article ال (ل + ال is written
// لل). Enclitics are the pronouns ه ها هم هما هن كم كن كما نا (not ك, see clitics.cc). A word ending
// in ت, ا, ؤ or ئ before an enclitic gets its stand-alone form back
// (حكومتها -> حكومة, مستواه -> مستوي, أبناؤه -> أبناء).
//
// A split is accepted only when the remaining base is attested in the
// Lexicon often enough compared with the whole word, so real letters stay
// (والد, بلد, البانيا, كتاب are not split), and protected function words
// (لكن, كما, الذي, الله ...) are never split. Among accepted splits the one
// that removes the most wins. See docs/analysis.md for the thresholds.
//
// Thread safety: const methods may be called from several threads.
#ifndef RASID_ANALYSIS_CLITICS_H_
#define RASID_ANALYSIS_CLITICS_H_

#include <memory>
#include <string>
#include <string_view>

#include "rasid/analysis/lexicon.h"

namespace rasid::analysis {

struct Segmentation {
  std::string proclitics;  // e.g. "و+ل+ال", empty when none
  std::string base;        // e.g. "حكومة"
  std::string enclitic;    // e.g. "ها", empty when none
};

class CliticSegmenter {
 public:
  explicit CliticSegmenter(std::shared_ptr<const Lexicon> lexicon);
  Segmentation Segment(std::string_view word) const;
  const Lexicon& lexicon() const { return *lexicon_; }

 private:
  std::shared_ptr<const Lexicon> lexicon_;
};

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_CLITICS_H_
