// rasid extract [--json] [--date D] [--lines] [--country XX] [--encoding E]
//               [--no-entities] [--no-quotes] [--model M] [FILE...]
//
// One result per document: a whole file, or with --lines each input line
// (a JSON object with "text" and optional "date", "id", "country" when the
// line starts with '{'): numbers and dates (rasid_extract), entities grouped
// under canonical names and quotations with speakers (rasid_ner).
// Schema: docs/extract.md.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "rasid/analysis/analyzer.h"
#include "rasid/base/file.h"
#include "rasid/extract/calendar.h"
#include "rasid/extract/extractor.h"
#include "rasid/ner/ner.h"
#include "rasid/ner/quotes.h"
#include "rasid/text/decode.h"
#include "rasid/text/utf8.h"

namespace rasid::cli {

namespace {

using Json = nlohmann::ordered_json;

struct ExtractArgs {
  std::vector<std::string> files;
  bool json = false;
  bool lines = false;
  std::string date;
  std::string country;
  std::string encoding = "utf-8";
  size_t max_bytes = size_t{256} << 20;
  bool no_entities = false;
  bool no_quotes = false;
  std::string model;  // NER model file; empty: data/ner/model.bin
  std::string names;  // name list; empty: data/ner/names.tsv, "none": no list
};

// What rasid_ner found in one document.
struct NerResult {
  std::vector<ner::Mention> mentions;
  std::vector<ner::Entity> entities;
  std::vector<ner::Quote> quotes;
};

// Runs the NER model and the quotation finder on whole documents. The model
// is loaded on the first document (not at all with --no-entities --no-quotes).
class NerStage {
 public:
  explicit NerStage(const ExtractArgs& args) : args_(args) {}
  bool enabled() const { return !args_.no_entities || !args_.no_quotes; }

  Status Init() {
    if (!enabled()) return Status::Ok();
    Result<std::shared_ptr<const ner::Model>> model = ner::LoadModel(args_.model, args_.names);
    if (!model.ok()) return model.status();
    Result<std::unique_ptr<analysis::Analyzer>> analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions());
    if (!analyzer.ok()) return analyzer.status();
    analyzer_ = std::move(analyzer.value());
    recognizer_ = std::make_unique<ner::Recognizer>(*model);
    return Status::Ok();
  }

  void Run(std::string_view text, NerResult* out) {
    out->mentions.clear();
    out->entities.clear();
    out->quotes.clear();
    if (!enabled()) return;
    analyzer_->Analyze(text, &tokens_);
    out->mentions = recognizer_->Recognize(tokens_, text);
    out->entities = ner::GroupMentions(&out->mentions);
    if (!args_.no_quotes) out->quotes = ner::FindQuotes(tokens_, text, out->mentions, out->entities);
  }

 private:
  const ExtractArgs& args_;
  std::unique_ptr<analysis::Analyzer> analyzer_;
  std::unique_ptr<ner::Recognizer> recognizer_;
  std::vector<analysis::AnalyzedToken> tokens_;
};

Json Number(double v) {
  if (std::fabs(v) < 9e15 && std::fabs(v - std::round(v)) < 1e-9) return Json(static_cast<int64_t>(std::llround(v)));
  return Json(std::round(v * 1e9) / 1e9);
}

Json ToJson(const extract::NumberMention& n, std::string_view text) {
  Json j = {{"type", extract::NumberTypeName(n.type)},
            {"text", text.substr(n.start, n.end - n.start)},
            {"start", n.start},
            {"end", n.end},
            {"value", Number(n.value)}};
  if (!n.unit.empty()) j["unit"] = n.unit;
  if (n.approx) j["approx"] = true;
  if (n.min) j["min"] = Number(*n.min);
  if (n.max) j["max"] = Number(*n.max);
  if (n.ambiguous) {
    j["ambiguous"] = true;
    j["candidates"] = n.candidates;
  }
  return j;
}

Json ToJson(const extract::DateMention& d, std::string_view text) {
  Json j = {{"type", extract::DateTypeName(d.type)},
            {"text", text.substr(d.start, d.end - d.start)},
            {"start", d.start},
            {"end", d.end},
            {"value", d.value.empty() ? Json(nullptr) : Json(d.value)},
            {"grain", extract::GrainName(d.grain)},
            {"calendar", d.calendar}};
  if (!d.hijri.empty()) j["hijri"] = d.hijri;
  if (d.relative) j["relative"] = d.relative_to;
  if (!d.part_of_day.empty()) j["part_of_day"] = d.part_of_day;
  if (!d.timezone.empty()) j["timezone"] = d.timezone;
  if (!d.mod.empty()) j["mod"] = d.mod;
  return j;
}

// An entity with its mentions in text order.
Json ToJson(const ner::Entity& e, const NerResult& r, std::string_view text) {
  Json mentions = Json::array();
  for (uint32_t m : e.mentions) {
    const ner::Mention& x = r.mentions[m];
    mentions.push_back({{"text", text.substr(x.start, x.end - x.start)}, {"span", {x.start, x.end}}});
  }
  return {{"type", ner::EntityTypeName(e.type)}, {"name", e.name}, {"mentions", std::move(mentions)}};
}

Json ToJson(const ner::Quote& q, const NerResult& r) {
  Json j = {{"text", q.text}, {"span", {q.start, q.end}}};
  if (q.speaker.empty()) {
    j["speaker"] = nullptr;
    j["speaker_span"] = nullptr;
  } else {
    j["speaker"] = q.speaker;
    j["speaker_span"] = {q.speaker_start, q.speaker_end};
  }
  j["entity"] = q.entity >= 0 ? Json(r.entities[q.entity].name) : Json(nullptr);
  j["cue"] = q.cue;
  return j;
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// Tabs and line breaks inside a field of the text form become spaces.
std::string Field(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

// The text form: one line per mention.
void PrintText(const extract::Extraction& x, const NerResult& r, const ExtractArgs& args, std::string_view text,
               const Json& header, std::string* out) {
  *out += "# " + Dump(header) + "\n";
  for (const auto& n : x.numbers) {
    Json j = ToJson(n, text);
    *out += std::string(extract::NumberTypeName(n.type)) + "\t" + std::to_string(n.start) + "\t" +
            std::to_string(n.end) + "\t" + j["text"].get<std::string>() + "\t" + Dump(j["value"]);
    if (!n.unit.empty()) *out += "\t" + n.unit;
    *out += "\n";
  }
  for (const auto& d : x.dates) {
    *out += std::string(extract::DateTypeName(d.type)) + "\t" + std::to_string(d.start) + "\t" +
            std::to_string(d.end) + "\t" + std::string(text.substr(d.start, d.end - d.start)) + "\t" +
            (d.value.empty() ? "-" : d.value) + "\t" + extract::GrainName(d.grain) + "\n";
  }
  if (!args.no_entities) {
    // type, start, end, text, canonical name of the entity
    for (const ner::Mention& m : r.mentions) {
      *out += std::string(ner::EntityTypeName(m.type)) + "\t" + std::to_string(m.start) + "\t" +
              std::to_string(m.end) + "\t" + Field(text.substr(m.start, m.end - m.start)) + "\t" +
              (m.entity >= 0 ? r.entities[m.entity].name : m.name) + "\n";
    }
  }
  // quote, start, end, text, speaker (or -), speaker's entity (when resolved)
  for (const ner::Quote& q : r.quotes) {
    *out += "quote\t" + std::to_string(q.start) + "\t" + std::to_string(q.end) + "\t" + Field(q.text) + "\t" +
            (q.speaker.empty() ? std::string("-") : Field(q.speaker));
    if (q.entity >= 0) *out += "\t" + r.entities[q.entity].name;
    *out += "\n";
  }
}

class ExtractRunner {
 public:
  ExtractRunner(const ExtractArgs& args, extract::Extractor* ex) : args_(args), ex_(ex), ner_(args_) {}

  Status Init() {
    RASID_RETURN_IF_ERROR(ner_.Init());
    if (!args_.date.empty()) {
      Result<int32_t> d = extract::ParseReferenceDate(args_.date);
      if (!d.ok()) return d.status().WithPrefix("--date");
      default_day_ = *d;
    }
    if (!args_.country.empty() &&
        (args_.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(args_.country[0])) ||
         !std::isalpha(static_cast<unsigned char>(args_.country[1]))))
      return Status::InvalidArgument("--country takes an ISO 3166 alpha-2 code such as EG, not '" + args_.country + "'");
    for (char& c : args_.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return Status::Ok();
  }

  // One document; `header` gets "numbers", "dates", "entities", "quotes".
  void Document(std::string_view text, std::optional<int32_t> day, const std::string& country, Json header) {
    extract::ExtractOptions opts;
    opts.reference_day = day;
    opts.country = country;
    ex_->Extract(text, opts, &result_);
    ner_.Run(text, &ner_result_);
    if (args_.json) {
      Json numbers = Json::array(), dates = Json::array();
      for (const auto& n : result_.numbers) numbers.push_back(ToJson(n, text));
      for (const auto& d : result_.dates) dates.push_back(ToJson(d, text));
      header["numbers"] = std::move(numbers);
      header["dates"] = std::move(dates);
      if (!args_.no_entities) {
        Json entities = Json::array();
        for (const auto& e : ner_result_.entities) entities.push_back(ToJson(e, ner_result_, text));
        header["entities"] = std::move(entities);
      }
      if (!args_.no_quotes) {
        Json quotes = Json::array();
        for (const auto& q : ner_result_.quotes) quotes.push_back(ToJson(q, ner_result_));
        header["quotes"] = std::move(quotes);
      }
      out_ += Dump(header);
      out_ += '\n';
    } else {
      PrintText(result_, ner_result_, args_, text, header, &out_);
    }
    Flush(false);
  }

  // A line of --lines input (number is 1-based).
  Status Line(std::string_view line, const std::string& name, size_t number) {
    Json header = {{"doc", name}, {"line", number}};
    if (!line.empty() && line.front() == '{') {
      Json obj;
      try {
        obj = Json::parse(line);
      } catch (const std::exception& e) {
        return Status::InvalidArgument(name + ":" + std::to_string(number) + ": bad JSON: " + e.what());
      }
      if (!obj.is_object() || !obj.contains("text") || !obj["text"].is_string())
        return Status::InvalidArgument(name + ":" + std::to_string(number) + ": a JSON line needs a \"text\" string");
      std::optional<int32_t> day = default_day_;
      for (const char* field : {"date", "date_ymd"}) {
        if (obj.contains(field) && obj[field].is_string()) {
          Result<int32_t> d = extract::ParseReferenceDate(obj[field].get<std::string>());
          if (d.ok()) {
            day = *d;
            break;
          }
        }
      }
      std::string country = args_.country;
      if (obj.contains("country") && obj["country"].is_string()) country = obj["country"].get<std::string>();
      if (obj.contains("id")) header["id"] = obj["id"];
      if (day) header["date"] = extract::FormatDays(*day);
      std::string text = obj["text"].get<std::string>();
      Document(text, day, country, std::move(header));
      return Status::Ok();
    }
    if (default_day_) header["date"] = extract::FormatDays(*default_day_);
    Document(line, default_day_, args_.country, std::move(header));
    return Status::Ok();
  }

  Status File(const std::string& file) {
    std::string name = file == "-" ? "<stdin>" : file;
    Result<std::string> bytes = ReadFile(file, args_.max_bytes);
    if (!bytes.ok()) return bytes.status();
    Result<text::Encoding> enc = text::ParseEncoding(args_.encoding);
    if (!enc.ok()) return enc.status();
    text::DecodeOptions dopts;
    dopts.encoding = *enc;
    dopts.max_bytes = args_.max_bytes;
    text::DecodeReport report;
    Result<std::string> decoded = text::Decode(*bytes, name, dopts, &report);
    if (!decoded.ok()) return decoded.status();
    const std::string& text = *decoded;
    if (!args_.lines) {
      Json header = {{"doc", name}};
      if (default_day_) header["date"] = extract::FormatDays(*default_day_);
      Document(text, default_day_, args_.country, std::move(header));
      return Status::Ok();
    }
    size_t pos = 0, number = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      ++number;
      std::string_view line(text.data() + pos, nl - pos);
      pos = nl + 1;
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      Status st = Line(line, name, number);
      if (!st.ok()) {
        std::fprintf(stderr, "rasid extract: %s\n", st.message().c_str());
        if (first_error_.ok()) first_error_ = st;
        ++bad_lines_;
      }
    }
    return Status::Ok();
  }

  Status Finish() {
    Flush(true);
    if (std::fflush(stdout) != 0) return Status::IOError("cannot write to standard output");
    if (!first_error_.ok()) return first_error_.WithMessage(std::to_string(bad_lines_) + " input lines were skipped");
    return Status::Ok();
  }

 private:
  void Flush(bool force) {
    if (force || out_.size() > (1 << 16)) {
      std::fwrite(out_.data(), 1, out_.size(), stdout);
      out_.clear();
    }
  }

  ExtractArgs args_;
  extract::Extractor* ex_;
  std::optional<int32_t> default_day_;
  extract::Extraction result_;
  NerStage ner_;
  NerResult ner_result_;
  std::string out_;
  Status first_error_;
  size_t bad_lines_ = 0;
};

Status RunExtract(const ExtractArgs& args) {
  Result<std::unique_ptr<extract::Extractor>> ex = extract::Extractor::Create();
  if (!ex.ok()) return ex.status();
  ExtractRunner runner(args, ex->get());
  RASID_RETURN_IF_ERROR(runner.Init());
  std::vector<std::string> files = args.files;
  if (files.empty()) files.push_back("-");
  Status first_error;
  size_t failed = 0;
  for (const std::string& file : files) {
    Status st = runner.File(file);
    if (!st.ok()) {
      std::fprintf(stderr, "rasid extract: %s\n", st.message().c_str());
      if (first_error.ok()) first_error = st;
      ++failed;
    }
  }
  Status st = runner.Finish();
  if (!first_error.ok()) {
    return first_error.WithMessage(std::to_string(failed) + " of " + std::to_string(files.size()) +
                                   " inputs could not be read");
  }
  return st;
}

}  // namespace

Runner RegisterExtract(CLI::App* app) {
  auto args = std::make_shared<ExtractArgs>();
  app->add_option("FILE", args->files, "Input files (UTF-8 text; '-' or none: standard input)");
  app->add_flag("--json", args->json,
                "One JSON object per document with the arrays numbers, dates, entities and quotes");
  app->add_option("--date", args->date,
                  "Reference date of the documents (YYYY-MM-DD or an ISO-8601 date-time), for relative "
                  "and yearless dates");
  app->add_flag("--lines", args->lines,
                "Each input line is a document; a line starting with '{' is a JSON object with \"text\" "
                "and optional \"date\", \"id\", \"country\"");
  app->add_option("--country", args->country,
                  "ISO 3166 alpha-2 country that resolves bare currency names (EG: جنيه = EGP)");
  app->add_option("--encoding", args->encoding,
                  "Input encoding: utf-8 (default), windows-1256, iso-8859-6, utf-16, auto");
  app->add_option("--max-bytes", args->max_bytes, "Largest input accepted, in bytes (default 256 MiB)");
  app->add_flag("--no-entities", args->no_entities,
                "Do not report people, organisations and places (PER ORG LOC MISC)");
  app->add_flag("--no-quotes", args->no_quotes, "Do not report quotations and their speakers");
  app->add_option("--model", args->model, "NER model file (default: data/ner/model.bin), as for rasid ner");
  app->add_option("--names", args->names, "Names always tagged (default: data/ner/names.tsv; 'none'), as for rasid ner");
  app->footer(
      "start/end and span are byte offsets into the document text (the decoded file, the line, or the\n"
      "JSON \"text\" string). Entities are grouped per document under a canonical name (the fullest\n"
      "mention, clitics stripped: لترامب and ترامب join دونالد ترامب). The NER model is not loaded with\n"
      "both --no-entities and --no-quotes. Schema: docs/extract.md.\n"
      "Exit codes: 0 ok, 2 bad input, 3 file not found, 4 damaged model.");
  return [args] { return RunExtract(*args); };
}

}  // namespace rasid::cli
