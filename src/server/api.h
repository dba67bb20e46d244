// The JSON API of `rasid serve` (docs/api.md), apart from HTTP: each call
// takes the decoded parameters of a request and returns a status code and a
// body. server.cc wires these to routes.
//
// Thread safety: every method may be called from many threads at once.
#ifndef RASID_SERVER_API_H_
#define RASID_SERVER_API_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "annotate.h"
#include "index_view.h"
#include "metrics.h"
#include "rasid/base/status.h"

namespace rasid::server {

using Params = std::multimap<std::string, std::string>;

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiLimits {
  size_t max_query_bytes = 4096;
  size_t max_k = 100;
  size_t max_window = 10000;
  size_t max_timeline_buckets = 5000;
  int ingest_threads = 1;
};

// The HTTP status for a Status of the layers below: InvalidArgument 400,
// NotFound 404, the rest 500.
int HttpStatusFor(const Status& s);
// {"error": message} with `status`.
ApiResponse ErrorResponse(int status, std::string_view message);

class Api {
 public:
  Api(IndexView* view, Metrics* metrics, const ApiLimits& limits);

  // GET /api/search?q=&k=&page=&exact=&and=
  ApiResponse Search(const Params& p);
  // GET /api/doc/{id}?q=&annotations=  (q: highlights of the query in the
  // text; annotations=0: without entities, numbers, dates, quotes)
  ApiResponse Document(std::string_view id, const Params& p);
  // GET /api/timeline?q=&interval=day|week|month
  ApiResponse Timeline(const Params& p);
  // GET /api/entities?q=&type=&limit=  (empty until extraction lands)
  ApiResponse Entities(const Params& p);
  // GET /api/health
  ApiResponse Health();
  // POST /api/ingest with the JSONL body already in the file `path` (whose
  // name ends in .jsonl). One ingest at a time: 429 while another runs.
  ApiResponse IngestFile(const std::string& path);
  bool ingest_running() const { return ingest_running_.load(); }

 private:
  IndexView* view_;
  Metrics* metrics_;
  ApiLimits limits_;
  std::chrono::steady_clock::time_point started_;
  AnnotatorPool annotators_;
  std::mutex ingest_mu_;
  std::atomic<bool> ingest_running_{false};
};

}  // namespace rasid::server

#endif  // RASID_SERVER_API_H_
