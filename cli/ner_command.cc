// rasid ner [--conll] [FILE...]   and   rasid train-ner
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "rasid/analysis/analyzer.h"
#include "rasid/base/file.h"
#include "rasid/engine/readers.h"
#include "rasid/ner/ner.h"
#include "rasid/ner/quotes.h"
#include "rasid/ner/train.h"
#include "rasid/text/decode.h"

namespace rasid::cli {

namespace {

using ordered_json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

std::string Dump(const ordered_json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

struct NerArgs {
  std::vector<std::string> files;
  bool conll = false;
  bool entities = false;
  bool quotes = false;
  bool stats = false;
  size_t doc_sentences = 20;
  std::string model;
  std::string names;
  std::string encoding = "utf-8";
  size_t max_bytes = size_t{256} << 20;
};

// Output buffered and flushed in large blocks.
class Out {
 public:
  ~Out() { Flush(); }
  std::string& buf() { return buf_; }
  void Line(const std::string& s) {
    buf_ += s;
    buf_.push_back('\n');
    if (buf_.size() > (1 << 16)) Flush();
  }
  void Flush() {
    std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
  }

 private:
  std::string buf_;
};

struct Timing {
  uint64_t tokens = 0, bytes = 0, docs = 0;
  double analyse = 0, tag = 0;
  void Print() const {
    double total = analyse + tag;
    std::fprintf(stderr,
                 "rasid ner: %llu documents, %llu tokens, %.1f MB; analysis %.3f s, tagging %.3f s; "
                 "%.0f tokens/s (tagging only %.0f tokens/s), %.2f MB/s\n",
                 static_cast<unsigned long long>(docs), static_cast<unsigned long long>(tokens), bytes / 1e6, analyse,
                 tag, total > 0 ? tokens / total : 0, tag > 0 ? tokens / tag : 0, total > 0 ? bytes / 1e6 / total : 0);
  }
};

// CoNLL input: first column is the token; blank lines end sentences;
// -DOCSTART- lines and every --doc-sentences sentences end documents (the
// second stage of the model looks at the whole document).
Status RunConll(const NerArgs& a, const std::vector<std::string>& files, analysis::Analyzer* analyzer,
                ner::Recognizer* rec, Timing* timing) {
  Out out;
  std::vector<std::vector<std::string>> doc(1);
  std::string text;
  std::vector<analysis::AnalyzedToken> units;
  std::vector<ner::Tag> tags;
  auto flush_doc = [&] {
    if (doc.back().empty()) doc.pop_back();
    if (!doc.empty()) {
      auto t0 = Clock::now();
      ner::AnalyzeSentences(analyzer, doc, &text, &units);
      auto t1 = Clock::now();
      rec->Tag(units, text, &tags);
      auto t2 = Clock::now();
      timing->analyse += std::chrono::duration<double>(t1 - t0).count();
      timing->tag += std::chrono::duration<double>(t2 - t1).count();
      timing->tokens += units.size();
      size_t k = 0;
      for (const auto& sentence : doc) {
        for (const std::string& w : sentence) {
          std::string& b = out.buf();
          b += w;
          b.push_back('\t');
          b += ner::TagName(tags[k++]);
          b.push_back('\n');
        }
        out.Line("");
      }
    }
    doc.assign(1, {});
  };
  auto end_sentence = [&] {
    if (doc.back().empty()) return;
    doc.emplace_back();
    if (a.doc_sentences > 0 && doc.size() > a.doc_sentences) flush_doc();
  };
  for (const std::string& file : files) {
    Result<std::string> bytes = ReadFile(file, a.max_bytes);
    if (!bytes.ok()) return bytes.status();
    timing->bytes += bytes->size();
    ++timing->docs;
    std::string_view data = *bytes;
    if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
    size_t pos = 0;
    while (pos < data.size()) {
      size_t nl = data.find('\n', pos);
      if (nl == std::string_view::npos) nl = data.size();
      std::string_view line = data.substr(pos, nl - pos);
      pos = nl + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) {
        end_sentence();
        continue;
      }
      if (line.rfind("-DOCSTART-", 0) == 0) {
        flush_doc();
        out.Line(std::string(line) + "\n");  // kept, with the blank line that follows it
        continue;
      }
      // token<TAB>... ; without a tab, "token TAG" (ANERcorp) or a lone token.
      size_t end = line.find('\t');
      if (end == std::string_view::npos) end = line.rfind(' ');
      doc.back().emplace_back(line.substr(0, end));
    }
    flush_doc();
  }
  return Status::Ok();
}

ordered_json MentionJson(const ner::Mention& m, std::string_view text, const std::vector<ner::Entity>& entities) {
  ordered_json j = {{"type", ner::EntityTypeName(m.type)},
                    {"start", m.start},
                    {"end", m.end},
                    {"text", text.substr(m.start, m.end - m.start)},
                    {"name", m.name}};
  if (m.entity >= 0) j["entity"] = entities[m.entity].name;
  return j;
}

Status ProcessText(const NerArgs& a, std::string_view doc_id, const std::string& text, analysis::Analyzer* analyzer,
                   ner::Recognizer* rec, Timing* timing, Out* out) {
  std::vector<analysis::AnalyzedToken> tokens;
  auto t0 = Clock::now();
  analyzer->Analyze(text, &tokens);
  auto t1 = Clock::now();
  std::vector<ner::Mention> mentions = rec->Recognize(tokens, text);
  std::vector<ner::Entity> entities = ner::GroupMentions(&mentions);
  auto t2 = Clock::now();
  timing->analyse += std::chrono::duration<double>(t1 - t0).count();
  timing->tag += std::chrono::duration<double>(t2 - t1).count();
  timing->tokens += tokens.size();
  timing->bytes += text.size();
  ++timing->docs;
  if (a.quotes) {
    for (const ner::Quote& q : ner::FindQuotes(tokens, text, mentions, entities)) {
      ordered_json j = {{"doc", doc_id}, {"text", q.text}, {"start", q.start}, {"end", q.end}};
      j["speaker"] = q.speaker.empty() ? ordered_json(nullptr) : ordered_json(q.speaker);
      if (q.speaker_end > q.speaker_start) j["speaker_span"] = {q.speaker_start, q.speaker_end};
      if (q.entity >= 0) j["entity"] = entities[q.entity].name;
      j["cue"] = q.cue;
      out->Line(Dump(j));
    }
    return Status::Ok();
  }
  if (a.entities) {
    for (const ner::Entity& e : entities) {
      ordered_json spans = ordered_json::array();
      for (uint32_t m : e.mentions) spans.push_back({mentions[m].start, mentions[m].end});
      out->Line(Dump({{"doc", doc_id},
                      {"type", ner::EntityTypeName(e.type)},
                      {"name", e.name},
                      {"count", e.mentions.size()},
                      {"mentions", spans}}));
    }
    return Status::Ok();
  }
  for (const ner::Mention& m : mentions) {
    ordered_json j = {{"doc", doc_id}};
    j.update(MentionJson(m, text, entities));
    out->Line(Dump(j));
  }
  return Status::Ok();
}

bool IsDocumentInput(const std::string& path) {
  auto ends = [&](std::string_view suf) {
    return path.size() >= suf.size() && path.compare(path.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (ends(".jsonl") || ends(".json") || ends(".ndjson") || ends(".gz")) return true;
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

Status RunPlain(const NerArgs& a, const std::vector<std::string>& files, analysis::Analyzer* analyzer,
                ner::Recognizer* rec, Timing* timing) {
  Result<text::Encoding> enc = text::ParseEncoding(a.encoding);
  if (!enc.ok()) return enc.status();
  Out out;
  for (const std::string& file : files) {
    if (IsDocumentInput(file)) {
      engine::ReaderOptions ro;
      ro.encoding = *enc;
      auto reader = engine::DocumentReader::Open({file}, ro);
      if (!reader.ok()) return reader.status();
      index::Document doc;
      auto on_error = [](const engine::InputError& e) {
        std::fprintf(stderr, "rasid ner: skipped: %s\n", e.status.message().c_str());
        return true;
      };
      while ((*reader)->Next(&doc, on_error)) {
        RASID_RETURN_IF_ERROR(ProcessText(a, doc.id, doc.text, analyzer, rec, timing, &out));
      }
      RASID_RETURN_IF_ERROR((*reader)->status());
      continue;
    }
    std::string name = file == "-" ? "<stdin>" : file;
    Result<std::string> bytes = ReadFile(file, a.max_bytes);
    if (!bytes.ok()) return bytes.status();
    text::DecodeOptions dopts;
    dopts.encoding = *enc;
    dopts.max_bytes = a.max_bytes;
    text::DecodeReport report;
    Result<std::string> decoded = text::Decode(*bytes, name, dopts, &report);
    if (!decoded.ok()) return decoded.status();
    RASID_RETURN_IF_ERROR(ProcessText(a, name, *decoded, analyzer, rec, timing, &out));
  }
  return Status::Ok();
}

Status RunNer(const NerArgs& a) {
  auto t0 = Clock::now();
  Result<std::shared_ptr<const ner::Model>> model = ner::LoadModel(a.model, a.names);
  if (!model.ok()) return model.status();
  double load = std::chrono::duration<double>(Clock::now() - t0).count();
  Result<std::unique_ptr<analysis::Analyzer>> analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions());
  if (!analyzer.ok()) return analyzer.status();
  ner::Recognizer rec(*model);
  std::vector<std::string> files = a.files;
  if (files.empty()) files.push_back("-");
  Timing timing;
  Status st = a.conll ? RunConll(a, files, analyzer->get(), &rec, &timing)
                      : RunPlain(a, files, analyzer->get(), &rec, &timing);
  std::fflush(stdout);
  if (a.stats) {
    std::fprintf(stderr,
                 "rasid ner: model loaded in %.3f s (%zu features, %zu cluster words, %zu gazetteer phrases, %zu listed "
                 "names)\n",
                 load, (*model)->num_features(), (*model)->num_cluster_words(), (*model)->num_gazetteer_entries(),
                 (*model)->num_listed_names());
    timing.Print();
  }
  RASID_RETURN_IF_ERROR(st);
  if (std::ferror(stdout)) return Status::IOError("cannot write to standard output");
  return Status::Ok();
}

// ---------------------------------------------------------------- train-ner

struct TrainArgs {
  ner::TrainOptions options;
  std::string out;
  std::string gazetteer;
  std::string clusters;
  std::string save_clusters;
  std::vector<std::string> unlabelled;
  ner::ClusterOptions cluster;
  bool no_newsfane = false;
  bool no_wikifane = false;
};

Status RunTrain(TrainArgs a) {
  auto log = [](std::string_view s) { std::fprintf(stderr, "rasid train-ner: %.*s\n", static_cast<int>(s.size()), s.data()); };
  a.options.newsfane = !a.no_newsfane;
  a.options.wikifane = !a.no_wikifane;
  Result<std::unique_ptr<analysis::Analyzer>> analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions());
  if (!analyzer.ok()) return analyzer.status();
  std::string data_dir = analysis::DataDir();
  if (a.gazetteer.empty()) a.gazetteer = data_dir + "/ner/gazetteer.tsv";
  if (a.out.empty()) a.out = ner::Model::DefaultPath();
  Result<std::vector<ner::GazetteerName>> gaz = ner::ReadGazetteer(a.gazetteer);
  if (!gaz.ok()) return gaz.status();

  std::vector<ner::WordCluster> clusters;
  if (!a.clusters.empty()) {
    Result<std::vector<ner::WordCluster>> r = ner::ReadClusters(a.clusters);
    if (!r.ok()) return r.status();
    clusters = std::move(r.value());
    log("clusters read from " + a.clusters);
  } else {
    if (a.unlabelled.empty()) {
      a.unlabelled = {a.options.data_dir + "/ant-corpus-v2.1-multisource/ant_v2.1_train.jsonl",
                      a.options.data_dir + "/ant-corpus-v1.1-jawharafm/ant_v1.1_train.jsonl"};
    }
    auto reader = engine::DocumentReader::Open(a.unlabelled, engine::ReaderOptions());
    if (!reader.ok()) return reader.status();
    index::Document doc;
    auto next = [&](std::string* text) {
      bool more = (*reader)->Next(&doc, [](const engine::InputError&) { return true; });
      if (more) *text = doc.title + "\n" + doc.text;
      return more;
    };
    clusters = ner::LearnClusters(analyzer->get(), next, a.cluster, log);
    RASID_RETURN_IF_ERROR((*reader)->status());
    if (!a.save_clusters.empty()) RASID_RETURN_IF_ERROR(ner::WriteClusters(a.save_clusters, clusters));
  }
  ner::TrainReport report;
  Result<std::shared_ptr<const ner::Model>> model =
      ner::Train(a.options, clusters, *gaz, analyzer->get(), &report, log);
  if (!model.ok()) return model.status();
  std::string bytes = (*model)->Encode();
  std::string tmp = a.out + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Status::IOError(tmp + ": cannot open for writing");
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok &= std::fclose(f) == 0;
  if (!ok || std::rename(tmp.c_str(), a.out.c_str()) != 0) return Status::IOError(a.out + ": write failed");
  std::fprintf(stderr, "rasid train-ner: wrote %s (%zu bytes, %zu features) in %.1f s\nDevelopment set (%zu words):\n%s",
               a.out.c_str(), bytes.size(), report.features, report.seconds, report.dev_words,
               report.dev.ToString().c_str());
  return Status::Ok();
}

}  // namespace

Runner RegisterNer(CLI::App* app) {
  auto a = std::make_shared<NerArgs>();
  app->add_option("FILE", a->files,
                  "Inputs: text files, JSONL articles (.jsonl, .gz), or '-' / none for standard input (text)");
  app->add_flag("--conll", a->conll,
                "Input is one token per line (extra columns ignored, blank line between sentences); "
                "output token<TAB>BIO tag");
  app->add_option("--doc-sentences", a->doc_sentences,
                  "With --conll: a document ends after this many sentences (and at -DOCSTART-); 0: at the end "
                  "of the input")
      ->capture_default_str();
  app->add_flag("--entities", a->entities, "One JSON line per entity of each document (canonical name, mentions)");
  app->add_flag("--quotes", a->quotes, "One JSON line per quotation: text, span, speaker, entity, cue");
  app->add_flag("--stats", a->stats, "Print model load time and tokens per second to standard error");
  app->add_option("--model", a->model, "Model file (default: data/ner/model.bin)");
  app->add_option("--names", a->names,
                  "Names always tagged, TYPE<TAB>name (default: data/ner/names.tsv; 'none': no list)");
  app->add_option("--encoding", a->encoding, "Input encoding of text files: utf-8 (default), windows-1256, auto ...");
  app->add_option("--max-bytes", a->max_bytes, "Largest input accepted, in bytes (default 256 MiB)");
  app->footer(
      "Without --conll each mention is a JSON line: doc, type (PER ORG LOC MISC), start, end (byte offsets\n"
      "into the text), text, name (without leading clitics), entity (canonical name in the document).\n"
      "Exit codes: 0 ok, 2 bad input, 3 file not found, 4 damaged model, 5 I/O error.");
  return [a] { return RunNer(*a); };
}

Runner RegisterTrainNer(CLI::App* app) {
  auto a = std::make_shared<TrainArgs>();
  app->add_option("--data", a->options.data_dir, "Folder with anercorp/, fane-gold-2014/ and the ANT corpora")
      ->capture_default_str();
  app->add_option("--out", a->out, "Model file to write (default: data/ner/model.bin)");
  app->add_option("--gazetteer", a->gazetteer, "Name list TYPE<TAB>name (default: data/ner/gazetteer.tsv)");
  app->add_option("--clusters", a->clusters, "Read word clusters from this TSV instead of learning them");
  app->add_option("--save-clusters", a->save_clusters, "Write the learnt word clusters to this TSV");
  app->add_option("--unlabelled", a->unlabelled, "JSONL news for the clusters (default: the ANT corpora in --data)");
  app->add_option("--cluster-words", a->cluster.max_words, "Words to cluster (the most frequent)")
      ->capture_default_str();
  app->add_option("--cluster-min-count", a->cluster.min_count, "Cluster only words seen this often")
      ->capture_default_str();
  app->add_option("--cluster-dims", a->cluster.dims, "SVD dimensions for the clusters")->capture_default_str();
  app->add_option("--cluster-branching", a->cluster.branching, "k-means branching at the three levels")
      ->capture_default_str();
  app->add_option("--epochs", a->options.epochs, "Perceptron epochs")->capture_default_str();
  app->add_option("--anercorp-repeats", a->options.anercorp_repeats, "ANERcorp sentences per epoch (FANE: 1)")
      ->capture_default_str();
  app->add_option("--doc-sentences", a->options.doc_sentences,
                  "Pseudo-documents of this many sentences stand for articles in training and the dev set")
      ->capture_default_str();
  app->add_option("--stages", a->options.stages, "1: sentence model; 2: plus the document-level stage")
      ->capture_default_str();
  app->add_option("--dev-words", a->options.dev_first_word,
                  "ANERcorp from this word on (at a sentence start) is the development set")
      ->capture_default_str();
  app->add_option("--min-feature-count", a->options.min_feature_count, "Drop rarer features")->capture_default_str();
  app->add_option("--gazetteer-min-count", a->options.gazetteer_min_count,
                  "Training names seen this often become gazetteer entries (0: none)")
      ->capture_default_str();
  app->add_option("--seed", a->options.seed, "Seed of the sentence orders and the networks' initial weights")
      ->capture_default_str();
  app->add_option("--net-hidden", a->options.net_hidden, "Units per direction of the sentence network (0: none)")
      ->capture_default_str();
  app->add_option("--net-epochs", a->options.net_epochs, "Epochs of the sentence network")->capture_default_str();
  app->add_option("--augment", a->options.augment, "Copies of ANERcorp's sentences with their names replaced")
      ->capture_default_str();
  app->add_option("--dev-out", a->options.dev_out, "Write the development set (token<TAB>gold tag) here");
  app->add_flag("--no-newsfane", a->no_newsfane, "Do not train on NewsFANE");
  app->add_flag("--no-wikifane", a->no_wikifane, "Do not train on WikiFANE");
  app->footer("Deterministic: the same data and options give the same model file. See docs/ner.md.");
  return [a] { return RunTrain(*a); };
}

}  // namespace rasid::cli
