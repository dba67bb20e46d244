#include "rasid/extract/extractor.h"

#include <algorithm>

#include "extract/grammar.h"
#include "extract/lexer.h"
#include "extract/words.h"
#include "rasid/analysis/lexicon.h"

namespace rasid::extract {

namespace {

// The normal form the word table is keyed by: search level, but ة and ى kept
// (الأولى "the first" and الأولي "preliminary" differ only there).
analysis::NormalizeOptions TableForm() {
  analysis::NormalizeOptions o = analysis::NormalizeOptions::Search();
  o.ta_marbuta = false;
  o.alef_maqsura = false;
  return o;
}

// Unit text of counted nouns: letters as written, without marks and tatweel.
analysis::NormalizeOptions UnitForm() {
  analysis::NormalizeOptions o = analysis::NormalizeOptions::Display();
  o.diacritics = true;
  o.tatweel = true;
  return o;
}

}  // namespace

const char* NumberTypeName(NumberType type) {
  switch (type) {
    case NumberType::kCardinal: return "cardinal";
    case NumberType::kOrdinal: return "ordinal";
    case NumberType::kPercent: return "percent";
    case NumberType::kMoney: return "money";
    case NumberType::kQuantity: return "quantity";
  }
  return "?";
}

const char* DateTypeName(DateType type) {
  switch (type) {
    case DateType::kDate: return "date";
    case DateType::kTime: return "time";
    case DateType::kInterval: return "interval";
  }
  return "?";
}

const char* GrainName(Grain grain) {
  switch (grain) {
    case Grain::kMinute: return "minute";
    case Grain::kHour: return "hour";
    case Grain::kDay: return "day";
    case Grain::kWeek: return "week";
    case Grain::kMonth: return "month";
    case Grain::kYear: return "year";
    case Grain::kDecade: return "decade";
    case Grain::kCentury: return "century";
  }
  return "?";
}

struct Extractor::Impl {
  explicit Impl(std::shared_ptr<const analysis::Lexicon> lexicon)
      : table_norm(TableForm()),
        analysis_norm(analysis::NormalizeOptions::Analysis()),
        unit_norm(UnitForm()),
        table(table_norm),
        lexer(&table, &table_norm),
        segmenter(std::move(lexicon)) {}

  analysis::Normalizer table_norm;
  analysis::Normalizer analysis_norm;
  analysis::Normalizer unit_norm;
  WordTable table;
  Lexer lexer;
  analysis::CliticSegmenter segmenter;
  std::vector<Lexeme> lexemes;
};

Extractor::Extractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Extractor::~Extractor() = default;

Result<std::unique_ptr<Extractor>> Extractor::Create() {
  Result<std::shared_ptr<const analysis::Lexicon>> lexicon = analysis::Lexicon::Default();
  if (!lexicon.ok()) return lexicon.status();
  return std::unique_ptr<Extractor>(new Extractor(std::make_unique<Impl>(*lexicon)));
}

void Extractor::Extract(std::string_view text, const ExtractOptions& options, Extraction* out) {
  out->Clear();
  Impl& m = *impl_;
  m.lexer.Run(text, &m.lexemes);
  Grammar g;
  g.text = text;
  g.lex = &m.lexemes;
  g.options = &options;
  g.segmenter = &m.segmenter;
  g.analysis_norm = &m.analysis_norm;
  g.display_norm = &m.unit_norm;
  g.used.assign(m.lexemes.size(), 0);
  if (options.dates) ExtractDates(&g, &out->dates);
  if (options.numbers) ExtractNumbers(g, &out->numbers);
  auto by_start = [](const auto& a, const auto& b) { return a.start < b.start; };
  std::stable_sort(out->dates.begin(), out->dates.end(), by_start);
  std::stable_sort(out->numbers.begin(), out->numbers.end(), by_start);
}

}  // namespace rasid::extract
