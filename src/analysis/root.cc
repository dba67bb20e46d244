#include "rasid/analysis/root.h"

#include <initializer_list>

#include "rasid/text/utf8.h"

namespace rasid::analysis {

namespace {

using W = std::u32string;

// Letters by code point (analysis form).
constexpr char32_t kAlef = 0x0627;        // ALEF
constexpr char32_t kTeh = 0x062A;         // TEH
constexpr char32_t kTehMarbuta = 0x0629;  // TEH MARBUTA
constexpr char32_t kWaw = 0x0648;         // WAW
constexpr char32_t kYeh = 0x064A;         // YEH
constexpr char32_t kMeem = 0x0645;        // MEEM
constexpr char32_t kNoon = 0x0646;        // NOON
constexpr char32_t kHeh = 0x0647;         // HEH
constexpr char32_t kYehHamza = 0x0626;    // YEH WITH HAMZA ABOVE

bool In(char32_t c, std::initializer_list<char32_t> set) {
  for (char32_t x : set) {
    if (x == c) return true;
  }
  return false;
}
bool StartsWith(const W& w, std::u32string_view p) { return w.compare(0, p.size(), p) == 0; }
bool EndsWith(const W& w, std::u32string_view p) {
  return w.size() >= p.size() && w.compare(w.size() - p.size(), p.size(), p) == 0;
}

const std::u32string_view kP3[] = {U"كال", U"بال", U"ولل", U"وال"};
const std::u32string_view kP2[] = {U"ال", U"لل"};
const std::u32string_view kS3[] = {U"تمل", U"همل", U"تان", U"تين", U"كمل"};
const std::u32string_view kS2[] = {U"ون", U"ات", U"ان", U"ين", U"تن", U"كم", U"هن", U"نا",
                                   U"يا", U"ها", U"تم", U"كن", U"ني", U"وا", U"ما", U"هم"};
constexpr char32_t kS1[] = {U'ة', U'ه', U'ي', U'ك', U'ت', U'ا', U'ن'};
constexpr char32_t kPre1[] = {U'ل', U'ب', U'ف', U'س', U'و', U'ي', U'ت', U'ن', U'ا'};

void Pre32(W* w) {
  if (w->size() >= 6) {
    for (auto p : kP3) {
      if (StartsWith(*w, p)) { w->erase(0, 3); return; }
    }
  }
  if (w->size() >= 5) {
    for (auto p : kP2) {
      if (StartsWith(*w, p)) { w->erase(0, 2); return; }
    }
  }
}

void Suf32(W* w) {
  if (w->size() >= 6) {
    for (auto s : kS3) {
      if (EndsWith(*w, s)) { w->resize(w->size() - 3); return; }
    }
  }
  if (w->size() >= 5) {
    for (auto s : kS2) {
      if (EndsWith(*w, s)) { w->resize(w->size() - 2); return; }
    }
  }
}

void Suf1(W* w) {
  for (char32_t s : kS1) {
    if (!w->empty() && w->back() == s) { w->pop_back(); return; }
  }
}

void Pre1(W* w) {
  for (char32_t p : kPre1) {
    if (!w->empty() && w->front() == p) { w->erase(0, 1); return; }
  }
}

void ProW4(W* w) {
  W& x = *w;
  if (x[0] == kMeem) x.erase(0, 1);                                  // مفعل
  else if (x[1] == kAlef) x.erase(1, 1);                             // فاعل
  else if (In(x[2], {kAlef, kWaw, kYeh})) x.erase(2, 1);             // فعال فعول فعيل
  else if (In(x[3], {kTehMarbuta, kHeh})) x.pop_back();             // فعلة
  else {
    Suf1(w);
    if (w->size() == 4) Pre1(w);
  }
}

void ProW54(W* w) {
  W& x = *w;
  if (In(x[0], {kAlef, kTeh, kMeem})) x.erase(0, 1);  // تفعلل افعلل مفعلل
  else if (x[4] == kTehMarbuta) x.pop_back();         // فعللة
  else if (x[2] == kAlef) x.erase(2, 1);              // فعالل
  else if (x[3] == kAlef) x.erase(3, 1);              // فعلال (زلزال), not in ISRI
}

void EndW5(W* w) {
  if (w->size() == 4) ProW4(w);
  else if (w->size() == 5) ProW54(w);
}

void ProW53(W* w) {
  W x = *w;
  auto set = [&](W r) { *w = std::move(r); };
  if (In(x[2], {kAlef, kTeh}) && x[0] == kAlef) set(W{x[1]} + x.substr(3));            // افتعل افاعل
  else if (In(x[3], {kAlef, kYeh, kWaw}) && x[0] == kMeem) set(x.substr(1, 2) + x[4]);  // مفعول
  else if (In(x[0], {kAlef, kTeh, kMeem}) && x[4] == kTehMarbuta) set(x.substr(1, 3));  // مفعلة
  else if (In(x[0], {kMeem, kYeh, kTeh}) && x[2] == kTeh) set(W{x[1]} + x.substr(3));  // مفتعل
  else if (In(x[0], {kMeem, kTeh}) && x[2] == kAlef) set(W{x[1]} + x.substr(3));       // مفاعل
  else if (In(x[2], {kAlef, kWaw}) && x[4] == kTehMarbuta) set(x.substr(0, 2) + x[3]);  // فعولة
  else if (In(x[0], {kAlef, kMeem}) && x[1] == kNoon) set(x.substr(2));                 // انفعل
  else if (x[3] == kAlef && x[0] == kAlef) set(x.substr(1, 2) + x[4]);                  // افعال
  else if (x[4] == kNoon && x[3] == kAlef) set(x.substr(0, 3));                         // فعلان
  else if (x[3] == kYeh && x[0] == kTeh) set(x.substr(1, 2) + x[4]);                    // تفعيل
  else if (x[3] == kWaw && x[1] == kAlef) set(W{x[0], x[2], x[4]});                     // فاعول
  else if (x[2] == kAlef && x[1] == kWaw) set(W{x[0]} + x.substr(3));                   // فواعل
  else if (x[3] == kYehHamza && x[2] == kAlef) set(x.substr(0, 2) + x[4]);              // فعائل
  else if (x[4] == kTehMarbuta && x[1] == kAlef) set(W{x[0]} + x.substr(2, 2));         // فاعلة
  else if (x[4] == kYeh && x[2] == kAlef) set(x.substr(0, 2) + x[3]);                   // فعالي
  else {
    Suf1(w);
    if (w->size() == 5) Pre1(w);
  }
}

void ProW64(W* w) {
  W x = *w;
  if (x[0] == kAlef && x[4] == kAlef) *w = x.substr(1, 3) + x[5];  // افعلال
  else if (StartsWith(x, U"مت")) *w = x.substr(2);                 // متفعلل
}

void ProW6(W* w) {
  W x = *w;
  if (StartsWith(x, U"است") || StartsWith(x, U"مست")) *w = x.substr(3);                   // استفعل
  else if (x[0] == kMeem && x[3] == kAlef && x[5] == kTehMarbuta) *w = x.substr(1, 2) + x[4];  // مفعالة
  else if (x[0] == kAlef && x[2] == kTeh && x[4] == kAlef) *w = W{x[1], x[3], x[5]};       // افتعال
  else if (x[0] == kAlef && x[3] == kWaw && x[2] == x[4]) *w = W{x[1]} + x.substr(4);      // افعوعل
  else if (x[0] == kTeh && x[2] == kAlef && x[4] == kYeh) *w = W{x[1], x[3], x[5]};        // تفاعيل
  else {
    Suf1(w);
    if (w->size() == 6) Pre1(w);
  }
}

void EndW6(W* w) {
  if (w->size() == 5) {
    ProW53(w);
    EndW5(w);
  } else if (w->size() == 6) {
    ProW64(w);
  }
}

}  // namespace

std::string ExtractRoot(std::string_view word) {
  W w;
  for (size_t i = 0; i < word.size();) w.push_back(text::NextCodePoint(word, &i));
  for (char32_t c : w) {
    if (c < 0x0621 || c > 0x064A) return std::string(word);  // not a plain Arabic word
  }
  Pre32(&w);
  Suf32(&w);
  if (w.size() >= 4 && w[0] == kWaw && w[1] == kWaw) w.erase(0, 1);
  switch (w.size()) {
    case 4: ProW4(&w); break;
    case 5: ProW53(&w); EndW5(&w); break;
    case 6: ProW6(&w); EndW6(&w); break;
    case 7:
      Suf1(&w);
      if (w.size() == 7) Pre1(&w);
      if (w.size() == 6) { ProW6(&w); EndW6(&w); }
      break;
    default: break;
  }
  std::string out;
  for (char32_t c : w) text::AppendUtf8(c, &out);
  return out;
}

}  // namespace rasid::analysis
