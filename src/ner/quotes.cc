// Quotations and their speakers. The rules are in docs/ner.md; the test set
// is tests/testdata/ner/quotes.tsv.
#include "rasid/ner/quotes.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "features.h"

namespace rasid::ner {

namespace {

using analysis::AnalyzedToken;
using analysis::TokenKind;

enum class Cue : uint8_t { kNone, kVerb, kParticiple, kSource };

// Reporting words in search form (no hamza on alef, ه for ة, ي for ى),
// after conjunctions and prepositions are stripped.
const std::unordered_map<std::string_view, Cue>& Cues() {
  static const auto* cues = [] {
    auto* m = new std::unordered_map<std::string_view, Cue>;
    for (std::string_view v : {
             // past tense, masculine and feminine
             "قال", "قالت", "قالوا", "اضاف", "اضافت", "اوضح", "اوضحت", "اكد", "اكدت", "صرح", "صرحت",
             "اشار", "اشارت", "اعتبر", "اعتبرت", "تابع", "تابعت", "اعلن", "اعلنت", "ذكر", "ذكرت", "شدد",
             "شددت", "لفت", "لفتت", "راي", "رات", "افاد", "افادت", "كشف", "كشفت", "اردف", "اردفت", "استطرد",
             "زاد", "اعرب", "اعربت", "كتب", "كتبت", "غرد", "غردت", "علق", "علقت", "ختم", "ختمت", "حذر",
             "حذرت", "نقل", "نقلت", "اكمل", "اكملت", "استدرك", "قالا", "اكدوا", "اضافوا", "تساءل", "تساءلت",
             "يقول", "تقول", "يضيف", "تضيف", "يري", "تري", "يؤكد", "تؤكد", "يوضح", "توضح", "يشير", "تشير",
             "يعتبر", "تعتبر", "يتابع", "تتابع", "يقولون", "اوضحوا", "طالب", "طالبت",
             "يصف", "وصف", "وصفت", "يحذر", "ناشد", "دعا", "دعت", "اقر", "اقرت", "اعترف", "اعترفت"}) {
      (*m)[v] = Cue::kVerb;
    }
    for (std::string_view p : {"قائلا", "قائله", "مضيفا", "مضيفه", "مشيرا", "مشيره", "مؤكدا", "مؤكده",
                               "موضحا", "موضحه", "معتبرا", "معتبره", "لافتا", "لافته", "مشددا", "مشدده",
                               "متابعا", "متابعه", "مردفا", "معلقا", "معلقه", "واصفا", "واصفه", "محذرا",
                               "محذره", "متسائلا", "متسائله", "مستطردا", "خاتما", "مطالبا", "داعيا"}) {
      (*m)[p] = Cue::kParticiple;
    }
    for (std::string_view s : {"بحسب", "حسب", "وفق", "وفقا", "طبقا", "نقلا", "لسان"}) (*m)[s] = Cue::kSource;
    return m;
  }();
  return *cues;
}

// Words after which quotation marks hold a name or title, not speech.
bool IsNamingWord(std::string_view base) {
  static const std::unordered_set<std::string_view> kWords = {
      "عمليه", "بعنوان", "عنوان", "شعار", "اسم", "باسم", "تسميه", "لقب", "مسمي", "حمله", "صحيفه", "موقع",
      "قناه", "تنظيم", "حركه", "جماعه", "برنامج", "مسلسل", "فيلم", "كتاب", "روايه", "وكاله", "مجله",
      "شركه", "تطبيق", "منظمه", "مجموعه", "تحالف", "مبادره", "مشروع", "قانون", "اتفاق", "اتفاقيه",
      "مؤتمر", "منتدي", "مهرجان", "جائزه", "اغنيه", "البوم", "مسرحيه", "هاشتاغ", "وسم", "مصطلح", "كلمه",
      "عباره", "ظاهره", "مناوره", "مناورات", "تدريبات", "خطه", "صفقه", "ميليشيا", "ميليشيات", "فصيل",
      "هيئه", "لواء", "كتيبه", "جبهه", "حزب", "ائتلاف", "مركز", "معهد", "مؤسسه", "جمعيه", "نادي", "فريق",
      "منتخب", "سفينه", "طائره", "صاروخ", "منصه", "سلسله", "مسابقه", "بطوله", "دوري", "كاس", "جريده",
      "جوائز", "تسمي", "يسمي", "سمي", "سميت", "يعرف", "تعرف", "المعروف", "المعروفه", "يطلق", "تطلق",
      "الملقب", "الملقبه", "يدعي", "تدعي", "اطلق", "اطلقت", "وكالتي", "صحيفتي", "شركتي", "موقعي", "هاشتاج",
      "وسم", "عبارة", "شعارات", "لافتات", "لافته", "نسخه", "طراز", "ملعب", "فندق", "مطار", "قاعده", "سجن",
      "مستشفي", "مخيم", "معبر", "ساحه", "ميدان", "شارع", "جسر", "سد", "قصر", "مسجد", "كنيسه", "جامعه",
      "مراسل", "مراسله", "اذاعه", "تلفزيون", "دوريه", "مدونه", "حساب", "صفحه"};
  return kWords.count(base) > 0;
}

// Words that end a speaker phrase.
bool EndsSpeaker(std::string_view base) {
  static const std::unordered_set<std::string_view> kWords = {
      "ان", "انه", "انها", "انهم", "بان", "بانه", "بانها", "في", "خلال", "امام", "عبر", "ضمن", "اليوم",
      "امس", "مساء", "صباح", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد",
      "قوله", "قولها", "قولهم", "عن", "الي", "علي", "لدي", "بعد", "قبل", "عندما", "حين", "اثناء", "لوكاله",
      "للصحفيين", "لصحيفه", "لقناه", "لموقع", "للصحافه", "لرويترز", "مضيفا", "مشيرا", "مؤكدا", "قائلا",
      "ما", "الذي", "التي", "كما", "حيث", "لكن", "اذ", "و", "ف", "له", "لها", "لهم", "لنا", "لي", "ب",
      "فيه", "فيها", "فيهم", "عنه", "عنها", "عنهم", "منه", "منها", "اليه", "اليها", "عليه", "عليها", "انذاك",
      "ايضا", "كذلك", "مجددا", "لاحقا", "سابقا", "بدوره", "بدورها", "مؤخرا", "حينها", "وقتها", "صراحه",
      "\u0628\u0640", "ل", "\u0644\u0640"};
  return kWords.count(base) > 0;
}

bool IsOpening(std::string_view s) { return s == "\u00AB" || s == "\u201C" || s == "\""; }
bool IsClosing(std::string_view s) { return s == "\u00BB" || s == "\u201D" || s == "\""; }

struct Doc {
  const std::vector<AnalyzedToken>& tokens;
  std::string_view text;
  const std::vector<Mention>& mentions;
  const std::vector<Entity>& entities;
  std::vector<std::string> base;      // per token: search form without و ف ب ك ل
  std::vector<int> mention_at;        // per token: mention index or -1
  std::vector<uint8_t> starts_block;  // a token after a line break or sentence end
  std::vector<uint8_t> quoted;        // inside quotation marks
};

std::string_view Surface(const Doc& d, size_t i) {
  const auto& t = d.tokens[i].token;
  return d.text.substr(t.start, t.end - t.start);
}

bool IsPunct(const Doc& d, size_t i) {
  return d.tokens[i].token.kind == TokenKind::kPunct || d.tokens[i].token.kind == TokenKind::kSymbol;
}

// A quoted span: tokens open and close are its marks.
struct Span {
  size_t open, close;
};

// Pairs quotation marks within paragraphs: «» and “” by nesting (outermost
// pairs kept), ASCII " two by two.
std::vector<Span> FindSpans(const Doc& d) {
  std::vector<Span> spans;
  size_t n = d.tokens.size();
  std::vector<size_t> guillemets, curly;
  long ascii = -1;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && d.text.substr(d.tokens[i - 1].token.end, d.tokens[i].token.start - d.tokens[i - 1].token.end)
                         .find('\n') != std::string_view::npos) {
      guillemets.clear();
      curly.clear();
      ascii = -1;
    }
    if (!IsPunct(d, i)) continue;
    std::string_view s = Surface(d, i);
    if (s == "\u00AB") {
      guillemets.push_back(i);
    } else if (s == "\u00BB" && !guillemets.empty()) {
      size_t o = guillemets.back();
      guillemets.pop_back();
      if (guillemets.empty()) spans.push_back({o, i});
    } else if (s == "\u201C") {
      curly.push_back(i);
    } else if (s == "\u201D" && !curly.empty()) {
      size_t o = curly.back();
      curly.pop_back();
      if (curly.empty()) spans.push_back({o, i});
    } else if (s == "\"") {
      if (ascii < 0) {
        ascii = static_cast<long>(i);
      } else {
        spans.push_back({static_cast<size_t>(ascii), i});
        ascii = -1;
      }
    }
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.open < b.open; });
  // Drop spans inside others (a "…" inside «…»).
  std::vector<Span> out;
  for (const Span& s : spans) {
    if (!out.empty() && s.open < out.back().close) continue;
    out.push_back(s);
  }
  return out;
}

size_t WordsBetween(const Doc& d, size_t a, size_t b) {
  size_t n = 0;
  for (size_t i = a; i < b; ++i) n += d.tokens[i].token.IsWord() || d.tokens[i].token.kind == TokenKind::kNumber;
  return n;
}

Cue CueAt(const Doc& d, size_t i) {
  if (!d.tokens[i].token.IsWord()) return Cue::kNone;
  std::string_view base = d.base[i];
  auto it = Cues().find(base);
  // The segmenter keeps وأضاف, فقال whole (more frequent than أضاف, قال).
  if (it == Cues().end() && (base.rfind("\u0648", 0) == 0 || base.rfind("\u0641", 0) == 0)) {
    it = Cues().find(base.substr(2));
  }
  // With a pronoun: اعتبرتها, أكده.
  std::string_view enc = d.tokens[i].enclitic();
  if (it == Cues().end() && !enc.empty() && base.size() > enc.size() + 4) {
    std::string_view stem = base.substr(0, base.size() - enc.size());
    it = Cues().find(stem);
    if (it == Cues().end() && (stem.rfind("\u0648", 0) == 0 || stem.rfind("\u0641", 0) == 0)) {
      it = Cues().find(stem.substr(2));
    }
  }
  if (it == Cues().end()) return Cue::kNone;
  // A future (سترى, سيقول) does not report what was said.
  if (d.tokens[i].proclitics().find("\u0633") != std::string_view::npos) return Cue::kNone;
  // لسان only as على لسان; نقلا only as نقلا عن.
  if (d.base[i] == "لسان" && (i == 0 || d.base[i - 1] != "علي")) return Cue::kNone;
  if (d.base[i] == "نقلا" && (i + 1 >= d.tokens.size() || d.base[i + 1] != "عن")) return Cue::kNone;
  return it->second;
}

struct Speaker {
  size_t begin = 0, end = 0;  // tokens; empty when none
  int entity = -1;
};

// A naming word right before the quotation mark, or before a lone بـ / لـ
// (تسمى بـ"...", صحيفة "...").
bool NamedBefore(const Doc& d, size_t open) {
  for (size_t back = 1; back <= 2 && back <= open; ++back) {
    size_t i = open - back;
    if (!d.tokens[i].token.IsWord()) return false;
    if (IsNamingWord(d.base[i])) return true;
    std::string_view b = d.base[i];
    bool lone_preposition = b == "\u0628\u0640" || b == "\u0628" || b == "\u0644\u0640" || b == "\u0644";
    if (!lone_preposition) return false;
  }
  return false;
}

}  // namespace

namespace {

// A person's name within the next four tokens, before punctuation.
bool PersonAhead(const Doc& d, size_t from, size_t limit) {
  for (size_t i = from; i < limit && i < from + 5; ++i) {
    if (IsPunct(d, i)) return false;
    int m = d.mention_at[i];
    if (m >= 0 && d.mentions[m].type == EntityType::kPer) return true;
  }
  return false;
}

// The phrase that names the speaker after token `from` (a cue), up to a word
// that ends it, the quotation, or 10 tokens; one appositive between commas is
// taken in («المتحدث باسم الكرملين، ديمتري بيسكوف، إن»).
Speaker PhraseAfter(const Doc& d, size_t from, size_t limit) {
  Speaker sp;
  size_t i = from;
  if (i < limit && d.base[i] == "ما") ++i;  // بحسب ما قال X
  if (i < limit && CueAt(d, i) == Cue::kVerb) ++i;
  if (i < limit && d.base[i] == "عن") ++i;  // نقلا عن X
  sp.begin = i;
  size_t end = i;
  int commas = 0;
  while (end < limit && end - sp.begin < 10) {
    std::string_view s = Surface(d, end);
    if (IsPunct(d, end) && IsOpening(s) && end > sp.begin && NamedBefore(d, end)) {
      // A quoted name belongs to the speaker: «صحيفة "الغارديان"».
      size_t close = end + 1;
      while (close < limit && close < end + 8 && !(IsPunct(d, close) && IsClosing(Surface(d, close)))) ++close;
      if (close < limit && close < end + 8) {
        end = close + 1;
        continue;
      }
    }
    if (IsPunct(d, end)) {
      if ((s == "\u060C" || s == ",") && commas == 0 && end + 1 < limit && d.mention_at[end + 1] >= 0 &&
          d.mentions[d.mention_at[end + 1]].type == EntityType::kPer) {
        ++commas;
        ++end;
        continue;
      }
      break;
    }
    bool ends = EndsSpeaker(d.base[end]) || EndsSpeaker(d.tokens[end].norm());
    if (ends && d.mention_at[end] < 0) break;
    // A preposition glued to a word: the addressee at the start («وأكد لضابط
    // شرطة»); after a name, where it was said («عبد الحفيظ لسكاي نيوز»); in
    // a title only when a person follows («المدير العام لمنظمة الصحة
    // العالمية تيدروس»; «المتحدث باسم» is a title).
    std::string_view pro = d.tokens[end].proclitics();
    bool preposition = (pro.find("\u0644") != std::string_view::npos && pro != "\u0627\u0644" &&
                        pro != "\u0648+\u0627\u0644" && pro != "\u0641+\u0627\u0644") ||
                       pro.find("\u0628") != std::string_view::npos;
    if (preposition && d.mention_at[end] < 0 && d.base[end] != "اسم") {
      if (end == sp.begin || d.mention_at[end - 1] >= 0 || !PersonAhead(d, end, limit)) break;
    }
    ++end;
  }
  sp.end = end;
  return sp;
}

bool IsPrepositionWord(std::string_view base) {
  static const std::unordered_set<std::string_view> kWords = {"في", "من", "الي", "علي", "عن", "مع", "بين",
                                                              "حول", "ضد", "نحو", "لدي", "عند"};
  return kWords.count(base) > 0;
}

// The subject of the sentence before token `at`: its first person,
// organisation or place not governed by a preposition (في سوريا, لترامب),
// else the phrase after its first reporting verb («وشدد الوزير السابق ...»).
bool SentenceSubject(const Doc& d, size_t at, Speaker* sp) {
  size_t b = at;
  while (b > 0 && !d.starts_block[b]) --b;
  // Skip a dateline: «نيويورك، الولايات المتحدة (CNN)— ...».
  for (size_t i = b; i < at && i < b + 12; ++i) {
    std::string_view s = Surface(d, i);
    if (IsPunct(d, i) && (s == "\u2014" || s == "--" || s == "\u2013")) b = i + 1;
  }
  for (size_t i = b; i < at; ++i) {
    if (d.quoted[i]) continue;
    int m = d.mention_at[i];
    if (m < 0 || static_cast<size_t>(d.mentions[m].first_token) != i) continue;
    std::string_view pro = d.tokens[i].proclitics();
    bool governed = (i > 0 && IsPrepositionWord(d.base[i - 1])) || pro.find("\u0628") != std::string_view::npos ||
                    pro.find("\u0644") == 0 || pro.find("+\u0644") != std::string_view::npos ||
                    pro.find("\u0643") != std::string_view::npos;
    if (governed || d.mentions[m].type == EntityType::kMisc) continue;
    sp->begin = i;
    sp->end = std::min<size_t>(d.mentions[m].end_token, at);
    return true;
  }
  for (size_t i = b; i < at; ++i) {
    if (d.quoted[i] || CueAt(d, i) != Cue::kVerb) continue;
    Speaker p = PhraseAfter(d, i + 1, at);
    if (p.end > p.begin) {
      *sp = p;
      return true;
    }
    break;
  }
  return false;
}

// Resolves a speaker phrase to an entity: the first person in it, else the
// first organisation, else the first place (وقالت واشنطن); else a title that
// named a person earlier in the document.
int ResolveEntity(const Doc& d, const Speaker& sp,
                  const std::unordered_map<std::string, int>& titles) {
  for (EntityType want : {EntityType::kPer, EntityType::kOrg, EntityType::kLoc}) {
    for (size_t i = sp.begin; i < sp.end; ++i) {
      int m = d.mention_at[i];
      if (m >= 0 && d.mentions[m].type == want) return d.mentions[m].entity;
    }
  }
  std::string key;
  for (size_t i = sp.begin; i < sp.end; ++i) key += d.base[i] + " ";
  auto it = titles.find(key);
  return it == titles.end() ? -1 : it->second;
}

// Titles followed by a person («المبعوث الأمريكي جيمس جيفري»): the up to four
// words before a PER mention, as a key for later title-only speakers.
std::unordered_map<std::string, int> TitleMap(const Doc& d) {
  std::unordered_map<std::string, int> titles;
  for (const Mention& m : d.mentions) {
    if (m.type != EntityType::kPer || m.entity < 0) continue;
    for (size_t len = 1; len <= 4 && len <= m.first_token; ++len) {
      size_t b = m.first_token - len;
      if (!d.tokens[b].token.IsWord() || d.mention_at[b] >= 0) break;
      std::string key;
      for (size_t i = b; i < m.first_token; ++i) key += d.base[i] + " ";
      titles[key] = m.entity;
    }
  }
  return titles;
}

}  // namespace

namespace {

struct Frame {
  Cue cue = Cue::kNone;
  size_t at = 0;         // token of the cue
  bool direct = false;   // only the speaker and : / إن / أن between cue and quotation
  bool after = false;    // the cue follows the quotation
};

bool IsConnector(const Doc& d, size_t i) {
  std::string_view s = Surface(d, i);
  if (s == ":" || s == "\u060C" || s == ",") return true;
  static const std::unordered_set<std::string_view> kWords = {"ان", "انه", "انها", "انهم", "بان", "بانه",
                                                              "بانها", "قوله", "قولها", "قولهم", "ما"};
  return kWords.count(d.base[i]) > 0;
}

// The reporting cue before the quotation in its sentence (scanning back at
// most 30 tokens, stopping at another quotation or a line break). Direct when
// the quotation follows the cue, a colon, or إن / أن (after at most 15 tokens:
// the speaker and where or how it was said).
Frame LeftFrame(const Doc& d, size_t open, size_t floor) {
  Frame f;
  size_t lo = open > 30 ? open - 30 : 0;
  lo = std::max(lo, floor);
  for (size_t i = open; i-- > lo;) {
    if (d.starts_block[i + 1] && i + 1 < open) break;
    Cue c = CueAt(d, i);
    if (c == Cue::kNone) continue;
    f.cue = c;
    f.at = i;
    size_t j = open;
    while (j > i + 1 && IsConnector(d, j - 1)) --j;
    bool introduced = j < open || j == i + 1;
    f.direct = introduced && open - i <= 16;
    return f;
  }
  return f;
}

// Whether the closing mark at `close` ends its sentence: nothing, a line
// break, or . ! ? ؟ follows it.
bool EndsSentence(const Doc& d, size_t close) {
  size_t i = close + 1;
  if (i >= d.tokens.size() || d.starts_block[i]) return true;
  std::string_view s = Surface(d, i);
  return s == "." || s == "!" || s == "?" || s == "\u061F";  // ARABIC QUESTION MARK
}

Frame RightFrame(const Doc& d, size_t close) {
  Frame f;
  size_t i = close + 1;
  while (i < d.tokens.size() && IsPunct(d, i) && (Surface(d, i) == "\u060C" || Surface(d, i) == ",")) ++i;
  if (i >= d.tokens.size() || d.starts_block[i]) return f;
  Cue c = CueAt(d, i);
  if (c == Cue::kVerb || c == Cue::kSource) {
    f.cue = c;
    f.at = i;
    f.direct = true;
    f.after = true;
  }
  return f;
}

}  // namespace

std::vector<Quote> FindQuotes(const std::vector<AnalyzedToken>& tokens, std::string_view text,
                              const std::vector<Mention>& mentions, const std::vector<Entity>& entities) {
  Doc d{tokens, text, mentions, entities, {}, {}, {}, {}};
  size_t n = tokens.size();
  d.base.resize(n);
  d.mention_at.assign(n, -1);
  d.starts_block.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    d.base[i] = internal::StripProclitics(tokens[i].norm(), tokens[i].proclitics());
    if (i == 0 || tokens[i].token.sentence != tokens[i - 1].token.sentence ||
        text.substr(tokens[i - 1].token.end, tokens[i].token.start - tokens[i - 1].token.end).find('\n') !=
            std::string_view::npos) {
      d.starts_block[i] = 1;
    }
  }
  for (size_t m = 0; m < mentions.size(); ++m) {
    for (size_t i = mentions[m].first_token; i < mentions[m].end_token && i < n; ++i) d.mention_at[i] = static_cast<int>(m);
  }
  std::unordered_map<std::string, int> titles = TitleMap(d);
  std::vector<Span> spans = FindSpans(d);
  d.quoted.assign(n, 0);
  for (const Span& s : spans) std::fill(d.quoted.begin() + s.open, d.quoted.begin() + s.close + 1, 1);

  std::vector<Quote> out;
  Speaker last;  // the previous explicit speaker, inherited by bare verbs
  bool have_last = false;
  internal::DocWords names(tokens);
  size_t floor = 0;       // left frames are not searched before the previous quotation
  size_t last_close = 0;  // token of the previous quotation's closing mark
  for (const Span& s : spans) {
    size_t words = WordsBetween(d, s.open + 1, s.close);
    if (words == 0) continue;
    bool naming = NamedBefore(d, s.open);
    Frame left = LeftFrame(d, s.open, floor);
    Frame right = RightFrame(d, s.close);
    Frame f;
    // Introduced by a colon or إن / أن, or by the bare cue (then the quoted
    // words could be its subject: ذكرت "رويترز", so three words at least).
    bool connector = s.open > 0 && IsConnector(d, s.open - 1) && Surface(d, s.open - 1) != "\u060C" &&
                     Surface(d, s.open - 1) != ",";
    bool participle_next = left.cue == Cue::kParticiple && left.at + 1 == s.open;  // قائلا "الله أكبر"
    bool colon = s.open > 0 && Surface(d, s.open - 1) == ":";
    // After إن / أن, two quoted words that end the sentence are the whole
    // clause said («قال ... إن "الحرب انتهت".»); inside a sentence they are
    // usually a name («إن "الدولة الإسلامية" تراجعت»).
    bool clause = connector && !colon && words >= 2 && EndsSentence(d, s.close);
    bool adjacent_left =
        left.cue != Cue::kNone && left.direct && (colon || words >= 3 || participle_next || clause);
    bool continuation = have_last && s.open - last_close <= 40 && words >= 5;
    // The quoted words are one name and nothing else («لـ"سكاي نيوز عربية"»,
    // «"البنتاجون"»): a name in quotation marks, unless a colon introduces it.
    bool whole_name = false;
    if (!colon && s.open + 1 < s.close) {
      int m = d.mention_at[s.open + 1];
      whole_name = m >= 0 && d.mentions[m].first_token == s.open + 1 && d.mentions[m].end_token >= s.close;
    }
    if (naming || whole_name) {
      continue;
    } else if (adjacent_left) {
      f = left;
    } else if (right.cue != Cue::kNone && words >= 3) {
      f = right;
    } else if (left.cue != Cue::kNone && words >= 3) {
      f = left;  // a partial quotation inside reported speech
    } else if (connector && Surface(d, s.open - 1) == ":" && words >= 3) {
      f.cue = Cue::kNone;  // «وجاء في بيان: "..."», «ترامب: "..."»
    } else if (continuation) {
      f.cue = Cue::kNone;  // more of the previous speaker's words
    } else {
      continue;  // a name, a title, scare quotes
    }
    floor = s.close + 1;
    last_close = s.close;
    Quote q;
    q.start = tokens[s.open].token.end;
    q.end = tokens[s.close].token.start;
    q.text = std::string(text.substr(q.start, q.end - q.start));
    Speaker sp;
    bool found = false;
    if (f.cue != Cue::kNone) {
      q.cue = std::string(Surface(d, f.at));
      if (f.cue == Cue::kVerb || f.cue == Cue::kSource) {
        size_t limit = f.after ? n : s.open;
        size_t from = f.at + 1;
        if (d.base[f.at] == "لسان" && from < limit) from = f.at + 1;
        sp = PhraseAfter(d, from, limit);
        found = sp.end > sp.begin;
      }
      // No subject after the cue (وقال إن, مضيفا أن): the subject of the
      // sentence, its first person or organisation before the cue
      // («الرئيس ترامب قال إن», «دافع الوزير X ... وقال إن»).
      if (!found && !f.after) found = SentenceSubject(d, f.at, &sp);
    }
    // Headline style: «ترامب: "..."».
    if (!found && s.open >= 2 && Surface(d, s.open - 1) == ":" && d.mention_at[s.open - 2] >= 0) {
      const Mention& m = mentions[d.mention_at[s.open - 2]];
      sp.begin = m.first_token;
      sp.end = m.end_token;
      found = true;
      if (q.cue.empty()) q.cue = ":";
    }
    if (!found && f.cue == Cue::kNone && colon) found = SentenceSubject(d, s.open, &sp);
    if (!found && have_last) {
      sp = last;
      found = true;
    }
    if (found) {
      sp.entity = ResolveEntity(d, sp, titles);
      bool restore = false;
      size_t skip = names.NamePrefixBytes(tokens[sp.begin], Surface(d, sp.begin), &restore);
      if (d.mention_at[sp.begin] < 0) skip = 0;  // keep و in an ordinary word only for names
      q.speaker_start = tokens[sp.begin].token.start + static_cast<uint32_t>(skip);
      q.speaker_end = tokens[sp.end - 1].token.end;
      q.speaker = (restore ? "\u0627" : "") + std::string(text.substr(q.speaker_start, q.speaker_end - q.speaker_start));
      q.entity = sp.entity;
      last = sp;
      have_last = true;
    }
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace rasid::ner
