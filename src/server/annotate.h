// The annotations of an article for GET /api/doc/{id}: people, organisations
// and places (rasid_ner), numbers and dates (rasid_extract), quotations
// (ner::FindQuotes), each with its byte span in the article's text, in the
// JSON forms of `rasid ner --json` and `rasid extract --json`. Computed on
// request: a few milliseconds for a news article.
//
// Thread safety: an Annotator is used by one thread at a time; the pool
// hands them out and may be used from any thread.
#ifndef RASID_SERVER_ANNOTATE_H_
#define RASID_SERVER_ANNOTATE_H_

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "rasid/base/status.h"

namespace rasid::server {

class Annotator {
 public:
  // Loads the analysis data, the NER model (data/ner/model.bin) and the
  // extraction tables; their loading error otherwise.
  static Result<std::unique_ptr<Annotator>> Create();
  ~Annotator();

  // {"entities": [...], "numbers": [...], "dates": [...], "quotes": [...]},
  // spans into `text`; `date` (the article's) resolves relative dates.
  nlohmann::ordered_json Annotate(std::string_view text, std::string_view date);

 private:
  struct Impl;
  explicit Annotator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class AnnotatorPool {
 public:
  // An Annotator (made on first need), or the error that made it impossible.
  Result<std::unique_ptr<Annotator>> Acquire();
  void Release(std::unique_ptr<Annotator> a);

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Annotator>> free_;
};

}  // namespace rasid::server

#endif  // RASID_SERVER_ANNOTATE_H_
