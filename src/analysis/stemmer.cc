#include "rasid/analysis/stemmer.h"

#include "rasid/text/utf8.h"

namespace rasid::analysis {

namespace {

constexpr std::string_view kTehMarbuta = "\u0629";  // TEH MARBUTA
constexpr std::string_view kTeh = "\u062A";         // TEH
constexpr std::string_view kAlef = "\u0627";        // ALEF

struct Suffix {
  std::string_view text;
  float ratio;  // remainder must occur at least ratio * count(base) times
};

constexpr Suffix kSuffixes[] = {
    {"\u0627\u062A", 0.02f},  // ALEF TEH: ات (feminine plural)
    {"\u0648\u0646", 0.1f},   // WAW NOON: ون (masculine plural)
    {"\u064A\u0646", 0.1f},   // YEH NOON: ين (masculine plural, oblique; dual)
    {"\u0627\u0646", 0.2f},   // ALEF NOON: ان (dual)
};

bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Tens end in ون/ين but are not plurals.
bool IsTens(std::string_view w) {
  static const std::string_view kTens[] = {
      "\u0639\u0634\u0631",              // عشر
      "\u062B\u0644\u0627\u062B",        // ثلاث
      "\u0627\u0631\u0628\u0639",        // اربع
      "\u062E\u0645\u0633",              // خمس
      "\u0633\u062A",                    // ست
      "\u0633\u0628\u0639",              // سبع
      "\u062B\u0645\u0627\u0646",        // ثمان
      "\u062A\u0633\u0639",              // تسع
  };
  for (std::string_view t : kTens) {
    if (w.size() == t.size() + 4 && w.substr(0, t.size()) == t &&
        (EndsWith(w, "\u0648\u0646") || EndsWith(w, "\u064A\u0646")))
      return true;
  }
  return false;
}

}  // namespace

LightStemmer::LightStemmer(std::shared_ptr<const Lexicon> lexicon)
    : lexicon_(lexicon), segmenter_(std::move(lexicon)) {}

std::string LightStemmer::StemBase(std::string_view base) const {
  size_t letters = text::CountCodePoints(base);
  if (EndsWith(base, kTehMarbuta)) {
    if (letters >= 3) base.remove_suffix(kTehMarbuta.size());
    return std::string(base);
  }
  if (IsTens(base) || lexicon_->IsProtected(base)) return std::string(base);
  const double n_base = lexicon_->Count(base);
  // The accusative alif (قرارا، جريحا) goes when the bare form is common.
  if (letters >= 4 && EndsWith(base, kAlef)) {
    std::string_view bare = base.substr(0, base.size() - kAlef.size());
    if (lexicon_->Count(bare) >= 0.5 * n_base && lexicon_->Count(bare) >= 2) {
      base = bare;
      --letters;
    }
  }
  if (letters < 5) return std::string(base);
  for (const Suffix& s : kSuffixes) {
    if (!EndsWith(base, s.text)) continue;
    std::string rest(base.substr(0, base.size() - s.text.size()));
    uint32_t support = lexicon_->Count(rest) + lexicon_->Count(rest + std::string(kTehMarbuta));
    // Duals of feminine nouns: دولتين -> دولة.
    if (s.text != kSuffixes[0].text && EndsWith(rest, kTeh)) {
      std::string fem = rest.substr(0, rest.size() - kTeh.size()) + std::string(kTehMarbuta);
      if (lexicon_->Count(fem) >= 2 && lexicon_->Count(fem) >= s.ratio * n_base) {
        return fem.substr(0, fem.size() - kTehMarbuta.size());
      }
    }
    if (support >= 1 && support >= s.ratio * n_base) return rest;
    break;
  }
  return std::string(base);
}

}  // namespace rasid::analysis
