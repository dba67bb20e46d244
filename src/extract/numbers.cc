// Numbers, quantities, money, percentages and ordinals.
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "extract/grammar.h"
#include "rasid/text/utf8.h"

namespace rasid::extract {

namespace {

constexpr std::string_view kAlNorm = "\u0627\u0644";  // ALEF LAM (the article alone: الـ)
constexpr std::string_view kAlefNorm = "\u0627";      // ALEF (accusative ending)

bool IsInt(double v) { return std::fabs(v - std::round(v)) < 1e-9; }
bool IsTens(double v) { return v >= 20 && v <= 90 && IsInt(v) && static_cast<int>(v) % 10 == 0; }

struct CurrencyMap {
  const char* group;
  const char* country;
  const char* code;
};

// Which ISO 4217 currency a bare name means in a country.
constexpr CurrencyMap kCurrencies[] = {
    {"*dollar", "US", "USD"}, {"*dollar", "CA", "CAD"}, {"*dollar", "AU", "AUD"},
    {"*dollar", "SG", "SGD"}, {"*dollar", "HK", "HKD"}, {"*dollar", "NZ", "NZD"},
    {"*dollar", "TW", "TWD"}, {"*cent", "US", "USD"},   {"*cent", "CA", "CAD"},
    {"*cent", "AU", "AUD"},   {"*pound", "EG", "EGP"},  {"*pound", "GB", "GBP"},
    {"*pound", "SD", "SDG"},  {"*pound", "SS", "SSP"},  {"*riyal", "SA", "SAR"},
    {"*riyal", "QA", "QAR"},  {"*riyal", "OM", "OMR"},  {"*riyal", "YE", "YER"},
    {"*riyal", "IR", "IRR"},  {"*riyal", "BR", "BRL"},  {"*dirham", "AE", "AED"},
    {"*dirham", "MA", "MAD"}, {"*dinar", "KW", "KWD"},  {"*dinar", "JO", "JOD"},
    {"*dinar", "IQ", "IQD"},  {"*dinar", "TN", "TND"},  {"*dinar", "DZ", "DZD"},
    {"*dinar", "LY", "LYD"},  {"*dinar", "BH", "BHD"},  {"*dinar", "RS", "RSD"},
    {"*lira", "TR", "TRY"},   {"*lira", "SY", "SYP"},   {"*lira", "LB", "LBP"},
    {"*franc", "CH", "CHF"},  {"*rupee", "IN", "INR"},  {"*rupee", "PK", "PKR"},
    {"*rupee", "LK", "LKR"},  {"*peso", "MX", "MXN"},   {"*peso", "AR", "ARS"},
    {"*peso", "PH", "PHP"},   {"*peso", "CO", "COP"},   {"*krone", "SE", "SEK"},
    {"*krone", "NO", "NOK"},  {"*krone", "DK", "DKK"},  {"*krone", "CZ", "CZK"},
};

const char* CurrencyFor(std::string_view group, std::string_view country) {
  for (const CurrencyMap& c : kCurrencies) {
    if (group == c.group && country == c.country) return c.code;
  }
  return nullptr;
}

std::vector<std::string> CandidatesOf(std::string_view group) {
  std::vector<std::string> out;
  for (const CurrencyMap& c : kCurrencies) {
    if (group == c.group && (out.empty() || out.back() != c.code)) out.push_back(c.code);
  }
  return out;
}

// Currency symbols and Latin codes around a number.
const char* SymbolCurrency(const Lexeme& l) {
  if (l.kind == LexKind::kPunct) {
    if (l.norm == "$") return "*dollar";
    if (l.norm == "\u20AC") return "EUR";  // EURO SIGN
    if (l.norm == "\u00A3") return "GBP";  // POUND SIGN
    if (l.norm == "\u00A5") return "JPY";  // YEN SIGN
    return nullptr;
  }
  if (l.kind != LexKind::kLatin) return nullptr;
  static const char* kCodes[] = {"usd", "eur", "gbp", "sar", "aed", "egp", "kwd", "qar", "omr", "bhd",
                                 "jod", "iqd", "tnd", "dzd", "mad", "lyd", "lbp", "syp", "try", "jpy",
                                 "cny", "chf", "inr", "rub", "cad", "aud", "yer", "sdg", "irr"};
  for (const char* c : kCodes) {
    if (l.norm == c) {
      static thread_local char upper[4];
      for (int k = 0; k < 3; ++k) upper[k] = static_cast<char>(c[k] - 'a' + 'A');
      upper[3] = 0;
      return upper;
    }
  }
  return nullptr;
}

bool IsDash(const Lexeme& l) {
  return l.kind == LexKind::kPunct && (l.norm == "-" || l.norm == "\u2013" || l.norm == "\u2014");
}

class NumberParser {
 public:
  NumberParser(const Grammar& g, std::vector<NumberMention>* out) : g_(g), out_(out) {}
  void Run();

 private:
  bool Used(size_t from, size_t to) const {
    for (size_t k = from; k < to && k < g_.size(); ++k)
      if (g_.used[k]) return true;
    return false;
  }
  bool ParsePhrase(size_t i, size_t* next);
  bool ParseOrdinal(size_t i, size_t* next);
  bool ParseDual(size_t i, size_t* next);
  bool IsIdentifier(size_t i, const NumberValue& v) const;
  // The unit after a number at lexeme j: fills m and returns the lexeme after it.
  size_t ReadUnit(size_t j, double value, bool multiplied, NumberMention* m);
  bool CountedNoun(size_t j, double value, std::string* unit) const;
  bool TemporalBefore(size_t j) const;
  bool Score(size_t i, size_t* next) const;
  void ResolveCurrency(std::string_view group, size_t adj, NumberMention* m);
  void Emit(NumberMention m) { out_->push_back(std::move(m)); }

  const Grammar& g_;
  std::vector<NumberMention>* out_;
  std::unordered_map<std::string, std::string> resolved_;  // currency group -> code seen in this text
};

void NumberParser::ResolveCurrency(std::string_view group, size_t adj, NumberMention* m) {
  if (group.empty() || group[0] != '*') {
    m->unit = std::string(group);
    return;
  }
  const char* code = nullptr;
  if (const WordEntry* e = g_.Entry(adj, Cls::kCurAdj)) code = CurrencyFor(group, e->code);
  if (code) {
    resolved_[std::string(group)] = code;
  } else if (!g_.options->country.empty()) {
    code = CurrencyFor(group, g_.options->country);
    if (!code && (group == "*dollar" || group == "*cent")) code = "USD";
  }
  if (!code) {
    auto it = resolved_.find(std::string(group));
    if (it != resolved_.end()) code = it->second.c_str();
  }
  if (code) {
    m->unit = code;
    return;
  }
  m->ambiguous = true;
  m->candidates = CandidatesOf(group);
  // In Arabic news a bare دولار is the US dollar: say so, and that it was assumed.
  if (group == "*dollar" || group == "*cent") m->unit = "USD";
}

// A time cue a few lexemes before the number that ends before lexeme j.
bool NumberParser::TemporalBefore(size_t j) const {
  for (size_t k = j; k-- > 0 && j - k <= 5;) {
    if (g_.at(k).sentence != g_.at(j).sentence) break;
    if (g_.at(k).Is(Cls::kCue)) return true;
    std::string_view n = g_.at(k).norm;
    if (n == "\u0645\u062F\u0649" || n == "\u0637\u0648\u0627\u0644" || n == "\u0645\u062F\u0629")  // مدى طوال مدة
      return true;
  }
  return false;
}

bool NumberParser::CountedNoun(size_t j, double value, std::string* unit) const {
  if (!g_.Ok(j, j) || g_.used[j]) return false;
  const Lexeme& l = g_.at(j);
  if (l.kind != LexKind::kWord || !l.entries.empty() || l.clitics) return false;
  if (g_.at(j).outer_start != g_.at(j - 1).end + 1 && !g_.Adjacent(j - 1, j)) return false;
  std::string_view surface = g_.text.substr(l.start, l.end - l.start);
  std::string analysis = g_.analysis_norm->Normalize(surface);
  if (text::CountCodePoints(analysis) < 3) return false;
  // Verbs: يقولون، تضرروا (a present-tense prefix, a plural past ending).
  std::string_view a = analysis;
  if (a.substr(0, 2) == "\u064A" || a.substr(a.size() - 4) == "\u0648\u0627") return false;
  analysis::Segmentation seg = g_.segmenter->Segment(analysis);
  if (!seg.proclitics.empty() || !seg.enclitic.empty()) return false;
  // كأس العالم 2018 أصحاب ...: a year, not 2018 of something.
  if (IsInt(value) && value >= 1900 && value <= 2100) return false;
  const analysis::Lexicon& lex = g_.segmenter->lexicon();
  if (lex.IsProtected(analysis) || lex.Count(analysis) == 0) return false;
  std::string display = g_.display_norm->Normalize(surface);
  // 11..99 take an accusative singular (25 صوتا): report the singular.
  double rem = std::fmod(value, 100);
  if (rem >= 11 && rem <= 99 && display.size() > 3 * 2 &&
      std::string_view(display).substr(display.size() - 2) == kAlefNorm) {
    std::string bare = analysis.substr(0, analysis.size() - 2);
    if (lex.Count(bare) > 0) display.resize(display.size() - 2);
  }
  *unit = display;
  return true;
}

size_t NumberParser::ReadUnit(size_t j, double value, bool multiplied, NumberMention* m) {
  if (!g_.Ok(j, j - 1) || g_.used[j]) return j;
  const Lexeme& l = g_.at(j);
  // A unit never carries a conjunction or preposition: «في 2017 بهدف» is "in 2017 to ...".
  if (l.clitics & (kConj | kPrep)) return j;
  if (const WordEntry* e = l.Find(Cls::kPct); e && !e->Has('c')) {
    m->type = NumberType::kPercent;
    return j + 1;
  }
  if (l.IsPunct("%") && g_.Adjacent(j - 1, j)) {
    m->type = NumberType::kPercent;
    return j + 1;
  }
  if (const WordEntry* e = l.Find(Cls::kCur)) {
    m->type = NumberType::kMoney;
    m->value *= e->value;
    if (m->min) *m->min *= e->value;
    if (m->max) *m->max *= e->value;
    bool adj = g_.Word(j + 1, Cls::kCurAdj) && g_.Ok(j + 1, j);
    ResolveCurrency(e->code, adj ? j + 1 : g_.size(), m);
    return adj ? j + 2 : j + 1;
  }
  if (const char* sym = SymbolCurrency(l); sym && g_.Adjacent(j - 1, j)) {
    m->type = NumberType::kMoney;
    ResolveCurrency(sym, g_.size(), m);
    return j + 1;
  }
  if (const WordEntry* e = l.Find(Cls::kUnit); e && !(l.clitics & kAl) && !e->Has('d')) {
    // عقد is a decade after منذ، قبل، خلال، طوال، مدى; otherwise a contract (خمسة عقود لمشروعات).
    if (std::string_view(e->code) == "decade" && !TemporalBefore(j)) {
      m->unit = "\u0639\u0642\u062F";  // عقد
      return j + 1;
    }
    m->type = NumberType::kQuantity;
    m->unit = e->code;
    return j + 1;
  }
  if (const WordEntry* e = l.Find(Cls::kCount); e && !(l.clitics & kAl) && !e->Has('d')) {
    m->unit = e->code;
    return j + 1;
  }
  std::string unit;
  if (CountedNoun(j, value, &unit)) {
    m->unit = unit;
    return j + 1;
  }
  (void)multiplied;
  return j;
}

bool NumberParser::IsIdentifier(size_t i, const NumberValue& v) const {
  const Lexeme& l = g_.at(i);
  if (i > 0 && g_.Ok(i - 1, i)) {
    const Lexeme& p = g_.at(i - 1);
    if (p.Is(Cls::kIdNoun)) return true;
    // القرار رقم 2254، المادة (5)
    if (i >= 2 && g_.Ok(i - 2, i) && g_.at(i - 2).Is(Cls::kIdNoun) &&
        (p.IsPunct("(") || p.norm == "\u0631\u0642\u0645"))  // رقم
      return true;
    if ((p.kind == LexKind::kLatin || p.kind == LexKind::kOther) && g_.Adjacent(i - 1, i)) return true;
    if (p.IsPunct("+") || p.IsPunct("#")) return true;
  }
  if (!v.digits_only) return false;
  if (l.leading_zero && l.int_digits >= 3) return true;                  // 0096650..., 0551234567
  if (l.int_digits >= 9 && !l.grouped && !l.decimal) return true;        // long ids
  if (l.int_digits == 4 && !l.grouped && !l.decimal && l.number >= 1900 && l.number <= 2100)
    return true;  // a year that is not a date (مونديال 2018, رؤية 2030)
  // 3- صفر: a score.
  if (g_.Ok(i + 2, i) && IsDash(g_.at(i + 1)) && g_.at(i + 2).norm == "\u0635\u0641\u0631") return true;
  // 2-1, 6-3: scores; 10/9: a day and month.
  if (g_.Ok(i + 2, i) && (IsDash(g_.at(i + 1)) || g_.at(i + 1).IsPunct("/") || g_.at(i + 1).IsPunct(":")) &&
      g_.at(i + 2).kind == LexKind::kNumber && g_.Adjacent(i, i + 1) && g_.Adjacent(i + 1, i + 2))
    return true;
  if (i >= 2 && g_.Ok(i - 2, i) && (IsDash(g_.at(i - 1)) || g_.at(i - 1).IsPunct("/") || g_.at(i - 1).IsPunct(":")) &&
      g_.at(i - 2).kind == LexKind::kNumber && g_.Adjacent(i - 2, i - 1) && g_.Adjacent(i - 1, i))
    return true;
  return false;
}

bool NumberParser::ParsePhrase(size_t i, size_t* next) {
  size_t s = i;
  int qual = 0;
  bool between = false, from = false;
  const char* pre_currency = nullptr;
  if (const WordEntry* e = g_.Entry(i, Cls::kQual); e && e->value <= 3) {
    qual = static_cast<int>(e->value);
    ++i;
  } else if (g_.Word(i, Cls::kBetween)) {
    between = true;
    ++i;
  } else if (g_.Word(i, Cls::kFrom)) {
    from = true;
    ++i;
  }
  if (g_.Ok(i, s) && g_.Ok(i + 1, s) && g_.Adjacent(i, i + 1)) {
    if (const char* sym = SymbolCurrency(g_.at(i)); sym && g_.at(i + 1).kind == LexKind::kNumber) {
      pre_currency = sym;
      ++i;
    }
  }
  if (!g_.Ok(i, s) || g_.used[i]) return false;
  NumberValue a = ReadNumber(g_, i);
  if (!a.ok || Used(i, a.next)) return false;
  NumberMention m;
  m.value = a.value;
  size_t j = a.next;
  bool range = false;
  // The second value of a range: بين 10 و20، من 10 إلى 20، 10-20.
  size_t b_at = g_.size();
  if (between && g_.Ok(j, s)) {
    if (g_.at(j).clitics & kWa) b_at = j;
    else if (g_.Word(j, Cls::kAnd)) b_at = j + 1;
  } else if (g_.Word(j, Cls::kTo) && g_.Ok(j, s) && !qual) {
    b_at = j + 1;  // من 3 إلى 5، 3 إلى 5 سنوات
  } else if (!qual && g_.Ok(j + 1, s) && IsDash(g_.at(j)) && g_.Adjacent(j - 1, j) && g_.Adjacent(j, j + 1)) {
    b_at = j + 1;
  }
  if (b_at < g_.size() && g_.Ok(b_at, s) && !g_.used[b_at]) {
    NumberValue b = ReadNumber(g_, b_at);
    if (b.ok && !Used(b_at, b.next)) {
      double lo = a.value, hi = b.value;
      bool year_like = a.digits_only && g_.at(i).int_digits == 4 && !g_.at(i).grouped && lo >= 1900 && lo <= 2100;
      if (!a.multiplied && b.multiplied && lo * b.multiplier <= hi) lo *= b.multiplier;
      if (lo < hi && !(year_like && b.multiplied)) {
        NumberMention probe;
        size_t after = ReadUnit(b.next, hi, b.multiplied, &probe);
        bool dash = !between && !from;
        // 2-1 is a score, not a range, unless a unit or multiplier follows.
        if (!dash || after > b.next || b.multiplied || g_.at(b_at).percent) {
          range = true;
          m.value = lo;
          m.min = lo;
          m.max = hi;
          j = b.next;
        }
      }
    }
  }
  if ((between || from) && !range) {
    // بين 25 دولارا و35 دولارا: the unit after each value.
    NumberMention first;
    size_t after_a = ReadUnit(j, a.value, a.multiplied, &first);
    if (after_a == j || !g_.Ok(after_a, s)) return false;
    size_t b2 = g_.size();
    if (between && (g_.at(after_a).clitics & kWa)) b2 = after_a;
    else if (between && g_.Word(after_a, Cls::kAnd)) b2 = after_a + 1;
    else if (from && g_.Word(after_a, Cls::kTo)) b2 = after_a + 1;
    if (b2 >= g_.size() || !g_.Ok(b2, s) || g_.used[b2]) return false;
    NumberValue b = ReadNumber(g_, b2);
    if (!b.ok || b.value <= a.value || Used(b2, b.next)) return false;
    NumberMention second;
    size_t end2 = ReadUnit(b.next, b.value, b.multiplied, &second);
    if (end2 == b.next || second.unit != first.unit || second.type != first.type) return false;
    first.value = a.value;
    first.min = a.value;
    first.max = b.value;
    if (qual == 1) first.approx = true;
    first.start = g_.at(s).start;
    first.end = g_.at(end2 - 1).end;
    Emit(std::move(first));
    *next = end2;
    return true;
  }
  if (a.compound_only && !range) {
    // واحد alone is not reported, nor أحد/إحدى + noun ("one of"); «واحد بالمئة» is.
    NumberMention probe;
    if (ReadUnit(j, a.value, false, &probe) == j || probe.type == NumberType::kCardinal) return false;
  }
  if (qual == 1) m.approx = true;
  if (qual == 2) m.min = m.value;
  if (qual == 3) m.max = m.value;
  const Lexeme& last = g_.at(j - 1);
  size_t end_lex = j;
  if (last.percent) {
    m.type = NumberType::kPercent;
  } else if (pre_currency) {
    m.type = NumberType::kMoney;
    ResolveCurrency(pre_currency, g_.size(), &m);
  } else {
    end_lex = ReadUnit(j, m.value, a.multiplied, &m);
  }
  bool bare = end_lex == j && m.type == NumberType::kCardinal && m.unit.empty();
  // "1. ..." and "2) ..." at the start of a line: list markers.
  if (bare && a.digits_only && !range && (i == 0 || g_.at(i - 1).sentence != g_.at(i).sentence ||
                                           g_.text.substr(g_.at(i - 1).end, g_.at(i).outer_start - g_.at(i - 1).end).find('\n') != std::string_view::npos)) {
    if (j < g_.size() && (g_.at(j).IsPunct(".") || g_.at(j).IsPunct(")") || g_.at(j).IsPunct("-")) &&
        g_.Glued(j - 1, j)) {
      *next = j + 1;
      return true;
    }
  }
  if (bare && !range && IsIdentifier(i, a)) {
    *next = a.next;
    return true;  // consumed, not reported
  }
  if (bare && a.digits_only && !range && g_.Ok(j, s) && g_.at(j).IsPunct(":")) return false;
  // Qualifiers after: تقريبا، على الأقل، فأكثر.
  if (const WordEntry* e = g_.Entry(end_lex, Cls::kQual); e && g_.Ok(end_lex, s) && e->value >= 4) {
    if (e->value == 4) m.approx = true;
    if (e->value == 5) m.min = m.value;
    ++end_lex;
  }
  m.start = g_.at(s).start;
  m.end = g_.at(end_lex - 1).end;
  Emit(std::move(m));
  *next = end_lex;
  return true;
}

bool NumberParser::ParseOrdinal(size_t i, size_t* next) {
  const Lexeme& l = g_.at(i);
  double v = 0;
  size_t j = i + 1;
  std::string unit;
  if (const WordEntry* e = l.Find(Cls::kOrd)) {
    v = e->value;
    bool teen = false;
    if (const WordEntry* ten = g_.Entry(j, Cls::kNum); ten && ten->value == 10 && g_.Ok(j, i) &&
                                                            !(g_.at(j).clitics & kConj)) {
      v += 10, ++j, teen = true;
    } else if (const WordEntry* tens = g_.Entry(j, Cls::kNum);
               tens && IsTens(tens->value) && (g_.at(j).clitics & kWa) && g_.Ok(j, i)) {
      v += tens->value, ++j, teen = true;
    }
    if (e->Has('c') && !teen) return false;
    // في المقام الأول، بالدرجة الأولى: "mainly", not a rank.
    if (i > 0 && g_.Ok(i - 1, i)) {
      const Lexeme& prev = g_.at(i - 1);
      std::string_view p = prev.norm;
      bool bi_al = (prev.clitics & kBi) && (prev.clitics & kAl);
      if (p == "\u0627\u0644\u0645\u0642\u0627\u0645" ||                                   // المقام
          (bi_al && (p == "\u062F\u0631\u062C\u0629" || p == "\u062F\u0631\u062C\u0647")))  // بالدرجة
        return false;
    }
  } else if (l.kind == LexKind::kNumber && (l.clitics & kAl) && !l.decimal && !l.percent) {
    v = l.number;  // الـ15
    NumberMention probe;
    if (ReadUnit(j, v, false, &probe) != j || g_.Word(j, Cls::kMult)) return false;  // الـ30 لاعبا: a definite cardinal
  } else if (l.kind == LexKind::kWord && l.norm == kAlNorm && g_.Ok(j, i) && g_.at(j).kind == LexKind::kNumber &&
             g_.Adjacent(i, j) && !g_.at(j).decimal) {
    v = g_.at(j).number;  // الـ 15
    ++j;
    NumberMention probe;
    if (ReadUnit(j, v, false, &probe) != j || g_.Word(j, Cls::kMult)) return false;  // يفوق الـ 20 ألف دينار
  } else if (l.kind == LexKind::kNumber && !l.decimal && !l.percent && i > 0 && g_.Ok(i - 1, i) &&
             g_.at(i - 1).Is(Cls::kRankNoun) && !(g_.Ok(j, i) && g_.at(j).IsPunct(":"))) {
    v = l.number;  // الدقيقة 90، الجولة 15
    unit = g_.at(i - 1).Find(Cls::kRankNoun)->code;
  } else if (const WordEntry* e = l.Find(Cls::kNum);
             e && IsTens(e->value) && (l.clitics & kAl) && i > 0 && g_.Ok(i - 1, i) &&
             g_.at(i - 1).kind == LexKind::kWord && g_.at(i - 1).norm.substr(0, 4) == kAlNorm &&
             g_.at(i - 1).entries.empty()) {
    v = e->value;  // الدورة الثلاثين
  } else {
    return false;
  }
  if (Used(i, j)) return false;
  NumberMention m;
  m.type = NumberType::kOrdinal;
  m.value = v;
  m.unit = unit;
  m.start = l.start;
  m.end = g_.at(j - 1).end;
  Emit(std::move(m));
  *next = j;
  return true;
}

// A dual noun alone is a number: يومين، مرتين، ساعتين (with a qualifier: أقل من أسبوعين).
bool NumberParser::ParseDual(size_t i, size_t* next) {
  size_t s = i;
  int qual = 0;
  if (const WordEntry* q = g_.Entry(i, Cls::kQual); q && q->value <= 3 && g_.Ok(i + 1, i) && !g_.used[i + 1]) {
    qual = static_cast<int>(q->value);
    ++i;
  }
  const Lexeme& l = g_.at(i);
  if (l.clitics & kAl) return false;
  const WordEntry* e = l.Find(Cls::kUnit);
  NumberType type = NumberType::kQuantity;
  if (!e || !e->Has('d')) {
    e = l.Find(Cls::kCount);
    type = NumberType::kCardinal;
  }
  if (!e || !e->Has('d')) return false;
  NumberMention m;
  m.type = type;
  m.value = e->value;
  m.unit = e->code;
  if (qual == 1) m.approx = true;
  if (qual == 2) m.min = m.value;
  if (qual == 3) m.max = m.value;
  m.start = g_.at(s).start;
  m.end = l.end;
  Emit(std::move(m));
  *next = i + 1;
  return true;
}

// 2-1, 3-0, 39:30: both numbers of a score or a time belong to no quantity.
bool NumberParser::Score(size_t i, size_t* next) const {
  const Lexeme& l = g_.at(i);
  if (l.kind != LexKind::kNumber || !g_.Ok(i + 2, i)) return false;
  const Lexeme& sep = g_.at(i + 1);
  const Lexeme& r = g_.at(i + 2);
  bool dash = IsDash(sep);
  if (!(dash || sep.IsPunct(":")) || !g_.Adjacent(i, i + 1) || !g_.Adjacent(i + 1, i + 2)) return false;
  bool right = (r.kind == LexKind::kNumber && (r.number < 100 || !dash)) || r.norm == "\u0635\u0641\u0631";  // صفر
  if (!right || l.number >= 100 || l.decimal || l.percent) return false;
  if (dash) {
    // 10-20 ألف, 3-5% are ranges.
    if (r.percent || g_.Word(i + 3, Cls::kMult) || g_.Word(i + 3, Cls::kPct) || g_.Word(i + 3, Cls::kUnit) ||
        g_.Word(i + 3, Cls::kCur))
      return false;
  }
  *next = i + 3;
  return true;
}

void NumberParser::Run() {
  for (size_t i = 0; i < g_.size();) {
    if (g_.used[i]) {
      ++i;
      continue;
    }
    if (size_t after = 0; Score(i, &after)) {
      i = after;
      continue;
    }
    size_t next = i + 1;
    if (ParseOrdinal(i, &next) || ParsePhrase(i, &next) || ParseDual(i, &next)) {
      i = next;
      continue;
    }
    ++i;
  }
}

}  // namespace

NumberValue ReadNumber(const Grammar& g, size_t i) {
  NumberValue r;
  r.next = i;
  double total = 0, group = 0, last_mult = 0;
  bool any = false, fraction_led = false;
  int parts = 0;
  size_t j = i;
  size_t added_at = 0;  // where a group added after a multiplier started (مليون و500 ألف)
  while (g.Ok(j, i) && !g.used[j]) {
    const Lexeme& first = g.at(j);
    bool conj = j > i && (first.clitics & kWa);
    size_t k = j;
    if (j > i && !conj && first.Is(Cls::kAnd) && g.Ok(j + 1, i) && !g.used[j + 1]) {
      conj = true;
      k = j + 1;
    }
    if (j > i && !conj && (first.clitics & kConj)) break;
    if (j > i && (first.clitics & (kPrep | kAl))) break;
    const Lexeme& m = g.at(k);
    if (m.kind == LexKind::kNumber) {
      if (j > i && m.percent) break;
      if (!any) {
        group = m.number;
        // 1,550 مليون: before a multiplier a lone comma group is a decimal comma (1.55 million).
        if (m.grouped && g.Ok(k + 1, i) && g.at(k + 1).Is(Cls::kMult)) {
          std::string_view d = m.norm;
          size_t comma = d.find(',');
          if (comma != std::string_view::npos && d.find(',', comma + 1) == std::string_view::npos &&
              d.find('.') == std::string_view::npos) {
            double frac = 0, scale = 0.1;
            for (char c : d.substr(comma + 1)) frac += (c - '0') * scale, scale /= 10;
            group = std::floor(m.number / 1000) + frac;
          }
        }
        any = true;
        r.digits_only = true;
      } else if (conj && last_mult > 0 && group == 0 && m.number < last_mult) {
        group = m.number;
        added_at = j;
        r.digits_only = false;
      } else {
        break;
      }
      j = k + 1;
      ++parts;
      if (m.percent) break;
      continue;
    }
    if (m.kind != LexKind::kWord) break;
    if (const WordEntry* e = m.Find(Cls::kNum)) {
      if (m.clitics && m.norm == "\u0633\u062A") break;  // وست هام: West, not six
      double v = e->value;
      size_t after = k + 1;
      bool teen = false;
      if (v < 10 && g.Ok(after, i) && !(g.at(after).clitics & kConj)) {
        if (const WordEntry* ten = g.at(after).Find(Cls::kNum); ten && ten->value == 10) {
          v += 10, ++after, teen = true;
        } else if (const WordEntry* h = g.at(after).Find(Cls::kNum); h && h->value == 100 && v >= 3) {
          v *= 100, ++after, teen = true;
        }
      }
      if (!any) {
        group = v;
        r.compound_only = e->Has('c') && !teen;
      } else if (conj && group > 0 && group < 10 && IsTens(v)) {
        group += v;
        r.compound_only = false;
      } else if (conj && group >= 100 && std::fmod(group, 100) == 0 && v < 100) {
        group += v;
      } else if (conj && group > 100 && std::fmod(group, 100) < 10 && IsTens(v)) {
        group += v;
      } else if (conj && group == 0 && last_mult > 0 && v < last_mult) {
        group = v;
        added_at = j;
      } else {
        break;
      }
      any = true;
      r.words = true;
      r.digits_only = false;
      j = after;
      ++parts;
      continue;
    }
    if (const WordEntry* e = m.Find(Cls::kMult)) {
      if (conj) break;
      double mult = e->value;
      if (added_at && mult >= last_mult) {
        // مليون وأربعة ملايين: a second number (a range or a list), not a sum.
        j = added_at;
        group = 0;
        break;
      }
      if (!any || (group == 0 && !fraction_led)) {
        if (any) break;
        if (e->Has('d') || e->Has('a')) group = 2;  // ألفان، مليونا دولار
        else if (e->Has('p')) break;                // آلاف الأشخاص: not a number
        else group = 1;
      }
      total += group * mult;
      group = 0;
      last_mult = mult;
      any = true;
      r.multiplied = true;
      r.multiplier = mult;
      r.digits_only = false;
      r.words = true;
      j = k + 1;
      ++parts;
      continue;
    }
    if (const WordEntry* e = m.Find(Cls::kFrac)) {
      if (any && conj) {
        if (group == 0 && last_mult > 0) total += e->value * last_mult;
        else group += e->value;
        j = k + 1;
        ++parts;
        break;
      }
      if (!any && !(m.clitics & kAl) && g.Ok(k + 1, i) && g.at(k + 1).Is(Cls::kMult)) {
        group = e->value;  // نصف مليون
        any = true;
        fraction_led = true;
        r.words = true;
        j = k + 1;
        ++parts;
        continue;
      }
      break;
    }
    break;
  }
  if (!any) return r;
  if (fraction_led && !r.multiplied) return r;
  r.ok = true;
  r.value = total + group;
  // 1.65 مليار is 1650000000, not 1650000000.0000002.
  if (r.multiplied && std::fabs(r.value) < 1e15) r.value = std::round(r.value * 1000) / 1000;
  r.next = j;
  (void)parts;
  return r;
}

bool Grammar::Adjacent(size_t a, size_t b) const {
  uint32_t from = at(a).end, to = at(b).outer_start;
  if (to < from) return true;
  for (uint32_t k = from; k < to; ++k) {
    char c = text[k];
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

void ExtractNumbers(const Grammar& g, std::vector<NumberMention>* out) {
  NumberParser(g, out).Run();
}

}  // namespace rasid::extract
