// Extraction of numbers, quantities, money, percentages, ordinals, dates and
// times from Arabic news text, as typed, normalised values with byte spans.
//
//   std::unique_ptr<Extractor> ex = *Extractor::Create();
//   Extraction out;
//   ExtractOptions opts;
//   opts.reference_day = DaysFromCivil(2019, 5, 20);  // the document's date
//   ex->Extract(text, opts, &out);
//   for (const NumberMention& n : out.numbers) ...  // text.substr(n.start, n.end - n.start)
//
// The text is tokenised by rasid::analysis::Tokenizer and normalised per
// token, so every span points exactly into `text` (valid UTF-8): a
// conjunction or preposition glued to the first word (و، ف، ب، ل، ك) is left
// out of the span; the article ال is kept. What is extracted, the value
// conventions and the JSON schema: docs/extract.md.
//
// Thread safety: an Extractor is NOT thread-safe (it keeps scratch buffers);
// use one per thread. Creating one costs a few milliseconds (word tables).
#ifndef RASID_EXTRACT_EXTRACTOR_H_
#define RASID_EXTRACT_EXTRACTOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/base/status.h"

namespace rasid::extract {

enum class NumberType : uint8_t {
  kCardinal,  // a number without unit, or with a counted noun as unit («80 ألف مسلح»: unit مسلح)
  kOrdinal,   // الثالث، الحادي عشر، الـ15، الدقيقة 90
  kPercent,   // 25%، ٢٥٪، 25 في المئة
  kMoney,     // 400 مليون دولار (unit: ISO 4217)
  kQuantity,  // a measure with a canonical unit: km2, t, barrel, celsius, day ...
};
const char* NumberTypeName(NumberType type);  // "cardinal", "ordinal", ...

struct NumberMention {
  NumberType type = NumberType::kCardinal;
  uint32_t start = 0;  // byte span in the text
  uint32_t end = 0;
  double value = 0;    // for a range or a bound: the lower (or only) bound
  std::string unit;    // ISO 4217, a unit code, or the counted noun; empty if none
  bool approx = false;              // نحو، حوالي، قرابة، تقريبا ...
  std::optional<double> min, max;   // bounds (أكثر من، أقل من) and ranges (بين 10 و20)
  bool ambiguous = false;           // currency not resolved: see candidates
  std::vector<std::string> candidates;  // ISO 4217 codes an ambiguous currency may be
};

enum class DateType : uint8_t {
  kDate,      // a day, month, year, decade, century (possibly partial or relative)
  kTime,      // a clock time (with a date when the text gives one)
  kInterval,  // a range of dates or times: "value" is start/end
};
const char* DateTypeName(DateType type);  // "date", "time", "interval"

enum class Grain : uint8_t { kMinute, kHour, kDay, kWeek, kMonth, kYear, kDecade, kCentury };
const char* GrainName(Grain grain);  // "minute", "hour", "day", ...

struct DateMention {
  DateType type = DateType::kDate;
  uint32_t start = 0;
  uint32_t end = 0;
  // ISO-8601 (reduced precision for coarse grains: "2019-05", "2019", "198X",
  // "19XX"; "XXXX-11-14" when the year is unknown; "T15:00" for a time of
  // day without date; "A/B" for intervals); empty when a relative
  // expression has no reference date to resolve against.
  std::string value;
  Grain grain = Grain::kDay;
  std::string calendar = "gregorian";  // or islamic-umalqura / islamic-tabular when written in Hijri
  std::string hijri;                   // the Hijri date as written ("1440-09-15", "1440-09", "1440")
  bool relative = false;               // resolved against the reference date (or unresolved)
  std::string relative_to;             // e.g. "-1 day", "+1 week", "0 month", "-3 year"; for relative ones
  std::string part_of_day;             // morning, noon, afternoon, evening, night, dawn, midnight, midday
  std::string timezone;                // "+00:00", "+03:00", "local", or an IANA name
  std::string mod;                     // start, mid, end (مطلع، منتصف، أواخر)
};

struct Extraction {
  std::vector<NumberMention> numbers;
  std::vector<DateMention> dates;
  void Clear() {
    numbers.clear();
    dates.clear();
  }
};

struct ExtractOptions {
  // Day number (calendar.h) of the document's date; relative and yearless
  // expressions stay partial without it.
  std::optional<int32_t> reference_day;
  // ISO 3166 alpha-2 country that resolves a bare دولار، جنيه، دينار، ريال،
  // درهم، ليرة (e.g. "EG": جنيه -> EGP). Empty: none.
  std::string country;
  bool numbers = true;
  bool dates = true;
};

class Extractor {
 public:
  // Builds the word tables and loads the analysis lexicon (DataDir()), which
  // guards counted nouns against clitics; fails with its loading error.
  static Result<std::unique_ptr<Extractor>> Create();
  ~Extractor();

  // Replaces *out with the mentions in `text` (valid UTF-8, < 4 GiB), each
  // array in text order.
  void Extract(std::string_view text, const ExtractOptions& options, Extraction* out);

 private:
  struct Impl;
  explicit Extractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rasid::extract

#endif  // RASID_EXTRACT_EXTRACTOR_H_
