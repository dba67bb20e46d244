// The word table of extraction: number words, units, currencies, months,
// date words ... (tools/extract_words.tsv, compiled into words.inc), looked
// up by their normal form.
//
// Thread safety: immutable after construction.
#ifndef RASID_EXTRACT_WORDS_H_
#define RASID_EXTRACT_WORDS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rasid/analysis/normalizer.h"

namespace rasid::extract {

// Classes of words (the `class` column of tools/extract_words.tsv).
enum class Cls : uint8_t {
  kNum,         // cardinal word: value (c: only inside a compound)
  kMult,        // ألف مليون مليار: value; flags d dual, p plural, a accusative
  kFrac,        // نصف ربع ثلث: value
  kOrd,         // ordinal: value (D definite, c only in compounds: الحادي)
  kPct,         // في المئة, بالمئة
  kCur,         // currency: code ISO 4217 or *group; value = factor (سنت 0.01)
  kCurAdj,      // أمريكي مصري ...: code = country
  kUnit,        // unit: code; value = count implied by a dual (يومين = 2)
  kCount,       // counted noun: code = singular; value as kUnit
  kQual,        // 1 approx, 2 at least (before), 3 at most, 4 approx (after), 5 at least (after)
  kBetween,     // بين, ما بين
  kFrom,        // من
  kTo,          // إلى حتى
  kAnd,         // و alone
  kMonth,       // Gregorian month: value 1..12 (x: needs a date context)
  kHijriMonth,  // Hijri month: value 1..12
  kWeekday,     // ISO weekday 1..7
  kEra,         // code G, H, BC
  kYearWord,    // عام سنة (d: عامي)
  kMonthWord,   // شهر
  kDayWord,     // يوم
  kRelDay,      // أمس اليوم غدا: value = offset, code = grain
  kPeriod,      // الأسبوع الشهر العام: code = grain
  kRelMod,      // الماضي -1, الحالي 0, المقبل 1
  kPartOfDay,   // code: morning ...
  kHourWord,    // الساعة
  kTimeZone,    // code: offset or name
  kCue,         // 1 since, 2 ago/before, 3 after, 4 within, 5 start, 6 middle, 7 end, 8 in
  kMuwafiq,     // الموافق
  kDecade,      // الثمانينيات: value 1980
  kIdNoun,      // رقم القرار المادة: a number after it is an identifier
  kRankNoun,    // الدقيقة الجولة المركز: a number after it is an ordinal
  kStop,        // never a counted noun
};

struct WordEntry {
  const char* phrase;  // as written (UTF-8)
  Cls cls;
  double value;
  const char* code;
  const char* flags;
  bool Has(char flag) const;
};

class WordTable {
 public:
  // Normalises every phrase with `normalizer` (word by word).
  explicit WordTable(const analysis::Normalizer& normalizer);

  // Entries of a normalised phrase (words separated by one space).
  std::span<const WordEntry* const> Find(std::string_view key) const;
  // Most words of a phrase that starts with this normalised word (1 when
  // the word is only an entry of its own, 0 when it starts nothing).
  int MaxWords(std::string_view first_word) const;
  // True when some entry of the table starts with this letter sequence's
  // first byte pair (a cheap filter before the hash look-ups).
  bool MayStart(std::string_view word) const {
    return word.size() >= 2 && first_pairs_[Pair(word)] != 0;
  }

 private:
  static size_t Pair(std::string_view w) {
    return (static_cast<unsigned char>(w[0]) << 8 | static_cast<unsigned char>(w[1])) & 0xFFFF;
  }
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::vector<const WordEntry*>, Hash, std::equal_to<>> entries_;
  std::unordered_map<std::string, int, Hash, std::equal_to<>> heads_;
  std::vector<uint8_t> first_pairs_;
};

}  // namespace rasid::extract

#endif  // RASID_EXTRACT_WORDS_H_
