// Light stemming for search: clitics off, then one inflectional suffix off.
//
// stem(w) = base of CliticSegmenter::Segment(w) without its feminine ending
// (ة), sound plural (ات ون ين) or dual (ان) suffix. ة always goes; the others
// go only when the remainder is attested in the Lexicon (مطارات -> مطار, but
// لبنان, فلسطين, أوقات stay), and tens (عشرين ... تسعين) stay. Broken plurals
// are not reduced (that is what roots are for). So وأغراضها, أغراض and
// الأغراض share the stem اغراض; وللحكومة, الحكومة, حكومات share حكوم.
//
// Thread safety: const methods may be called from several threads.
#ifndef RASID_ANALYSIS_STEMMER_H_
#define RASID_ANALYSIS_STEMMER_H_

#include <memory>
#include <string>
#include <string_view>

#include "rasid/analysis/clitics.h"
#include "rasid/analysis/lexicon.h"

namespace rasid::analysis {

class LightStemmer {
 public:
  explicit LightStemmer(std::shared_ptr<const Lexicon> lexicon);
  // Stem of a base (a word with its clitics already removed).
  std::string StemBase(std::string_view base) const;
  // Stem of a whole word in analysis form.
  std::string Stem(std::string_view word) const { return StemBase(segmenter_.Segment(word).base); }
  const CliticSegmenter& segmenter() const { return segmenter_; }

 private:
  std::shared_ptr<const Lexicon> lexicon_;
  CliticSegmenter segmenter_;
};

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_STEMMER_H_
