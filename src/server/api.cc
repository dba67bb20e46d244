#include "api.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "rasid/engine/ingest.h"
#include "rasid/index/query.h"
#include "rasid/index/segment.h"
#include "timeline.h"

namespace rasid::server {

namespace {

using json = nlohmann::ordered_json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

ApiResponse Ok(const json& j) {
  ApiResponse r;
  r.body = Dump(j);
  return r;
}

const std::string* Get(const Params& p, const char* name) {
  auto it = p.find(name);
  return it == p.end() ? nullptr : &it->second;
}

// An integer parameter in [lo, hi], `def` when absent or empty.
Result<size_t> GetSize(const Params& p, const char* name, size_t def, size_t lo, size_t hi) {
  const std::string* v = Get(p, name);
  if (v == nullptr || v->empty()) return def;
  size_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi) {
    return Status::InvalidArgument(std::string(name) + ": expected a whole number from " + std::to_string(lo) +
                                   " to " + std::to_string(hi) + ", not '" + *v + "'");
  }
  return n;
}

Result<bool> GetBool(const Params& p, const char* name) {
  const std::string* v = Get(p, name);
  if (v == nullptr || v->empty() || *v == "0" || *v == "false" || *v == "off" || *v == "no") return false;
  if (*v == "1" || *v == "true" || *v == "on" || *v == "yes") return true;
  return Status::InvalidArgument(std::string(name) + ": expected 1 or 0, not '" + *v + "'");
}

json HitJson(const index::Hit& h) {
  json hl = json::array();
  for (auto [s, e] : h.snippet.highlights) hl.push_back({s, e});
  return json{{"id", h.id},     {"score", h.score},   {"title", h.title},          {"date", h.date},
              {"source", h.source}, {"category", h.category}, {"url", h.url}, {"snippet", h.snippet.text},
              {"highlights", hl}};
}

json FacetsJson(const std::map<std::string, std::vector<index::FacetValue>>& facets) {
  json out = json::object();
  for (const auto& [name, values] : facets) {
    if (name == "day") continue;
    json v = json::array();
    for (const auto& f : values) v.push_back({{"value", f.value}, {"count", f.count}});
    out[name] = v;
  }
  return out;
}

// Spans of `snippet` (a whole-text snippet: "… " + text[s, e) + " …") as
// byte offsets into `text`.
json SpansInText(std::string_view text, const index::Snippet& snippet) {
  static constexpr std::string_view kPre = "\u2026 ", kPost = " \u2026";
  json out = json::array();
  std::string_view sn = snippet.text;
  for (size_t pre : {size_t{0}, kPre.size()}) {
    if (pre > 0 && sn.substr(0, pre) != kPre) continue;
    for (size_t post : {size_t{0}, kPost.size()}) {
      if (post > 0 && (sn.size() < pre + post || sn.substr(sn.size() - post) != kPost)) continue;
      std::string_view core = sn.substr(pre, sn.size() - pre - post);
      size_t at = text.find(core);
      if (at == std::string_view::npos) continue;
      for (auto [s, e] : snippet.highlights) {
        if (s < pre || e > pre + core.size()) continue;
        out.push_back({s - pre + at, e - pre + at});
      }
      return out;
    }
  }
  return out;
}

json EmptyAnnotations() {
  return json{{"entities", json::array()}, {"numbers", json::array()}, {"dates", json::array()},
              {"quotes", json::array()}};
}


}  // namespace

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk:
      return 200;
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kNotFound:
      return 404;
    default:
      return 500;
  }
}

ApiResponse ErrorResponse(int status, std::string_view message) {
  ApiResponse r;
  r.status = status;
  r.body = Dump(json{{"error", message}});
  return r;
}

Api::Api(IndexView* view, Metrics* metrics, const ApiLimits& limits)
    : view_(view), metrics_(metrics), limits_(limits), started_(std::chrono::steady_clock::now()) {}

ApiResponse Api::Search(const Params& p) {
  const std::string* q = Get(p, "q");
  if (q == nullptr) return ErrorResponse(400, "q: missing: give a query, e.g. /api/search?q=...");
  auto k = GetSize(p, "k", 10, 1, limits_.max_k);
  if (!k.ok()) return ErrorResponse(400, k.status().message());
  auto page = GetSize(p, "page", 1, 1, limits_.max_window);
  if (!page.ok()) return ErrorResponse(400, page.status().message());
  auto exact = GetBool(p, "exact");
  if (!exact.ok()) return ErrorResponse(400, exact.status().message());
  auto and_mode = GetBool(p, "and");
  if (!and_mode.ok()) return ErrorResponse(400, and_mode.status().message());
  size_t offset = (*page - 1) * *k;
  if (offset + *k > limits_.max_window) {
    return ErrorResponse(400, "page: too deep: offset + k = " + std::to_string(offset + *k) +
                                  " is larger than the limit of " + std::to_string(limits_.max_window));
  }
  index::SearchOptions o;
  o.k = *k;
  o.offset = offset;
  o.max_window = limits_.max_window;
  o.exact = *exact;
  o.query.default_and = *and_mode;
  o.query.max_query_bytes = limits_.max_query_bytes;
  auto lease = view_->AcquireSearcher();
  auto r = lease->Search(*q, o);
  if (!r.ok()) return ErrorResponse(HttpStatusFor(r.status()), r.status().message());
  json hits = json::array();
  for (const auto& h : r->hits) hits.push_back(HitJson(h));
  return Ok(json{{"query", *q},
                 {"page", *page},
                 {"k", *k},
                 {"total", r->total},
                 {"total_exact", r->total_exact},
                 {"took_ms", r->took_ms},
                 {"hits", hits},
                 {"facets", FacetsJson(r->facets)}});
}

ApiResponse Api::Document(std::string_view id, const Params& p) {
  auto reader = view_->Current();
  index::Document d;
  Status st = reader->GetDocument(id, &d);
  if (!st.ok()) {
    if (st.code() == Status::Code::kNotFound) return ErrorResponse(404, "no article with id '" + std::string(id) + "'");
    return ErrorResponse(HttpStatusFor(st), st.message());
  }
  json j = {{"id", d.id},         {"title", d.title}, {"text", d.text},
            {"date", d.date},     {"source", d.source}, {"url", d.url},
            {"category", d.category}, {"author", d.author}};
  json extra = json::object();
  for (const auto& [key, v] : d.extra) {
    auto parsed = json::parse(v, nullptr, false);
    extra[key] = parsed.is_discarded() ? json(v) : parsed;
  }
  j["extra"] = extra;
  const std::string* q = Get(p, "q");
  if (q != nullptr && !q->empty()) {
    // The query's words in the text: the article's own hit for
    // "(q) AND id:ID", with a snippet as long as the text.
    index::QueryOptions qo;
    qo.max_query_bytes = limits_.max_query_bytes;
    auto parsed = index::ParseQuery(*q, qo);
    if (!parsed.ok()) return ErrorResponse(400, parsed.status().message());
    index::QueryNode both;
    both.kind = index::QueryNode::Kind::kAnd;
    both.children.push_back(std::move(parsed).value());
    auto key = std::make_unique<index::QueryNode>();
    key->kind = index::QueryNode::Kind::kKeyword;
    key->field = index::Field::kId;
    key->text = d.id;
    both.children.push_back(std::move(key));
    index::SearchOptions o;
    o.k = 1;
    o.count_all = false;
    o.snippet_bytes = d.text.size() + 1;
    auto lease = view_->AcquireSearcher();
    auto r = lease->Search(both, o);
    json spans = json::array();
    if (r.ok() && !r->hits.empty()) spans = SpansInText(d.text, r->hits[0].snippet);
    j["highlights"] = spans;
  }
  auto want = GetBool(p, "annotations");
  if (!want.ok()) return ErrorResponse(400, want.status().message());
  bool asked = *want || Get(p, "annotations") == nullptr;
  auto annotator = asked ? annotators_.Acquire() : Result<std::unique_ptr<Annotator>>(Status::NotFound("not asked"));
  if (annotator.ok()) {
    j["annotations"] = (*annotator)->Annotate(d.text, d.date);
    annotators_.Release(std::move(annotator).value());
    j["annotations_available"] = true;
  } else {
    j["annotations"] = EmptyAnnotations();
    j["annotations_available"] = false;
    j["annotations_note"] = asked ? "annotations unavailable: " + annotator.status().message() : "not asked";
  }
  return Ok(j);
}

namespace {

// The entity types of the index (person:, org:, place: in queries; facets
// "person", "organization", "place"; keywords kE:per:, kE:org:, kE:loc:).
struct EntityKind {
  const char* type;   // as the API names it, and its facet
  const char* field;  // its query field
  const char* key;    // keyword prefix type
};
constexpr EntityKind kEntityKinds[] = {
    {"person", "person", "per"}, {"organization", "org", "org"}, {"place", "place", "loc"}};

std::string EntityQuery(const EntityKind& k, std::string name) {
  name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
  return std::string(k.field) + ":\"" + name + "\"";
}

}  // namespace

ApiResponse Api::Timeline(const Params& p) {
  const std::string* q = Get(p, "q");
  std::string entity_query;
  if (const std::string* entity = Get(p, "entity"); entity != nullptr) {
    // entity=NAME&type=person|organization|place: the articles naming it.
    const std::string* type = Get(p, "type");
    std::string t = type && !type->empty() ? *type : "person";
    const EntityKind* kind = nullptr;
    for (const auto& k : kEntityKinds) {
      if (t == k.type) kind = &k;
    }
    if (kind == nullptr) return ErrorResponse(400, "type: expected person, place or organization, not '" + t + "'");
    entity_query = EntityQuery(*kind, *entity);
    q = &entity_query;
  }
  if (q == nullptr) return ErrorResponse(400, "q: missing: give a query, e.g. /api/timeline?q=...&interval=month");
  const std::string* iv_text = Get(p, "interval");
  auto iv = ParseInterval(iv_text ? *iv_text : "month");
  if (!iv.ok()) return ErrorResponse(400, iv.status().message());
  index::SearchOptions o;
  o.k = 0;
  o.snippets = false;
  o.load_documents = false;
  o.day_facet = true;
  o.query.max_query_bytes = limits_.max_query_bytes;
  auto lease = view_->AcquireSearcher();
  auto r = lease->Search(*q, o);
  if (!r.ok()) return ErrorResponse(HttpStatusFor(r.status()), r.status().message());
  auto buckets = MakeBuckets(r->facets["day"], *iv, limits_.max_timeline_buckets);
  if (!buckets.ok()) return ErrorResponse(400, buckets.status().message());
  json b = json::array();
  uint64_t dated = 0;
  for (const auto& x : *buckets) {
    b.push_back({{"start", x.start}, {"end", x.end}, {"count", x.count}});
    dated += x.count;
  }
  return Ok(json{{"query", *q},
                 {"interval", iv_text && !iv_text->empty() ? *iv_text : "month"},
                 {"total", r->total},
                 {"dated", dated},
                 {"took_ms", r->took_ms},
                 {"buckets", b}});
}

ApiResponse Api::Entities(const Params& p) {
  const std::string* type = Get(p, "type");
  std::string t = type ? *type : "";
  if (!t.empty() && t != "person" && t != "place" && t != "organization") {
    return ErrorResponse(400, "type: expected person, place or organization, not '" + t + "'");
  }
  auto limit = GetSize(p, "limit", 20, 1, 1000);
  if (!limit.ok()) return ErrorResponse(400, limit.status().message());
  const std::string* q = Get(p, "q");
  // Per type: (name, articles), most mentioned first.
  std::map<std::string, std::vector<index::FacetValue>> found;
  if (q != nullptr && !q->empty()) {
    // The entities of the matching articles: the search's entity facets.
    index::SearchOptions o;
    o.k = 0;
    o.snippets = false;
    o.load_documents = false;
    o.facet_limit = *limit;
    o.query.max_query_bytes = limits_.max_query_bytes;
    auto lease = view_->AcquireSearcher();
    auto r = lease->Search(*q, o);
    if (!r.ok()) return ErrorResponse(HttpStatusFor(r.status()), r.status().message());
    for (const auto& k : kEntityKinds) found[k.type] = r->facets[k.type];
  } else {
    // The whole index: document frequencies of the entity keywords.
    auto reader = view_->Current();
    for (const auto& k : kEntityKinds) {
      std::map<std::string, uint64_t> counts;
      std::string prefix = std::string(1, index::kKeywordSpace) + "E:" + k.key + ":";
      for (const auto& seg : reader->segments()) {
        std::vector<std::pair<std::string, index::TermInfo>> terms;
        seg.reader->TermsWithPrefix(prefix, &terms, 10000000);
        for (const auto& [key, info] : terms) counts[key.substr(prefix.size())] += info.df;
      }
      std::vector<index::FacetValue>& v = found[k.type];
      for (const auto& [name, n] : counts) v.push_back({name, n});
      std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
      if (v.size() > *limit) v.resize(*limit);
    }
  }
  json list = json::array();
  for (const auto& k : kEntityKinds) {
    if (!t.empty() && t != k.type) continue;
    for (const auto& f : found[k.type]) {
      list.push_back({{"text", f.value}, {"type", k.type}, {"count", f.count}, {"query", EntityQuery(k, f.value)}});
    }
  }
  return Ok(json{{"query", q ? *q : ""},
                 {"type", t},
                 {"entities", list},
                 {"available", true},
                 {"note",
                  "people, organisations and places found by the entity recogniser at ingest (names in their "
                  "normalised form); count = articles; empty for an index made with rasid ingest --no-extract"}});
}

ApiResponse Api::Health() {
  auto reader = view_->Current();
  const auto& s = reader->stats();
  double up = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return Ok(json{{"status", "ok"},
                 {"version", "0.1.0"},
                 {"documents", s.documents},
                 {"segments", s.segments},
                 {"generation", s.generation},
                 {"uptime_seconds", up},
                 {"ingest_running", ingest_running_.load()}});
}

ApiResponse Api::IngestFile(const std::string& path) {
  std::unique_lock<std::mutex> one(ingest_mu_, std::try_to_lock);
  if (!one.owns_lock()) {
    ApiResponse r = ErrorResponse(429, "an ingest is already running; try again when it has finished");
    r.headers.emplace_back("Retry-After", "5");
    return r;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
    return ErrorResponse(400, "empty body: send JSONL, one article (a JSON object with id and text) per line");
  }
  ingest_running_ = true;
  engine::IngestOptions o;
  o.threads = std::max(1, limits_.ingest_threads);
  o.buffer_bytes = size_t{64} << 20;
  json errors = json::array();
  uint64_t bad = 0;
  auto on_error = [&](const engine::InputError& e) {
    ++bad;
    if (errors.size() >= 20) return;
    std::string msg = e.status.message();
    for (size_t at; (at = msg.find(path)) != std::string::npos;) msg.replace(at, path.size(), "body");
    errors.push_back({{"line", e.line}, {"error", msg}});
  };
  auto rep = engine::Ingest(view_->dir(), {path}, o, on_error);
  ingest_running_ = false;
  (void)view_->Refresh();  // the next search sees the new commit
  if (!rep.ok()) {
    metrics_->RecordIngest(false, 0, bad, 0);
    const std::string& m = rep.status().message();
    int code = m.find("locked") != std::string::npos ? 409 : HttpStatusFor(rep.status());
    return ErrorResponse(code, m);
  }
  metrics_->RecordIngest(true, rep->documents, rep->bad_records, rep->seconds);
  json j = {{"documents", rep->documents},         {"bad_records", rep->bad_records},
            {"errors", errors},                    {"seconds", rep->seconds},
            {"index_documents", rep->index_documents}, {"segments", rep->segments}};
  ApiResponse r = Ok(j);
  if (rep->documents == 0 && rep->bad_records > 0) {
    j = json{{"error", "no article indexed: " + std::to_string(rep->bad_records) + " bad records"}, {"errors", errors}};
    r = Ok(j);
    r.status = 400;
  }
  return r;
}

}  // namespace rasid::server
