#include "rasid/analysis/normalizer.h"

#include <map>
#include <mutex>
#include <utility>

#include "rasid/analysis/char_filters.h"
#include "rasid/text/utf8.h"

namespace rasid::analysis {

namespace {

constexpr uint32_t kUnchanged = 0xFFFFFFFFu;

using Filter = bool (*)(char32_t, std::u32string*);

// The enabled filters, in the order rules are applied.
std::vector<Filter> EnabledFilters(const NormalizeOptions& o) {
  std::vector<std::pair<bool, Filter>> all = {
      {o.presentation_forms, filters::PresentationForms},
      {o.diacritics, filters::Diacritics},
      {o.tatweel, filters::Tatweel},
      {o.format_chars, filters::FormatChars},
      {o.alef, filters::Alef},
      {o.alef_maqsura, filters::AlefMaqsura},
      {o.ta_marbuta, filters::TaMarbuta},
      {o.hamza_carriers, filters::HamzaCarriers},
      {o.persian_letters, filters::PersianLetters},
      {o.digits, filters::Digits},
      {o.latin_case, filters::LatinCase},
      {o.latin_accents, filters::LatinAccents},
  };
  std::vector<Filter> out;
  for (auto& [on, f] : all) {
    if (on) out.push_back(f);
  }
  return out;
}

// Runs c through every filter, each on the output of the one before. A
// filter's output is run through the same filter again until it is stable,
// so that the composed map is idempotent (e.g. accent folding of a case-folded
// letter).
std::u32string Compose(char32_t c, const std::vector<Filter>& fs) {
  std::u32string cur(1, c);
  for (int round = 0; round < 3; ++round) {
    std::u32string before = cur;
    for (Filter f : fs) {
      std::u32string next;
      for (char32_t x : cur) {
        if (!f(x, &next)) next.push_back(x);
      }
      cur = std::move(next);
    }
    if (cur == before) break;
  }
  return cur;
}

}  // namespace

NormalizeOptions NormalizeOptions::Display() {
  NormalizeOptions o;
  o.diacritics = o.tatweel = o.alef = o.alef_maqsura = o.ta_marbuta = false;
  o.hamza_carriers = o.persian_letters = o.digits = o.latin_case = o.latin_accents = false;
  return o;
}

NormalizeOptions NormalizeOptions::Analysis() {
  NormalizeOptions o;
  o.ta_marbuta = false;
  return o;
}

struct Normalizer::Tables {
  std::vector<uint32_t> table = std::vector<uint32_t>(65536, kUnchanged);
  std::string pool;
};

namespace {

// The options as a number, for the cache of tables.
uint32_t OptionBits(const NormalizeOptions& o) {
  const bool bits[] = {o.presentation_forms, o.diacritics, o.tatweel,         o.format_chars,
                       o.alef,               o.alef_maqsura, o.ta_marbuta,    o.hamza_carriers,
                       o.persian_letters,    o.digits,     o.latin_case,      o.latin_accents};
  uint32_t key = 0;
  for (bool b : bits) key = key << 1 | (b ? 1 : 0);
  return key;
}

}  // namespace

Normalizer::Normalizer(const NormalizeOptions& options) : options_(options) {
  // Composing the filters over the BMP takes tens of milliseconds; every
  // analyzer needs two normalisers, and a query builds an analyzer.
  static std::mutex mu;
  static auto* cache = new std::map<uint32_t, std::shared_ptr<const Tables>>();
  {
    std::lock_guard<std::mutex> lock(mu);
    std::shared_ptr<const Tables>& cached = (*cache)[OptionBits(options)];
    if (cached == nullptr) {
      auto t = std::make_shared<Tables>();
      std::vector<Filter> fs = EnabledFilters(options);
      for (char32_t c = 0; c < 0x10000; ++c) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        std::u32string r = Compose(c, fs);
        if (r.size() == 1 && r[0] == c) continue;
        std::string utf8;
        for (char32_t x : r) text::AppendUtf8(x, &utf8);
        t->table[c] = static_cast<uint32_t>(t->pool.size() << 8) | static_cast<uint32_t>(utf8.size());
        t->pool += utf8;
      }
      cached = std::move(t);
    }
    tables_ = cached;
  }
  table_ = tables_->table.data();
  pool_ = tables_->pool;
}

bool Normalizer::Removes(char32_t cp) const { return cp < 0x10000 && table_[cp] == 0; }

void Normalizer::AppendNormalized(std::string_view text, std::string* out) const {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    unsigned char b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      uint32_t e = table_[b];
      if (e == kUnchanged) {
        out->push_back(static_cast<char>(b));
      } else {
        out->append(pool_, e >> 8, e & 0xFF);
      }
      ++i;
      continue;
    }
    size_t start = i;
    char32_t cp = text::NextCodePoint(text, &i);
    uint32_t e = cp < 0x10000 ? table_[cp] : kUnchanged;
    if (e == kUnchanged) {
      out->append(text.data() + start, i - start);
    } else {
      out->append(pool_, e >> 8, e & 0xFF);
    }
  }
}

}  // namespace rasid::analysis
