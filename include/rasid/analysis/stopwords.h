// The Arabic stop-word list, for search (optional); extraction never uses it.
//
// Source: Jacques Savoy's Arabic list (BSD licence), as shipped with Apache
// Lucene's ArabicAnalyzer (data/stopwords.txt keeps its header). Entries are
// stored in analysis form, so أو and او, إلى and الى are one entry.
//
// Thread safety: immutable after loading.
#ifndef RASID_ANALYSIS_STOPWORDS_H_
#define RASID_ANALYSIS_STOPWORDS_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "rasid/base/status.h"

namespace rasid::analysis {

class StopWords {
 public:
  // Loads a list (one word per line, '#' comments); words are normalised to
  // analysis form.
  static Result<std::shared_ptr<const StopWords>> Load(const std::string& path);
  // data/stopwords.txt from DataDir(), cached for the process.
  static Result<std::shared_ptr<const StopWords>> Default();

  // `word` in analysis form.
  bool Contains(std::string_view word) const { return words_.count(std::string(word)) > 0; }
  size_t size() const { return words_.size(); }

 private:
  std::unordered_set<std::string> words_;
};

}  // namespace rasid::analysis

#endif  // RASID_ANALYSIS_STOPWORDS_H_
