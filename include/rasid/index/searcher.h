// Searching an index: query evaluation with BM25 (title-weighted), dynamic
// pruning (WAND) for top-k, exact totals and facets when asked, and snippets
// highlighted in the original text.
//
// Scores are BM25 with k1, b (defaults 1.2, 0.75), N = documents in the
// index (deleted ones included until merged, as in Lucene), df summed over
// segments, weighted frequencies and lengths (a title occurrence counts
// kTitleWeight times). A phrase scores as one term whose idf is the sum of
// its words' idfs and whose frequency is the number of times it occurs.
//
// Thread safety: a Searcher is used by one thread at a time (it owns an
// Analyzer); the IndexReader it searches may be shared.
#ifndef RASID_INDEX_SEARCHER_H_
#define RASID_INDEX_SEARCHER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rasid/analysis/analyzer.h"
#include "rasid/base/status.h"
#include "rasid/index/index.h"
#include "rasid/index/query.h"

namespace rasid::index {

struct SearchOptions {
  size_t k = 10;
  size_t offset = 0;            // for paging; offset + k <= max_window
  size_t max_window = 10000;
  bool exact = false;           // match every word in its exact normalised form
  bool count_all = true;        // exact total and facets (false: top-k only, pruned)
  bool snippets = true;
  bool load_documents = true;   // title, date, source ... of hits
  bool drop_stopwords = true;   // drop stop words from optional words (not phrases)
  size_t snippet_bytes = 320;
  size_t facet_limit = 20;
  bool day_facet = false;       // with count_all: also facets["day"] ("YYYY-MM-DD", by value; for timelines)
  double k1 = 1.2, b = 0.75;
  // Rerank: the best max(offset + k, proximity_depth) documents by BM25 over
  // stems of the query's list of words are re-scored (0 depth: off):
  // - each word's exact form adds its BM25 score times `exact_boost`
  //   (0: off): a document with the very form typed ranks higher (nested
  //   lists and title: words score it for every match instead);
  // - each pair of consecutive query words found within
  //   `proximity_window` positions of each other adds a BM25 term whose
  //   frequency is the number of such places, times `proximity` (0: off).
  // Tuned on the known-item set (titles as queries): docs/search-benchmarks.md.
  double exact_boost = 0.2;
  double proximity = 0.5;
  size_t proximity_depth = 20;
  uint32_t proximity_window = 4;
  // Top-k without count_all: MaxScore a window of documents at a time for
  // lists of at least this many words, block-max WAND below (by default
  // never: MaxScore by windows runs about half the instructions of WAND on
  // questions and a third fewer on short queries, docs/search-benchmarks.md).
  size_t maxscore_min_terms = 1;
  QueryOptions query;
};

struct Snippet {
  std::string text;  // a passage of the original text, "…" where cut
  std::vector<std::pair<uint32_t, uint32_t>> highlights;  // byte spans in `text`
};

struct Hit {
  std::string id;
  double score = 0;
  std::string title, date, source, category, url;
  Snippet snippet;
  uint32_t segment = 0, doc = 0;  // where it is in the reader
};

struct FacetValue {
  std::string value;
  uint64_t count = 0;
};

struct SearchResult {
  uint64_t total = 0;
  bool total_exact = true;  // false when pruning skipped the count (count_all = false)
  double took_ms = 0;
  std::vector<Hit> hits;
  // "source", "category", "year", "month", "mentioned_month" (months the
  // matching articles mention, from extraction) -> values by count (year and
  // months by value).
  // "day" too when SearchOptions::day_facet is set.
  std::map<std::string, std::vector<FacetValue>> facets;
};

// The analysed terms of a query that highlight text: index keys ('w' or 's'
// space, see segment.h).
struct HighlightTerms {
  std::vector<std::string> keys;
};

class Searcher {
 public:
  explicit Searcher(std::shared_ptr<const IndexReader> reader);
  ~Searcher();

  // Parses and runs `query`. InvalidArgument for a bad query or window.
  Result<SearchResult> Search(std::string_view query, const SearchOptions& options);
  Result<SearchResult> Search(const QueryNode& query, const SearchOptions& options);

  // A snippet of `text` around the words of `terms`, highlights on the
  // words themselves (clitics left out: و+ل+[حكومة]).
  Snippet MakeSnippet(std::string_view text, const HighlightTerms& terms, size_t max_bytes);

  const IndexReader& reader() const { return *reader_; }

 private:
  struct Impl;
  std::shared_ptr<const IndexReader> reader_;
  std::unique_ptr<Impl> impl_;
};

// The byte span of the base of an Arabic token inside its surface text:
// proclitics and enclitic (as the analyzer reports them) left out, with the
// diacritics of the base kept. Offsets are relative to `surface`.
std::pair<uint32_t, uint32_t> BaseSpan(std::string_view surface, std::string_view proclitics,
                                       std::string_view enclitic);

}  // namespace rasid::index

#endif  // RASID_INDEX_SEARCHER_H_
