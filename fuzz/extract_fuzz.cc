// libFuzzer target: any bytes through decoding, the analysis chain, numbers and
// dates, the NER model (with data/ner/names.tsv), mention grouping and
// quotations, checking their span invariants. Run by scripts/test.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "rasid/analysis/analyzer.h"
#include "rasid/base/civil_date.h"
#include "rasid/extract/extractor.h"
#include "rasid/ner/ner.h"
#include "rasid/ner/quotes.h"
#include "rasid/text/decode.h"
#include "rasid/text/utf8.h"

namespace {

struct State {
  std::unique_ptr<rasid::analysis::Analyzer> analyzer;
  std::unique_ptr<rasid::extract::Extractor> extractor;
  std::unique_ptr<rasid::ner::Recognizer> recognizer;
};

State* MakeState() {
  auto* s = new State();
  auto a = rasid::analysis::Analyzer::Create(rasid::analysis::AnalyzerOptions());
  auto e = rasid::extract::Extractor::Create();
  auto m = rasid::ner::Model::Default();
  if (!a.ok() || !e.ok() || !m.ok()) std::abort();
  s->analyzer = std::move(a).value();
  s->extractor = std::move(e).value();
  s->recognizer = std::make_unique<rasid::ner::Recognizer>(m.value());
  return s;
}

// A span inside the text that starts and ends on UTF-8 boundaries.
void CheckSpan(std::string_view text, uint32_t start, uint32_t end) {
  if (start > end || end > text.size()) std::abort();
  if (rasid::text::FindInvalidUtf8(text.substr(start, end - start))) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static State* state = MakeState();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rasid::text::DecodeOptions opts;
  opts.encoding =
      size > 0 && data[0] % 3 == 0 ? rasid::text::Encoding::kWindows1256 : rasid::text::Encoding::kAuto;
  auto decoded = rasid::text::Decode(bytes, "fuzz", opts, nullptr);
  if (!decoded.ok()) return 0;
  std::string_view text = *decoded;

  rasid::extract::Extraction facts;
  rasid::extract::ExtractOptions eo;
  eo.reference_day = rasid::DaysFromCivil(2019, 5, 20);
  state->extractor->Extract(text, eo, &facts);
  for (const auto& n : facts.numbers) CheckSpan(text, n.start, n.end);
  for (const auto& d : facts.dates) CheckSpan(text, d.start, d.end);

  std::vector<rasid::analysis::AnalyzedToken> tokens;
  state->analyzer->Analyze(text, &tokens);
  std::vector<rasid::ner::Tag> tags;
  state->recognizer->Tag(tokens, text, &tags);
  if (tags.size() != tokens.size()) std::abort();
  for (size_t i = 0; i < tags.size(); ++i) {  // well-formed BIO
    if (tags[i] >= rasid::ner::kNumTags) std::abort();
    if (tags[i] != rasid::ner::kOutside && !rasid::ner::IsBegin(tags[i]) &&
        (i == 0 || tags[i - 1] == rasid::ner::kOutside ||
         rasid::ner::TagType(tags[i - 1]) != rasid::ner::TagType(tags[i]))) {
      std::abort();
    }
  }
  std::vector<rasid::ner::Mention> mentions = rasid::ner::MentionsFromTags(tokens, text, tags);
  std::vector<rasid::ner::Entity> entities = rasid::ner::GroupMentions(&mentions);
  for (const auto& m : mentions) {
    CheckSpan(text, m.start, m.end);
    if (m.name_start < m.start || m.name_start > m.end) std::abort();
    if (m.entity < 0 || static_cast<size_t>(m.entity) >= entities.size()) std::abort();
  }
  for (const auto& q : rasid::ner::FindQuotes(tokens, text, mentions, entities)) {
    CheckSpan(text, q.start, q.end);
    CheckSpan(text, q.speaker_start, q.speaker_end);
  }
  return 0;
}
