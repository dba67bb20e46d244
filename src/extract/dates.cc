// Dates and times: calendar dates in Gregorian and Hijri months, years,
// decades, centuries, weekdays, clock times, ranges, and expressions
// relative to the document's date.
#include <cmath>
#include <cstdio>

#include "extract/grammar.h"
#include "rasid/extract/calendar.h"

namespace rasid::extract {

namespace {

bool IsInt(double v) { return std::fabs(v - std::round(v)) < 1e-9; }

std::string Fmt(const char* format, int a, int b = 0, int c = 0) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), format, a, b, c);
  return buf;
}

int32_t AddMonths(int32_t days, int months) {
  CivilDate c = CivilFromDays(days);
  int total = c.year * 12 + (c.month - 1) + months;
  int y = total / 12, m = total % 12 + 1;
  int d = std::min(c.day, DaysInMonth(y, m));
  return DaysFromCivil(y, m, d);
}

// ISO week of a day number: "2019-W21".
std::string IsoWeek(int32_t days) {
  int32_t thursday = days - (IsoWeekday(days) - 1) + 3;
  int year = CivilFromDays(thursday).year;
  int week = (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1;
  return Fmt("%04d-W%02d", year, week);
}

Grain GrainOf(std::string_view code) {
  if (code == "day") return Grain::kDay;
  if (code == "week") return Grain::kWeek;
  if (code == "month") return Grain::kMonth;
  if (code == "year") return Grain::kYear;
  if (code == "decade") return Grain::kDecade;
  if (code == "century") return Grain::kCentury;
  if (code == "hour") return Grain::kHour;
  return Grain::kMinute;
}

std::string FormatAt(int32_t days, Grain grain) {
  CivilDate c = CivilFromDays(days);
  switch (grain) {
    case Grain::kWeek: return IsoWeek(days);
    case Grain::kMonth: return Fmt("%04d-%02d", c.year, c.month);
    case Grain::kYear: return Fmt("%04d", c.year);
    case Grain::kDecade: return Fmt("%03dX", c.year / 10);
    case Grain::kCentury: return Fmt("%02dXX", c.year / 100);
    default: return FormatDays(days);
  }
}

std::string Signed(int n, std::string_view unit) {
  std::string s = n > 0 ? "+" + std::to_string(n) : std::to_string(n);
  return s + " " + std::string(unit);
}

struct Day {
  bool ok = false;
  int day = 0;
  size_t next = 0;
};

struct Month {
  bool ok = false;
  int month = 0;
  bool hijri = false;
  bool needs_context = false;  // مارس، آب، رمضان alone
  bool month_word = false;     // شهر before it
  size_t first = 0;            // first lexeme (شهر included)
  size_t next = 0;
};

struct Year {
  bool ok = false;
  int year = 0;
  char era = 0;      // 'G', 'H', 'B' (BC) or 0
  bool word = false; // عام/سنة before it
  size_t next = 0;
};

class DateParser {
 public:
  DateParser(Grammar* g, std::vector<DateMention>* out) : g_(*g), used_(g->used), out_(out) {
    ref_ = g->options->reference_day;
  }
  void Run();

 private:
  bool Free(size_t i) const { return i < g_.size() && !used_[i]; }
  bool Ok(size_t i, size_t from) const { return g_.Ok(i, from) && !used_[i]; }
  const WordEntry* Entry(size_t i, Cls cls) const { return Free(i) ? g_.at(i).Find(cls) : nullptr; }
  bool IsNumber(size_t i) const {
    return Free(i) && g_.at(i).kind == LexKind::kNumber && !g_.at(i).percent;
  }
  bool IsIntNumber(size_t i) const {
    return IsNumber(i) && !g_.at(i).decimal && !g_.at(i).grouped && IsInt(g_.at(i).number);
  }
  void Mark(size_t from, size_t to) {
    for (size_t k = from; k < to && k < used_.size(); ++k) used_[k] = 1;
  }
  void Emit(DateMention m, size_t first, size_t next, bool mark = true);

  Day ReadDay(size_t i, size_t from) const;
  Month ReadMonth(size_t i, size_t from) const;
  Year ReadYear(size_t i, size_t from, bool allow_bare) const;
  int ReadRelMod(size_t i, size_t from, size_t* next) const;

  bool NumericDate(size_t i, size_t* next);
  bool Clock(size_t i, size_t* next);
  bool DayMonth(size_t i, size_t* next);
  bool MonthYear(size_t i, size_t* next);
  bool YearAt(size_t i, size_t* next);
  bool Relative(size_t i, size_t* next);
  bool Weekday(size_t i, size_t* next);
  bool Decade(size_t i, size_t* next);
  bool Century(size_t i, size_t* next);

  // Fills value/hijri/calendar of a day, month (day 0) or year (month 0) date.
  bool SetDate(int year, int month, int day, bool hijri, DateMention* m) const;
  void Resolve(int month, int day, bool hijri, int relmod, DateMention* m) const;

  const Grammar& g_;
  std::vector<uint8_t>& used_;
  std::vector<DateMention>* out_;
  std::optional<int32_t> ref_;
};

void DateParser::Emit(DateMention m, size_t first, size_t next, bool mark) {
  // مطلع، منتصف، أواخر before a month, year or period.
  if (first > 0 && g_.Ok(first - 1, first) && m.type == DateType::kDate && m.grain >= Grain::kWeek) {
    if (const WordEntry* cue = g_.at(first - 1).Find(Cls::kCue); cue && cue->value >= 5 && cue->value <= 7) {
      m.mod = cue->value == 5 ? "start" : cue->value == 6 ? "mid" : "end";
      --first;
    }
  }
  m.start = g_.at(first).start;
  m.end = g_.at(next - 1).end;
  if (mark) Mark(first, next);
  out_->push_back(std::move(m));
}

Day DateParser::ReadDay(size_t i, size_t from) const {
  Day d;
  if (!Ok(i, from)) return d;
  const Lexeme& l = g_.at(i);
  if (IsIntNumber(i) && l.int_digits <= 2 && l.number >= 1 && l.number <= 31 && !(l.clitics & kAl)) {
    d = {true, static_cast<int>(l.number), i + 1};
    return d;
  }
  if (const WordEntry* e = l.Find(Cls::kOrd); e && e->value == 1 && !e->Has('D') && !(l.clitics & kAl) &&
                                             Entry(i + 1, Cls::kDayWord) && g_.Word(i + 2, Cls::kFrom)) {
    d = {true, 1, i + 2};  // أول يوم من
    return d;
  }
  if (l.norm == "\u063A\u0631\u0629" || l.norm == "\u063A\u0631\u0647") {  // غرة: the first of the month
    d = {true, 1, i + 1};
    return d;
  }
  if (const WordEntry* e = l.Find(Cls::kOrd); e && (e->Has('D') || (l.clitics & kAl))) {
    int v = static_cast<int>(e->value);
    size_t j = i + 1;
    if (const WordEntry* ten = Entry(j, Cls::kNum); ten && ten->value == 10 && !(g_.at(j).clitics & kConj)) {
      v += 10, ++j;
    } else if (const WordEntry* tens = Entry(j, Cls::kNum);
               tens && tens->value >= 20 && tens->value <= 30 && (g_.at(j).clitics & kWa)) {
      v += static_cast<int>(tens->value), ++j;
    } else if (e->Has('c')) {
      return d;
    }
    if (v >= 1 && v <= 31) d = {true, v, j};
    return d;
  }
  // العشرين من، الثلاثين من
  if (const WordEntry* e = l.Find(Cls::kNum); e && (l.clitics & kAl) && (e->value == 20 || e->value == 30) &&
                                              g_.Word(i + 1, Cls::kFrom)) {
    d = {true, static_cast<int>(e->value), i + 1};
  }
  return d;
}

Month DateParser::ReadMonth(size_t i, size_t from) const {
  Month m;
  size_t j = i;
  if (Entry(j, Cls::kMonthWord) && Ok(j + 1, from) && g_.at(j).Find(Cls::kMonthWord)->value == 1) {
    m.month_word = true;
    ++j;
  }
  if (!Ok(j, from)) return m;
  const Lexeme& l = g_.at(j);
  const WordEntry* e = l.Find(Cls::kMonth);
  if (!e) {
    e = l.Find(Cls::kHijriMonth);
    m.hijri = e != nullptr;
  }
  if (!e) return m;
  m.ok = true;
  m.month = static_cast<int>(e->value);
  m.needs_context = e->Has('x') && !m.month_word;
  m.first = i;
  ++j;
  // حزيران/يونيو، يونيو (حزيران), فبراير شباط: the same month in two namings.
  if (!m.hijri && Ok(j, from) && !(g_.at(j).clitics & kConj)) {
    if (const WordEntry* twin = g_.at(j).Find(Cls::kMonth); twin && twin->value == e->value && twin != e) {
      ++j;
      m.needs_context = false;
    }
  }
  if (!m.hijri && Ok(j + 1, from)) {
    const Lexeme& sep = g_.at(j);
    bool open = sep.IsPunct("(") || sep.IsPunct("\u00AB") || sep.IsPunct("\"");  // ( « "
    if ((sep.IsPunct("/") || open) && g_.at(j + 1).Is(Cls::kMonth)) {
      size_t k = j + 2;
      if (open) {
        if (Ok(k, from) && (g_.at(k).IsPunct(")") || g_.at(k).IsPunct("\u00BB") || g_.at(k).IsPunct("\""))) ++k;
        else k = 0;
      }
      if (k) {
        j = k;
        m.needs_context = false;
      }
    }
  }
  m.next = j;
  return m;
}

Year DateParser::ReadYear(size_t i, size_t from, bool allow_bare) const {
  Year y;
  size_t j = i;
  if (g_.Word(j, Cls::kFrom) && Entry(j + 1, Cls::kYearWord) && Ok(j + 1, from)) ++j;  // من العام 2014
  if (const WordEntry* w = Entry(j, Cls::kYearWord); w && w->value == 1 && Ok(j, from)) {
    y.word = true;
    ++j;
  }
  if (y.word && Ok(j, from) && g_.at(j).kind == LexKind::kWord) {
    NumberValue v = ReadNumber(g_, j);
    if (v.ok && v.words && IsInt(v.value) && v.value >= 1000 && v.value <= 2100) {
      y.year = static_cast<int>(v.value);
      y.ok = true;
      y.next = v.next;
      return y;
    }
  }
  if (!IsIntNumber(j) || !Ok(j, from)) return y;
  const Lexeme& l = g_.at(j);
  if (l.int_digits < 2 || l.int_digits > 4 || (l.clitics & kAl)) return y;
  y.year = static_cast<int>(l.number);
  ++j;
  if (const WordEntry* era = Entry(j, Cls::kEra); era && Ok(j, from)) {
    y.era = era->code[0] == 'B' ? 'B' : era->code[0];
    ++j;
  }
  if (!y.word && !y.era && !(allow_bare && l.int_digits == 4)) return y;
  if (y.year < 1 || y.year > 2200) return y;
  y.ok = true;
  y.next = j;
  return y;
}

int DateParser::ReadRelMod(size_t i, size_t from, size_t* next) const {
  if (const WordEntry* e = Entry(i, Cls::kRelMod); e && Ok(i, from)) {
    *next = i + 1;
    return static_cast<int>(e->value);
  }
  return 2;  // none
}

bool DateParser::SetDate(int year, int month, int day, bool hijri, DateMention* m) const {
  if (!hijri) {
    if (day) {
      if (!ValidCivil(year, month, day)) return false;
      m->value = Fmt("%04d-%02d-%02d", year, month, day);
      m->grain = Grain::kDay;
    } else if (month) {
      m->value = Fmt("%04d-%02d", year, month);
      m->grain = Grain::kMonth;
    } else {
      m->value = m->calendar == "gregorian" && year < 0 ? Fmt("-%04d", -year) : Fmt("%04d", year);
      m->grain = Grain::kYear;
    }
    return true;
  }
  HijriCalendar used = HijriCalendar::kUmmAlQura;
  std::optional<int32_t> first, last;
  if (day) {
    first = HijriToDays({year, month, day}, &used);
    if (!first) return false;
    m->value = FormatDays(*first);
    m->hijri = Fmt("%04d-%02d-%02d", year, month, day);
    m->grain = Grain::kDay;
  } else if (month) {
    first = HijriToDays({year, month, 1}, &used);
    if (!first) return false;
    last = *first + HijriMonthLength(year, month, &used) - 1;
    m->value = FormatDays(*first) + "/" + FormatDays(*last);
    m->hijri = Fmt("%04d-%02d", year, month);
    m->grain = Grain::kMonth;
  } else {
    first = HijriToDays({year, 1, 1}, &used);
    std::optional<int32_t> next = HijriToDays({year + 1, 1, 1}, &used);
    if (!first || !next) return false;
    m->value = FormatDays(*first) + "/" + FormatDays(*next - 1);
    m->hijri = Fmt("%04d", year);
    m->grain = Grain::kYear;
  }
  m->calendar = HijriCalendarName(used);
  return true;
}

// A date without its year: the reference date's year (or the one before or
// after, by الماضي/المقبل, else the nearest); partial without a reference.
void DateParser::Resolve(int month, int day, bool hijri, int relmod, DateMention* m) const {
  if (!ref_) {
    if (hijri) {
      m->hijri = day ? Fmt("XXXX-%02d-%02d", month, day) : Fmt("XXXX-%02d", month);
      HijriCalendar used;
      HijriMonthLength(1440, month, &used);
      m->calendar = HijriCalendarName(used);
    } else {
      m->value = day ? Fmt("XXXX-%02d-%02d", month, day) : Fmt("XXXX-%02d", month);
    }
    m->grain = day ? Grain::kDay : Grain::kMonth;
    return;
  }
  int ref_year, ref_month, ref_day;
  if (hijri) {
    HijriCalendar used;
    std::optional<HijriDate> h = DaysToHijri(*ref_, &used);
    if (!h) return;
    ref_year = h->year, ref_month = h->month, ref_day = h->day;
  } else {
    CivilDate c = CivilFromDays(*ref_);
    ref_year = c.year, ref_month = c.month, ref_day = c.day;
  }
  int year = ref_year;
  if (relmod == -1) {
    year = month < ref_month ? ref_year : ref_year - 1;
  } else if (relmod == 1) {
    year = month > ref_month ? ref_year : ref_year + 1;
  } else if (relmod != 0) {
    // News looks back more than ahead: from nine months before to three after.
    int diff = month - ref_month;
    if (diff > 3) year = ref_year - 1;
    if (diff < -9) year = ref_year + 1;
  }
  (void)ref_day;
  m->relative = true;
  m->relative_to = "year";
  if (!SetDate(year, month, day, hijri, m)) m->value.clear();
}

bool DateParser::NumericDate(size_t i, size_t* next) {
  // d/m/yyyy, yyyy/m/d, d-m-yyyy, yyyy-mm-dd (optionally followed by هـ or م).
  if (!IsIntNumber(i) || !Ok(i + 4, i)) return false;
  const Lexeme& sep1 = g_.at(i + 1);
  const Lexeme& sep2 = g_.at(i + 3);
  std::string_view s = sep1.norm;
  if (sep1.kind != LexKind::kPunct || (s != "/" && s != "-" && s != ".") || sep2.kind != LexKind::kPunct ||
      sep2.norm != s || !IsIntNumber(i + 2) || !IsIntNumber(i + 4))
    return false;
  for (size_t k = i; k < i + 4; ++k) {
    if (!g_.Adjacent(k, k + 1)) return false;
  }
  const Lexeme &a = g_.at(i), &b = g_.at(i + 2), &c = g_.at(i + 4);
  int y, mo, d;
  if (a.int_digits == 4 && b.int_digits <= 2 && c.int_digits <= 2) {
    y = static_cast<int>(a.number), mo = static_cast<int>(b.number), d = static_cast<int>(c.number);
  } else if (c.int_digits == 4 && a.int_digits <= 2 && b.int_digits <= 2) {
    y = static_cast<int>(c.number), mo = static_cast<int>(b.number), d = static_cast<int>(a.number);
  } else {
    return false;
  }
  size_t j = i + 5;
  bool hijri = false;
  if (const WordEntry* era = Entry(j, Cls::kEra); era && g_.Ok(j, i)) {
    hijri = era->code[0] == 'H';
    ++j;
  }
  if (!hijri && y >= 1300 && y <= 1500) hijri = true;
  if (mo < 1 || mo > 12) return false;
  DateMention m;
  if (!SetDate(y, mo, d, hijri, &m)) return false;
  Emit(std::move(m), i, j);
  *next = j;
  return true;
}

bool has_minutes_or(int minute) { return minute >= 0; }

bool DateParser::Clock(size_t i, size_t* next) {
  size_t j = i;
  bool hour_word = false;
  if (const WordEntry* h = Entry(j, Cls::kHourWord); h && !h->Has('c') && !(g_.at(j).clitics & kAl && false)) {
    hour_word = true;
    ++j;
  }
  int hour = -1, minute = -1;
  if (IsNumber(j) && Ok(j, i) && !(g_.at(j).clitics & kAl)) {
    const Lexeme& l = g_.at(j);
    if (Ok(j + 2, i) && g_.at(j + 1).IsPunct(":") && IsIntNumber(j + 2) && g_.Glued(j, j + 1) &&
        g_.Glued(j + 1, j + 2) && g_.at(j + 2).norm.size() == 2 && IsInt(l.number)) {
      hour = static_cast<int>(l.number), minute = static_cast<int>(g_.at(j + 2).number);
      j += 3;
    } else if (hour_word && l.decimal && l.norm.size() >= 4 && l.norm[l.norm.size() - 3] == '.') {
      hour = static_cast<int>(l.number);
      minute = static_cast<int>(std::lround((l.number - hour) * 100));
      ++j;
    } else if (IsInt(l.number) && l.number <= 24 && l.int_digits <= 2) {
      hour = static_cast<int>(l.number);
      ++j;
    } else {
      return false;
    }
  } else if (hour_word) {
    const WordEntry* e = Entry(j, Cls::kOrd);
    if (!e || !Ok(j, i) || !(e->Has('D') || (g_.at(j).clitics & kAl))) return false;
    hour = static_cast<int>(e->value);
    if (hour == 1 && !e->Has('c')) return false;  // الساعة الأولى: the first hour (one o'clock is الواحدة)
    ++j;
    if (const WordEntry* ten = Entry(j, Cls::kNum); ten && ten->value == 10 && Ok(j, i)) {
      hour += 10;
      ++j;
    } else if (e->Has('c') && e->value != 1) {
      return false;
    }
  } else if (const WordEntry* e = Entry(j, Cls::kOrd); e && Ok(j, i) && e->Has('D') && e->value >= 1 &&
             e->value <= 10 && (e->value != 1 || e->Has('c')) && Entry(j + 1, Cls::kPartOfDay) &&
             g_.at(j).norm.size() > 2 && g_.at(j).norm.substr(g_.at(j).norm.size() - 2) == "\u0629") {
    hour = static_cast<int>(e->value);  // الثامنة صباحا
    ++j;
  } else {
    return false;
  }
  if (hour < 0 || hour > 24 || minute > 59) return false;
  // والنصف، والربع، و10 دقائق، إلا ربعا
  if (Ok(j, i) && (g_.at(j).clitics & kWa)) {
    if (const WordEntry* f = g_.at(j).Find(Cls::kFrac); f && f->value < 0.6) {
      minute = static_cast<int>(std::lround(f->value * 60)) + std::max(minute, 0);
      ++j;
    } else if (hour_word && IsIntNumber(j) && g_.at(j).number < 60 && g_.Word(j + 1, Cls::kUnit) && Ok(j + 1, i) &&
               std::string_view(g_.at(j + 1).Find(Cls::kUnit)->code) == "minute") {
      minute = static_cast<int>(g_.at(j).number);
      j += 2;
    }
  } else if (Ok(j + 1, i) && g_.at(j).norm == "\u0627\u0644\u0627") {  // الا (إلا)
    if (const WordEntry* f = g_.at(j + 1).Find(Cls::kFrac); f && f->value < 0.6) {
      minute = 60 - static_cast<int>(std::lround(f->value * 60));
      hour -= 1;
      j += 2;
    } else if (const WordEntry* f2 = g_.at(j + 1).Find(Cls::kCount); false && f2) {
    } else {
      std::string_view n = g_.at(j + 1).norm;
      if (n == "\u0631\u0628\u0639\u0627" || n == "\u062B\u0644\u062B\u0627") {  // ربعا ثلثا
        minute = n[0] == '\xd8' && n == "\u0631\u0628\u0639\u0627" ? 45 : 40;
        hour -= 1;
        j += 2;
      }
    }
  }
  std::string pod;
  if (const WordEntry* p = Entry(j, Cls::kPartOfDay); p && Ok(j, i)) {
    pod = p->code;
    ++j;
  } else if (has_minutes_or(minute) && Ok(j, i) && g_.Adjacent(j - 1, j) &&
             (g_.at(j).norm == "\u0645" || g_.at(j).norm == "\u0635")) {
    pod = g_.at(j).norm == "\u0645" ? "evening" : "morning";  // 9:18م، 7:30ص
    ++j;
  }
  std::string tz;
  if (const WordEntry* z = Entry(j, Cls::kTimeZone); z && Ok(j, i)) {
    tz = z->code;
    ++j;
  } else if (Ok(j, i) && g_.at(j).kind == LexKind::kLatin && (g_.at(j).norm == "gmt" || g_.at(j).norm == "utc")) {
    tz = "+00:00";
    ++j;
  }
  bool has_minutes = minute >= 0;
  if (!hour_word && !has_minutes && pod.empty()) return false;
  if (!hour_word && !has_minutes && (hour < 1 || hour > 12)) return false;
  if (minute < 0) minute = 0;
  if (pod == "afternoon" || pod == "evening") {
    if (hour < 12) hour += 12;
  } else if (pod == "noon") {
    if (hour < 6) hour += 12;
  } else if (pod == "night") {
    if (hour >= 6 && hour < 12) hour += 12;
    else if (hour == 12) hour = 0;
  } else if (pod == "morning" || pod == "dawn") {
    if (hour == 12) hour = 0;
  }
  if (hour == 24) hour = 0;
  if (hour < 0) hour += 24;
  DateMention m;
  m.type = DateType::kTime;
  m.grain = has_minutes ? Grain::kMinute : Grain::kHour;
  m.value = Fmt("T%02d:%02d", hour, minute);
  if (!tz.empty() && (tz[0] == '+' || tz[0] == '-')) m.value += tz == "+00:00" ? "Z" : tz;
  m.part_of_day = pod;
  m.timezone = tz;
  Emit(std::move(m), i, j);
  *next = j;
  return true;
}

bool DateParser::DayMonth(size_t i, size_t* next) {
  size_t j = i;
  size_t first = i;
  if (Entry(j, Cls::kDayWord) && Entry(j + 1, Cls::kWeekday)) ++j;  // يوم الخميس
  bool weekday = false;
  if (Entry(j, Cls::kWeekday) && Ok(j, i)) {
    weekday = true;
    ++j;
    if (Entry(j, Cls::kRelMod) && Ok(j, i) && ReadDay(j + 1, i).ok) ++j;  // الأحد القادم 9 أفريل
    if (Ok(j, i) && g_.at(j).IsPunct("\u060C")) ++j;                 // الخميس، 5 مايو
    if (Entry(j, Cls::kMuwafiq) && Ok(j, i)) ++j;                      // الخميس الموافق
    if (Ok(j, i) && (g_.at(j).norm == "\u062A\u0627\u0631\u064A\u062E" ||
                     g_.at(j).norm == "\u0628\u062A\u0627\u0631\u064A\u062E"))  // تاريخ بتاريخ
      ++j;
  } else if (Entry(j, Cls::kDayWord) && Ok(j + 1, i)) {
    ++j;  // يوم 5 مايو
  }
  bool range_from = false, range_between = false;
  if (g_.Word(j, Cls::kFrom) && Ok(j, i) && !weekday) range_from = true, ++j;
  else if (g_.Word(j, Cls::kBetween) && Ok(j, i) && !weekday) range_between = true, ++j;
  Day d1 = ReadDay(j, i);
  if (!d1.ok) return false;
  j = d1.next;
  Day d2;
  // 5 و6 مايو، من 5 إلى 10 مايو، 5-10 مايو
  if (Ok(j, i)) {
    const Lexeme& l = g_.at(j);
    if ((l.clitics & kWa) && !range_from) {
      d2 = ReadDay(j, i);
    } else if (l.Is(Cls::kAnd) && !range_from) {
      d2 = ReadDay(j + 1, i);
    } else if (l.Is(Cls::kTo) || ((l.IsPunct("-") || l.IsPunct("\u2013")) && !range_between)) {
      d2 = ReadDay(j + 1, i);
    }
    if (d2.ok && d2.day > d1.day) j = d2.next;
    else d2.ok = false;
  }
  if ((range_from || range_between) && !d2.ok) return false;
  if (g_.Word(j, Cls::kFrom) && Ok(j, i)) ++j;  // الأول من مارس
  Month mo = ReadMonth(j, i);
  if (!mo.ok) return false;
  j = mo.next;
  Year y = ReadYear(j, i, true);
  int relmod = 2;
  if (y.ok) {
    j = y.next;
  } else {
    size_t k = j;
    if (g_.Word(k, Cls::kFrom) && Entry(k + 1, Cls::kPeriod)) ++k;  // من العام الجاري
    size_t after = k;
    if (Entry(k, Cls::kPeriod) && std::string_view(g_.at(k).Find(Cls::kPeriod)->code) == "year") {
      int r = ReadRelMod(k + 1, i, &after);
      if (r != 2) relmod = r, j = after;
    } else {
      int r = ReadRelMod(j, i, &after);
      if (r != 2) relmod = r, j = after;
    }
  }
  bool hijri = mo.hijri || y.era == 'H';
  if (mo.hijri && y.ok && y.era == 'G') return false;
  // هجمات 11 سبتمبر، أحداث 14 جانفي: a named event, not this year's date.
  bool event = false;
  if (first > 0 && g_.Ok(first - 1, first) && !y.ok && relmod == 2) {
    std::string_view p = g_.at(first - 1).norm;
    if (p.substr(0, 2) == "\u0648" || p.substr(0, 2) == "\u0628" || p.substr(0, 2) == "\u0644") p.remove_prefix(2);
    event = p == "\u0647\u062C\u0645\u0627\u062A" || p == "\u0627\u062D\u062F\u0627\u062B" ||  // هجمات احداث
            p == "\u0627\u0639\u062A\u062F\u0627\u0621\u0627\u062A" ||                          // اعتداءات
            p == "\u062A\u0641\u062C\u064A\u0631\u0627\u062A" || p == "\u062B\u0648\u0631\u0629";  // تفجيرات ثورة
  }
  std::optional<int32_t> saved_ref = ref_;
  if (event) ref_.reset();
  struct Restore {
    std::optional<int32_t>* ref;
    std::optional<int32_t> value;
    ~Restore() { *ref = value; }
  } restore{&ref_, saved_ref};
  DateMention m;
  m.type = d2.ok ? DateType::kInterval : DateType::kDate;
  auto fill = [&](int day, DateMention* out) {
    if (y.ok) {
      int year = y.year;
      if (!SetDate(year, mo.month, day, hijri, out)) return false;
    } else if (relmod != 2 && relmod != 0 && ref_) {
      Resolve(mo.month, day, hijri, relmod, out);
    } else if (relmod == 0 && ref_) {
      Resolve(mo.month, day, hijri, 0, out);
    } else {
      Resolve(mo.month, day, hijri, relmod, out);
    }
    return true;
  };
  if (!fill(d1.day, &m)) return false;
  if (d2.ok) {
    DateMention end;
    if (!fill(d2.day, &end)) return false;
    if (!m.value.empty() && !end.value.empty()) m.value += "/" + end.value;
    if (!m.hijri.empty() && !end.hijri.empty()) m.hijri += "/" + end.hijri;
  }
  // بين 5 يناير و1 فبراير 2019: the second date gives the year of the first.
  if (!y.ok && relmod == 2 && !d2.ok && Ok(j, i)) {
    size_t b = g_.size();
    if (g_.at(j).clitics & kWa) b = j;
    else if (g_.at(j).Is(Cls::kTo) || g_.at(j).Is(Cls::kAnd)) b = j + 1;
    size_t save = out_->size(), after = 0;
    if (b < g_.size() && Ok(b, i) && DayMonth(b, &after) && out_->size() == save + 1) {
      DateMention end = std::move(out_->back());
      out_->pop_back();
      int end_year = end.value.size() >= 4 && end.value[0] != 'X' ? std::stoi(end.value.substr(0, 4)) : 0;
      bool explicit_year = !end.relative && end.grain == Grain::kDay && end.hijri.empty();
      DateMention begin;
      if (explicit_year && !hijri && end_year > 0) {
        int year = mo.month > std::stoi(end.value.substr(5, 2)) ? end_year - 1 : end_year;
        if (SetDate(year, mo.month, d1.day, false, &begin)) {
          begin.type = DateType::kInterval;
          begin.value += "/" + end.value;
          if (first > 0 && g_.Ok(first - 1, first) && Free(first - 1) &&
              (g_.at(first - 1).Is(Cls::kBetween) || g_.at(first - 1).Is(Cls::kFrom)))
            --first;  // بين ... و ...، من ... إلى ...
          Emit(std::move(begin), first, after);
          *next = after;
          return true;
        }
      }
      for (size_t u = b; u < after; ++u) used_[u] = 0;
    }
  }
  // الموافق: the same day in the other calendar.
  size_t k = j;
  if (Ok(k, i) && (g_.at(k).IsPunct("\u060C") || g_.at(k).IsPunct(","))) ++k;
  if (Entry(k, Cls::kMuwafiq) && Ok(k, i) && !d2.ok) {
    size_t save = out_->size();
    size_t after = 0;
    if (DayMonth(k + 1, &after) && out_->size() == save + 1) {
      DateMention other = std::move(out_->back());
      out_->pop_back();
      for (size_t u = k + 1; u < after; ++u) used_[u] = 0;
      if (hijri && other.hijri.empty()) {
        m.value = other.value;  // as written in Gregorian
        m.calendar = "gregorian";
      } else if (!hijri && !other.hijri.empty()) {
        m.hijri = other.hijri;
      }
      j = after;
    }
  }
  (void)first;
  Emit(std::move(m), first, j);
  *next = j;
  return true;
}

bool DateParser::MonthYear(size_t i, size_t* next) {
  Month mo = ReadMonth(i, i);
  if (!mo.ok) return false;
  size_t j = mo.next;
  Year y = ReadYear(j, i, true);
  if (!y.ok && Ok(j, i) && (g_.at(j).clitics & kWa)) {
    // جانفي وفيفري 2016: the first month takes the year of the second.
    Month mo2 = ReadMonth(j, i);
    if (mo2.ok && mo2.hijri == mo.hijri) {
      Year y2 = ReadYear(mo2.next, i, true);
      if (y2.ok) {
        DateMention m;
        if (!SetDate(y2.year, mo.month, 0, mo.hijri || y2.era == 'H', &m)) return false;
        Emit(std::move(m), i, j);
        *next = j;
        return true;
      }
    }
  }
  int relmod = 2;
  if (y.ok) {
    j = y.next;
  } else {
    size_t after = j;
    relmod = ReadRelMod(j, i, &after);
    j = after;
  }
  bool cue = i > 0 && g_.Ok(i - 1, i) &&
             (g_.at(i - 1).Is(Cls::kCue) || g_.at(i - 1).Is(Cls::kFrom) || g_.at(i - 1).Is(Cls::kTo));
  if (!y.ok && relmod == 2) {
    if (mo.needs_context && !mo.month_word) return false;
    if (mo.hijri && !mo.month_word) return false;
    if (!cue && !mo.month_word && mo.next == i + 1) return false;
  }
  bool hijri = mo.hijri || y.era == 'H';
  DateMention m;
  if (y.ok) {
    if (!SetDate(y.year, mo.month, 0, hijri, &m)) return false;
  } else {
    Resolve(mo.month, 0, hijri, relmod, &m);
  }
  Emit(std::move(m), i, j);
  *next = j;
  return true;
}

bool DateParser::YearAt(size_t i, size_t* next) {
  size_t j = i;
  bool between = false, from = false;
  if (g_.Word(j, Cls::kBetween) && Ok(j, i)) between = true, ++j;
  else if (g_.Word(j, Cls::kFrom) && Ok(j, i) && !Entry(j + 1, Cls::kYearWord)) from = true, ++j;
  // عامي 2016 و2017
  if (const WordEntry* w = Entry(j, Cls::kYearWord); w && w->value == 2 && Ok(j, i)) {
    Year a = ReadYear(j + 1, i, true);
    if (!a.ok || !Ok(a.next, i) || !(g_.at(a.next).clitics & kWa)) return false;
    Year b = ReadYear(a.next, i, true);
    if (!b.ok || b.year <= a.year) return false;
    DateMention ma, mb;
    bool hijri = a.era == 'H' || b.era == 'H';
    if (!SetDate(a.year, 0, 0, hijri, &ma) || !SetDate(b.year, 0, 0, hijri, &mb)) return false;
    if (between) {
      ma.type = DateType::kInterval;
      ma.value = ma.value.substr(0, ma.value.find('/')) + "/" +
                 (mb.value.find('/') == std::string::npos ? mb.value : mb.value.substr(mb.value.find('/') + 1));
      if (hijri) ma.hijri += "/" + mb.hijri;
      Emit(std::move(ma), i, b.next);
    } else {
      Emit(std::move(ma), j, a.next);
      Emit(std::move(mb), a.next, b.next);
    }
    *next = b.next;
    return true;
  }
  bool cue = i > 0 && g_.Ok(i - 1, i) && (g_.at(i - 1).Is(Cls::kCue) || g_.at(i - 1).Is(Cls::kFrom));
  Year a = ReadYear(j, i, cue || between || from);
  bool dash_range = false;
  if (!a.ok && !between && !from && IsIntNumber(j) && g_.at(j).int_digits == 4 && Ok(j + 2, i) &&
      (g_.at(j + 1).IsPunct("-") || g_.at(j + 1).IsPunct("/")) && g_.Adjacent(j, j + 1) && g_.Adjacent(j + 1, j + 2)) {
    a = ReadYear(j, i, true);
    Year hb = ReadYear(j + 2, i, true);
    bool hijri_pair = a.ok && hb.ok && hb.era == 'H' && a.year >= 1300 && a.year <= 1500;  // 1436- 1437هـ
    if (hijri_pair) a.era = 'H';
    dash_range = a.ok && hb.ok && ((a.year >= 1900 && a.year <= 2100) || hijri_pair);
    if (!dash_range) a = Year();
  }
  // 1923 - ...: a year heading a line of a chronology.
  if (!a.ok && !between && !from && IsIntNumber(j) && g_.at(j).int_digits == 4 && Ok(j + 1, i) &&
      (j == 0 || g_.at(j - 1).sentence != g_.at(j).sentence || g_.at(j - 1).IsPunct(":")) &&
      (g_.at(j + 1).IsPunct("-") || g_.at(j + 1).IsPunct(":") || g_.at(j + 1).IsPunct("\u2013")) &&
      !IsNumber(j + 2)) {
    a = ReadYear(j, i, true);
  }
  if (!a.ok) return false;
  if (!a.word && !a.era && (a.year < 1800 || a.year > 2100)) return false;
  size_t k = a.next;
  Year b;
  if (between && Ok(k, i)) {
    if (g_.at(k).clitics & kWa) b = ReadYear(k, i, true);
    else if (g_.at(k).Is(Cls::kAnd)) b = ReadYear(k + 1, i, true);
  } else if ((from || a.word) && g_.Word(k, Cls::kTo) && Ok(k, i)) {
    b = ReadYear(k + 1, i, true);
  } else if (Ok(k + 1, i) && (g_.at(k).IsPunct("-") || (dash_range && g_.at(k).IsPunct("/"))) &&
             g_.Adjacent(k - 1, k) && g_.Adjacent(k, k + 1)) {
    b = ReadYear(k + 1, i, true);
  }
  size_t span_end = b.ok ? b.next : a.next;
  if (b.ok && b.year == a.year - 1 && g_.at(k).IsPunct("/")) std::swap(a, b);  // 2019/2018
  if (b.ok && b.year <= a.year) b.ok = false;
  if ((between || from || dash_range) && !b.ok) return false;
  bool hijri = a.era == 'H' || b.era == 'H';
  DateMention m;
  int year = a.era == 'B' ? -a.year : a.year;
  if (!SetDate(year, 0, 0, hijri, &m)) return false;
  size_t end = a.next;
  if (b.ok) {
    DateMention mb;
    if (!SetDate(b.year, 0, 0, hijri, &mb)) return false;
    m.type = DateType::kInterval;
    m.value = m.value.substr(0, m.value.find('/')) + "/" +
              (mb.value.find('/') == std::string::npos ? mb.value : mb.value.substr(mb.value.find('/') + 1));
    if (hijri) m.hijri += "/" + mb.hijri;
    end = span_end;
  }
  // A number of people or money is not a year: «عام 2014 شخص» does not happen, but «2014 شخص» might.
  if (!a.word && !a.era && !b.ok && Ok(end, i) && !(g_.at(end).clitics & (kConj | kPrep)) &&
      (g_.at(end).Is(Cls::kCount) || g_.at(end).Is(Cls::kUnit) || g_.at(end).Is(Cls::kCur) ||
       g_.at(end).Is(Cls::kMult)))
    return false;
  Emit(std::move(m), (between || from) ? i : j, end);
  // عام 2002 و2004: the years of a list.
  while (!b.ok && Ok(end, i) && (g_.at(end).clitics & kWa) && IsIntNumber(end) && g_.at(end).int_digits == 4) {
    Year more = ReadYear(end, i, true);
    if (!more.ok || more.year < 1800 || more.year > 2100) break;
    DateMention mm;
    if (!SetDate(more.year, 0, 0, hijri || more.era == 'H', &mm)) break;
    Emit(std::move(mm), end, more.next);
    end = more.next;
  }
  *next = end;
  return true;
}

bool DateParser::Relative(size_t i, size_t* next) {
  const Lexeme& l = g_.at(i);
  // صباح اليوم، مساء أمس
  std::string pod;
  size_t j = i;
  if (const WordEntry* p = l.Find(Cls::kPartOfDay); p && Entry(i + 1, Cls::kRelDay) && Ok(i + 1, i)) {
    pod = p->code;
    ++j;
  }
  if (const WordEntry* r = Entry(j, Cls::kRelDay)) {
    Grain grain = GrainOf(r->code);
    int offset = static_cast<int>(r->value);
    // اليوم الأول، اليوم الوطني: "the day", not today.
    if (grain == Grain::kDay && offset == 0 && Ok(j + 1, i) && !r->Has('n')) {
      const Lexeme& after = g_.at(j + 1);
      if (after.Is(Cls::kOrd) || (after.kind == LexKind::kWord && after.norm.substr(0, 4) == "\u0627\u0644" &&
                                  !after.Is(Cls::kWeekday) && !after.Is(Cls::kPartOfDay)) ||
          (after.kind == LexKind::kNumber && (after.clitics & kAl)))
        return false;  // اليوم الأول، اليوم الوطني، اليوم الـ12
    }
    if (j > 0 && g_.Ok(j - 1, j) && grain == Grain::kDay && offset == 0) {
      std::string_view p = g_.at(j - 1).norm;
      if (p == "\u0630\u0644\u0643" || p == "\u0646\u0641\u0633") return false;  // ذلك اليوم، نفس اليوم
    }
    size_t k = j + 1;
    // أمس الأحد، اليوم (الاثنين)
    if (Entry(k, Cls::kWeekday) && Ok(k, i)) {
      ++k;
    } else if (Ok(k + 2, i) && g_.at(k).IsPunct("(") && g_.at(k + 1).Is(Cls::kWeekday) && g_.at(k + 2).IsPunct(")")) {
      k += 3;
    }
    if (pod.empty() && grain == Grain::kDay) {
      if (const WordEntry* p = Entry(k, Cls::kPartOfDay); p && Ok(k, i)) pod = p->code, ++k;
    }
    if (r->Has('n') && pod.empty()) pod = "night";
    // اليوم الاثنين 18 أفريل 2016: the written date says it all.
    if (grain == Grain::kDay) {
      size_t save = out_->size(), after = 0;
      size_t at = k;
      if (k > j + 1 && Entry(k - 1, Cls::kWeekday)) at = k - 1;
      if (at > j + 1 && g_.at(at - 1).IsPunct("(")) at = k;
      bool paren = Ok(k, i) && g_.at(k).IsPunct("(");
      if (paren) at = k + 1;
      if (DayMonth(at, &after) && out_->size() == save + 1) {
        if (paren && Ok(after, i) && g_.at(after).IsPunct(")")) ++after;
        DateMention d = std::move(out_->back());
        out_->pop_back();
        d.part_of_day = pod;
        Emit(std::move(d), i, after);
        *next = after;
        return true;
      }
    }
    DateMention m;
    m.grain = grain;
    m.relative = true;
    m.relative_to = Signed(offset, r->code);
    m.part_of_day = pod;
    if (ref_) {
      int32_t d = *ref_;
      if (grain == Grain::kDay) d += offset;
      else if (grain == Grain::kWeek) d += 7 * offset;
      else if (grain == Grain::kMonth) d = AddMonths(d, offset);
      else if (grain == Grain::kYear) d = AddMonths(d, 12 * offset);
      m.value = FormatAt(d, grain);
    }
    Emit(std::move(m), i, k);
    *next = k;
    return true;
  }
  // الأسبوع الماضي، الشهر المقبل، العام الجاري، القرن الماضي
  if (const WordEntry* p = l.Find(Cls::kPeriod); p && !used_[i]) {
    size_t after = i + 1;
    int relmod = ReadRelMod(i + 1, i, &after);
    if (relmod == 2) return false;
    Grain grain = GrainOf(p->code);
    DateMention m;
    m.grain = grain;
    m.relative = true;
    m.relative_to = Signed(relmod, p->code);
    if (ref_) {
      int32_t d = *ref_;
      if (grain == Grain::kWeek) d += 7 * relmod;
      else if (grain == Grain::kMonth) d = AddMonths(d, relmod);
      else if (grain == Grain::kYear) d = AddMonths(d, 12 * relmod);
      else if (grain == Grain::kDecade) d = AddMonths(d, 120 * relmod);
      else if (grain == Grain::kCentury) d = AddMonths(d, 1200 * relmod);
      m.value = FormatAt(d, grain);
    }
    Emit(std::move(m), i, after);
    *next = after;
    return true;
  }
  // منذ ثلاث سنوات، قبل يومين، بعد أسبوعين
  // منذ and قبل count back from the document's date; بعد mostly counts from another event
  // (بعد 9 أشهر من ...), so it is not resolved.
  if (const WordEntry* cue = l.Find(Cls::kCue); cue && cue->value >= 1 && cue->value <= 2 && !used_[i]) {
    size_t k = i + 1;
    bool approx = false;
    if (const WordEntry* q = Entry(k, Cls::kQual); q && q->value <= 3 && Ok(k, i)) approx = true, ++k;
    double n = 0;
    const WordEntry* unit = nullptr;
    size_t after = k;
    NumberValue v = Free(k) ? ReadNumber(g_, k) : NumberValue();
    if (v.ok && !v.compound_only && Ok(v.next, i)) {
      unit = g_.at(v.next).Find(Cls::kUnit);
      n = v.value;
      after = v.next + 1;
    } else if (Ok(k, i)) {
      unit = g_.at(k).Find(Cls::kUnit);
      if (unit && !unit->Has('d') && !unit->Has('s')) unit = nullptr;  // قبل أسابيع: vague
      n = unit ? unit->value : 0;  // يومين = 2, عام = 1
      after = k + 1;
      if (unit && !unit->Has('d') && (IsNumber(after) || g_.at(k).Is(Cls::kYearWord))) {
        if (IsNumber(after)) return false;  // منذ عام 2011: a year
      }
    }
    if (!unit || (g_.at(after - 1).clitics & kAl)) return false;
    std::string_view code = unit->code;
    if (code != "day" && code != "week" && code != "month" && code != "year" && code != "decade" &&
        code != "century")
      return false;
    if (!IsInt(n) || n <= 0 || n > 5000) return false;
    // قبل ثلاثة أيام من الانتخابات: relative to an event, not to the document.
    for (size_t k2 = after; k2 < after + 3 && Ok(k2, i); ++k2) {
      if (cue->value != 1 && (g_.at(k2).Is(Cls::kFrom) || g_.at(k2).norm == "\u0639\u0644\u0649")) return false;
      if (g_.at(k2).kind != LexKind::kWord) break;
    }
    int sign = cue->value == 3 ? 1 : -1;
    int count = static_cast<int>(n) * sign;
    Grain grain = GrainOf(code);
    DateMention m;
    m.grain = grain;
    m.relative = true;
    m.relative_to = Signed(count, code);
    if (approx) m.mod = "approx";
    if (ref_) {
      int32_t d = *ref_;
      if (code == "day") d += count;
      else if (code == "week") d += 7 * count;
      else if (code == "month") d = AddMonths(d, count);
      else if (code == "year") d = AddMonths(d, 12 * count);
      else if (code == "decade") d = AddMonths(d, 120 * count);
      else d = AddMonths(d, 1200 * count);
      m.value = FormatAt(d, grain == Grain::kWeek ? Grain::kDay : grain);
    }
    // The duration inside stays free for the numbers.
    Emit(std::move(m), i, after, /*mark=*/false);
    used_[i] = 1;
    *next = after;
    return true;
  }
  return false;
}

bool DateParser::Weekday(size_t i, size_t* next) {
  size_t j = i;
  if (Entry(j, Cls::kDayWord) && Entry(j + 1, Cls::kWeekday) && Ok(j + 1, i)) ++j;
  const WordEntry* w = Entry(j, Cls::kWeekday);
  if (!w) return false;
  if (j > 0 && g_.Ok(j - 1, j) && !used_[j - 1]) {
    std::string_view p = g_.at(j - 1).norm;
    if (p == "\u0633\u0648\u0642") return false;  // سوق الأحد: a town
    if (p.substr(0, 2) == "\u0648" || p.substr(0, 2) == "\u0641") p.remove_prefix(2);  // و ف
    // المواطنين الاثنين: "the two", after a definite dual or plural.
    if (w->value == 1 && p.size() > 8 && p.substr(0, 4) == "\u0627\u0644" &&
        (p.substr(p.size() - 4) == "\u064A\u0646" || p.substr(p.size() - 4) == "\u0627\u0646"))
      return false;
  }
  // الأحد عشر: eleven, not Sunday.
  if (const WordEntry* ten = Entry(j + 1, Cls::kNum); ten && ten->value == 10 && g_.Ok(j + 1, j)) return false;
  size_t after = j + 1;
  int relmod = ReadRelMod(j + 1, i, &after);
  std::string pod;
  if (const WordEntry* p = Entry(after, Cls::kPartOfDay); p && Ok(after, i)) pod = p->code, ++after;
  // صباح الأحد
  size_t first = i;
  if (i > 0 && g_.Ok(i - 1, i) && Free(i - 1) && pod.empty()) {
    if (const WordEntry* p = g_.at(i - 1).Find(Cls::kPartOfDay); p && g_.at(i - 1).norm.substr(0, 4) != "\u0627\u0644") {
      pod = p->code;
      first = i - 1;
    }
  }
  int wd = static_cast<int>(w->value);
  DateMention m;
  m.grain = Grain::kDay;
  m.relative = true;
  m.relative_to = relmod == -1 ? "last weekday" : relmod == 1 ? "next weekday" : "weekday";
  m.part_of_day = pod;
  if (ref_) {
    int ref_wd = IsoWeekday(*ref_);
    int back = (ref_wd - wd + 7) % 7;  // 0..6 days back
    int32_t d;
    if (relmod == 1) d = *ref_ + ((wd - ref_wd + 7) % 7 == 0 ? 7 : (wd - ref_wd + 7) % 7);
    else if (relmod == -1) d = *ref_ - (back == 0 ? 7 : back);
    else d = *ref_ - back;
    m.value = FormatDays(d);
  } else {
    m.value = Fmt("XXXX-WXX-%d", wd);
  }
  Emit(std::move(m), first, after);
  *next = after;
  return true;
}

bool DateParser::Decade(size_t i, size_t* next) {
  size_t j = i;
  const WordEntry* d = Entry(j, Cls::kDecade);
  if (!d) return false;
  int decade = static_cast<int>(d->value);
  ++j;
  // من القرن الماضي، القرن العشرين، القرن الحالي
  size_t k = j;
  if (g_.Word(k, Cls::kFrom) && Ok(k, i)) ++k;
  if (const WordEntry* p = Entry(k, Cls::kPeriod); p && std::string_view(p->code) == "century" && Ok(k, i)) {
    size_t after = k + 1;
    int relmod = ReadRelMod(k + 1, i, &after);
    if (relmod == 0) decade += 100;
    if (relmod != 2) j = after;
    else if (const WordEntry* n = Entry(k + 1, Cls::kNum); n && n->value == 20 && Ok(k + 1, i)) j = k + 2;
    else if (const WordEntry* o = Entry(k + 1, Cls::kOrd); o && o->value == 1 && Ok(k + 2, i) &&
                                                         g_.at(k + 2).Is(Cls::kNum) &&
                                                         g_.at(k + 2).Find(Cls::kNum)->value == 20) {
      decade += 100;
      j = k + 3;
    }
  }
  DateMention m;
  m.grain = Grain::kDecade;
  m.value = Fmt("%03dX", decade / 10);
  Emit(std::move(m), i, j);
  *next = j;
  return true;
}

bool DateParser::Century(size_t i, size_t* next) {
  const WordEntry* p = Entry(i, Cls::kPeriod);
  if (!p || std::string_view(p->code) != "century") return false;
  size_t j = i + 1;
  int n = 0;
  if (!Ok(j, i)) return false;
  const Lexeme& l = g_.at(j);
  if (const WordEntry* o = l.Find(Cls::kOrd)) {
    n = static_cast<int>(o->value);
    ++j;
    if (const WordEntry* ten = Entry(j, Cls::kNum); ten && ten->value == 10 && Ok(j, i)) {
      n += 10, ++j;
    } else if (const WordEntry* tens = Entry(j, Cls::kNum); tens && tens->value == 20 && (g_.at(j).clitics & kWa)) {
      n += 20, ++j;
    } else if (o->Has('c')) {
      return false;
    }
  } else if (const WordEntry* t = l.Find(Cls::kNum); t && t->value == 20 && (l.clitics & kAl)) {
    n = 20, ++j;
  } else if (IsIntNumber(j) && l.number >= 1 && l.number <= 30) {
    n = static_cast<int>(l.number), ++j;
  } else if (l.kind == LexKind::kWord && l.norm == "\u0627\u0644" && IsIntNumber(j + 1) && Ok(j + 1, i)) {
    n = static_cast<int>(g_.at(j + 1).number), j += 2;
  } else {
    return false;
  }
  if (n < 1 || n > 30) return false;
  DateMention m;
  m.grain = Grain::kCentury;
  m.value = Fmt("%02dXX", n - 1);
  Emit(std::move(m), i, j);
  *next = j;
  return true;
}

void DateParser::Run() {
  for (size_t i = 0; i < g_.size();) {
    if (used_[i]) {
      ++i;
      continue;
    }
    size_t next = i + 1;
    if (NumericDate(i, &next) || DayMonth(i, &next) || Clock(i, &next) || MonthYear(i, &next) ||
        YearAt(i, &next) || Decade(i, &next) || Century(i, &next) || Relative(i, &next) || Weekday(i, &next)) {
      i = std::max(next, i + 1);
      continue;
    }
    ++i;
  }
}

}  // namespace

void ExtractDates(Grammar* g, std::vector<DateMention>* out) { DateParser(g, out).Run(); }

}  // namespace rasid::extract
