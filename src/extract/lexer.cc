#include "extract/lexer.h"

#include <cmath>

#include "rasid/text/utf8.h"

namespace rasid::extract {

namespace {

using analysis::TokenKind;

// Letters in the normal form (UTF-8).
constexpr std::string_view kWaw = "\u0648";     // WAW
constexpr std::string_view kFeh = "\u0641";     // FEH
constexpr std::string_view kBeh = "\u0628";     // BEH
constexpr std::string_view kLam = "\u0644";     // LAM
constexpr std::string_view kKaf = "\u0643";     // KAF
constexpr std::string_view kArticle = "\u0627\u0644";  // ALEF LAM
constexpr size_t kLetter = 2;                   // bytes of an Arabic letter

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

struct Candidate {
  std::string_view form;
  uint8_t clitics;
  uint8_t trimmed;  // letters left out of the span
};

// The word without its proclitics, least stripped first.
int Candidates(std::string_view w, std::deque<std::string>* kept, Candidate (&out)[8]) {
  int n = 0;
  out[n++] = {w, 0, 0};
  if (w.size() >= 3 * kLetter && (StartsWith(w, kWaw) || StartsWith(w, kFeh))) {
    out[n++] = {w.substr(kLetter), static_cast<uint8_t>(StartsWith(w, kWaw) ? kWa : kFa), 1};
  }
  int bases = n;
  for (int b = 0; b < bases; ++b) {
    std::string_view f = out[b].form;
    if (f.size() <= 3 * kLetter) continue;
    if (StartsWith(f, kLam) && StartsWith(f.substr(kLetter), kLam)) {
      // ل + ال is written لل: the article comes back, the span keeps the ل.
      kept->push_back(std::string(kArticle) + std::string(f.substr(2 * kLetter)));
      out[n++] = {kept->back(), static_cast<uint8_t>(out[b].clitics | kLi), out[b].trimmed};
    } else if (StartsWith(f, kBeh) || StartsWith(f, kLam) || StartsWith(f, kKaf)) {
      uint8_t c = StartsWith(f, kBeh) ? kBi : StartsWith(f, kLam) ? kLi : kKa;
      out[n++] = {f.substr(kLetter), static_cast<uint8_t>(out[b].clitics | c),
                  static_cast<uint8_t>(out[b].trimmed + 1)};
    }
  }
  bases = n;
  for (int b = 0; b < bases && n < 8; ++b) {
    std::string_view f = out[b].form;
    if (f.size() >= 4 * kLetter && StartsWith(f, kArticle)) {
      out[n++] = {f.substr(2 * kLetter), static_cast<uint8_t>(out[b].clitics | kAl), out[b].trimmed};
    }
  }
  return n;
}

bool IsDigitCp(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9);
}
bool IsSepCp(char32_t c) { return c == '.' || c == ',' || c == 0x066B || c == 0x066C; }
bool IsArabicLetterCp(char32_t c) {
  return (c >= 0x0621 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) || (c >= 0x06FA && c <= 0x06FF) ||
         c == 0x0640;
}

}  // namespace

size_t SkipLetters(std::string_view surface, size_t letters, const analysis::Normalizer& normalizer) {
  size_t pos = 0;
  while (pos < surface.size()) {
    size_t next = pos;
    char32_t cp = text::NextCodePoint(surface, &next);
    bool removed = normalizer.Removes(cp);
    if (!removed) {
      if (letters == 0) break;
      --letters;
    }
    pos = next;
  }
  return pos;
}

Lexer::Lexer(const WordTable* table, const analysis::Normalizer* normalizer)
    : table_(table), normalizer_(normalizer) {}

std::string_view Lexer::Keep(std::string_view s) {
  kept_.emplace_back(s);
  return kept_.back();
}

bool Lexer::AddNumber(std::string_view d, uint32_t start, uint32_t end, Lexeme* lx) {
  // d holds ASCII digits and '.' ',' (the normal form of every digit script).
  size_t dots = 0, commas = 0, last_dot = 0, last_comma = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i] == '.') ++dots, last_dot = i;
    if (d[i] == ',') ++commas, last_comma = i;
  }
  char decimal_mark = 0;
  if (dots && commas) {
    decimal_mark = last_dot > last_comma ? '.' : ',';
  } else if (dots || commas) {
    char mark = dots ? '.' : ',';
    size_t count = dots ? dots : commas;
    bool groups_of_three = true;
    size_t prev = std::string_view::npos;
    for (size_t i = 0; i <= d.size(); ++i) {
      if (i == d.size() || d[i] == mark) {
        if (prev != std::string_view::npos && i - prev - 1 != 3) groups_of_three = false;
        prev = i;
      }
    }
    // 5.000.000 and 1,200 group thousands; 7.7 and 7,5 are decimals.
    if (count > 1 && groups_of_three) {
      decimal_mark = 0;
    } else if (mark == ',' && groups_of_three) {
      decimal_mark = 0;
    } else if (count == 1) {
      decimal_mark = mark;
    } else {
      return false;
    }
  }
  double value = 0, scale = 0.1;
  bool in_fraction = false;
  int int_digits = 0;
  for (char c : d) {
    if (c >= '0' && c <= '9') {
      if (in_fraction) {
        value += (c - '0') * scale;
        scale /= 10;
      } else {
        value = value * 10 + (c - '0');
        ++int_digits;
      }
    } else if (c == decimal_mark) {
      in_fraction = true;
    }
  }
  lx->kind = LexKind::kNumber;
  lx->number = value;
  lx->decimal = in_fraction;
  lx->grouped = (dots || commas) && !in_fraction ? true : (dots && commas);
  lx->leading_zero = d.size() > 1 && d[0] == '0' && d[1] != '.' && d[1] != ',';
  lx->int_digits = static_cast<uint8_t>(std::min(int_digits, 255));
  lx->start = start;
  lx->end = end;
  lx->norm = d;
  return true;
}

void Lexer::AddWord(std::string_view text, size_t i, std::vector<Lexeme>* out, size_t* consumed) {
  const analysis::Token& t = tokens_[i];
  std::string_view w = Norm(i);
  Candidate cands[8];
  int n = Candidates(w, &kept_, cands);
  Lexeme lx;
  lx.kind = LexKind::kWord;
  lx.outer_start = t.start;
  lx.sentence = t.sentence;
  *consumed = 1;
  auto finish = [&](const Candidate& c, size_t words, std::span<const WordEntry* const> entries) {
    std::string_view surface = text.substr(t.start, t.end - t.start);
    lx.start = t.start + static_cast<uint32_t>(c.trimmed ? SkipLetters(surface, c.trimmed, *normalizer_) : 0);
    lx.end = tokens_[i + words - 1].end;
    lx.clitics = c.clitics;
    lx.norm = c.form;
    lx.entries = entries;
    *consumed = words;
    out->push_back(lx);
  };
  for (int k = 0; k < n; ++k) {
    int max = table_->MaxWords(cands[k].form);
    if (max <= 1) continue;
    for (size_t words = std::min<size_t>(max, tokens_.size() - i); words >= 2; --words) {
      key_.assign(cands[k].form);
      for (size_t j = 1; j < words; ++j) {
        key_ += ' ';
        key_ += Norm(i + j);
      }
      auto entries = table_->Find(key_);
      if (!entries.empty()) {
        if (words > 1) cands[k].form = Keep(key_);
        finish(cands[k], words, entries);
        return;
      }
    }
  }
  for (int k = 0; k < n; ++k) {
    auto entries = table_->Find(cands[k].form);
    if (!entries.empty()) {
      finish(cands[k], 1, entries);
      return;
    }
  }
  finish(cands[0], 1, {});
}

void Lexer::AddMixed(std::string_view text, const analysis::Token& t, std::vector<Lexeme>* out) {
  struct Piece {
    char kind;  // 'd' digits, 'a' Arabic letters, 'p' other
    uint32_t start, end;
  };
  Piece pieces[16];
  int n = 0;
  std::string_view surface = text.substr(t.start, t.end - t.start);
  size_t pos = 0;
  auto opaque = [&] {
    Lexeme lx;
    lx.kind = LexKind::kOther;
    lx.start = lx.outer_start = t.start;
    lx.end = t.end;
    lx.sentence = t.sentence;
    out->push_back(lx);
  };
  while (pos < surface.size()) {
    size_t next = pos;
    char32_t cp = text::NextCodePoint(surface, &next);
    char kind;
    if (IsDigitCp(cp)) {
      kind = 'd';
    } else if (IsSepCp(cp) && n > 0 && pieces[n - 1].kind == 'd' && next < surface.size()) {
      size_t after = next;
      kind = IsDigitCp(text::NextCodePoint(surface, &after)) ? 'd' : 'p';
    } else if (IsArabicLetterCp(cp) || (normalizer_->Removes(cp) && n > 0 && pieces[n - 1].kind == 'a')) {
      kind = 'a';
    } else if (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) {
      return opaque();  // Latin letters: F-16, 4G, iPhone8
    } else if (normalizer_->Removes(cp)) {
      pos = next;
      continue;
    } else {
      kind = 'p';
    }
    if (n > 0 && pieces[n - 1].kind == kind && kind != 'p') {
      pieces[n - 1].end = static_cast<uint32_t>(next);
    } else {
      if (n == 16) return opaque();
      pieces[n++] = {kind, static_cast<uint32_t>(pos), static_cast<uint32_t>(next)};
    }
    pos = next;
  }
  uint8_t clitics = 0;
  int first = 0;
  uint32_t outer = t.start;
  if (n > 1 && pieces[0].kind == 'a' && pieces[1].kind == 'd') {
    std::string prefix = normalizer_->Normalize(surface.substr(pieces[0].start, pieces[0].end - pieces[0].start));
    std::string_view p = prefix;
    if (StartsWith(p, kWaw)) clitics |= kWa, p.remove_prefix(kLetter);
    else if (StartsWith(p, kFeh)) clitics |= kFa, p.remove_prefix(kLetter);
    bool al_kept = false;
    if (StartsWith(p, kLam) && p.size() == 2 * kLetter && StartsWith(p.substr(kLetter), kLam)) {
      clitics |= kLi | kAl, p = {};  // لل
    } else if (StartsWith(p, kBeh) || StartsWith(p, kLam) || StartsWith(p, kKaf)) {
      clitics |= StartsWith(p, kBeh) ? kBi : StartsWith(p, kLam) ? kLi : kKa;
      p.remove_prefix(kLetter);
    }
    if (p == kArticle) clitics |= kAl, p = {}, al_kept = true;
    if (!p.empty()) return opaque();  // كوفيد-19: a name with a number
    first = al_kept ? 0 : 1;
    if (al_kept) {
      // The span of الـ15 starts at the article: skip the conjunction and preposition letters only.
      size_t skip = ((clitics & kConj) ? 1 : 0) + ((clitics & kPrep) ? 1 : 0);
      pieces[0].start = static_cast<uint32_t>(SkipLetters(surface, skip, *normalizer_));
    }
  } else if (n > 0 && pieces[0].kind == 'a') {
    return opaque();
  }
  // Wire-service decimals: 61ر1 is 1.61 and 1ر0 is 0.1 (fraction, REH, integer part).
  if (n - first == 3 && pieces[first].kind == 'd' && pieces[first + 1].kind == 'a' && pieces[first + 2].kind == 'd' &&
      normalizer_->Normalize(surface.substr(pieces[first + 1].start, pieces[first + 1].end - pieces[first + 1].start)) ==
          "\u0631") {  // REH
    std::string frac = normalizer_->Normalize(surface.substr(pieces[first].start, pieces[first].end - pieces[first].start));
    std::string whole =
        normalizer_->Normalize(surface.substr(pieces[first + 2].start, pieces[first + 2].end - pieces[first + 2].start));
    Lexeme lx;
    lx.sentence = t.sentence;
    lx.outer_start = outer;
    if (AddNumber(Keep(whole + "." + frac), t.start + pieces[first].start, t.end, &lx)) {
      lx.clitics = clitics;
      out->push_back(lx);
      return;
    }
  }
  bool first_number = true;
  for (int k = first; k < n; ++k) {
    const Piece& pc = pieces[k];
    std::string_view raw = surface.substr(pc.start, pc.end - pc.start);
    Lexeme lx;
    lx.start = t.start + pc.start;
    lx.end = t.start + pc.end;
    lx.outer_start = k == first ? outer : lx.start;
    lx.sentence = t.sentence;
    if (pc.kind == 'a' && k == 0) {
      // الـ before the number: it belongs to the number that follows.
      continue;
    }
    std::string norm = normalizer_->Normalize(raw);
    std::string_view kept = Keep(norm);
    if (pc.kind == 'd') {
      if (!AddNumber(kept, lx.start, lx.end, &lx)) return opaque();
      if (first_number) {
        lx.clitics = clitics;
        if (clitics & kAl) lx.start = t.start + pieces[0].start;
        lx.outer_start = outer;
        first_number = false;
      }
    } else if (pc.kind == 'a') {
      lx.kind = LexKind::kWord;
      lx.norm = kept;
      lx.entries = table_->Find(kept);
    } else {
      lx.kind = LexKind::kPunct;
      lx.norm = kept;
    }
    out->push_back(lx);
  }
}

void Lexer::Run(std::string_view text, std::vector<Lexeme>* out) {
  out->clear();
  tokens_.clear();
  kept_.clear();
  tokenizer_.Tokenize(text, &tokens_);
  arena_.clear();
  norm_off_.clear();
  norm_off_.push_back(0);
  for (const analysis::Token& t : tokens_) {
    normalizer_->AppendNormalized(text.substr(t.start, t.end - t.start), &arena_);
    norm_off_.push_back(static_cast<uint32_t>(arena_.size()));
  }
  for (size_t i = 0; i < tokens_.size();) {
    const analysis::Token& t = tokens_[i];
    Lexeme lx;
    lx.start = lx.outer_start = t.start;
    lx.end = t.end;
    lx.sentence = t.sentence;
    lx.norm = Norm(i);
    switch (t.kind) {
      case TokenKind::kArabic: {
        size_t consumed = 1;
        AddWord(text, i, out, &consumed);
        i += consumed;
        continue;
      }
      case TokenKind::kNumber:
        if (!AddNumber(Norm(i), t.start, t.end, &lx)) lx.kind = LexKind::kOther;
        break;
      case TokenKind::kPercent: {
        std::string_view d = Norm(i);
        if (!d.empty() && d.back() == '%') d.remove_suffix(1);
        if (!d.empty() && d.front() == '%') d.remove_prefix(1);
        if (!AddNumber(d, t.start, t.end, &lx)) lx.kind = LexKind::kOther;
        lx.percent = true;
        break;
      }
      case TokenKind::kMixed: {
        auto entries = table_->Find(Norm(i));
        if (!entries.empty()) {
          lx.kind = LexKind::kWord;
          lx.entries = entries;
          break;
        }
        AddMixed(text, t, out);
        ++i;
        continue;
      }
      case TokenKind::kPunct:
      case TokenKind::kSymbol:
        lx.kind = LexKind::kPunct;
        break;
      case TokenKind::kLatin:
        lx.kind = LexKind::kLatin;
        break;
      default:
        lx.kind = LexKind::kOther;
        break;
    }
    out->push_back(lx);
    ++i;
  }
  MergeSplitNumbers(out);
}

// و7٫7 is tokenised as و7 + ٫ + 7: glue the decimal back.
void Lexer::MergeSplitNumbers(std::vector<Lexeme>* out) {
  size_t w = 0;
  for (size_t r = 0; r < out->size(); ++r) {
    Lexeme& a = (*out)[r];
    if (r + 2 < out->size() && a.kind == LexKind::kNumber && !a.percent && !a.decimal) {
      const Lexeme& sep = (*out)[r + 1];
      const Lexeme& b = (*out)[r + 2];
      if (sep.kind == LexKind::kPunct && (sep.norm == "." || sep.norm == ",") && b.kind == LexKind::kNumber &&
          a.end == sep.start && sep.end == b.start && !b.decimal && !b.grouped) {
        std::string joined = std::string(a.norm) + "." + std::string(b.norm);
        Lexeme merged = a;
        if (AddNumber(Keep(joined), a.start, b.end, &merged)) {
          merged.clitics = a.clitics;
          merged.outer_start = a.outer_start;
          merged.percent = b.percent;
          (*out)[w++] = merged;
          r += 2;
          continue;
        }
      }
    }
    (*out)[w++] = a;
  }
  out->resize(w);
}

}  // namespace rasid::extract
