// A news article as rasid stores and indexes it.
#ifndef RASID_INDEX_DOCUMENT_H_
#define RASID_INDEX_DOCUMENT_H_

#include <string>
#include <utility>
#include <vector>

namespace rasid::index {

struct Document {
  std::string id;        // external id, unique in an index; required
  std::string title;
  std::string text;      // the body; required (may be empty only if title is not)
  std::string date;      // as given; YYYY-MM-DD[...] or RFC 2822 forms are understood
  std::string source;    // e.g. "alarabia", "BBC"
  std::string url;
  std::string category;  // topic label
  std::string author;
  // Fields of the input that rasid does not know, kept as (name, JSON value
  // text), in input order.
  std::vector<std::pair<std::string, std::string>> extra;
  // Facts computed from the text at ingest (extracted dates and money), as
  // keyword terms without the 'k' prefix: "D:2019-03", "M:usd:6". Stored, so
  // merges keep them; searched with mentions: and money: (docs/query.md).
  std::vector<std::string> keywords;
  // Byte length of `text` that is indexed: text beyond it is scraper
  // boilerplate («رابط دائم:» ...) kept in storage but not indexed.
  // npos-like value SIZE_MAX means all of it.
  size_t indexed_text_bytes = static_cast<size_t>(-1);
};

}  // namespace rasid::index

#endif  // RASID_INDEX_DOCUMENT_H_
