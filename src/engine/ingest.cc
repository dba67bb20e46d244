#include "rasid/engine/ingest.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#include "rasid/extract/extractor.h"
#include "rasid/ner/ner.h"
#include "rasid/index/index.h"
#include "rasid/index/segment.h"

namespace rasid::engine {

namespace {

struct Batch {
  uint64_t first_seq = 0;
  std::vector<index::Document> docs;
};

// A bounded queue of batches between the reader and the workers.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  void Push(Batch b) {
    std::unique_lock<std::mutex> l(mu_);
    not_full_.wait(l, [&] { return q_.size() < capacity_ || stop_; });
    q_.push_back(std::move(b));
    not_empty_.notify_one();
  }
  bool Pop(Batch* b) {
    std::unique_lock<std::mutex> l(mu_);
    not_empty_.wait(l, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    *b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> l(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  void Stop() {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = closed_ = true;
    q_.clear();
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> q_;
  size_t capacity_;
  bool closed_ = false, stop_ = false;
};

// The second stage of a worker: a thread that inverts analysed documents
// (SegmentBuilder::Invert) in the order they were analysed, a few batches
// behind the analysis.
class Inverter {
 public:
  using Analyzed = std::vector<index::SegmentBuilder::Analyzed>;
  Inverter() : thread_([this] { Run(); }) {}
  ~Inverter() {
    {
      std::lock_guard<std::mutex> l(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Push(index::SegmentBuilder* builder, std::vector<index::Document> docs, Analyzed analyzed) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return q_.size() < kCapacity; });
    q_.push_back(Item{builder, std::move(docs), std::move(analyzed)});
    cv_.notify_all();
  }
  // Waits until every document pushed is inverted.
  void Drain() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return q_.empty() && !busy_; });
  }
  // A finished batch's vectors (their capacity kept), or an empty one.
  Analyzed Recycled() {
    std::lock_guard<std::mutex> l(mu_);
    if (free_.empty()) return {};
    Analyzed a = std::move(free_.back());
    free_.pop_back();
    return a;
  }

 private:
  static constexpr size_t kCapacity = 4;
  struct Item {
    index::SegmentBuilder* builder;
    std::vector<index::Document> docs;
    Analyzed analyzed;
  };
  void Run() {
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      cv_.wait(l, [&] { return !q_.empty() || done_; });
      if (q_.empty()) return;
      Item item = std::move(q_.front());
      q_.pop_front();
      busy_ = true;
      cv_.notify_all();
      l.unlock();
      for (size_t i = 0; i < item.docs.size(); ++i) item.builder->Invert(item.docs[i], item.analyzed[i]);
      item.docs.clear();
      l.lock();
      busy_ = false;
      if (free_.size() < kCapacity + 2) free_.push_back(std::move(item.analyzed));
      cv_.notify_all();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> q_;
  std::vector<Analyzed> free_;
  bool busy_ = false, done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// Keywords from extraction (index::Document::keywords): months, years and
// days of the dates an article mentions (D:2019, D:2019-03, D:2019-03-14),
// currencies of its amounts of money and their orders of magnitude
// (M:usd, M:usd:8 for 400 million dollars).
void FactKeywords(const extract::Extraction& x, std::vector<std::string>* out) {
  out->clear();
  auto add = [&](std::string k) {
    if (std::find(out->begin(), out->end(), k) == out->end()) out->push_back(std::move(k));
  };
  for (const auto& d : x.dates) {
    std::string_view v = d.value;
    if (size_t slash = v.find('/'); slash != std::string_view::npos) v = v.substr(0, slash);  // interval: its start
    auto digits = [&](size_t from, size_t n) {
      if (v.size() < from + n) return false;
      for (size_t i = from; i < from + n; ++i) {
        if (v[i] < '0' || v[i] > '9') return false;
      }
      return true;
    };
    if (!digits(0, 4)) continue;
    add("D:" + std::string(v.substr(0, 4)));
    if (v.size() >= 7 && v[4] == '-' && digits(5, 2)) add("D:" + std::string(v.substr(0, 7)));
    if (v.size() >= 10 && v[7] == '-' && digits(8, 2)) add("D:" + std::string(v.substr(0, 10)));
  }
  for (const auto& n : x.numbers) {
    if (n.type != extract::NumberType::kMoney) continue;
    std::string unit = n.unit;
    // A bare دولار in Arabic news is the US dollar unless said otherwise.
    if (n.ambiguous) {
      bool usd = std::find(n.candidates.begin(), n.candidates.end(), "USD") != n.candidates.end();
      unit = usd ? "USD" : "";
    }
    if (unit.size() != 3) continue;
    std::string cur;
    for (char c : unit) cur.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    add("M:" + cur);
    double v = n.max ? *n.max : n.value;
    if (v >= 1) add("M:" + cur + ":" + std::to_string(static_cast<int>(std::floor(std::log10(v)))));
  }
}

// Keywords of the entities of a document: "E:per:<name>" (also org, loc),
// the canonical name in search-level normal form, so that a query's name
// matches however it was written.
void EntityKeywords(const std::vector<ner::Entity>& entities, const analysis::Normalizer& norm,
                    std::vector<std::string>* out) {
  for (const ner::Entity& e : entities) {
    if (e.type == ner::EntityType::kMisc || e.name.empty()) continue;
    const char* type = e.type == ner::EntityType::kPer ? "per" : e.type == ner::EntityType::kOrg ? "org" : "loc";
    std::string name = norm.Normalize(e.name);
    // ل + ال is written لل: «للأمم المتحدة» is «الأمم المتحدة».
    if (name.rfind("\u0644\u0644", 0) == 0 && name.size() > 8) name = "\u0627" + name.substr(2);
    std::string k = std::string("E:") + type + ":" + name;
    if (std::find(out->begin(), out->end(), k) == out->end()) out->push_back(std::move(k));
  }
}

std::string HumanBytes(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
  return buf;
}

}  // namespace

Result<IngestReport> Ingest(const std::string& dir, const std::vector<std::string>& inputs,
                            const IngestOptions& options, const std::function<void(const InputError&)>& on_error) {
  auto start = std::chrono::steady_clock::now();
  auto reader = DocumentReader::Open(inputs, options.reader);
  if (!reader.ok()) return reader.status();
  index::WriterOptions wopts;
  wopts.background_merges = options.background_merges;
  auto writer = index::IndexWriter::Open(dir, wopts);
  if (!writer.ok()) return writer.status();
  index::IndexWriter* w = writer->get();

  const int threads = std::max(1, options.threads);
  const size_t per_worker = std::max<size_t>(options.buffer_bytes / static_cast<size_t>(threads), 1 << 20);
  BatchQueue queue(static_cast<size_t>(threads) * 2);
  std::mutex status_mu;
  Status worker_status;
  std::atomic<uint64_t> indexed{0}, text_bytes{0};
  std::mutex disposers_mu;
  std::vector<std::thread> disposers;
  struct JoinAll {
    std::vector<std::thread>* threads;
    ~JoinAll() {
      for (auto& t : *threads) t.join();
    }
  } join_disposers{&disposers};

  auto worker = [&] {
    auto analyzer = analysis::Analyzer::Create(index::IndexAnalyzerOptions());
    if (!analyzer.ok()) {
      std::lock_guard<std::mutex> l(status_mu);
      worker_status = analyzer.status();
      queue.Stop();
      return;
    }
    std::unique_ptr<extract::Extractor> extractor;
    if (options.extract) {
      auto ex = extract::Extractor::Create();
      if (!ex.ok()) {
        std::lock_guard<std::mutex> l(status_mu);
        worker_status = ex.status();
        queue.Stop();
        return;
      }
      extractor = std::move(ex).value();
    }
    extract::Extraction facts;
    std::unique_ptr<ner::Recognizer> recognizer;
    std::unique_ptr<analysis::Analyzer> ner_analyzer;
    if (options.entities) {
      auto model = ner::Model::Default();
      auto na = analysis::Analyzer::Create(analysis::AnalyzerOptions());
      if (!model.ok() || !na.ok()) {
        std::lock_guard<std::mutex> l(status_mu);
        worker_status = model.ok() ? na.status() : model.status();
        queue.Stop();
        return;
      }
      recognizer = std::make_unique<ner::Recognizer>(*model);
      ner_analyzer = std::move(na).value();
    }
    std::vector<analysis::AnalyzedToken> ner_tokens;
    std::string ner_text;
    // Two stages: this thread analyses (extraction, entities, terms), an
    // inverter thread builds the postings and stores the articles.
    Inverter inverter;
    auto builder = std::make_unique<index::SegmentBuilder>();
    auto flush = [&]() -> Status {
      inverter.Drain();
      if (builder->doc_count() == 0) return Status::Ok();
      RASID_RETURN_IF_ERROR(w->AddSegment(builder.get()));
      // A written builder is freed (millions of small blocks) beside the
      // work, at the latest when the ingest ends.
      std::lock_guard<std::mutex> l(disposers_mu);
      disposers.emplace_back([old = std::move(builder)] {});
      builder = std::make_unique<index::SegmentBuilder>();
      return w->Commit();
    };
    Batch b;
    while (queue.Pop(&b)) {
      std::vector<index::SegmentBuilder::Analyzed> analyzed = inverter.Recycled();
      analyzed.resize(b.docs.size());
      for (size_t i = 0; i < b.docs.size(); ++i) {
        if (extractor) {
          index::Document& d = b.docs[i];
          extract::ExtractOptions xo;
          int32_t day = index::ParseDateDays(d.date);
          if (day != index::kNoDate) xo.reference_day = day;
          std::string_view body(d.text);
          extractor->Extract(body.substr(0, std::min(body.size(), d.indexed_text_bytes)), xo, &facts);
          FactKeywords(facts, &d.keywords);
        }
        if (recognizer) {
          index::Document& d = b.docs[i];
          std::string_view body(d.text);
          ner_text.assign(d.title);
          ner_text += "\n\n";
          ner_text.append(body.substr(0, std::min(body.size(), d.indexed_text_bytes)));
          ner_analyzer->Analyze(ner_text, &ner_tokens);
          std::vector<ner::Mention> mentions = recognizer->Recognize(ner_tokens, ner_text);
          std::vector<ner::Entity> entities = ner::GroupMentions(&mentions);
          EntityKeywords(entities, ner_analyzer->normalizer(), &d.keywords);
        }
        builder->Analyze(b.docs[i], b.first_seq + i, analyzer->get(), &analyzed[i]);
        indexed.fetch_add(1, std::memory_order_relaxed);
        text_bytes.fetch_add(b.docs[i].title.size() + b.docs[i].text.size(), std::memory_order_relaxed);
      }
      inverter.Push(builder.get(), std::move(b.docs), std::move(analyzed));
      if (builder->memory_bytes() >= per_worker) {
        Status st = flush();
        if (!st.ok()) {
          std::lock_guard<std::mutex> l(status_mu);
          worker_status = st;
          queue.Stop();
          return;
        }
      }
    }
    Status st = flush();
    if (!st.ok()) {
      std::lock_guard<std::mutex> l(status_mu);
      worker_status = st;
    }
  };
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back(worker);

  // Read on this thread.
  DocumentReader& r = **reader;
  Status first_bad;
  Batch batch;
  uint64_t seq = 0;
  auto last_progress = std::chrono::steady_clock::now();
  const uint64_t total_bytes = r.total_bytes();
  index::Document doc;
  auto handle_error = [&](const InputError& e) {
    if (on_error) on_error(e);
    if (options.strict) {
      first_bad = e.status;
      return false;
    }
    return true;
  };
  for (;;) {
    bool more = r.Next(&doc, handle_error);
    if (more) {
      batch.docs.push_back(std::move(doc));
      doc = index::Document();
    }
    if (batch.docs.size() >= 64 || (!more && !batch.docs.empty())) {
      batch.first_seq = seq;
      seq += batch.docs.size();
      queue.Push(std::move(batch));
      batch = Batch();
    }
    if (options.progress) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(250) || !more) {
        last_progress = now;
        double secs = std::chrono::duration<double>(now - start).count();
        double done = static_cast<double>(r.stats().bytes_read);
        double rate = secs > 0 ? static_cast<double>(indexed.load()) / secs : 0;
        std::string eta = "?";
        if (total_bytes > 0 && done > 0) {
          int left = static_cast<int>(secs * (static_cast<double>(total_bytes) - done) / done);
          eta = std::to_string(left / 60) + ":" + (left % 60 < 10 ? "0" : "") + std::to_string(left % 60);
        }
        std::fprintf(stderr, "\r%10llu docs  %s  %8.0f docs/s  ETA %s   ",
                     static_cast<unsigned long long>(indexed.load()), HumanBytes(done).c_str(), rate, eta.c_str());
        std::fflush(stderr);
      }
    }
    if (!more) break;
    {
      std::lock_guard<std::mutex> l(status_mu);
      if (!worker_status.ok()) break;
    }
  }
  if (options.progress) std::fprintf(stderr, "\n");
  queue.Close();
  for (auto& t : pool) t.join();
  if (!worker_status.ok()) return worker_status;
  if (!r.status().ok() && first_bad.ok()) first_bad = r.status();
  RASID_RETURN_IF_ERROR(w->Commit());
  RASID_RETURN_IF_ERROR(w->WaitForMerges());
  if (options.force_merge) RASID_RETURN_IF_ERROR(w->ForceMerge());

  IngestReport rep;
  rep.documents = indexed.load();
  rep.text_bytes = text_bytes.load();
  rep.bad_records = r.stats().bad_records;
  rep.skipped_files = r.stats().skipped_files;
  rep.input_bytes = r.stats().bytes_read;
  index::IndexStats st = w->stats();
  rep.index_documents = st.documents;
  rep.index_bytes = st.bytes;
  rep.segments = st.segments;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!first_bad.ok()) return first_bad.WithMessage("stopped (--strict) at the first bad record: " + first_bad.message());
  return rep;
}

}  // namespace rasid::engine
