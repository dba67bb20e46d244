// rasid ingest | search | get | stats
#include <unistd.h>

#include <thread>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <map>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "rasid/base/file.h"
#include "rasid/base/lines.h"
#include "rasid/engine/ingest.h"
#include "rasid/index/index.h"
#include "rasid/index/searcher.h"

namespace rasid::cli {

namespace {

using ordered_json = nlohmann::ordered_json;

std::string Dump(const ordered_json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// ---------------------------------------------------------------- ingest

struct IngestArgs {
  std::string index;
  std::vector<std::string> inputs;
  std::string encoding = "utf-8";
  size_t buffer_mb = 256;
  int threads = 0;
  bool strict = false;
  bool quiet = false;
  bool json = false;
  bool optimize = false;
  bool bench = false;
  bool no_extract = false;
  size_t max_doc_mb = 16;
};

Status RunIngest(const IngestArgs& a) {
  engine::IngestOptions o;
  auto enc = text::ParseEncoding(a.encoding);
  if (!enc.ok()) return enc.status();
  o.reader.encoding = *enc;
  o.reader.max_document_bytes = a.max_doc_mb << 20;
  o.buffer_bytes = a.buffer_mb << 20;
  o.threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.strict = a.strict;
  o.progress = !a.quiet && ::isatty(2);
  o.force_merge = a.optimize;
  o.extract = !a.no_extract;
  o.entities = !a.no_extract;
  size_t shown = 0;
  auto on_error = [&](const engine::InputError& e) {
    if (a.quiet) return;
    if (++shown <= 20) std::fprintf(stderr, "rasid ingest: skipped: %s\n", e.status.message().c_str());
    if (shown == 21) std::fprintf(stderr, "rasid ingest: (more bad records; see the count at the end)\n");
  };
  auto rep = engine::Ingest(a.index, a.inputs, o, on_error);
  if (!rep.ok()) return rep.status();
  const auto& r = *rep;
  if (a.bench) {
    std::fprintf(stderr,
                 "BENCH index engine=rasid docs=%llu input_bytes=%llu text_bytes=%llu seconds=%.3f docs_per_s=%.1f "
                 "bytes_per_s=%.1f index_bytes=%llu\n",
                 static_cast<unsigned long long>(r.documents), static_cast<unsigned long long>(r.input_bytes),
                 static_cast<unsigned long long>(r.text_bytes), r.seconds, r.seconds > 0 ? r.documents / r.seconds : 0,
                 r.seconds > 0 ? r.input_bytes / r.seconds : 0, static_cast<unsigned long long>(r.index_bytes));
  }
  if (a.json) {
    ordered_json j = {{"documents", r.documents},   {"bad_records", r.bad_records},
                      {"skipped_files", r.skipped_files}, {"input_bytes", r.input_bytes},
                      {"text_bytes", r.text_bytes}, {"seconds", r.seconds},
                      {"docs_per_s", r.seconds > 0 ? r.documents / r.seconds : 0},
                      {"index_documents", r.index_documents}, {"index_bytes", r.index_bytes},
                      {"segments", r.segments}};
    std::printf("%s\n", Dump(j).c_str());
  } else if (!a.quiet) {
    std::fprintf(stderr,
                 "rasid ingest: %llu documents indexed (%llu bad records skipped) in %.2f s, %.0f docs/s, %.1f MB/s "
                 "of text; index: %llu documents, %llu segments, %.1f MB\n",
                 static_cast<unsigned long long>(r.documents), static_cast<unsigned long long>(r.bad_records),
                 r.seconds, r.seconds > 0 ? r.documents / r.seconds : 0.0,
                 r.seconds > 0 ? r.text_bytes / r.seconds / 1e6 : 0.0,
                 static_cast<unsigned long long>(r.index_documents), static_cast<unsigned long long>(r.segments),
                 r.index_bytes / 1e6);
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- search

struct SearchArgs {
  std::string index;
  std::string query;
  std::string queries_file;
  size_t k = 10;
  size_t offset = 0;
  bool json = false;
  bool trec = false;
  bool exact = false;
  bool and_mode = false;
  bool keep_stopwords = false;
  std::string tag = "rasid";
  int warmup = 0;
  int repeat = 1;
  bool plain = false;
  bool times = false;
  double exact_boost = -1;
  double k1 = -1, b = -1, proximity = -1;
  uint32_t proximity_window = 0;
  int proximity_depth = -1;
  int maxscore_min_terms = -1;
};

// A query as a plain bag of words, as the peer engines read theirs: quote
// marks, parentheses and leading signs removed, so nothing is an operator.
std::string PlainQuery(std::string_view q) {
  std::string out;
  bool word_start = true;
  size_t i = 0;
  while (i < q.size()) {
    unsigned char c = static_cast<unsigned char>(q[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string_view ch = q.substr(i, len);
    i += len;
    bool quote = ch == "\"" || ch == "(" || ch == ")" || ch == "\u00AB" || ch == "\u00BB" || ch == "\u201C" ||
                 ch == "\u201D" || ch == ":" || ch == "|" || ch == "&";
    bool sign = word_start && (ch == "-" || ch == "+" || ch == "=");
    if (quote || sign) {
      out.push_back(' ');
      word_start = true;
      continue;
    }
    out.append(ch);
    word_start = ch == " " || ch == "\t";
  }
  // Upper-case AND/OR/NOT are operators: lower-case them.
  for (const char* op : {"AND", "OR", "NOT"}) {
    size_t at = 0;
    std::string w(op);
    while ((at = out.find(w, at)) != std::string::npos) {
      bool left = at == 0 || out[at - 1] == ' ';
      bool right = at + w.size() == out.size() || out[at + w.size()] == ' ';
      if (left && right) {
        for (size_t k = 0; k < w.size(); ++k) out[at + k] = static_cast<char>(out[at + k] + 32);
      }
      at += w.size();
    }
  }
  return out;
}

ordered_json HitJson(const index::Hit& h) {
  ordered_json hl = ordered_json::array();
  for (auto [s, e] : h.snippet.highlights) hl.push_back({s, e});
  return ordered_json{{"id", h.id},         {"score", h.score},   {"title", h.title},
                      {"date", h.date},     {"source", h.source}, {"category", h.category},
                      {"url", h.url},       {"snippet", h.snippet.text}, {"highlights", hl}};
}

ordered_json ResultJson(const index::SearchResult& r) {
  ordered_json hits = ordered_json::array();
  for (const auto& h : r.hits) hits.push_back(HitJson(h));
  ordered_json facets = ordered_json::object();
  for (const auto& [name, values] : r.facets) {
    ordered_json v = ordered_json::array();
    for (const auto& f : values) v.push_back({{"value", f.value}, {"count", f.count}});
    facets[name] = v;
  }
  return ordered_json{{"total", r.total}, {"total_exact", r.total_exact}, {"took_ms", r.took_ms},
                      {"hits", hits},     {"facets", facets}};
}

// Text output: highlights in bold on a terminal, [[...]] otherwise.
std::string Marked(const index::Snippet& s, bool tty) {
  std::string out;
  size_t at = 0;
  for (auto [b, e] : s.highlights) {
    if (b < at || e > s.text.size()) continue;
    out.append(s.text, at, b - at);
    out += tty ? "\033[1m" : "[[";
    out.append(s.text, b, e - b);
    out += tty ? "\033[0m" : "]]";
    at = e;
  }
  out.append(s.text, at, std::string::npos);
  return out;
}

Status RunSearch(const SearchArgs& a) {
  auto reader = index::IndexReader::Open(a.index);
  if (!reader.ok()) return reader.status();
  index::Searcher searcher(*reader);
  index::SearchOptions o;
  o.k = a.k;
  o.offset = a.offset;
  o.exact = a.exact;
  o.query.default_and = a.and_mode;
  o.drop_stopwords = !a.keep_stopwords;
  if (a.exact_boost >= 0) o.exact_boost = a.exact_boost;
  if (a.k1 >= 0) o.k1 = a.k1;
  if (a.b >= 0) o.b = a.b;
  if (a.proximity >= 0) o.proximity = a.proximity;
  if (a.proximity_window > 0) o.proximity_window = a.proximity_window;
  if (a.proximity_depth >= 0) o.proximity_depth = static_cast<size_t>(a.proximity_depth);
  if (a.maxscore_min_terms >= 0) o.maxscore_min_terms = static_cast<size_t>(a.maxscore_min_terms);
  if (!a.queries_file.empty()) {
    // Batch mode: "qid<TAB>query" lines; TREC run lines out; timings on stderr
    // in the format of ../shared/bench/peers (BENCH search ...).
    Result<std::string> data = ReadFile(a.queries_file);
    if (!data.ok()) return data.status();
    o.count_all = false;
    o.snippets = false;
    o.load_documents = false;
    std::vector<std::pair<std::string, std::string>> queries;
    Status bad;
    ForEachLine(*data, [&](size_t line_no, std::string_view line) {
      if (line.empty()) return true;
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        bad = Status::InvalidArgument(a.queries_file + ":" + std::to_string(line_no) + ": expected qid<TAB>query");
        return false;
      }
      queries.emplace_back(std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)));
      return true;
    });
    if (!bad.ok()) return bad;
    std::vector<double> times;
    std::string out;
    for (int pass = 0; pass < a.warmup + std::max(1, a.repeat); ++pass) {
      bool timed = pass >= a.warmup;
      bool last = pass == a.warmup + std::max(1, a.repeat) - 1;
      for (const auto& [qid, q] : queries) {
        auto t0 = std::chrono::steady_clock::now();
        auto r = searcher.Search(a.plain ? PlainQuery(q) : q, o);
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (timed) times.push_back(ms);
        if (a.times && last) std::fprintf(stderr, "TIME %s %.4f\n", qid.c_str(), ms);
        if (!r.ok()) {
          if (last) std::fprintf(stderr, "rasid search: query %s: %s\n", qid.c_str(), r.status().message().c_str());
          continue;
        }
        if (!last) continue;
        size_t rank = 1;
        for (const auto& h : r->hits) {
          char buf[64];
          std::snprintf(buf, sizeof buf, " %zu %.6f ", rank++, h.score);
          out += qid + " Q0 " + h.id + buf + a.tag + "\n";
        }
        if (out.size() > (1 << 16)) {
          std::fwrite(out.data(), 1, out.size(), stdout);
          out.clear();
        }
      }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (!times.empty()) {
      std::vector<double> sorted = times;
      std::sort(sorted.begin(), sorted.end());
      double total = 0;
      for (double t : times) total += t;
      size_t n = sorted.size();
      double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      double p99 = sorted[std::min(n - 1, static_cast<size_t>(std::ceil(0.99 * n)) - 1)];
      std::fprintf(stderr,
                   "BENCH search engine=rasid queries=%zu k=%zu total_ms=%.3f mean_ms=%.4f median_ms=%.4f "
                   "p99_ms=%.4f max_ms=%.4f\n",
                   n, a.k, total, total / n, median, p99, sorted.back());
    }
    return Status::Ok();
  }
  if (a.query.empty()) return Status::InvalidArgument("give a QUERY or --queries FILE");
  auto r = searcher.Search(a.query, o);
  if (!r.ok()) return r.status();
  if (a.json) {
    std::printf("%s\n", Dump(ResultJson(*r)).c_str());
    return Status::Ok();
  }
  bool tty = ::isatty(1);
  std::printf("%llu results (%.1f ms)\n\n", static_cast<unsigned long long>(r->total), r->took_ms);
  for (size_t i = 0; i < r->hits.size(); ++i) {
    const auto& h = r->hits[i];
    std::printf("%zu. %s  [%s]  %s %s  (%.3f)\n   %s\n\n", a.offset + i + 1, h.title.c_str(), h.id.c_str(),
                h.source.c_str(), h.date.c_str(), h.score, Marked(h.snippet, tty).c_str());
  }
  for (const char* name : {"source", "category", "year"}) {
    auto it = r->facets.find(name);
    if (it == r->facets.end() || it->second.empty()) continue;
    std::printf("%s:", name);
    for (const auto& f : it->second) std::printf(" %s (%llu)", f.value.c_str(), static_cast<unsigned long long>(f.count));
    std::printf("\n");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- get, stats

struct GetArgs {
  std::string index, id;
};

Status RunGet(const GetArgs& a) {
  auto reader = index::IndexReader::Open(a.index);
  if (!reader.ok()) return reader.status();
  index::Document d;
  RASID_RETURN_IF_ERROR((*reader)->GetDocument(a.id, &d));
  ordered_json j = {{"id", d.id},   {"title", d.title},   {"text", d.text},         {"date", d.date},
                    {"source", d.source}, {"url", d.url}, {"category", d.category}, {"author", d.author}};
  for (const auto& [k, v] : d.extra) {
    auto parsed = ordered_json::parse(v, nullptr, false);
    j[k] = parsed.is_discarded() ? ordered_json(v) : parsed;
  }
  std::printf("%s\n", Dump(j).c_str());
  return Status::Ok();
}

struct EntitiesArgs {
  std::string index, type = "all", query;
  size_t limit = 20;
  bool json = false;
};

// The most mentioned entities: of the whole index (document frequency of
// the entity keywords), or of the articles matching a query (its facets).
Status RunEntities(const EntitiesArgs& a) {
  auto reader = index::IndexReader::Open(a.index);
  if (!reader.ok()) return reader.status();
  std::vector<std::pair<std::string, std::string>> types;  // (facet name, key type)
  std::string t = a.type;
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "all" || t == "per") types.emplace_back("person", "per");
  if (t == "all" || t == "org") types.emplace_back("organization", "org");
  if (t == "all" || t == "loc") types.emplace_back("place", "loc");
  if (types.empty()) return Status::InvalidArgument("--type must be PER, ORG, LOC or all, not '" + a.type + "'");
  ordered_json out = ordered_json::object();
  if (!a.query.empty()) {
    index::Searcher searcher(*reader);
    index::SearchOptions o;
    o.k = 0;
    o.snippets = false;
    o.facet_limit = a.limit;
    auto r = searcher.Search(a.query, o);
    if (!r.ok()) return r.status();
    for (const auto& [facet, type] : types) {
      ordered_json list = ordered_json::array();
      for (const auto& f : r->facets[facet]) list.push_back({{"name", f.value}, {"articles", f.count}});
      out[facet] = list;
    }
  } else {
    for (const auto& [facet, type] : types) {
      std::map<std::string, uint64_t> counts;
      std::string prefix = std::string("kE:") + type + ":";
      for (const auto& seg : (*reader)->segments()) {
        std::vector<std::pair<std::string, index::TermInfo>> terms;
        seg.reader->TermsWithPrefix(prefix, &terms, 10000000);
        for (const auto& [key, info] : terms) counts[key.substr(prefix.size())] += info.df;
      }
      std::vector<std::pair<uint64_t, std::string>> v;
      for (const auto& [name, n] : counts) v.emplace_back(n, name);
      std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
      ordered_json list = ordered_json::array();
      for (size_t i = 0; i < v.size() && i < a.limit; ++i) list.push_back({{"name", v[i].second}, {"articles", v[i].first}});
      out[facet] = list;
    }
  }
  if (a.json) {
    std::printf("%s\n", Dump(out).c_str());
  } else {
    for (const auto& [facet, list] : out.items()) {
      std::printf("%s:\n", facet.c_str());
      for (const auto& e : list) {
        std::printf("  %6llu  %s\n", static_cast<unsigned long long>(e["articles"].get<uint64_t>()),
                    e["name"].get<std::string>().c_str());
      }
    }
  }
  return Status::Ok();
}

struct StatsArgs {
  std::string index;
};

Status RunStats(const StatsArgs& a) {
  auto reader = index::IndexReader::Open(a.index);
  if (!reader.ok()) return reader.status();
  const auto& s = (*reader)->stats();
  ordered_json segs = ordered_json::array();
  for (const auto& seg : (*reader)->segments()) {
    segs.push_back({{"file", seg.reader->path().substr(seg.reader->path().rfind('/') + 1)},
                    {"documents", seg.reader->doc_count()},
                    {"live", seg.live_count},
                    {"bytes", seg.reader->file_bytes()}});
  }
  ordered_json j = {{"documents", s.documents}, {"max_docs", s.max_docs},   {"segments", s.segments},
                    {"bytes", s.bytes},         {"avg_length", s.avg_length}, {"generation", s.generation},
                    {"segment_list", segs}};
  std::printf("%s\n", j.dump(2).c_str());
  return Status::Ok();
}

}  // namespace

Runner RegisterIngest(CLI::App* app) {
  auto a = std::make_shared<IngestArgs>();
  app->add_option("INDEX", a->index, "Index directory (created if needed)")->required();
  app->add_option("INPUT", a->inputs, "JSONL files, text files, folders, .gz, or - for JSONL on stdin")->required();
  app->add_option("--encoding", a->encoding, "Input encoding: utf-8 (default), windows-1256, iso-8859-6, auto");
  app->add_option("--buffer-mb", a->buffer_mb, "Memory for in-flight segments, MB (default 256)");
  app->add_option("--threads", a->threads, "Workers, each an analysis thread and an inverter thread writing its own segments (default: one per core)");
  app->add_option("--max-doc-mb", a->max_doc_mb, "Largest document accepted, MB (default 16)");
  app->add_flag("--strict", a->strict, "Stop at the first bad record (what was read before is kept)");
  app->add_flag("--optimize", a->optimize, "Merge the index into one segment at the end");
  app->add_flag("--no-extract", a->no_extract,
                "Do not extract dates, money and entities (faster; mentions:, money:, person:, org:, place: find nothing)");
  app->add_flag("--quiet,-q", a->quiet, "No progress, no messages");
  app->add_flag("--json", a->json, "Print the report as JSON on stdout");
  app->add_flag("--bench", a->bench, "Print a BENCH index line (as ../shared/bench/peers do) on stderr");
  return [a] { return RunIngest(*a); };
}

Runner RegisterSearch(CLI::App* app) {
  auto a = std::make_shared<SearchArgs>();
  app->add_option("INDEX", a->index, "Index directory")->required();
  app->add_option("QUERY", a->query, "Query (see docs/query.md)");
  app->add_option("-k", a->k, "Number of results (default 10)");
  app->add_option("--offset", a->offset, "Skip this many results (paging)");
  app->add_flag("--json", a->json, "One JSON object: total, took_ms, hits, facets");
  app->add_option("--queries", a->queries_file, "Batch: a file of qid<TAB>query lines; TREC run lines out");
  app->add_flag("--trec", a->trec, "TREC run output (the default and only output of --queries)");
  app->add_option("--tag", a->tag, "Run tag of TREC lines (default rasid)");
  app->add_flag("--exact", a->exact, "Match exact forms instead of stems");
  app->add_flag("--and", a->and_mode, "Words without operators must all match");
  app->add_flag("--keep-stopwords", a->keep_stopwords, "Do not drop stop words from queries");
  app->add_option("--exact-boost", a->exact_boost, "Weight of a word's exact form beside its stem (ranking)");
  app->add_option("--k1", a->k1, "BM25 k1 (default 1.2)")->check(CLI::Range(0.0, 100.0));
  app->add_option("--b", a->b, "BM25 b (default 0.75)")->check(CLI::Range(0.0, 1.0));
  app->add_option("--proximity", a->proximity,
                  "Weight of the bonus for query words close together (default 0.5; 0: off)")
      ->check(CLI::Range(0.0, 100.0));
  app->add_option("--proximity-window", a->proximity_window, "Positions apart that count as close (default 4)")
      ->check(CLI::Range(1, 1000));
  app->add_option("--proximity-depth", a->proximity_depth, "How many of the best documents the proximity bonus and the exact forms re-score (default 20)")
      ->check(CLI::Range(0, 10000));
  app->add_option("--maxscore-min-terms", a->maxscore_min_terms,
                  "Top-k search: MaxScore a window of documents at a time from this many words on, block-max WAND below (default 1: always MaxScore)")
      ->check(CLI::Range(0, 1000000));
  app->add_flag("--plain", a->plain,
                "Read queries as plain words (no operators, quotes or fields), as the peer engines do");
  app->add_flag("--times", a->times, "Batch: print each query's time (last pass) on stderr as TIME qid ms");
  app->add_option("--warmup", a->warmup, "Batch: untimed passes over the queries first (default 0)");
  app->add_option("--repeat", a->repeat, "Batch: timed passes (default 1); the run comes from the last");
  return [a] { return RunSearch(*a); };
}

Runner RegisterGet(CLI::App* app) {
  auto a = std::make_shared<GetArgs>();
  app->add_option("INDEX", a->index, "Index directory")->required();
  app->add_option("ID", a->id, "Document id")->required();
  return [a] { return RunGet(*a); };
}

Runner RegisterEntities(CLI::App* app) {
  auto a = std::make_shared<EntitiesArgs>();
  app->add_option("INDEX", a->index, "Index directory")->required();
  app->add_option("--type", a->type, "PER, ORG, LOC or all (default)");
  app->add_option("--query,-q", a->query, "Only the articles matching this query");
  app->add_option("-n,--limit", a->limit, "How many per type (default 20)");
  app->add_flag("--json", a->json, "JSON output");
  return [a] { return RunEntities(*a); };
}

Runner RegisterStats(CLI::App* app) {
  auto a = std::make_shared<StatsArgs>();
  app->add_option("INDEX", a->index, "Index directory")->required();
  return [a] { return RunStats(*a); };
}

}  // namespace rasid::cli
