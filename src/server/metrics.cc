#include "metrics.h"

#include <cstdio>

namespace rasid::server {

void Metrics::Record(std::string_view route, int status, double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  ++requests_[{std::string(route), status}];
  Histogram& h = latency_[std::string(route)];
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::RecordIngest(bool ok, uint64_t documents, uint64_t bad_records, double seconds) {
  std::lock_guard<std::mutex> l(mu_);
  ++(ok ? ingests_ok_ : ingests_failed_);
  ingested_docs_ += documents;
  ingest_bad_ += bad_records;
  ingest_seconds_ += seconds;
}

namespace {

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void Head(std::string* out, const char* name, const char* type, const char* help) {
  *out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void Line(std::string* out, const std::string& name, const std::string& labels, double v) {
  *out += name;
  if (!labels.empty()) *out += "{" + labels + "}";
  *out += " " + Num(v) + "\n";
}

}  // namespace

std::string Metrics::Render(const Gauges& g) const {
  std::string out;
  std::lock_guard<std::mutex> l(mu_);
  Head(&out, "rasid_http_requests_total", "counter", "HTTP requests by route and status code.");
  for (const auto& [key, n] : requests_) {
    Line(&out, "rasid_http_requests_total", "route=\"" + key.first + "\",code=\"" + std::to_string(key.second) + "\"",
         static_cast<double>(n));
  }
  Head(&out, "rasid_http_request_duration_seconds", "histogram", "Time from request read to response ready.");
  for (const auto& [route, h] : latency_) {
    uint64_t cum = 0;
    std::string r = "route=\"" + route + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cum += h.counts[i];
      Line(&out, "rasid_http_request_duration_seconds_bucket", r + ",le=\"" + Num(kBuckets[i]) + "\"",
           static_cast<double>(cum));
    }
    Line(&out, "rasid_http_request_duration_seconds_bucket", r + ",le=\"+Inf\"", static_cast<double>(h.count));
    Line(&out, "rasid_http_request_duration_seconds_sum", r, h.sum);
    Line(&out, "rasid_http_request_duration_seconds_count", r, static_cast<double>(h.count));
  }
  Head(&out, "rasid_http_requests_active", "gauge", "Heavy requests running now.");
  Line(&out, "rasid_http_requests_active", "", g.active);
  Head(&out, "rasid_http_requests_waiting", "gauge", "Heavy requests waiting for a slot now.");
  Line(&out, "rasid_http_requests_waiting", "", g.waiting);
  Head(&out, "rasid_http_requests_rejected_total", "counter", "Requests answered 503 because the server was busy.");
  Line(&out, "rasid_http_requests_rejected_total", "", static_cast<double>(g.rejected));
  Head(&out, "rasid_index_documents", "gauge", "Live documents in the snapshot searched.");
  Line(&out, "rasid_index_documents", "", static_cast<double>(g.documents));
  Head(&out, "rasid_index_segments", "gauge", "Segments in the snapshot searched.");
  Line(&out, "rasid_index_segments", "", static_cast<double>(g.segments));
  Head(&out, "rasid_index_bytes", "gauge", "Size of the files of the snapshot searched.");
  Line(&out, "rasid_index_bytes", "", static_cast<double>(g.index_bytes));
  Head(&out, "rasid_index_generation", "gauge", "Manifest generation of the snapshot searched.");
  Line(&out, "rasid_index_generation", "", static_cast<double>(g.generation));
  Head(&out, "rasid_index_reopens_total", "counter", "Snapshots reopened after a new commit.");
  Line(&out, "rasid_index_reopens_total", "", static_cast<double>(g.reopens));
  Head(&out, "rasid_ingest_requests_total", "counter", "POST /api/ingest requests that ran, by result.");
  Line(&out, "rasid_ingest_requests_total", "result=\"ok\"", static_cast<double>(ingests_ok_));
  Line(&out, "rasid_ingest_requests_total", "result=\"error\"", static_cast<double>(ingests_failed_));
  Head(&out, "rasid_ingest_documents_total", "counter", "Documents indexed through the API.");
  Line(&out, "rasid_ingest_documents_total", "", static_cast<double>(ingested_docs_));
  Head(&out, "rasid_ingest_bad_records_total", "counter", "Bad records skipped by API ingests.");
  Line(&out, "rasid_ingest_bad_records_total", "", static_cast<double>(ingest_bad_));
  Head(&out, "rasid_ingest_seconds_total", "counter", "Time spent in API ingests.");
  Line(&out, "rasid_ingest_seconds_total", "", ingest_seconds_);
  Head(&out, "rasid_uptime_seconds", "gauge", "Seconds since the server started.");
  Line(&out, "rasid_uptime_seconds", "", g.uptime_seconds);
  return out;
}

}  // namespace rasid::server
