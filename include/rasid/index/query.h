// The search query language and its parsed form.
//
// Grammar (documented for users in docs/query.md):
//   query    := or
//   or       := and ( ("OR" | "|") and )*
//   and      := unary ( ["AND" | "&"] unary )*   (no operator: see below)
//   unary    := ("NOT" | "-") unary | "+" unary | primary
//   primary  := "(" or ")" | field ":" value | phrase | word
//   phrase   := '"' words '"'  (also «...» and “...”)
//   field    := title | source | category | date | author | id | exact
// Operators are the upper-case Latin words AND OR NOT and the signs; Arabic
// words such as و or أو are always search words.
//   value    := word | phrase | date-range (YYYY[-MM[-DD]]..YYYY[-MM[-DD]], either side open)
//
// Juxtaposed terms with no operator are combined by the query's default
// operator (QueryOptions::default_and; OR by default, ranked by BM25, as
// people type questions; "+" marks a term required, "-" or NOT excludes).
// A word prefixed with '=' (=وللحكومة) or written inside exact:(...) is
// matched in its exact normalised form instead of by stem.
//
// Parsing never analyses text: words and phrases are kept as written; the
// searcher analyses them with the index's analyzer.
#ifndef RASID_INDEX_QUERY_H_
#define RASID_INDEX_QUERY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/base/status.h"

namespace rasid::index {

enum class Field { kAll, kTitle, kSource, kCategory, kAuthor, kId, kDate };

struct QueryNode {
  enum class Kind {
    kTerm,       // text: one word as written
    kPhrase,     // text: the words of the phrase as written
    kAnd,        // children: all must match
    kOr,         // children: at least one must match (scores add up)
    kNot,        // children[0] must not match (only inside kAnd, or at top level with positives)
    kRequired,   // children[0] must match ("+word" inside a default-OR query)
    kKeyword,    // field (source/category/author/id) equals text, exactly (case-folded)
    kDateRange,  // date_from..date_to (inclusive), "YYYY-MM-DD"; empty = open
  };
  Kind kind = Kind::kTerm;
  Field field = Field::kAll;  // kTerm/kPhrase: kAll or kTitle
  bool exact = false;         // kTerm/kPhrase: match the exact normalised form
  std::string text;
  std::string date_from, date_to;
  std::vector<std::unique_ptr<QueryNode>> children;
};

struct QueryOptions {
  bool default_and = false;    // juxtaposed terms: AND instead of OR
  size_t max_query_bytes = 4096;
  size_t max_terms = 64;       // words and phrase words in all
};

// Parses `query`. Errors (InvalidArgument) name the byte offset and what was
// expected: "query: unbalanced parenthesis at byte 12", "query: longer than
// 4096 bytes", "query: bad date range '2019-13-01..' at byte 5".
Result<std::unique_ptr<QueryNode>> ParseQuery(std::string_view query, const QueryOptions& options);

// A compact, stable text form for tests and --explain:
//   (AND (OR a b) (NOT c) (PHRASE "x y") (TERM= w) (KEY source BBC) (DATE 2019-01-01 2019-12-31))
std::string DebugString(const QueryNode& node);

}  // namespace rasid::index

#endif  // RASID_INDEX_QUERY_H_
