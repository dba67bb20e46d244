// Unit tests of the server module without HTTP: static paths, the gate,
// timelines, metrics, and the API handlers on a small index.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "api.h"
#include "gate.h"
#include "index_view.h"
#include "metrics.h"
#include "rasid/engine/ingest.h"
#include "static_files.h"
#include "timeline.h"

namespace rasid::server {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "rasid_server_XXXXXX";
    EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
    path_ = tmpl;
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << data;
}

// ---------------------------------------------------------------- static files

TEST(StaticFiles, ServesFilesUnderTheRootOnly) {
  TempDir t;
  std::string web = t.path() + "/web";
  WriteFile(web + "/index.html", "<html>");
  WriteFile(web + "/fonts/a.ttf", "font");
  WriteFile(web + "/.hidden", "secret");
  WriteFile(t.path() + "/secret.txt", "secret");
  WriteFile(t.path() + "/webx/evil.html", "evil");  // a sibling whose name starts like the root
  ASSERT_EQ(::symlink((t.path() + "/secret.txt").c_str(), (web + "/link.txt").c_str()), 0);
  auto root = CanonicalDir(web);
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(ResolveStaticPath(*root, "/"), *root + "/index.html");
  EXPECT_EQ(ResolveStaticPath(*root, "/index.html"), *root + "/index.html");
  EXPECT_EQ(ResolveStaticPath(*root, "/fonts/a.ttf"), *root + "/fonts/a.ttf");
  const char* refused[] = {
      "/../secret.txt", "/fonts/../../secret.txt", "/..", "/.", "/./index.html", "/.hidden",
      "//etc/passwd",   "/fonts",                  "/fonts/", "/link.txt",   "/missing.html", "index.html",
      "/..\\secret.txt", "/../webx/evil.html",     "",        "/a\0b",
  };
  for (const char* p : refused) EXPECT_FALSE(ResolveStaticPath(*root, p).has_value()) << p;
  EXPECT_FALSE(ResolveStaticPath(*root, std::string_view("/index.html\0x", 13)).has_value());
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("/a/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("/fonts/x.ttf"), "font/ttf");
  EXPECT_EQ(ContentTypeFor("/LICENSE"), "application/octet-stream");
}

// ---------------------------------------------------------------- gate

TEST(Gate, AdmitsUpToMaxActiveThenQueuesThenRefuses) {
  Gate g(2, 1, std::chrono::milliseconds(50));
  EXPECT_EQ(g.Enter(), Gate::Outcome::kAdmitted);
  EXPECT_EQ(g.Enter(), Gate::Outcome::kAdmitted);
  EXPECT_EQ(g.active(), 2);
  // A third waits and times out; while it waits a fourth finds the queue full.
  std::thread waiter([&] { EXPECT_EQ(g.Enter(), Gate::Outcome::kTimedOut); });
  while (g.waiting() == 0) std::this_thread::yield();
  EXPECT_EQ(g.Enter(), Gate::Outcome::kQueueFull);
  waiter.join();
  EXPECT_EQ(g.rejected(), 2u);
  // A waiter gets the slot that is given back.
  std::thread second([&] {
    EXPECT_EQ(g.Enter(), Gate::Outcome::kAdmitted);
    g.Leave();
  });
  while (g.waiting() == 0) std::this_thread::yield();
  g.Leave();
  second.join();
  g.Leave();
  EXPECT_EQ(g.active(), 0);
}

TEST(Gate, WaitersGetSlotsInTheOrderTheyCame) {
  Gate g(1, 10, std::chrono::seconds(30));
  ASSERT_EQ(g.Enter(), Gate::Outcome::kAdmitted);
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] {
      EXPECT_EQ(g.Enter(), Gate::Outcome::kAdmitted);
      {
        std::lock_guard<std::mutex> l(mu);
        order.push_back(i);
      }
      g.Leave();
    });
    while (g.waiting() != i + 1) std::this_thread::yield();  // queued one after the other
  }
  g.Leave();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(g.active(), 0);
}

TEST(Gate, SlotGivesBackOnScopeExit) {
  Gate g(1, 0, std::chrono::milliseconds(0));
  {
    GateSlot s(&g);
    EXPECT_EQ(s.outcome(), Gate::Outcome::kAdmitted);
    GateSlot refused(&g);
    EXPECT_EQ(refused.outcome(), Gate::Outcome::kQueueFull);
  }
  EXPECT_EQ(g.active(), 0);
  GateSlot again(&g);
  EXPECT_EQ(again.outcome(), Gate::Outcome::kAdmitted);
}

// ---------------------------------------------------------------- timeline

TEST(Timeline, BucketsFillGaps) {
  std::vector<index::FacetValue> days = {{"2018-02-27", 2}, {"2018-02-01", 1}, {"2018-04-30", 5}};
  auto m = MakeBuckets(days, Interval::kMonth, 100);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ((*m)[0].start, "2018-02-01");
  EXPECT_EQ((*m)[0].end, "2018-02-28");
  EXPECT_EQ((*m)[0].count, 3u);
  EXPECT_EQ((*m)[1].start, "2018-03-01");
  EXPECT_EQ((*m)[1].count, 0u);
  EXPECT_EQ((*m)[2].end, "2018-04-30");
  EXPECT_EQ((*m)[2].count, 5u);
  // Weeks start on Monday: 2018-02-27 was a Tuesday, 2018-02-01 a Thursday.
  auto w = MakeBuckets(days, Interval::kWeek, 100);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->front().start, "2018-01-29");
  EXPECT_EQ(w->front().end, "2018-02-04");
  EXPECT_EQ(w->front().count, 1u);
  EXPECT_EQ(w->size(), 14u);  // 2018-01-29 .. 2018-05-06
  auto d = MakeBuckets({{"2019-12-31", 1}, {"2020-01-02", 4}}, Interval::kDay, 100);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->size(), 3u);
  EXPECT_EQ((*d)[1].start, "2020-01-01");
  EXPECT_EQ((*d)[1].count, 0u);
  EXPECT_FALSE(MakeBuckets(days, Interval::kDay, 10).ok());
  EXPECT_TRUE(MakeBuckets({}, Interval::kDay, 10)->empty());
  EXPECT_FALSE(ParseInterval("year").ok());
  EXPECT_EQ(*ParseInterval(""), Interval::kMonth);
}

// ---------------------------------------------------------------- metrics

TEST(Metrics, PrometheusText) {
  Metrics m;
  m.Record("/api/search", 200, 0.002);
  m.Record("/api/search", 200, 20);
  m.Record("/api/search", 400, 0.0001);
  m.RecordIngest(true, 12, 1, 0.5);
  Gauges g;
  g.documents = 3000;
  std::string t = m.Render(g);
  EXPECT_NE(t.find("rasid_http_requests_total{route=\"/api/search\",code=\"200\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("rasid_http_requests_total{route=\"/api/search\",code=\"400\"} 1\n"), std::string::npos);
  EXPECT_NE(t.find("rasid_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(t.find("rasid_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.0025\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("rasid_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"10\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("rasid_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(t.find("rasid_http_request_duration_seconds_count{route=\"/api/search\"} 3\n"), std::string::npos);
  EXPECT_NE(t.find("rasid_index_documents 3000\n"), std::string::npos);
  EXPECT_NE(t.find("rasid_ingest_documents_total 12\n"), std::string::npos);
  EXPECT_NE(t.find("# TYPE rasid_http_request_duration_seconds histogram\n"), std::string::npos);
}

// ---------------------------------------------------------------- API on an index

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = dir_.path() + "/index";
    engine::IngestOptions o;
    o.threads = 1;
    auto r = engine::Ingest(index_, {RASID_TESTDATA_DIR "/ant_sample.jsonl"}, o, [](const engine::InputError&) {});
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto v = IndexView::Open(index_, std::chrono::milliseconds(0));
    ASSERT_TRUE(v.ok());
    view_ = std::move(v).value();
    api_ = std::make_unique<Api>(view_.get(), &metrics_, ApiLimits());
  }
  json Call(const ApiResponse& r, int want_status) {
    EXPECT_EQ(r.status, want_status) << r.body;
    return json::parse(r.body);
  }

  TempDir dir_;
  std::string index_;
  std::unique_ptr<IndexView> view_;
  Metrics metrics_;
  std::unique_ptr<Api> api_;
};

TEST_F(ApiTest, SearchHitsFacetsAndPaging) {
  json j = Call(api_->Search({{"q", "مغني OR فنانة"}, {"k", "2"}}), 200);
  EXPECT_GE(j["total"].get<int>(), 2);
  ASSERT_EQ(j["hits"].size(), 2u);
  const json& h = j["hits"][0];
  for (const char* f : {"id", "score", "title", "date", "source", "category", "url", "snippet", "highlights"}) {
    EXPECT_TRUE(h.contains(f)) << f;
  }
  std::string snippet = h["snippet"];
  for (const auto& span : h["highlights"]) {
    size_t a = span[0], b = span[1];
    ASSERT_LE(b, snippet.size());
    EXPECT_LT(a, b);
  }
  EXPECT_TRUE(j["facets"].contains("source"));
  EXPECT_TRUE(j["facets"].contains("month"));
  EXPECT_FALSE(j["facets"].contains("day"));
  json p2 = Call(api_->Search({{"q", "مغني OR فنانة"}, {"k", "2"}, {"page", "2"}}), 200);
  if (j["total"].get<int>() > 2) {
    EXPECT_NE(p2["hits"][0]["id"], j["hits"][0]["id"]);
  }
}

// Clicking a facet adds its filter to the query: the results are then
// exactly the articles the facet counted.
TEST_F(ApiTest, FacetFilterGivesTheFacetCount) {
  for (const char* q : {"مغني OR فنانة OR لوحات", "فنانة لوحات"}) {
    json all = Call(api_->Search({{"q", q}}), 200);
    ASSERT_FALSE(all["facets"]["source"].empty());
    for (const auto& f : all["facets"]["source"]) {
      std::string filtered = std::string(q) + " source:" + f["value"].get<std::string>();
      json r = Call(api_->Search({{"q", filtered}}), 200);
      EXPECT_EQ(r["total"], f["count"]) << filtered;
    }
  }
}

TEST_F(ApiTest, SearchErrors) {
  EXPECT_EQ(Call(api_->Search({{"q", "(غزة"}}), 400)["error"], "query: unbalanced parenthesis at byte 0");
  EXPECT_EQ(Call(api_->Search({}), 400)["error"].get<std::string>().substr(0, 10), "q: missing");
  Call(api_->Search({{"q", "x"}, {"k", "0"}}), 400);
  Call(api_->Search({{"q", "x"}, {"k", "101"}}), 400);
  Call(api_->Search({{"q", "x"}, {"k", "abc"}}), 400);
  Call(api_->Search({{"q", "x"}, {"exact", "maybe"}}), 400);
  json deep = Call(api_->Search({{"q", "x"}, {"k", "100"}, {"page", "101"}}), 400);
  EXPECT_NE(deep["error"].get<std::string>().find("10000"), std::string::npos);
  Call(api_->Search({{"q", "x"}, {"k", "100"}, {"page", "100"}}), 200);  // offset + k = 10000
  EXPECT_EQ(Call(api_->Search({{"q", std::string(5000, 'a')}}), 400)["error"], "query: longer than 4096 bytes");
}

TEST_F(ApiTest, DocumentWithHighlightsAndAnnotations) {
  json d = Call(api_->Document("BB-culture-132-20180428", {{"q", "لوحات"}}), 200);
  EXPECT_EQ(d["source"], "BBC");
  std::string text = d["text"];
  ASSERT_FALSE(d["highlights"].empty());
  for (const auto& span : d["highlights"]) {
    size_t a = span[0], b = span[1];
    ASSERT_LE(b, text.size());
    EXPECT_EQ(text.substr(a, 6), "لوح") << text.substr(a, b - a);  // لوحات, لوحة: the same stem
  }
  // Annotations: spans of the text, each with its kind's fields.
  EXPECT_EQ(d["annotations_available"], true);
  size_t found = 0;
  for (const char* k : {"entities", "numbers", "dates", "quotes"}) {
    ASSERT_TRUE(d["annotations"][k].is_array()) << k;
    for (const auto& a : d["annotations"][k]) {
      size_t s = a["start"], e = a["end"];
      ASSERT_LE(s, e);
      ASSERT_LE(e, text.size());
      EXPECT_EQ(a["text"], text.substr(s, e - s)) << k;
      ++found;
    }
  }
  EXPECT_GT(found, 0u);
  EXPECT_FALSE(d["annotations"]["entities"].empty());
  json plain = Call(api_->Document("BB-culture-132-20180428", {{"annotations", "0"}}), 200);
  EXPECT_EQ(plain["annotations_available"], false);
  EXPECT_TRUE(plain["annotations"]["entities"].empty());
  EXPECT_EQ(Call(api_->Document("nope", {}), 404)["error"], "no article with id 'nope'");
  Call(api_->Document("BB-culture-132-20180428", {{"q", "\"unterminated"}}), 400);
}

TEST_F(ApiTest, Timeline) {
  json t = Call(api_->Timeline({{"q", "source:alarabia OR source:BBC"}, {"interval", "month"}}), 200);
  ASSERT_EQ(t["buckets"].size(), 3u);  // February to April 2018
  EXPECT_EQ(t["buckets"][0]["start"], "2018-02-01");
  EXPECT_EQ(t["buckets"][0]["count"], 5);
  EXPECT_EQ(t["buckets"][1]["count"], 0);
  EXPECT_EQ(t["buckets"][2]["count"], 7);
  EXPECT_EQ(t["total"], 12);
  EXPECT_EQ(t["dated"], 12);
  json d = Call(api_->Timeline({{"q", "source:BBC"}, {"interval", "day"}}), 200);
  EXPECT_EQ(d["buckets"][0]["start"], "2018-04-07");
  Call(api_->Timeline({{"q", "x"}, {"interval", "year"}}), 400);
  Call(api_->Timeline({}), 400);
}

TEST_F(ApiTest, EntitiesOfTheIndexAndOfAQuery) {
  json all = Call(api_->Entities({{"limit", "5"}}), 200);
  EXPECT_EQ(all["available"], true);
  ASSERT_FALSE(all["entities"].empty());
  std::map<std::string, int> per_type;
  for (const auto& e : all["entities"]) {
    ++per_type[e["type"]];
    EXPECT_GT(e["count"].get<int>(), 0);
    // Its query finds as many articles as it counts.
    json r = Call(api_->Search({{"q", e["query"].get<std::string>()}}), 200);
    EXPECT_EQ(r["total"], e["count"]) << e["query"];
  }
  for (const auto& [type, n] : per_type) EXPECT_LE(n, 5) << type;
  // For a query: the entities of its articles, no more articles than the query has.
  json q = Call(api_->Entities({{"q", "source:BBC"}, {"type", "person"}}), 200);
  for (const auto& e : q["entities"]) {
    EXPECT_EQ(e["type"], "person");
    EXPECT_LE(e["count"].get<int>(), 7);
  }
  Call(api_->Entities({{"type", "animal"}}), 400);
  Call(api_->Entities({{"q", "(x"}}), 400);
  // An entity's timeline.
  const json& first = all["entities"][0];
  json t = Call(api_->Timeline({{"entity", first["text"].get<std::string>()}, {"type", first["type"].get<std::string>()}}),
                200);
  EXPECT_EQ(t["total"], first["count"]);
  Call(api_->Timeline({{"entity", "x"}, {"type", "animal"}}), 400);
}

TEST_F(ApiTest, Health) {
  json h = Call(api_->Health(), 200);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["documents"], 12);
}

TEST_F(ApiTest, IngestIsSeenBySearchesAtOnce) {
  std::string body = dir_.path() + "/body.jsonl";
  WriteFile(body,
            "{\"id\":\"x1\",\"title\":\"<img src=x onerror=alert(1)>\",\"text\":\"زلزال قوي يضرب المدينة\","
            "\"date\":\"2019-03-04\",\"source\":\"test\"}\nnot json\n");
  auto lease_before = view_->AcquireSearcher();  // an older snapshot stays usable
  json r = Call(api_->IngestFile(body), 200);
  EXPECT_EQ(r["documents"], 1);
  EXPECT_EQ(r["bad_records"], 1);
  EXPECT_EQ(r["errors"][0]["line"], 2);
  EXPECT_EQ(r["errors"][0]["error"].get<std::string>().find(body), std::string::npos);  // no temp path shown
  json s = Call(api_->Search({{"q", "زلزال"}}), 200);
  ASSERT_EQ(s["total"], 1);
  EXPECT_EQ(s["hits"][0]["title"], "<img src=x onerror=alert(1)>");
  EXPECT_EQ(view_->reopens(), 1u);
  EXPECT_EQ(lease_before->reader().stats().documents, 12u);
  WriteFile(body, "");
  Call(api_->IngestFile(body), 400);
  WriteFile(body, "garbage\n");
  Call(api_->IngestFile(body), 400);
}

}  // namespace
}  // namespace rasid::server
