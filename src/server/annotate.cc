#include "annotate.h"

#include <cmath>
#include <string>

#include "rasid/analysis/analyzer.h"
#include "rasid/extract/extractor.h"
#include "rasid/index/segment.h"
#include "rasid/ner/ner.h"
#include "rasid/ner/quotes.h"

namespace rasid::server {

namespace {

using json = nlohmann::ordered_json;

json Number(double v) {
  if (std::fabs(v) < 9e15 && std::fabs(v - std::round(v)) < 1e-9) return json(static_cast<int64_t>(std::llround(v)));
  return json(std::round(v * 1e9) / 1e9);
}

const char* EntityTypeOf(ner::EntityType t) {
  switch (t) {
    case ner::EntityType::kPer:
      return "person";
    case ner::EntityType::kOrg:
      return "organization";
    case ner::EntityType::kLoc:
      return "place";
    default:
      return "misc";
  }
}

std::string_view Span(std::string_view text, uint32_t start, uint32_t end) {
  if (start > end || end > text.size()) return {};
  return text.substr(start, end - start);
}

}  // namespace

struct Annotator::Impl {
  std::unique_ptr<analysis::Analyzer> analyzer;  // default options, as the recogniser wants
  std::unique_ptr<ner::Recognizer> recognizer;
  std::unique_ptr<extract::Extractor> extractor;
  std::vector<analysis::AnalyzedToken> tokens;
  extract::Extraction facts;
};

Annotator::Annotator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Annotator::~Annotator() = default;

Result<std::unique_ptr<Annotator>> Annotator::Create() {
  auto impl = std::make_unique<Impl>();
  auto analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions());
  if (!analyzer.ok()) return analyzer.status();
  impl->analyzer = std::move(analyzer).value();
  auto model = ner::Model::Default();
  if (!model.ok()) return model.status();
  impl->recognizer = std::make_unique<ner::Recognizer>(*model);
  auto extractor = extract::Extractor::Create();
  if (!extractor.ok()) return extractor.status();
  impl->extractor = std::move(extractor).value();
  return std::unique_ptr<Annotator>(new Annotator(std::move(impl)));
}

json Annotator::Annotate(std::string_view text, std::string_view date) {
  Impl& m = *impl_;
  json out = {{"entities", json::array()}, {"numbers", json::array()}, {"dates", json::array()},
              {"quotes", json::array()}};
  // Entities: each mention, the name without a glued و ف ب ك ل.
  m.analyzer->Analyze(text, &m.tokens);
  std::vector<ner::Mention> mentions = m.recognizer->Recognize(m.tokens, text);
  std::vector<ner::Entity> entities = ner::GroupMentions(&mentions);
  for (const ner::Mention& x : mentions) {
    uint32_t start = x.name_start >= x.start && x.name_start < x.end ? x.name_start : x.start;
    json j = {{"type", EntityTypeOf(x.type)},
              {"start", start},
              {"end", x.end},
              {"text", Span(text, start, x.end)},
              {"name", x.entity >= 0 ? entities[x.entity].name : x.name}};
    out["entities"].push_back(std::move(j));
  }
  for (const ner::Quote& q : ner::FindQuotes(m.tokens, text, mentions, entities)) {
    json j = {{"start", q.start}, {"end", q.end}, {"text", q.text}};
    j["speaker"] = q.speaker.empty() ? json(nullptr) : json(q.speaker);
    if (q.speaker_end > q.speaker_start) j["speaker_span"] = {q.speaker_start, q.speaker_end};
    out["quotes"].push_back(std::move(j));
  }
  // Numbers and dates, relative ones resolved against the article's date.
  extract::ExtractOptions xo;
  int32_t day = index::ParseDateDays(date);
  if (day != index::kNoDate) xo.reference_day = day;
  m.extractor->Extract(text, xo, &m.facts);
  for (const auto& n : m.facts.numbers) {
    json j = {{"type", extract::NumberTypeName(n.type)},
              {"start", n.start},
              {"end", n.end},
              {"text", Span(text, n.start, n.end)},
              {"value", Number(n.value)}};
    if (!n.unit.empty()) j["unit"] = n.unit;
    if (n.approx) j["approx"] = true;
    if (n.min) j["min"] = Number(*n.min);
    if (n.max) j["max"] = Number(*n.max);
    out["numbers"].push_back(std::move(j));
  }
  for (const auto& d : m.facts.dates) {
    json j = {{"type", extract::DateTypeName(d.type)},
              {"start", d.start},
              {"end", d.end},
              {"text", Span(text, d.start, d.end)},
              {"value", d.value.empty() ? json(nullptr) : json(d.value)},
              {"grain", extract::GrainName(d.grain)},
              {"calendar", d.calendar}};
    if (!d.hijri.empty()) j["hijri"] = d.hijri;
    if (d.relative) j["relative"] = d.relative_to;
    out["dates"].push_back(std::move(j));
  }
  return out;
}

Result<std::unique_ptr<Annotator>> AnnotatorPool::Acquire() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!free_.empty()) {
      auto a = std::move(free_.back());
      free_.pop_back();
      return a;
    }
  }
  return Annotator::Create();
}

void AnnotatorPool::Release(std::unique_ptr<Annotator> a) {
  std::lock_guard<std::mutex> l(mu_);
  if (free_.size() < 64) free_.push_back(std::move(a));
}

}  // namespace rasid::server
