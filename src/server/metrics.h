// Counters of the server in the Prometheus text format (version 0.0.4):
// requests by route and status, a latency histogram by route, ingests.
//
// Thread safety: every method may be called from any thread.
#ifndef RASID_SERVER_METRICS_H_
#define RASID_SERVER_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace rasid::server {

// Values of the moment that Render() prints as gauges.
struct Gauges {
  uint64_t documents = 0, segments = 0, index_bytes = 0, generation = 0, reopens = 0;
  int active = 0, waiting = 0;
  uint64_t rejected = 0;
  double uptime_seconds = 0;
};

class Metrics {
 public:
  // Upper bounds of the latency buckets, seconds (+Inf implied).
  static constexpr std::array<double, 13> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1,     2.5,  10};

  // `route` is one of a fixed few ("/api/search", "static", ...).
  void Record(std::string_view route, int status, double seconds);
  void RecordIngest(bool ok, uint64_t documents, uint64_t bad_records, double seconds);
  std::string Render(const Gauges& g) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};  // not cumulative; Render sums
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  uint64_t ingests_ok_ = 0, ingests_failed_ = 0, ingested_docs_ = 0, ingest_bad_ = 0;
  double ingest_seconds_ = 0;
};

}  // namespace rasid::server

#endif  // RASID_SERVER_METRICS_H_
