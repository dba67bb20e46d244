#include "rasid/analysis/clitics.h"

#include <algorithm>
#include <array>
#include <deque>
#include <vector>

#include "rasid/text/utf8.h"

namespace rasid::analysis {

namespace {

// Letters in analysis form (UTF-8).
constexpr std::string_view kWaw = "\u0648";          // WAW
constexpr std::string_view kFeh = "\u0641";          // FEH
constexpr std::string_view kBeh = "\u0628";          // BEH
constexpr std::string_view kKaf = "\u0643";          // KAF
constexpr std::string_view kLam = "\u0644";          // LAM
constexpr std::string_view kSeen = "\u0633";         // SEEN
constexpr std::string_view kAl = "\u0627\u0644";     // ALEF LAM
constexpr std::string_view kTeh = "\u062A";          // TEH
constexpr std::string_view kTehMarbuta = "\u0629";   // TEH MARBUTA
constexpr std::string_view kAlef = "\u0627";         // ALEF
constexpr std::string_view kYeh = "\u064A";          // YEH (alef maqsura is folded to it)
constexpr std::string_view kHamza = "\u0621";        // HAMZA
constexpr std::string_view kWawHamza = "\u0624";     // WAW WITH HAMZA ABOVE
constexpr std::string_view kYehHamza = "\u0626";     // YEH WITH HAMZA ABOVE
constexpr std::string_view kNoon = "\u0646";         // NOON

struct Proclitic {
  std::string_view text;     // as written at the start of the word
  std::string_view display;  // its parts, for Segmentation::proclitics
  float ratio;               // base must occur at least ratio * count(word) times
  bool has_article;
};

// Every written proclitic sequence, longest first.
const std::vector<Proclitic>& Proclitics() {
  static const std::vector<Proclitic>* list = [] {
    auto* v = new std::vector<Proclitic>();
    struct Part { std::string_view text, display; float ratio; };
    const Part conj[] = {{"", "", 0}, {kWaw, kWaw, 0.2f}, {kFeh, kFeh, 0.2f}};
    const Part prep[] = {{"", "", 0}, {kBeh, kBeh, 0.2f}, {kKaf, kKaf, 0.5f}, {kLam, kLam, 0.2f},
                         {kSeen, kSeen, 0.1f}};
    static std::deque<std::string> storage;  // owns the concatenations; stable
    for (const Part& c : conj) {
      for (const Part& p : prep) {
        for (int art = 0; art < 2; ++art) {
          if (p.text == kSeen && art) continue;
          std::string text(c.text), display(c.display);
          auto add_display = [&](std::string_view part) {
            if (part.empty()) return;
            if (!display.empty()) display += "+";
            display += part;
          };
          add_display(p.display);
          if (art) {
            // ل + ال is written لل.
            text += p.text;
            text += (p.text == kLam) ? kLam : kAl;
            add_display(kAl);
          } else {
            text += p.text;
          }
          if (text.empty()) continue;
          float ratio = std::max({c.ratio, p.ratio, art ? 0.001f : 0.0f});
          storage.push_back(text);
          std::string_view t = storage.back();
          storage.push_back(display);
          std::string_view d = storage.back();
          v->push_back({t, d, ratio, art != 0});
        }
      }
    }
    std::sort(v->begin(), v->end(), [](const Proclitic& a, const Proclitic& b) {
      return a.text.size() > b.text.size();
    });
    return v;
  }();
  return *list;
}

struct Enclitic {
  std::string_view text;
  float ratio;
};

// Left out: the second person singular ك, feminine plural كن and dual كما.
// In news they are far more often root letters (ملك، بنك، مايك، يمكن، تمكن،
// أماكن) than "your" (منكن occurs 3 times in the corpora, يمكن 9,899).
constexpr std::array<Enclitic, 8> kEnclitics = {{
    {"", 0.0f},
    {"\u0647\u0645\u0627", 0.05f},  // HEH MEEM ALEF: هما
    {"\u0647\u0627", 0.05f},        // ها
    {"\u0647\u0645", 0.05f},        // هم
    {"\u0647\u0646", 0.05f},        // هن
    {"\u0643\u0645", 0.05f},        // كم
    {"\u0646\u0627", 0.05f},        // نا
    {"\u0647", 0.1f},               // ه
}};

// Byte loops rather than memcmp calls: the affixes are 0 to 8 bytes and
// most comparisons fail at the second byte (Arabic letters share the first).
inline bool SameBytes(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
inline bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && SameBytes(s.data(), p.data(), p.size());
}
inline bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && SameBytes(s.data() + s.size() - p.size(), p.data(), p.size());
}

}  // namespace

CliticSegmenter::CliticSegmenter(std::shared_ptr<const Lexicon> lexicon) : lexicon_(std::move(lexicon)) {}

Segmentation CliticSegmenter::Segment(std::string_view word) const {
  Segmentation best{"", std::string(word), ""};
  const Lexicon& lex = *lexicon_;
  if (text::CountCodePoints(word) < 3 || lex.IsProtected(word)) return best;
  const double n_word = lex.Count(word);
  size_t best_removed = 0;
  uint32_t best_support = 0;

  // A form that takes the article is a word of its own: its first letters
  // are not a proclitic (كامل: الكامل) and its last ones not a pronoun
  // (ممكن: الممكن, درهم: الدرهم).
  std::string with_al;  // reused: no allocation per candidate
  auto takes_article = [&](std::string_view first, std::string_view second) {
    with_al.assign(kAl).append(first).append(second);
    uint32_t n = lex.Count(with_al);
    return n >= 3 && n >= 0.02 * lex.Count(std::string_view(with_al).substr(kAl.size()));
  };

  auto consider = [&](const Proclitic* p, const Enclitic& e, std::string_view middle) {
    size_t middle_letters = text::CountCodePoints(middle);
    if (middle_letters < 2) return;
    if (!e.text.empty() && takes_article(middle, e.text)) return;
    if (p != nullptr && !p->has_article && takes_article(p->text, middle)) return;
    // The stand-alone forms the middle can have before an enclitic.
    std::string variants[3];
    int nv = 0;
    variants[nv++] = std::string(middle);
    if (!e.text.empty()) {
      auto swap_last = [&](std::string_view from, std::string_view to) {
        if (EndsWith(middle, from)) {
          variants[nv++] = std::string(middle.substr(0, middle.size() - from.size())) + std::string(to);
        }
      };
      swap_last(kTeh, kTehMarbuta);
      if (text::CountCodePoints(middle) >= 4) swap_last(kAlef, kYeh);
      swap_last(kWawHamza, kHamza);
      swap_last(kYehHamza, kHamza);
    }
    float ratio = std::max(p ? p->ratio : 0.0f, e.ratio);
    // A two-letter base before a pronoun must be more frequent than the word.
    if (!e.text.empty() && middle_letters == 2) ratio = std::max(ratio, 1.0f);
    size_t removed = (p ? p->text.size() : 0) + e.text.size();
    // After a preposition or conjunction with the article (لل، بال، وال …)
    // the word that stands alone is the base with the article: when that
    // form is itself ال + base, its count supports the split, so «للصحفيين»,
    // «والعراق» and «بالعراق» get the base of «الصحفيين» and «العراق» even
    // though «صحفيين» and «عراق» are rare alone («والصين» stays و +
    // «الصين», like «الصين»; «والتي» stays و + «التي»).
    const bool article_after = p != nullptr && p->has_article && p->text != kAl;
    for (int i = 0; i < nv; ++i) {
      const std::string& base = variants[i];
      uint32_t support = lex.Count(base);
      if (article_after && e.text.empty()) {
        std::string article_form = std::string(kAl) + base;
        if (Segment(article_form).base == base) support = std::max(support, lex.Count(article_form));
      }
      bool ok = support >= 2 && support >= ratio * n_word;
      // An unattested word after the article is still split (new names and
      // terms), but only with nothing else around it.
      if (!ok && support == 0 && n_word == 0 && p && p->has_article && e.text.empty() &&
          text::CountCodePoints(base) >= 3)
        ok = true;
      if (!ok) continue;
      if (removed > best_removed || (removed == best_removed && support > best_support)) {
        best_removed = removed;
        best_support = support;
        best.proclitics = p ? std::string(p->display) : std::string();
        best.base = base;
        best.enclitic = std::string(e.text);
      }
    }
  };

  for (const Enclitic& e : kEnclitics) {
    if (!EndsWith(word, e.text) || word.size() <= e.text.size()) continue;
    std::string_view without_e = word.substr(0, word.size() - e.text.size());
    if (!e.text.empty()) consider(nullptr, e, without_e);
    for (const Proclitic& p : Proclitics()) {
      if (!StartsWith(without_e, p.text) || without_e.size() <= p.text.size()) continue;
      std::string_view middle = without_e.substr(p.text.size());
      // The future marker only comes before an imperfect verb prefix.
      if (EndsWith(p.text, kSeen) && !(StartsWith(middle, kYeh) || StartsWith(middle, kTeh) ||
                                       StartsWith(middle, kNoon) || StartsWith(middle, kAlef)))
        continue;
      consider(&p, e, middle);
    }
  }
  return best;
}

}  // namespace rasid::analysis
