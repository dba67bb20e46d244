// Index round trips: build, commit, reopen, search; BM25 against a brute-force
// scorer; phrases, booleans, filters, facets; replacement and deletion.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <set>
#include <atomic>
#include <thread>

#include "rasid/index/coding.h"
#include "rasid/index/index.h"
#include "rasid/index/searcher.h"

namespace rasid::index {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/rasid_index_test_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Document Doc(std::string id, std::string title, std::string text, std::string date = "", std::string source = "",
             std::string category = "") {
  Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.text = std::move(text);
  d.date = std::move(date);
  d.source = std::move(source);
  d.category = std::move(category);
  return d;
}

// The tests' random numbers: a 64-bit linear congruential generator
// (Knuth's MMIX constants), the high bits of each state.
class Lcg {
 public:
  explicit Lcg(uint64_t seed, int shift = 33) : x_(seed), shift_(shift) {}
  uint32_t operator()() {
    x_ = x_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(x_ >> shift_);
  }

 private:
  uint64_t x_;
  int shift_;
};

// A small Arabic corpus (headlines and sentences written for these tests).
std::vector<Document> Corpus() {
  return {
      Doc("d1", "الحكومة تعلن خطة جديدة", "أعلنت الحكومة اليوم خطة اقتصادية جديدة لدعم الشركات الصغيرة.",
          "2019-03-14", "BBC", "economy"),
      Doc("d2", "مباراة كرة القدم", "فاز الفريق في المباراة النهائية أمس وسط حضور جماهيري كبير.", "2019-05-01",
          "CNN", "sport"),
      Doc("d3", "وللحكومة رأي آخر", "قالت مصادر إن للحكومة رأيا مختلفا بشأن الخطة والحكومات السابقة.",
          "2018-12-30", "BBC", "middleEast"),
      Doc("d4", "التحالف الدولي ضد داعش", "أعلن التحالف الدولي عن عملية عسكرية جديدة في سوريا والعراق.",
          "Sun, 18 Feb 2018 21:35:43 +0400", "alarabia", "internationalNews"),
      Doc("d5", "أسعار النفط", "ارتفعت أسعار النفط في الأسواق العالمية بنسبة 7٫7 في المئة.", "2019-03-02", "CNN",
          "economy"),
      Doc("d6", "وأغراضها", "الشركة وأغراضها التجارية في الخليج والأغراض الأخرى.", "", "", ""),
  };
}

std::unique_ptr<IndexWriter> Writer(const std::string& dir) {
  WriterOptions o;
  o.background_merges = false;
  auto w = IndexWriter::Open(dir, o);
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  return std::move(w).value();
}

void Build(const std::string& dir, const std::vector<Document>& docs, size_t per_segment = 100) {
  auto w = Writer(dir);
  auto analyzer = std::move(analysis::Analyzer::Create(IndexAnalyzerOptions())).value();
  auto b = std::make_unique<SegmentBuilder>();
  uint64_t seq = 0;
  for (const auto& d : docs) {
    b->Add(d, seq++, analyzer.get());
    if (b->doc_count() >= per_segment) {
      ASSERT_TRUE(w->AddSegment(b.get()).ok());
      b = std::make_unique<SegmentBuilder>();
    }
  }
  ASSERT_TRUE(w->AddSegment(b.get()).ok());
  ASSERT_TRUE(w->Commit().ok());
}

std::unique_ptr<QueryNode> Term(const std::string& text, bool exact = false, Field field = Field::kAll) {
  auto n = std::make_unique<QueryNode>();
  n->kind = QueryNode::Kind::kTerm;
  n->text = text;
  n->exact = exact;
  n->field = field;
  return n;
}

std::unique_ptr<QueryNode> Node(QueryNode::Kind kind, std::vector<std::unique_ptr<QueryNode>> children) {
  auto n = std::make_unique<QueryNode>();
  n->kind = kind;
  n->children = std::move(children);
  return n;
}

std::vector<std::string> Ids(const SearchResult& r) {
  std::vector<std::string> ids;
  for (const auto& h : r.hits) ids.push_back(h.id);
  return ids;
}

// The ids of every hit of q, checking that they are all the matches.
std::set<std::string> HitIdSet(Searcher* s, const std::string& q, const SearchOptions& o) {
  auto r = s->Search(q, o);
  EXPECT_TRUE(r.ok()) << q << ": " << r.status().ToString();
  std::set<std::string> out;
  if (r.ok()) {
    for (const auto& h : r->hits) out.insert(h.id);
    EXPECT_EQ(r->total, out.size()) << q;
  }
  return out;
}

SearchResult Find(Searcher& s, const QueryNode& q, size_t k = 10) {
  SearchOptions o;
  o.k = k;
  o.exact_boost = 0;  // plain BM25 over stems, as the brute-force scorer computes it
  auto r = s.Search(q, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : SearchResult();
}

TEST(Index, MorphologicalMatchFindsCliticForms) {
  TempDir dir;
  Build(dir.path(), Corpus());
  auto reader = IndexReader::Open(dir.path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->stats().documents, 6u);
  Searcher s(*reader);
  // "الحكومة" (the government) finds وللحكومة, للحكومة, الحكومات too.
  auto r = Find(s, *Term("الحكومة"));
  std::vector<std::string> ids = Ids(r);
  std::set<std::string> got(ids.begin(), ids.end());
  EXPECT_EQ(got, (std::set<std::string>{"d1", "d3"}));
  EXPECT_EQ(r.total, 2u);
  // Exact form: only the form as written (normalised).
  auto e = Find(s, *Term("وللحكومة", true));
  EXPECT_EQ(Ids(e), (std::vector<std::string>{"d3"}));
  // أغراض finds وأغراضها and الأغراض.
  auto g = Find(s, *Term("أغراض"));
  EXPECT_EQ(Ids(g), (std::vector<std::string>{"d6"}));
  // Diacritics in the query do not matter.
  auto dia = Find(s, *Term("الحُكُومَة"));
  EXPECT_EQ(dia.total, 2u);
}

TEST(Index, Bm25MatchesBruteForce) {
  TempDir dir;
  std::vector<Document> docs = Corpus();
  Build(dir.path(), docs, 2);  // three segments
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  ASSERT_EQ(reader->segments().size(), 3u);
  Searcher s(reader);
  auto analyzer = std::move(analysis::Analyzer::Create(IndexAnalyzerOptions())).value();
  // Brute force: analyse every document, count weighted stem frequencies.
  auto stems = [&](std::string_view text) {
    std::vector<std::string> out;
    std::vector<analysis::AnalyzedToken> toks;
    analyzer->Analyze(text, &toks);
    for (const auto& t : toks) {
      if (t.norm().empty()) continue;
      out.push_back(t.token.kind == analysis::TokenKind::kArabic ? "s" + std::string(t.stem())
                                                                   : "w" + std::string(t.norm()));
    }
    return out;
  };
  std::vector<std::map<std::string, int>> tf(docs.size());
  std::vector<double> len(docs.size());
  double sum_len = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    auto t = stems(docs[i].title), b = stems(docs[i].text);
    for (auto& k : t) tf[i][k] += kTitleWeight;
    for (auto& k : b) tf[i][k] += 1;
    len[i] = kTitleWeight * t.size() + b.size();
    sum_len += len[i];
  }
  double avg = sum_len / docs.size(), n = docs.size();
  for (const char* word : {"الحكومة", "جديدة", "التحالف", "النفط", "خطة"}) {
    std::string key = stems(word)[0];
    double df = 0;
    for (auto& m : tf) df += m.count(key) > 0;
    double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    std::map<std::string, double> want;
    for (size_t i = 0; i < docs.size(); ++i) {
      auto it = tf[i].find(key);
      if (it == tf[i].end()) continue;
      double f = it->second;
      want[docs[i].id] = idf * f * 2.2 / (f + 1.2 * (1 - 0.75 + 0.75 * len[i] / avg));
    }
    auto r = Find(s, *Term(word));
    ASSERT_EQ(r.hits.size(), want.size()) << word;
    for (const auto& h : r.hits) EXPECT_NEAR(h.score, want[h.id], 1e-9) << word << " " << h.id;
    // The pruned path gives the same top hits and scores.
    SearchOptions o;
    o.count_all = false;
    o.exact_boost = 0;
    auto p = s.Search(*Term(word), o);
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(p->hits.size(), r.hits.size());
    for (size_t i = 0; i < r.hits.size(); ++i) EXPECT_NEAR(p->hits[i].score, r.hits[i].score, 1e-12);
  }
}

TEST(Index, PhraseBooleanFiltersFacets) {
  TempDir dir;
  Build(dir.path(), Corpus(), 3);
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  Searcher s(reader);
  // Phrase "التحالف الدولي".
  auto ph = std::make_unique<QueryNode>();
  ph->kind = QueryNode::Kind::kPhrase;
  ph->text = "التحالف الدولي";
  EXPECT_EQ(Ids(Find(s, *ph)), (std::vector<std::string>{"d4"}));
  ph->text = "الدولي التحالف";  // words in the wrong order
  EXPECT_EQ(Find(s, *ph).total, 0u);
  // AND with NOT: جديدة but not الحكومة.
  std::vector<std::unique_ptr<QueryNode>> kids;
  kids.push_back(Term("جديدة"));
  kids.push_back(Node(QueryNode::Kind::kNot, [] {
    std::vector<std::unique_ptr<QueryNode>> v;
    v.push_back(Term("الحكومة"));
    return v;
  }()));
  EXPECT_EQ(Ids(Find(s, *Node(QueryNode::Kind::kAnd, std::move(kids)))), (std::vector<std::string>{"d4"}));
  // Source filter and date range.
  auto src = std::make_unique<QueryNode>();
  src->kind = QueryNode::Kind::kKeyword;
  src->field = Field::kSource;
  src->text = "bbc";
  auto range = std::make_unique<QueryNode>();
  range->kind = QueryNode::Kind::kDateRange;
  range->date_from = "2019-01-01";
  range->date_to = "2019-12-31";
  std::vector<std::unique_ptr<QueryNode>> k2;
  k2.push_back(std::move(src));
  k2.push_back(std::move(range));
  auto r = Find(s, *Node(QueryNode::Kind::kAnd, std::move(k2)));
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"d1"}));
  // Facets of a query matching d1, d4 (جديدة).
  auto f = Find(s, *Term("جديدة"));
  ASSERT_EQ(f.total, 2u);
  EXPECT_EQ(f.facets["source"].size(), 2u);
  EXPECT_EQ(f.facets["year"].size(), 2u);
  EXPECT_EQ(f.facets["year"][0].value, "2018");
  EXPECT_EQ(f.facets["year"][1].value, "2019");
  EXPECT_EQ(f.facets["month"][0].value, "2018-02");
  // Names longer than a short-string buffer survive (a dangling view once).
  auto mid = Find(s, *Term("التحالف"));
  ASSERT_EQ(mid.facets["category"].size(), 1u);
  EXPECT_EQ(mid.facets["category"][0].value, "internationalNews");
}

TEST(Index, SnippetHighlightsTheWordNotTheClitics) {
  TempDir dir;
  Build(dir.path(), Corpus());
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  Searcher s(reader);
  auto r = Find(s, *Term("حكومة"));
  for (const auto& h : r.hits) {
    if (h.id != "d3") continue;
    ASSERT_FALSE(h.snippet.highlights.empty());
    std::vector<std::string> marked;
    for (auto [a, b] : h.snippet.highlights) marked.push_back(h.snippet.text.substr(a, b - a));
    // للحكومة -> [حكومة]; والحكومات -> [حكومات]
    EXPECT_EQ(marked, (std::vector<std::string>{"حكومة", "حكومات"}));
  }
  EXPECT_EQ(BaseSpan("وَلِلْحُكُومَةِ", "و+ل+ال", ""), std::make_pair(uint32_t{12}, uint32_t{30}));
}

TEST(Index, ReplaceAndDeleteById) {
  TempDir dir;
  Build(dir.path(), Corpus());
  {
    auto w = Writer(dir.path());
    auto analyzer = std::move(analysis::Analyzer::Create(IndexAnalyzerOptions())).value();
    SegmentBuilder b;
    b.Add(Doc("d1", "عنوان جديد", "نص مختلف تماما عن الاقتصاد"), 0, analyzer.get());
    ASSERT_TRUE(w->AddSegment(&b).ok());
    ASSERT_TRUE(w->DeleteById("d2").ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  EXPECT_EQ(reader->stats().documents, 5u);
  Document d;
  ASSERT_TRUE(reader->GetDocument("d1", &d).ok());
  EXPECT_EQ(d.title, "عنوان جديد");
  EXPECT_EQ(reader->GetDocument("d2", &d).code(), Status::Code::kNotFound);
  Searcher s(reader);
  EXPECT_EQ(Find(s, *Term("اقتصادية")).total, 0u);  // the old d1 is gone
  // id: finds the live article through the ids table, not the replaced one.
  SearchOptions o;
  auto r = s.Search("id:d1", o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->hits.size(), 1u);
  EXPECT_EQ(r->hits[0].title, "عنوان جديد");
  r = s.Search("id:d2", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 0u);  // deleted
  r = s.Search("id:d3 OR id:d5", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(*r), (std::vector<std::string>{"d3", "d5"}));
  r = s.Search("نص id:d1", o);  // a word restricted to one article
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(*r), (std::vector<std::string>{"d1"}));
}

TEST(Index, ForceMergeKeepsDocumentsAndScores) {
  TempDir dir;
  Build(dir.path(), Corpus(), 1);
  auto before = std::move(IndexReader::Open(dir.path())).value();
  Searcher s1(before);
  auto r1 = Find(s1, *Term("الحكومة"));
  {
    auto w = Writer(dir.path());
    ASSERT_TRUE(w->ForceMerge().ok());
  }
  auto after = std::move(IndexReader::Open(dir.path())).value();
  EXPECT_EQ(after->segments().size(), 1u);
  EXPECT_EQ(after->stats().documents, 6u);
  Searcher s2(after);
  auto r2 = Find(s2, *Term("الحكومة"));
  ASSERT_EQ(r1.hits.size(), r2.hits.size());
  for (size_t i = 0; i < r1.hits.size(); ++i) {
    EXPECT_EQ(r1.hits[i].id, r2.hits[i].id);
    EXPECT_NEAR(r1.hits[i].score, r2.hits[i].score, 1e-12);
  }
  // The old snapshot still reads (its files are unlinked but mapped).
  EXPECT_EQ(Find(s1, *Term("الحكومة")).total, 2u);
}

TEST(Index, SecondWriterIsRefusedNamingTheHolder) {
  TempDir dir;
  auto w = Writer(dir.path());
  auto w2 = IndexWriter::Open(dir.path(), WriterOptions());
  ASSERT_FALSE(w2.ok());
  EXPECT_NE(w2.status().message().find("is locked by pid " + std::to_string(::getpid())), std::string::npos)
      << w2.status().message();
}

TEST(Index, OldSegmentVersionIsUnsupported) {
  TempDir dir;
  Build(dir.path(), Corpus());
  std::string seg;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    if (e.path().extension() == ".rsg") seg = e.path();
  }
  // Version 1 was an unreleased development format, version 2 had varint
  // blocks only, version 3 separate exact-form terms, version 4 stop words'
  // positions and a fixed-width ids table: all are refused, not misread.
  for (unsigned char version : {1, 2, 3, 4}) {
    std::FILE* f = std::fopen(seg.c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::fseek(f, 8, SEEK_SET);
    const unsigned char v[4] = {version, 0, 0, 0};
    std::fwrite(v, 1, 4, f);
    std::fclose(f);
    auto r = IndexReader::Open(dir.path());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kUnsupported);
    EXPECT_NE(r.status().message().find("segment format version " + std::to_string(version) +
                                        ", this rasid reads version 5"),
              std::string::npos)
        << r.status().message();
  }
}

TEST(Index, DamagedSegmentIsCorruption) {
  TempDir dir;
  Build(dir.path(), Corpus());
  std::string seg;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    if (e.path().extension() == ".rsg") seg = e.path();
  }
  ASSERT_FALSE(seg.empty());
  auto size = fs::file_size(seg);
  for (uint64_t off : {uint64_t{2}, uint64_t{40}, size / 2, size - 30, size - 3}) {
    std::string bytes;
    {
      std::FILE* f = std::fopen(seg.c_str(), "rb");
      bytes.resize(size);
      ASSERT_EQ(std::fread(bytes.data(), 1, size, f), size);
      std::fclose(f);
    }
    std::string damaged = bytes;
    damaged[off] = static_cast<char>(damaged[off] ^ 0x5A);
    {
      std::FILE* f = std::fopen(seg.c_str(), "wb");
      std::fwrite(damaged.data(), 1, size, f);
      std::fclose(f);
    }
    auto r = IndexReader::Open(dir.path());
    ASSERT_FALSE(r.ok()) << "offset " << off;
    EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
    EXPECT_NE(r.status().message().find(seg), std::string::npos);
    std::FILE* f = std::fopen(seg.c_str(), "wb");
    std::fwrite(bytes.data(), 1, size, f);
    std::fclose(f);
  }
  EXPECT_TRUE(IndexReader::Open(dir.path()).ok());
}

}  // namespace
}  // namespace rasid::index

namespace rasid::index {
namespace {

// Block-max WAND must return exactly the top k of exhaustive scoring, on
// lists long enough to have many blocks (synthetic Zipf-like corpus).
// Two articles hold the same words as often, in documents of the same
// length: the one where they stand together ranks first once the proximity
// bonus is on; without it BM25 ties them and the earlier document wins.
TEST(Index, ProximityRanksWordsTogetherFirst) {
  TempDir dir;
  Build(dir.path(), {Doc("apart", "", "وصل وزير الخارجية إلى المدينة ثم عقد الاجتماع مع رئيس البرلمان في العاصمة الليبية طرابلس"),
                     Doc("together", "", "عقد وزير الخارجية الاجتماع مع رئيس البرلمان في العاصمة ثم وصل إلى المدينة الليبية طرابلس")});
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  Searcher s(reader);
  SearchOptions o;
  o.exact_boost = 0;
  o.proximity = 0;
  auto plain = s.Search("وصل المدينة", o);
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(Ids(*plain), (std::vector<std::string>{"apart", "together"}));
  EXPECT_NEAR(plain->hits[0].score, plain->hits[1].score, 1e-12);
  // "together": وصل إلى المدينة, 2 positions apart; "apart": 4 positions apart.
  o.proximity = 0.5;
  o.proximity_window = 2;
  auto close = s.Search("وصل المدينة", o);
  ASSERT_TRUE(close.ok());
  EXPECT_EQ(Ids(*close), (std::vector<std::string>{"together", "apart"}));
  EXPECT_GT(close->hits[0].score, plain->hits[0].score);
  EXPECT_NEAR(close->hits[1].score, plain->hits[1].score, 1e-12);
  // The pruned path reranks the same way.
  o.count_all = false;
  auto pruned = s.Search("وصل المدينة", o);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(Ids(*pruned), Ids(*close));
}

// Packed runs (full postings blocks): every width, with and without
// exceptions, round-trip exactly; damaged runs fail cleanly.
TEST(Coding, PackedRunsRoundTrip) {
  Lcg rnd(99, 32);
  for (int trial = 0; trial < 400; ++trial) {
    size_t n = 1 + rnd() % kMaxPackedRun;
    int bits = trial % 33;
    std::vector<uint32_t> v(n);
    for (auto& e : v) e = bits == 32 ? rnd() : (rnd() & ((1u << bits) - 1));
    if (trial % 3 == 0) v[rnd() % n] = rnd() | 0x80000000u;  // an exception
    std::string buf;
    PutPackedRun(&buf, v.data(), n);
    buf += "tail";
    std::vector<uint32_t> got(n);
    // A short tail: the byte-by-byte path; a long one: the 8-byte loads.
    for (size_t pad : {0, 16}) {
      std::string padded = buf + std::string(pad, '\xff');
      Decoder d(padded);
      std::fill(got.begin(), got.end(), 7u);
      ASSERT_TRUE(GetPackedRun(&d, got.data(), n)) << trial;
      EXPECT_EQ(got, v) << trial << " pad " << pad;
      EXPECT_EQ(std::string(d.Bytes(4)), "tail");
    }
    // Cut short anywhere: a clean failure.
    for (size_t cut = 0; cut + 4 < buf.size(); cut += 1 + buf.size() / 7) {
      Decoder c(std::string_view(buf).substr(0, cut));
      EXPECT_FALSE(GetPackedRun(&c, got.data(), n));
    }
  }
  // 128 small gaps and one large one: the large one becomes an exception,
  // so the run takes 2 bits per value, not 17.
  std::vector<uint32_t> gaps(128, 3);
  gaps[5] = 100000;
  std::string buf;
  PutPackedRun(&buf, gaps.data(), gaps.size());
  EXPECT_LT(buf.size(), 40u);
  // A header with an impossible width fails.
  std::string bad = "\x21";
  bad += std::string(200, '\0');
  Decoder d(bad);
  uint32_t out[128];
  EXPECT_FALSE(GetPackedRun(&d, out, 128));
}

// Geometric-looking gaps (positions in an article) take a Rice run when it
// is smaller: it round-trips, skips, and fails cleanly when damaged.
TEST(Coding, RiceRunsRoundTrip) {
  Lcg rnd(7, 32);
  int rice_runs = 0;
  for (int trial = 0; trial < 300; ++trial) {
    size_t n = 1 + rnd() % kMaxPackedRun;
    std::vector<uint32_t> v(n);
    const uint32_t scale = 1u << (trial % 20);
    for (auto& e : v) {
      // -log(u) * scale: an exponential variate, as integer.
      double u = (rnd() + 1.0) / 4294967297.0;
      e = static_cast<uint32_t>(-std::log(u) * scale);
    }
    std::string buf;
    PutPackedRun(&buf, v.data(), n);
    rice_runs += (static_cast<unsigned char>(buf[0]) & kRiceRunFlag) != 0;
    buf += "tail";
    std::vector<uint32_t> got(n);
    for (size_t pad : {0, 16}) {
      std::string padded = buf + std::string(pad, '\xff');
      Decoder d(padded);
      ASSERT_TRUE(GetPackedRun(&d, got.data(), n)) << trial;
      EXPECT_EQ(got, v) << trial << " pad " << pad;
      EXPECT_EQ(std::string(d.Bytes(4)), "tail");
      Decoder sk(padded);
      ASSERT_TRUE(SkipPackedRun(&sk, n));
      EXPECT_EQ(std::string(sk.Bytes(4)), "tail");
    }
    for (size_t cut = 0; cut + 4 < buf.size(); cut += 1 + buf.size() / 7) {
      Decoder c(std::string_view(buf).substr(0, cut));
      EXPECT_FALSE(GetPackedRun(&c, got.data(), n));
    }
    // Any flipped byte: a clean answer (values or false), never a crash.
    for (size_t at = 0; at + 4 < buf.size(); ++at) {
      std::string bad = buf;
      bad[at] = static_cast<char>(bad[at] ^ (1 + rnd() % 255));
      Decoder c(bad);
      (void)GetPackedRun(&c, got.data(), n);
    }
  }
  EXPECT_GT(rice_runs, 200);  // most such runs are smaller as Rice runs
  // A unary part without the end of its value is damage: header k=0, one
  // byte of quotients, all zero bits.
  std::string bad = "\x40\x01";
  bad += std::string(20, '\0');
  Decoder d(bad);
  uint32_t out[1];
  EXPECT_FALSE(GetPackedRun(&d, out, 1));
  // A Rice parameter above 31 is refused.
  std::string badk = "\x60\x01";
  badk += std::string(20, '\x01');
  Decoder dk(badk);
  EXPECT_FALSE(GetPackedRun(&dk, out, 1));
}

// Damage that the checksums do not see (a bad writer, or damage with the
// section's CRC recomputed): every decoder meets garbage — dictionary, skip
// tables, packed and Rice runs, variant tables, affixes, values, ids — and
// must answer with an error or with results, never read out of bounds (run
// under ASan in CI) or crash.
TEST(Index, DamageBehindValidChecksumsNeverCrashes) {
  TempDir dir;
  const char* vocab[] = {"سلام", "والحرب", "اقتصاد", "في", "نفط", "ورئيس", "وزير", "من", "برلمان", "للجيش",
                         "2019", "فريق"};
  std::vector<Document> docs;
  Lcg rnd(11);
  for (int d = 0; d < 400; ++d) {
    std::string text;
    int len = 3 + static_cast<int>(rnd() % 60);
    for (int i = 0; i < len; ++i) text += std::string(vocab[rnd() % 12]) + " ";
    docs.push_back(Doc("doc-" + std::to_string(d), vocab[rnd() % 12], text, "2019-03-" + std::to_string(1 + d % 28),
                       d % 3 ? "BBC" : "CNN"));
  }
  Build(dir.path(), docs);
  std::string seg;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    if (e.path().extension() == ".rsg") seg = e.path();
  }
  ASSERT_FALSE(seg.empty());
  std::string original;
  {
    std::ifstream in(seg, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    original = ss.str();
  }
  // Footer: per section offset u64, length u64, CRC u32; then count,
  // version, the footer's CRC and the magic (docs/format/segment.md).
  const size_t kSections = 7, footer = original.size() - (kSections * 20 + 20);
  auto section = [&](const std::string& f, size_t i, uint64_t* off, uint64_t* len) {
    std::memcpy(off, f.data() + footer + i * 20, 8);
    std::memcpy(len, f.data() + footer + i * 20 + 8, 8);
  };
  const char* queries[] = {"سلام", "حرب", "\"وزير في برلمان\"", "=والحرب", "title:نفط", "في", "\"من في\"",
                           "سلام OR نفط -اقتصاد", "source:bbc", "date:2019-03-01..2019-03-10", "id:doc-7",
                           "=\"ورئيس وزير\""};
  int opened = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string f = original;
    // Meta, dictionary, postings, positions, values, ids (not the stored
    // chunks: zstd checks those).
    const size_t kDamaged[] = {0, 1, 2, 3, 5, 6};
    const size_t which = kDamaged[trial % 6];
    uint64_t off, len;
    section(f, which, &off, &len);
    if (len == 0) continue;
    for (int flips = 1 + static_cast<int>(rnd() % 3); flips > 0; --flips) {
      f[off + rnd() % len] = static_cast<char>(rnd());
    }
    const uint32_t crc = Crc32(std::string_view(f).substr(off, len));
    std::memcpy(&f[footer + which * 20 + 16], &crc, 4);
    const uint32_t fcrc = Crc32(std::string_view(f).substr(footer, kSections * 20 + 8));
    std::memcpy(&f[footer + kSections * 20 + 8], &fcrc, 4);
    {
      std::ofstream out(seg, std::ios::binary | std::ios::trunc);
      out << f;
    }
    auto r = IndexReader::Open(dir.path());
    if (!r.ok()) continue;  // found at open
    ++opened;
    Searcher searcher(*r);
    SearchOptions o;
    o.k = 50;
    for (const char* q : queries) {
      auto res = searcher.Search(q, o);  // results or an error, both fine
      if (res.ok()) EXPECT_LE(res->hits.size(), 50u);
    }
  }
  EXPECT_GT(opened, 50);  // most damage is only met by the searches
  std::ofstream out(seg, std::ios::binary | std::ios::trunc);
  out << original;
}

// Phrases over full (packed) blocks: the documents found are exactly those
// where the two words stand side by side.
// Ingest adds a document in two stages on two threads (Analyze, then
// Invert a few documents behind); the segment is byte for byte the one Add
// writes, and Write's two encoding halves join into the same file whatever
// the corpus: stems with many forms, stop words, keywords, replaced ids,
// lists of several blocks.
TEST(Index, TwoStageAddWritesTheSameSegment) {
  TempDir dir;
  const char* vocab[] = {"الحكومة", "للحكومة", "وللحكومة", "حكومات", "في", "من", "رأي", "الرأي", "برأيهم", "نفط",
                         "النفط", "سوق", "الأسواق", "7", "2019", "Reuters", "على", "علي", "قال", "وقالت"};
  std::vector<Document> docs;
  Lcg rnd(5);
  for (int d = 0; d < 3000; ++d) {
    auto text = [&](int n) {
      std::string t;
      for (int i = 0; i < n; ++i) t += std::string(vocab[rnd() % 20]) + (rnd() % 9 == 0 ? "، " : " ");
      return t;
    };
    Document doc = Doc("t" + std::to_string(d % 2900), text(1 + static_cast<int>(rnd() % 6)),
                       text(static_cast<int>(rnd() % 200)), d % 3 ? "2019-03-14" : "", d % 2 ? "BBC" : "CNN",
                       d % 5 ? "economy" : "sport");
    if (d % 7 == 0) doc.keywords = {"D:2019", "E:per:ترامب"};
    docs.push_back(std::move(doc));
  }
  auto analyzer = std::move(analysis::Analyzer::Create(IndexAnalyzerOptions())).value();
  SegmentBuilder one;
  for (size_t i = 0; i < docs.size(); ++i) one.Add(docs[i], i, analyzer.get());
  ASSERT_TRUE(one.Write(dir.path() + "/one.rsg", 1).ok());

  auto analyzer2 = std::move(analysis::Analyzer::Create(IndexAnalyzerOptions())).value();
  SegmentBuilder two;
  std::vector<SegmentBuilder::Analyzed> analyzed(docs.size());
  std::atomic<size_t> ready{0};
  std::thread inverter([&] {
    for (size_t i = 0; i < docs.size(); ++i) {
      while (ready.load(std::memory_order_acquire) <= i) std::this_thread::yield();
      two.Invert(docs[i], analyzed[i]);
    }
  });
  for (size_t i = 0; i < docs.size(); ++i) {
    two.Analyze(docs[i], i, analyzer2.get(), &analyzed[i]);
    ready.store(i + 1, std::memory_order_release);
    EXPECT_GT(two.memory_bytes(), 0u);
  }
  inverter.join();
  ASSERT_TRUE(two.Write(dir.path() + "/two.rsg", 1).ok());
  auto bytes = [](const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  const std::string a = bytes(dir.path() + "/one.rsg"), b = bytes(dir.path() + "/two.rsg");
  EXPECT_GT(a.size(), 50000u);
  EXPECT_TRUE(a == b) << a.size() << " against " << b.size() << " bytes";
  // And it reads: the replaced ids once each, every form of the stem.
  auto r = SegmentReader::Open(dir.path() + "/two.rsg", 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->doc_count(), 3000u);
  EXPECT_EQ(two.live_count(), 2900u);
}

TEST(Index, PhraseOverPackedBlocksEqualsBruteForce) {
  TempDir dir;
  const char* vocab[] = {"سلام", "حرب", "اقتصاد", "نفط", "رئيس", "وزير", "سوق", "برلمان", "جيش", "فريق"};
  std::vector<Document> docs;
  std::vector<std::vector<int>> words;
  Lcg rnd(7);
  for (int d = 0; d < 2000; ++d) {
    std::string text;
    words.emplace_back();
    int len = 3 + static_cast<int>(rnd() % 40);
    for (int i = 0; i < len; ++i) {
      int w = static_cast<int>(rnd() % 10);
      words.back().push_back(w);
      text += vocab[w];
      text += ' ';
    }
    docs.push_back(Doc("p" + std::to_string(d), "", text));
  }
  Build(dir.path(), docs, 900);
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  Searcher s(reader);
  for (int a = 0; a < 10; a += 3) {
    for (int b = 1; b < 10; b += 4) {
      std::set<std::string> want;
      for (size_t d = 0; d < words.size(); ++d) {
        for (size_t i = 0; i + 1 < words[d].size(); ++i) {
          if (words[d][i] == a && words[d][i + 1] == b) want.insert(docs[d].id);
        }
      }
      SearchOptions o;
      o.k = 2000;
      o.snippets = false;
      auto r = s.Search("\"" + std::string(vocab[a]) + " " + vocab[b] + "\"", o);
      ASSERT_TRUE(r.ok());
      std::set<std::string> got;
      for (const auto& h : r->hits) got.insert(h.id);
      EXPECT_EQ(got, want) << vocab[a] << " " << vocab[b];
      EXPECT_EQ(r->total, want.size());
    }
  }
}

// Exact forms are variants of their stem's postings (segment format 4): an
// exact query scores as BM25 over the forms as written, with the form's own
// document frequency, in lists long enough for several packed blocks and in
// several segments; exact phrases are the forms side by side.
TEST(Index, ExactFormsOverPackedBlocksEqualBruteForce) {
  TempDir dir;
  // Forms of two stems (حكوم and رأي), and other words.
  const char* vocab[] = {"الحكومة", "للحكومة", "وللحكومة", "حكومة", "رأي", "الرأي", "برأي", "نفط", "سوق", "7"};
  const int n_vocab = 10;
  std::vector<Document> docs;
  std::vector<std::vector<int>> title_words, body_words;
  Lcg rnd(11);
  auto words = [&](int n, std::vector<int>* out) {
    std::string text;
    for (int i = 0; i < n; ++i) {
      // Skewed: the first forms are frequent, so lists span many blocks.
      int w = static_cast<int>(std::min(rnd() % n_vocab, rnd() % n_vocab));
      out->push_back(w);
      text += vocab[w];
      text += ' ';
    }
    return text;
  };
  for (int d = 0; d < 1500; ++d) {
    title_words.emplace_back();
    body_words.emplace_back();
    std::string title = words(static_cast<int>(rnd() % 4), &title_words.back());
    std::string body = words(2 + static_cast<int>(rnd() % 30), &body_words.back());
    docs.push_back(Doc("e" + std::to_string(d), title, body));
  }
  Build(dir.path(), docs, 700);  // three segments
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  ASSERT_EQ(reader->segments().size(), 3u);
  Searcher s(reader);
  double n = static_cast<double>(docs.size()), sum_len = 0;
  std::vector<double> len(docs.size());
  for (size_t d = 0; d < docs.size(); ++d) {
    len[d] = kTitleWeight * title_words[d].size() + body_words[d].size();
    sum_len += len[d];
  }
  const double avg = sum_len / n;
  for (int w = 0; w < n_vocab; ++w) {
    double df = 0;
    std::vector<double> tf(docs.size(), 0);
    for (size_t d = 0; d < docs.size(); ++d) {
      for (int t : title_words[d]) tf[d] += t == w ? kTitleWeight : 0;
      for (int t : body_words[d]) tf[d] += t == w ? 1 : 0;
      df += tf[d] > 0;
    }
    double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    std::map<std::string, double> want;
    for (size_t d = 0; d < docs.size(); ++d) {
      if (tf[d] > 0) want[docs[d].id] = idf * tf[d] * 2.2 / (tf[d] + 1.2 * (1 - 0.75 + 0.75 * len[d] / avg));
    }
    auto r = Find(s, *Term(vocab[w], true), docs.size());
    ASSERT_EQ(r.hits.size(), want.size()) << vocab[w];
    EXPECT_EQ(r.total, want.size()) << vocab[w];
    for (const auto& h : r.hits) EXPECT_NEAR(h.score, want[h.id], 1e-9) << vocab[w] << " " << h.id;
    // The pruned top 10 (block-max WAND over the variant's list) agrees.
    SearchOptions o;
    o.count_all = false;
    o.exact_boost = 0;
    o.exact = true;
    auto p = s.Search(*Term(vocab[w]), o);
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(p->hits.size(), std::min<size_t>(10, r.hits.size()));
    for (size_t i = 0; i < p->hits.size(); ++i) EXPECT_NEAR(p->hits[i].score, r.hits[i].score, 1e-12) << vocab[w];
  }
  // Exact phrases: the two forms side by side, in the title or the body.
  for (int a : {0, 1, 5}) {
    for (int b : {4, 5, 6, 1}) {
      std::set<std::string> want;
      for (size_t d = 0; d < docs.size(); ++d) {
        for (const auto* ws : {&title_words[d], &body_words[d]}) {
          for (size_t i = 0; i + 1 < ws->size(); ++i) {
            if ((*ws)[i] == a && (*ws)[i + 1] == b) want.insert(docs[d].id);
          }
        }
      }
      SearchOptions o;
      o.k = docs.size();
      o.snippets = false;
      auto r = s.Search("=\"" + std::string(vocab[a]) + " " + vocab[b] + "\"", o);
      ASSERT_TRUE(r.ok());
      std::set<std::string> got;
      for (const auto& h : r->hits) got.insert(h.id);
      EXPECT_EQ(got, want) << vocab[a] << " " << vocab[b];
    }
  }
}

// Entity and mentioned-month facets count the matching documents' keywords,
// summed over segments, most frequent first (ties by name), at most
// facet_limit names; years and days are not months.
TEST(Index, EntityFacetsCountMatchingDocumentsAcrossSegments) {
  TempDir dir;
  std::vector<Document> docs;
  auto add = [&](std::string id, std::string text, std::vector<std::string> keywords) {
    Document d = Doc(std::move(id), "", std::move(text));
    d.keywords = std::move(keywords);
    docs.push_back(std::move(d));
  };
  add("a", "زار الرئيس واشنطن", {"E:per:دونالد ترامب", "E:loc:واشنطن", "D:2019-03", "D:2019", "D:2019-03-14"});
  add("b", "الرئيس في موسكو", {"E:per:فلاديمير بوتين", "E:loc:موسكو", "D:2019-03"});
  add("c", "لقاء الرئيس", {"E:per:دونالد ترامب", "E:per:فلاديمير بوتين", "E:org:الأمم المتحدة", "D:2018-12"});
  add("d", "الرئيس وحده", {"E:per:دونالد ترامب"});
  add("e", "خبر آخر عن الطقس", {"E:per:دونالد ترامب", "E:loc:واشنطن"});
  Build(dir.path(), docs, 3);  // two segments
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  ASSERT_EQ(reader->segments().size(), 2u);
  Searcher s(reader);
  SearchOptions o;
  o.facet_limit = 2;
  auto r = s.Search("الرئيس", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 4u);
  auto facet = [&](const std::string& name) {
    std::vector<std::pair<std::string, uint64_t>> v;
    for (const auto& f : r->facets[name]) v.emplace_back(f.value, f.count);
    return v;
  };
  using V = std::vector<std::pair<std::string, uint64_t>>;
  EXPECT_EQ(facet("person"), (V{{"دونالد ترامب", 3}, {"فلاديمير بوتين", 2}}));
  EXPECT_EQ(facet("place"), (V{{"موسكو", 1}, {"واشنطن", 1}}));  // a tie: by name
  EXPECT_EQ(facet("organization"), (V{{"الأمم المتحدة", 1}}));
  EXPECT_EQ(facet("mentioned_month"), (V{{"2018-12", 1}, {"2019-03", 2}}));
}

// Exact forms keep positions in titles only; exact phrases in bodies are
// found through stems and checked on the stored text, so they match the
// forms as written and nothing else.
TEST(Index, ExactPhrasesMatchTheFormsAsWritten) {
  TempDir dir;
  Build(dir.path(), Corpus(), 2);  // three segments
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  Searcher s(reader);
  SearchOptions o;
  o.snippets = false;
  auto ids = [&](const std::string& q) { return HitIdSet(&s, q, o); };
  using S = std::set<std::string>;
  // d3's body: «إن للحكومة رأيا مختلفا»; d1's: «أعلنت الحكومة اليوم».
  EXPECT_EQ(ids("\"الحكومة رأيا\""), (S{"d3"}));      // stems: للحكومة رأيا
  EXPECT_EQ(ids("=\"للحكومة رأيا\""), (S{"d3"}));     // the exact forms, in the body
  EXPECT_EQ(ids("=\"الحكومة رأيا\""), (S{}));         // not written so anywhere
  EXPECT_EQ(ids("=\"رأيا مختلفا\""), (S{"d3"}));
  EXPECT_EQ(ids("=\"مختلفا رأيا\""), (S{}));          // order matters
  EXPECT_EQ(ids("=\"الحكومة اليوم\""), (S{"d1"}));
  // In titles too: d3's title «وللحكومة رأي آخر».
  EXPECT_EQ(ids("=\"وللحكومة رأي\""), (S{"d3"}));
  EXPECT_EQ(ids("title:=\"وللحكومة رأي\""), (S{"d3"}));
  EXPECT_EQ(ids("title:=\"للحكومة رأيا\""), (S{}));  // body only
  // Numbers have no stem: they are terms of their own.
  EXPECT_EQ(ids("=\"بنسبة 7٫7\""), (S{"d5"}));

  // Both exact forms in the article, and the stems side by side, but not
  // the exact forms side by side: the variant codes of the positions tell.
  TempDir dir2;
  Build(dir2.path(), {Doc("x", "", "قالت المصادر إن للحكومة رأيا آخر في الحكومة الجديدة"),
                      Doc("y", "", "قالت المصادر إن الحكومة رأيا آخر")});
  Searcher s2(std::move(IndexReader::Open(dir2.path())).value());
  auto r = s2.Search("=\"الحكومة رأيا\"", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(*r), (std::vector<std::string>{"y"}));
  r = s2.Search("\"الحكومة رأيا\"", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 2u);
}

// Stop words keep no positions (format 5): a phrase checks them by document
// and the other words at their offsets, with the stop word's place between.
TEST(Index, PhrasesWithStopWords) {
  TempDir dir;
  Build(dir.path(), {Doc("in", "وزير في الحكومة", "قال وزير في الحكومة الجديدة إن الخطة جاهزة"),
                     Doc("from", "", "قال وزير من الحكومة الجديدة إن الخطة جاهزة"),
                     Doc("far", "", "وزير الحكومة قال إن الخطة في مرحلتها الأخيرة"),
                     Doc("stops", "", "عاد من في القرية إلى منازلهم")});
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  Searcher s(reader);
  SearchOptions o;
  o.snippets = false;
  auto ids = [&](const std::string& q) { return HitIdSet(&s, q, o); };
  using S = std::set<std::string>;
  EXPECT_EQ(ids("\"وزير في الحكومة\""), (S{"in"}));    // «from» has no في; «far» has it elsewhere
  EXPECT_EQ(ids("\"وزير من الحكومة\""), (S{"from"}));
  EXPECT_EQ(ids("\"وزير الحكومة\""), (S{"far"}));       // the gap counts
  EXPECT_EQ(ids("=\"وزير في الحكومة\""), (S{"in"}));
  EXPECT_EQ(ids("\"في الحكومة الجديدة\""), (S{"in"}));  // a stop word first
  EXPECT_EQ(ids("title:\"وزير في\""), (S{"in"}));
  EXPECT_EQ(ids("title:في"), (S{"in"}));                 // title occurrences are kept
  EXPECT_EQ(ids("في"), (S{"in", "far", "stops"}));
  EXPECT_EQ(ids("\"من في\""), (S{"stops"}));             // stop words only: by document
  // The stop word's term is flagged, the others are not.
  auto seg = reader->segments()[0];
  TermInfo info;
  ASSERT_TRUE(seg.reader->LookupTerm(std::string(1, kStemSpace) + "في", &info));
  EXPECT_TRUE(info.positionless);
  EXPECT_EQ(info.df, 3u);
  ASSERT_TRUE(seg.reader->LookupTerm(std::string(1, kStemSpace) + "وزير", &info));
  EXPECT_FALSE(info.positionless);
}

// The exact form typed ranks first among forms of the same stem (scored in
// the rerank); without the boost the two articles tie.
TEST(Index, ExactFormRanksFirst) {
  TempDir dir;
  Build(dir.path(), {Doc("other", "", "قالت مصادر إن للحكومة خطة جديدة"),
                     Doc("typed", "", "قالت مصادر إن الحكومة خطة جديدة")});
  Searcher s(std::move(IndexReader::Open(dir.path())).value());
  for (const char* q : {"الحكومة", "الحكومة خطة"}) {
    SearchOptions o;
    o.exact_boost = 0;
    auto plain = s.Search(q, o);
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(Ids(*plain), (std::vector<std::string>{"other", "typed"})) << q;
    EXPECT_NEAR(plain->hits[0].score, plain->hits[1].score, 1e-12) << q;
    for (bool count_all : {true, false}) {
      o.exact_boost = 0.2;
      o.count_all = count_all;
      auto boosted = s.Search(q, o);
      ASSERT_TRUE(boosted.ok());
      EXPECT_EQ(Ids(*boosted), (std::vector<std::string>{"typed", "other"})) << q;
      EXPECT_GT(boosted->hits[0].score, boosted->hits[1].score) << q;
      // "other" writes the one word differently: only الحكومة's boost is missing.
      if (std::string(q) == "الحكومة") {
        EXPECT_NEAR(boosted->hits[1].score, plain->hits[1].score, 1e-12);
      }
    }
  }
}

TEST(Index, PrunedTopKEqualsExhaustive) {
  TempDir dir;
  const char* vocab[] = {"سلام", "حرب", "اقتصاد", "نفط", "حكومة", "رئيس", "وزير", "مدينة", "شركة", "سوق",
                         "انتخابات", "برلمان", "جيش", "مباراة", "فريق", "لاعب", "طقس", "مطر", "صحة", "مستشفى",
                         "تعليم", "جامعة", "طالب", "فيلم", "مهرجان", "كتاب", "سيارة", "طائرة", "قطار", "ميناء"};
  const int nv = static_cast<int>(std::size(vocab));
  std::vector<Document> docs;
  Lcg rnd(12345);
  // Two segments of 4,500 articles: MaxScore's windows (1,024 documents)
  // cut each in five.
  for (int d = 0; d < 9000; ++d) {
    std::string text;
    int len = 5 + static_cast<int>(rnd() % 60);
    for (int i = 0; i < len; ++i) {
      // Zipf-like: low indices far more frequent.
      int w = static_cast<int>((rnd() % nv) * (rnd() % nv) / nv);
      text += vocab[w];
      text += ' ';
    }
    docs.push_back(Doc("z" + std::to_string(d), d % 7 == 0 ? vocab[rnd() % nv] : "", text));
  }
  Build(dir.path(), docs, 4500);
  auto reader = std::move(IndexReader::Open(dir.path())).value();
  Searcher s(reader);
  for (int q = 0; q < 150; ++q) {
    std::string query;
    int terms = 1 + static_cast<int>(rnd() % 10);  // up to questions' lengths
    for (int i = 0; i < terms; ++i) query += std::string(vocab[rnd() % nv]) + " ";
    SearchOptions full, pruned;
    full.k = 50;
    pruned.k = 10;
    full.snippets = pruned.snippets = false;
    full.exact_boost = pruned.exact_boost = 0;  // fewer exact ties between documents
    full.proximity = pruned.proximity = 0;      // BM25 only (the rerank depth follows k)
    pruned.count_all = false;
    auto a = s.Search(query, full);
    ASSERT_TRUE(a.ok());
    // MaxScore by windows (the default) and block-max WAND: the same scores
    // rank by rank, and each hit is an exhaustive hit of that score (documents
    // whose scores differ only by rounding, summed in another order, may
    // swap).
    for (size_t min_terms : {size_t{1}, size_t{1000}}) {
      pruned.maxscore_min_terms = min_terms;
      auto b = s.Search(query, pruned);
      ASSERT_TRUE(b.ok());
      ASSERT_EQ(std::min<size_t>(a->hits.size(), 10), b->hits.size()) << query;
      for (size_t i = 0; i < b->hits.size(); ++i) {
        EXPECT_NEAR(a->hits[i].score, b->hits[i].score, 1e-9) << query << " rank " << i << " " << min_terms;
        bool found = false;
        for (const auto& h : a->hits) found |= h.id == b->hits[i].id && std::abs(h.score - b->hits[i].score) < 1e-9;
        EXPECT_TRUE(found) << query << " rank " << i << " " << b->hits[i].id << " " << min_terms;
      }
    }
  }
}

}  // namespace
}  // namespace rasid::index
