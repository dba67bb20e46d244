// The search query language and its parsed form.
//
// Grammar (documented for users in docs/query.md), loosest first:
//   query    := or
//   or       := sequence ( ("OR" | "|") sequence )*
//   sequence := chain chain*                      (juxtaposition: see below)
//   chain    := unary ( ("AND" | "&") unary )*
//   unary    := ("NOT" | "-" | "+")? primary
//   primary  := ( "=" | field ":" )* ( "(" or ")" | phrase | word )
//   phrase   := '"' text '"'  (also «...» and “...”; no escapes)
//   field    := title | source | category | author | id | date | exact
//               (ASCII case ignored; Arabic عنوان مصدر تصنيف كاتب تاريخ)
//   date     := YYYY[-MM[-DD]] | YYYY[-MM[-DD]]..YYYY[-MM[-DD]], either side open
// A word is a run of characters other than spaces, ( ) & | and quotes, kept as
// written (كوفيد-19, #وسم, http://x.y): an unknown "name:" is part of the word.
// Operators are the upper-case Latin words AND OR NOT as free-standing words,
// and the signs; Arabic words such as و or أو are always search words. "-",
// "+" are operators only at the start of a word after a space, "(", "&", "|"
// or the query start, "=" also after a sign or a field's colon; a sign with
// nothing after it is ignored. A field applies to the primary after it, a group too:
// title:(a b); date values may use Arabic-Indic digits.
//
// Juxtaposed terms with no operator are combined by the query's default
// operator (QueryOptions::default_and; OR by default, ranked by BM25, as
// people type questions; "+" marks a term required, "-" or NOT excludes).
// A word prefixed with '=' (=وللحكومة) or written inside exact:(...) is
// matched in its exact normalised form instead of by stem.
//
// Canonical shape (what ParseQuery returns, as DebugString shows it):
//  - The root is always kAnd or kOr; a lone term is wrapped in the default
//    operator: "a" is (OR a), or (AND a) with default_and.
//  - A group of one child is that child; an AND inside an AND and an OR
//    inside an OR are merged into their parent (except an OR holding REQ).
//  - A default-OR sequence: its optional terms and (REQ x) for each +x form
//    one OR in input order: "a +b c" is (OR a (REQ b) c); when every term is
//    +x the OR becomes an AND: "+a +b" is (AND a b).
//  - Exclusions: (AND <positive part> (NOT x)...); in every AND the NOTs
//    come last, in input order. Under default OR the positive part stays an OR even with one
//    child: "a -b" is (AND (OR a) (NOT b)); with default_and, or when the
//    positive part is an AND, it merges: (AND a (NOT b)).
//  - kNot appears only as a child of kAnd, kRequired only as a child of kOr.
//    A sequence, group or OR branch with exclusions only is an error;
//    "NOT a AND NOT b" inside a sequence excludes both from it.
//  - Explicit AND binds tighter than juxtaposition, which binds tighter than
//    OR: "a b AND c OR d" is (OR a (AND b c) d).
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

// kMentions: articles that mention a date (mentions:2019-03); kMoney: that
// mention an amount of money (money:USD, money:USD>1000000). Both come from
// the extraction at ingest.
// kPerson, kOrg, kPlace: articles about an entity found at ingest (person:"دونالد ترامب").
enum class Field { kAll, kTitle, kSource, kCategory, kAuthor, kId, kDate, kMentions, kMoney, kPerson, kOrg, kPlace };

struct QueryNode {
  enum class Kind {
    kTerm,       // text: one word as written
    kPhrase,     // text: the words of the phrase as written
    kAnd,        // children: all must match
    kOr,         // children: at least one must match (scores add up)
    kNot,        // children[0] must not match (only as a child of kAnd)
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
  size_t max_terms = 64;       // words, phrase words and field values in all
  size_t max_depth = 32;       // nesting of parentheses (the parser recurses per level)
};

// Parses `query` (any bytes). Errors (InvalidArgument) name the byte offset and
// what was expected: "query: unbalanced parenthesis at byte 12", "query: longer
// than 4096 bytes", "query: bad date range '2019-13-01..' at byte 5: no month
// 13"; the full list is in docs/query.md. Thread-safe.
Result<std::unique_ptr<QueryNode>> ParseQuery(std::string_view query, const QueryOptions& options);

// A compact, stable text form for tests and --explain:
//   (AND (OR a b) (NOT c) (PHRASE "x y") (TERM= w) (KEY source BBC) (DATE 2019-01-01 2019-12-31))
// A plain word prints bare; otherwise (TERM w) / (PHRASE "x y") with "=" when
// exact and " title" for the title: (TERM= title w), (PHRASE title "x y");
// (REQ x); a keyword with spaces is quoted: (KEY source "Al Jazeera"); an open
// date side is "*": (DATE * 2019-06-30). No escaping: for reading, not parsing.
std::string DebugString(const QueryNode& node);

}  // namespace rasid::index

#endif  // RASID_INDEX_QUERY_H_
