#include "features.h"

#include <algorithm>
#include <unordered_map>

#include "rasid/analysis/lexicon.h"

namespace rasid::ner::internal {

namespace {

using analysis::HashBytes;
using analysis::TokenKind;

enum Template : uint64_t {
  kBias = 1,
  kNorm0, kNormM1, kNormP1, kNormM2, kNormP2,
  kStem0, kStemM1, kStemP1, kStemM1Stem0, kStem0StemP1,
  kPro0, kEnc0, kPre2, kPre3, kSuf1, kSuf2, kSuf3,
  kShape0, kShapeWindow,
  kClus0L0, kClus0L1, kClus0L2, kClusM1L1, kClusP1L1, kClusM1L2, kClusP1L2,
  kFreq0, kFreqClus0,
  kGaz0, kGazM1, kGazP1,
  kProClus0,
  kDocSelf, kDocSelfPrev, kDocSelfNext, kDocType, kDocTypes, kDocOutside, kDocSelfTypes,
  kProfile0, kProfileM1, kProfileP1, kProfileShape, kProfileContext,
  kNet0, kNetM1, kNetP1, kNetShape,
};

inline uint64_t F(uint64_t tmpl, uint64_t value) {
  uint64_t h = Mix64(value * 0x9E3779B97F4A7C15ULL + tmpl * 0xD6E8FEB86659FD93ULL + tmpl);
  return h == 0 ? 1 : h;
}

// Byte length of the first k code points of s.
size_t PrefixBytes(std::string_view s, int k) {
  size_t i = 0;
  for (int c = 0; c < k && i < s.size(); ++c) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// Byte offset where the last k code points of s start.
size_t SuffixStart(std::string_view s, int k) {
  size_t i = s.size();
  for (int c = 0; c < k && i > 0; ++c) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  }
  return i;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Letters written for the proclitics: each part is one letter, except ال,
// which is two (or one after ل: لل).
struct CliticLetters {
  int strip = 0;         // letters of و ف ب ك ل س
  bool lam_article = false;  // ل + ال written لل
};

CliticLetters CountClitics(std::string_view proclitics) {
  CliticLetters c;
  bool lam = false, article = false;
  while (!proclitics.empty()) {
    size_t plus = proclitics.find('+');
    std::string_view part = proclitics.substr(0, plus);
    if (part == "\u0627\u0644") {  // ALEF LAM
      article = true;
    } else {
      ++c.strip;
      if (part == "\u0644") lam = true;  // LAM
    }
    if (plus == std::string_view::npos) break;
    proclitics.remove_prefix(plus + 1);
  }
  c.lam_article = lam && article;
  return c;
}

}  // namespace

std::string StripProclitics(std::string_view norm, std::string_view proclitics) {
  if (proclitics.empty()) return std::string(norm);
  CliticLetters c = CountClitics(proclitics);
  size_t cut = PrefixBytes(norm, c.strip);
  if (cut >= norm.size()) return std::string(norm);
  std::string out;
  if (c.lam_article) out = "\u0627";  // ALEF
  out.append(norm.substr(cut));
  return out;
}

size_t StrippedPrefixBytes(std::string_view surface, std::string_view proclitics, bool* restore_alef) {
  *restore_alef = false;
  if (proclitics.empty()) return 0;
  CliticLetters c = CountClitics(proclitics);
  // Skip c.strip letters and whatever marks (harakat, tatweel, format
  // characters) follow each of them.
  size_t i = 0;
  for (int k = 0; k < c.strip && i < surface.size(); ++k) {
    i += PrefixBytes(surface.substr(i), 1);
    while (i < surface.size()) {
      size_t len = PrefixBytes(surface.substr(i), 1);
      std::string_view cp = surface.substr(i, len);
      bool mark = len == 2 && static_cast<unsigned char>(cp[0]) == 0xD9 &&
                  ((static_cast<unsigned char>(cp[1]) >= 0x8B && static_cast<unsigned char>(cp[1]) <= 0x9F) ||
                   static_cast<unsigned char>(cp[1]) == 0x80);  // harakat U+064B..U+065F, tatweel U+0640
      bool format = len == 3 && static_cast<unsigned char>(cp[0]) == 0xE2 &&
                    static_cast<unsigned char>(cp[1]) == 0x80;  // U+200x
      if (!mark && !format) break;
      i += len;
    }
  }
  if (i >= surface.size()) return 0;
  *restore_alef = c.lam_article;
  return i;
}

namespace {

// Where the last part of analysed proclitics starts ("و+ف": at ف), and
// whether that part is ف or ك, letters that begin names more often than
// they are clitics before one.
size_t LastProcliticStart(std::string_view proclitics) {
  size_t plus = proclitics.rfind('+');
  return plus == std::string_view::npos ? 0 : plus + 1;
}
bool EndsWithNameLetter(std::string_view proclitics) {
  std::string_view last = proclitics.substr(LastProcliticStart(proclitics));
  return last == "\u0641" || last == "\u0643";  // FEH, KAF
}

}  // namespace

std::string_view NameProclitics(std::string_view norm, std::string_view proclitics,
                                const std::function<bool(std::string_view)>& is_word) {
  if (proclitics.find("\u0627\u0644") != std::string_view::npos) return proclitics;  // with the article: a word
  if (!EndsWithNameLetter(proclitics)) return proclitics;
  if (is_word(StripProclitics(norm, proclitics))) return proclitics;
  size_t start = LastProcliticStart(proclitics);
  return start == 0 ? std::string_view() : proclitics.substr(0, start - 1);
}

bool DocWords::Has(std::string_view word) {
  if (!built_) {
    built_ = true;
    for (const analysis::AnalyzedToken& t : tokens_) {
      if (!t.token.IsWord() || EndsWithNameLetter(t.proclitics())) continue;  // in doubt itself
      words_.insert(StripProclitics(t.norm(), t.proclitics()));
    }
  }
  return words_.count(std::string(word)) > 0;
}

size_t DocWords::NamePrefixBytes(const analysis::AnalyzedToken& first, std::string_view surface, bool* restore_alef) {
  std::string_view pro =
      NameProclitics(first.norm(), first.proclitics(), [this](std::string_view w) { return Has(w); });
  return StrippedPrefixBytes(surface, pro, restore_alef);
}

void FeatureExtractor::Prepare(const analysis::AnalyzedToken* tokens, size_t n, std::string_view text) {
  units_.assign(n, UnitInfo());
  for (size_t i = 0; i < n; ++i) {
    const analysis::AnalyzedToken& t = tokens[i];
    UnitInfo& u = units_[i];
    std::string_view norm = t.norm(), stem = t.stem();
    u.norm = HashBytes(norm);
    u.stem = HashBytes(stem);
    if (t.proclitics().empty()) {
      u.base = u.norm;
      u.base_letters = static_cast<uint8_t>(std::min<size_t>(CodePoints(norm), 255));
    } else {
      std::string base = StripProclitics(norm, t.proclitics());
      u.base = HashBytes(base);
      u.base_letters = static_cast<uint8_t>(std::min<size_t>(CodePoints(base), 255));
    }
    u.pro = HashBytes(t.proclitics());
    u.enc = HashBytes(t.enclitic());
    u.pre[0] = HashBytes(stem.substr(0, PrefixBytes(stem, 2)));
    u.pre[1] = HashBytes(stem.substr(0, PrefixBytes(stem, 3)));
    for (int k = 0; k < 3; ++k) u.suf[k] = HashBytes(stem.substr(SuffixStart(stem, k + 1)));
    u.kind = static_cast<uint32_t>(t.token.kind);
    std::string_view surface = text.substr(t.token.start, t.token.end - t.token.start);
    uint32_t len = static_cast<uint32_t>(std::min<size_t>(CodePoints(stem), 12));
    bool upper = t.token.kind == TokenKind::kLatin && !surface.empty() && surface[0] >= 'A' && surface[0] <= 'Z';
    bool article = t.proclitics().find("\u0627\u0644") != std::string_view::npos;
    u.shape = u.kind | (len << 4) | (upper << 8) | (article << 9);
    u.definite = article;
    if (const ClusterInfo* c = data_->FindCluster(u.stem)) u.cluster = *c;
  }
  MarkGazetteer();
}

void FeatureExtractor::MarkGazetteer() {
  if (data_->phrase_index.empty()) return;
  size_t n = units_.size();
  for (size_t i = 0; i < n; ++i) {
    if (units_[i].kind == static_cast<uint32_t>(TokenKind::kPunct)) continue;
    uint64_t h = 0;
    for (size_t len = 1; len <= static_cast<size_t>(kMaxGazetteerWords) && i + len <= n; ++len) {
      const UnitInfo& w = units_[i + len - 1];
      h = ExtendPhraseHash(h, len == 1 ? w.base : w.norm);
      uint32_t v = data_->FindPhrase(h);
      if (v == 0) break;
      uint8_t types = static_cast<uint8_t>(v & 0xFF);
      if (types == 0) continue;
      units_[i].gaz_begin |= types;
      for (size_t k = i + 1; k < i + len; ++k) units_[k].gaz_inside |= types;
    }
  }
}

void FeatureExtractor::Append(size_t i, std::vector<uint64_t>* out) const {
  static const UnitInfo kPad = [] {
    UnitInfo u;
    u.norm = u.stem = u.base = 0x5EEDULL;
    u.shape = u.kind = 0xFF;
    return u;
  }();
  size_t n = units_.size();
  const UnitInfo& u = units_[i];
  const UnitInfo& m1 = i >= 1 ? units_[i - 1] : kPad;
  const UnitInfo& m2 = i >= 2 ? units_[i - 2] : kPad;
  const UnitInfo& p1 = i + 1 < n ? units_[i + 1] : kPad;
  const UnitInfo& p2 = i + 2 < n ? units_[i + 2] : kPad;
  auto add = [out](uint64_t tmpl, uint64_t value) { out->push_back(F(tmpl, value)); };
  add(kBias, 0);
  add(kNorm0, u.norm);
  add(kNormM1, m1.norm);
  add(kNormP1, p1.norm);
  add(kNormM2, m2.norm);
  add(kNormP2, p2.norm);
  add(kStem0, u.stem);
  add(kStemM1, m1.stem);
  add(kStemP1, p1.stem);
  add(kStemM1Stem0, Mix64(m1.stem) ^ u.stem);
  add(kStem0StemP1, Mix64(u.stem) ^ p1.stem);
  add(kPro0, u.pro);
  add(kEnc0, u.enc);
  add(kPre2, u.pre[0]);
  add(kPre3, u.pre[1]);
  add(kSuf1, u.suf[0]);
  add(kSuf2, u.suf[1]);
  add(kSuf3, u.suf[2]);
  add(kShape0, u.shape);
  add(kShapeWindow, (m1.kind << 16) | (u.shape << 8) | p1.kind);
  const ClusterInfo& c = u.cluster;
  add(kClus0L0, c.level[0]);
  add(kClus0L1, c.level[1]);
  add(kClus0L2, c.level[2]);
  add(kClusM1L1, m1.cluster.level[1]);
  add(kClusP1L1, p1.cluster.level[1]);
  add(kClusM1L2, m1.cluster.level[2]);
  add(kClusP1L2, p1.cluster.level[2]);
  add(kFreq0, c.freq);
  add(kFreqClus0, (uint64_t{c.freq} << 16) | c.level[0]);
  add(kGaz0, u.gaz_begin | (u.gaz_inside << 4));
  add(kGazM1, m1.gaz_begin | (m1.gaz_inside << 4));
  add(kGazP1, p1.gaz_begin | (p1.gaz_inside << 4));
  add(kProClus0, u.pro ^ c.level[1]);
  if (c.profile != 0) {
    add(kProfile0, c.profile);
    add(kProfileShape, (uint64_t{c.profile} << 16) | u.shape);
  }
  if (m1.cluster.profile != 0) add(kProfileM1, m1.cluster.profile);
  if (p1.cluster.profile != 0) add(kProfileP1, p1.cluster.profile);
  if (c.profile != 0) {  // feature set 4: the profile with the word before and after («فريق» + ORG-like)
    add(kProfileContext, Mix64(m1.norm) ^ c.profile);
    add(kProfileContext, Mix64(p1.norm + 1) ^ c.profile);
  }
}

void AppendNetFeatures(const float* lp, size_t n, size_t i, uint32_t shape, std::vector<uint64_t>* out) {
  auto best = [&](size_t j, int* bin) {
    const float* l = lp + j * kNumTags;
    int arg = 0;
    for (int t = 1; t < kNumTags; ++t) {
      if (l[t] > l[arg]) arg = t;
    }
    // log 0.5, log 0.8, log 0.95
    *bin = l[arg] < -0.6931f ? 0 : l[arg] < -0.2231f ? 1 : l[arg] < -0.0513f ? 2 : 3;
    return arg;
  };
  int bin0, bin;
  int t0 = best(i, &bin0);
  out->push_back(F(kNet0, uint64_t(t0) * 4 + bin0));
  out->push_back(F(kNetShape, (uint64_t(t0) * 4 + bin0) << 16 | shape));
  out->push_back(F(kNetM1, i > 0 ? uint64_t(best(i - 1, &bin)) : 99));
  out->push_back(F(kNetP1, i + 1 < n ? uint64_t(best(i + 1, &bin)) : 99));
}

void ComputeDocInfo(const uint64_t* keys, const Tag* tags, const uint32_t* sentences, size_t n, DocInfo* out) {
  struct Counts {
    uint32_t type[kNumTypes] = {};
    uint32_t outside = 0;
  };
  std::unordered_map<uint64_t, Counts> counts;
  for (size_t i = 0; i < n; ++i) {
    if (keys[i] == 0) continue;
    Counts& c = counts[keys[i]];
    if (tags[i] == kOutside) {
      ++c.outside;
    } else {
      ++c.type[static_cast<int>(TagType(tags[i]))];
    }
  }
  for (size_t i = 0; i < n; ++i) {
    DocInfo& d = out[i];
    d = DocInfo();
    d.self = tags[i];
    d.prev = i > 0 && sentences[i - 1] == sentences[i] ? tags[i - 1] : kNumTags;
    d.next = i + 1 < n && sentences[i + 1] == sentences[i] ? tags[i + 1] : kNumTags;
    if (keys[i] == 0) continue;
    const Counts& c = counts[keys[i]];
    for (int t = 0; t < kNumTypes; ++t) {
      uint32_t others = c.type[t] - (tags[i] != kOutside && static_cast<int>(TagType(tags[i])) == t);
      if (others > 0) d.types |= static_cast<uint8_t>(1u << t);
    }
    uint32_t outside = c.outside - (tags[i] == kOutside);
    d.outside = static_cast<uint8_t>(std::min<uint32_t>(outside, 3));
  }
}

void AppendDocFeatures(const DocInfo& d, std::vector<uint64_t>* out) {
  auto add = [out](uint64_t tmpl, uint64_t value) { out->push_back(F(tmpl, value)); };
  add(kDocSelf, d.self);
  add(kDocSelfPrev, (uint64_t{d.prev} << 8) | d.self);
  add(kDocSelfNext, (uint64_t{d.self} << 8) | d.next);
  for (int t = 0; t < kNumTypes; ++t) {
    if (d.types >> t & 1) add(kDocType, t);
  }
  add(kDocTypes, (uint64_t{d.types} << 8) | (d.types == 0 ? d.outside : 0));
  if (d.types == 0 && d.outside > 0) add(kDocOutside, d.outside);
  add(kDocSelfTypes, (uint64_t{d.self} << 8) | d.types);
}

void PropagateMentions(const uint64_t* bases, const uint8_t* flags, const uint32_t* sentences, size_t n,
                       Tag* tags) {
  auto has = [&](size_t k, uint8_t bits) { return flags == nullptr || (flags[k] & bits) == bits; };
  constexpr size_t kMaxLen = 4;
  auto key_of = [&](size_t i, size_t len) {
    uint64_t h = 0;
    for (size_t k = i; k < i + len; ++k) h = ExtendPhraseHash(h, bases[k]);
    return h;
  };
  std::unordered_map<uint64_t, uint8_t> types;  // key -> type bits
  std::unordered_map<uint64_t, uint32_t> found;  // key -> mentions tagged (one-word keys)
  uint32_t lengths = 0;                         // bit L: a mention of L words
  for (size_t i = 0; i < n;) {
    if (tags[i] == kOutside || !IsBegin(tags[i])) {
      ++i;
      continue;
    }
    EntityType t = TagType(tags[i]);
    size_t j = i + 1;
    while (j < n && tags[j] == InsideTag(t)) ++j;
    bool words = j - i <= kMaxLen;
    for (size_t k = i; k < j && words; ++k) words = bases[k] != 0;
    if (words) {
      types[key_of(i, j - i)] |= static_cast<uint8_t>(1u << static_cast<int>(t));
      if (j - i == 1) ++found[key_of(i, 1)];
      lengths |= 1u << (j - i);
      // A person named in full is often named later by the last word alone
      // («دونالد ترامب» ... «الرئيس ترامب»).
      if (t == EntityType::kPer && j - i >= 2 && has(j - 1, kNotStopWord | kThreeLetters)) {
        types[key_of(j - 1, 1)] |= static_cast<uint8_t>(1u << static_cast<int>(t));
        ++found[key_of(j - 1, 1)];
        lengths |= 1u << 1;
      }
    }
    i = j;
  }
  if (types.empty()) return;
  // A word the tagger left O more than kMaxMissedPerFound times for each time
  // it tagged it is most often a common word tagged by mistake («البنك» once
  // ORG in an article about banks, O twenty times): it is not spread.
  std::unordered_map<uint64_t, uint32_t> missed;
  for (size_t i = 0; i < n; ++i) {
    if (tags[i] == kOutside && bases[i] != 0) {
      uint64_t key = key_of(i, 1);
      if (found.count(key) != 0) ++missed[key];
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (tags[i] != kOutside || bases[i] == 0) continue;
    for (size_t len = kMaxLen; len >= 1; --len) {
      if (!(lengths >> len & 1) || i + len > n || sentences[i + len - 1] != sentences[i]) continue;
      bool free = true;
      for (size_t k = i; k < i + len && free; ++k) free = tags[k] == kOutside && bases[k] != 0;
      if (len == 1 && !has(i, kNotStopWord)) free = false;
      // A definite word right after a definite word is most often its
      // adjective («الاقتصاد العربي», «القيادة الحكيمة»), not the name
      // found elsewhere («العربي» the club).
      if (len == 1 && flags != nullptr && (flags[i] & kDefinite) && i > 0 && sentences[i - 1] == sentences[i] &&
          bases[i - 1] != 0 && (flags[i - 1] & kDefinite)) {
        free = false;
      }
      if (!free) continue;
      auto it = types.find(key_of(i, len));
      if (it == types.end()) continue;
      if (len == 1 && missed[it->first] > kMaxMissedPerFound * found[it->first]) continue;
      uint8_t bits = it->second;
      if (bits & (1u << static_cast<int>(EntityType::kMisc))) continue;
      if ((bits & (bits - 1)) != 0) continue;  // tagged as two types: leave it
      EntityType t = static_cast<EntityType>(__builtin_ctz(bits));
      tags[i] = BeginTag(t);
      for (size_t k = i + 1; k < i + len; ++k) tags[k] = InsideTag(t);
      i += len - 1;
      break;
    }
  }
}

namespace {

// True when a mention of the tagger crosses an end of tokens [begin, end): a
// mention that starts before begin and goes on, or one that starts inside and
// goes on past end. Retagging [begin, end) as one mention is safe otherwise.
bool CrossesMention(const Tag* tags, size_t n, size_t begin, size_t end) {
  auto inside = [&](size_t k) { return k < n && tags[k] != kOutside && !IsBegin(tags[k]); };
  return inside(begin) || inside(end);
}

// Tags [begin, end) as one mention of type t.
void TagSpan(Tag* tags, size_t begin, size_t end, EntityType t) {
  tags[begin] = BeginTag(t);
  for (size_t k = begin + 1; k < end; ++k) tags[k] = InsideTag(t);
}

}  // namespace

void TagListedNames(const ModelData& data, const uint64_t* bases, const uint64_t* norms,
                    const uint32_t* sentences, size_t n, Tag* tags) {
  if (data.listed.empty()) return;
  for (size_t i = 0; i < n; ++i) {
    if (bases[i] == 0) continue;
    uint64_t h = 0;
    size_t best = 0;
    uint8_t best_types = 0;
    for (size_t len = 1; len <= static_cast<size_t>(kMaxGazetteerWords) && i + len <= n; ++len) {
      size_t k = i + len - 1;
      if (sentences[k] != sentences[i]) break;
      uint64_t key = len == 1 ? bases[i] : norms[k];
      if (key == 0) break;
      h = ExtendPhraseHash(h, key);
      uint32_t v = data.FindListed(h);
      if (v == 0) break;
      if ((v & 0xFF) != 0) {
        best = len;
        best_types = static_cast<uint8_t>(v & 0xFF);
      }
    }
    if (best == 0 || (best_types & (best_types - 1)) != 0) continue;
    if (CrossesMention(tags, n, i, i + best)) continue;
    TagSpan(tags, i, i + best, static_cast<EntityType>(__builtin_ctz(best_types)));
    i += best - 1;
  }
}

void TagMinistries(const analysis::AnalyzedToken* tokens, size_t n, Tag* tags) {
  static constexpr std::string_view kMinistry = "\u0648\u0632\u0627\u0631\u0647";  // وزاره (normalised)
  static constexpr std::string_view kArticle = "\u0627\u0644", kAndArticle = "\u0648+\u0627\u0644";  // proclitics are joined by +
  static constexpr std::string_view kNisba = "\u064A\u0647";  // -يه (-ية normalised)
  auto word = [&](size_t k, size_t i) {
    return k < n && tokens[k].token.IsWord() && tokens[k].token.sentence == tokens[i].token.sentence;
  };
  for (size_t i = 0; i < n; ++i) {
    const analysis::AnalyzedToken& t = tokens[i];
    if (!t.token.IsWord() || t.proclitics().find(kArticle) != std::string_view::npos) continue;
    std::string_view norm = t.norm();  // the cheap test first: StripProclitics allocates
    if (norm.size() < kMinistry.size() || norm.substr(norm.size() - kMinistry.size()) != kMinistry) continue;
    if (StripProclitics(norm, t.proclitics()) != kMinistry) continue;
    size_t k = i + 1;
    if (!word(k, i) || tokens[k].proclitics() != kArticle) continue;
    ++k;
    while (word(k, i) && tokens[k].proclitics() == kAndArticle) ++k;
    if (word(k, i) && tokens[k].proclitics() == kArticle) {
      std::string_view adjective = tokens[k].norm();
      if (adjective.size() > kNisba.size() && adjective.substr(adjective.size() - kNisba.size()) == kNisba) ++k;
    }
    if (CrossesMention(tags, n, i, k)) continue;
    TagSpan(tags, i, k, EntityType::kOrg);
    i = k - 1;
  }
}

void TagNamedInQuotes(const analysis::AnalyzedToken* tokens, size_t n, Tag* tags) {
  // Bases (normalised, without proclitics) of the naming words, and the type
  // of what they name.
  static const std::unordered_map<std::string_view, EntityType> kNaming = {
      {"\u0635\u062D\u064A\u0641\u0647", EntityType::kOrg},              // صحيفة
      {"\u062C\u0631\u064A\u062F\u0647", EntityType::kOrg},              // جريدة
      {"\u0645\u062C\u0644\u0647", EntityType::kOrg},                     // مجلة
      {"\u0645\u0648\u0642\u0639", EntityType::kOrg},                     // موقع
      {"\u0648\u0643\u0627\u0644\u0647", EntityType::kOrg},              // وكالة
      {"\u0642\u0646\u0627\u0647", EntityType::kOrg},                     // قناة
      {"\u0634\u0628\u0643\u0647", EntityType::kOrg},                     // شبكة
      {"\u0634\u0631\u0643\u0647", EntityType::kOrg},                     // شركة
      {"\u062D\u0631\u0643\u0647", EntityType::kOrg},                     // حركة
      {"\u062D\u0632\u0628", EntityType::kOrg},                            // حزب
      {"\u062C\u0645\u0627\u0639\u0647", EntityType::kOrg},              // جماعة
      {"\u062A\u0646\u0638\u064A\u0645", EntityType::kOrg},              // تنظيم
      {"\u0645\u0646\u0638\u0645\u0647", EntityType::kOrg},              // منظمة
      {"\u0641\u0631\u064A\u0642", EntityType::kOrg},                     // فريق
      {"\u0646\u0627\u062F\u064A", EntityType::kOrg},                     // نادي
      {"\u062C\u0645\u0639\u064A\u0647", EntityType::kOrg},              // جمعية
      {"\u0645\u0624\u0633\u0633\u0647", EntityType::kOrg},              // مؤسسة
      {"\u0628\u0646\u0643", EntityType::kOrg},                            // بنك
      {"\u0627\u0630\u0627\u0639\u0647", EntityType::kOrg},              // إذاعة
      {"\u062A\u0644\u0641\u0632\u064A\u0648\u0646", EntityType::kOrg},  // تلفزيون
      {"\u0627\u0626\u062A\u0644\u0627\u0641", EntityType::kOrg},       // ائتلاف
      {"\u0639\u0645\u0644\u064A\u0647", EntityType::kMisc},             // عملية
      {"\u062D\u0645\u0644\u0647", EntityType::kMisc},                    // حملة
      {"\u0641\u064A\u0644\u0645", EntityType::kMisc},                    // فيلم
      {"\u0645\u0633\u0644\u0633\u0644", EntityType::kMisc},             // مسلسل
      {"\u0643\u062A\u0627\u0628", EntityType::kMisc},                    // كتاب
      {"\u0631\u0648\u0627\u064A\u0647", EntityType::kMisc},             // رواية
      {"\u0628\u0631\u0646\u0627\u0645\u062C", EntityType::kMisc},      // برنامج
      {"\u0627\u063A\u0646\u064A\u0647", EntityType::kMisc},             // أغنية
      {"\u0645\u0647\u0631\u062C\u0627\u0646", EntityType::kMisc},      // مهرجان
      {"\u0645\u0628\u0627\u062F\u0631\u0647", EntityType::kMisc},      // مبادرة
      {"\u0635\u0641\u0642\u0647", EntityType::kMisc},                    // صفقة
      {"\u062A\u0637\u0628\u064A\u0642", EntityType::kMisc},             // تطبيق
      {"\u0645\u0633\u0631\u062D\u064A\u0647", EntityType::kMisc},      // مسرحية
  };
  auto opening = [](std::string_view s) { return s == "\u00AB" || s == "\u201C" || s == "\""; };  // « “ "
  auto closing = [](std::string_view s) { return s == "\u00BB" || s == "\u201D" || s == "\""; };  // » ” "
  auto lone_preposition = [](std::string_view s) { return s == "\u0628" || s == "\u0644"; };      // بـ لـ
  for (size_t open = 1; open + 2 < n; ++open) {
    const analysis::AnalyzedToken& mark = tokens[open];
    if (mark.token.kind != analysis::TokenKind::kPunct || !opening(mark.norm())) continue;
    size_t before = open - 1;
    if (before >= 1 && tokens[before].token.IsWord() && lone_preposition(tokens[before].norm())) --before;
    const analysis::AnalyzedToken& head = tokens[before];
    if (!head.token.IsWord() || head.token.sentence != mark.token.sentence) continue;
    auto kind = kNaming.find(StripProclitics(head.norm(), head.proclitics()));
    if (kind == kNaming.end()) continue;
    size_t close = open + 1;
    while (close < n && close <= open + kMaxGazetteerWords && tokens[close].token.sentence == mark.token.sentence &&
           (tokens[close].token.IsWord() || tokens[close].token.kind == analysis::TokenKind::kNumber)) {
      ++close;
    }
    if (close == open + 1 || close >= n || tokens[close].token.sentence != mark.token.sentence ||
        tokens[close].token.kind != analysis::TokenKind::kPunct || !closing(tokens[close].norm())) {
      continue;
    }
    bool tagged = false;
    for (size_t k = open + 1; k < close; ++k) tagged |= tags[k] != kOutside;
    if (close - open - 1 == 1 && !tagged) {
      // One word the tagger left O: not after a MISC kind, and not an
      // indefinite adjective in -ية after an ORG kind («منظمة "إرهابية"»).
      std::string_view w = tokens[open + 1].norm();
      bool adjective = tokens[open + 1].proclitics().empty() && w.size() > 4 && w.substr(w.size() - 4) == "\u064A\u0647";
      if (kind->second == EntityType::kMisc || adjective) continue;
    }
    if (CrossesMention(tags, n, open + 1, close)) continue;
    TagSpan(tags, open + 1, close, kind->second);
    open = close;
  }
}

std::string GazetteerPhrase(const analysis::AnalyzedToken* tokens, size_t n) {
  if (n == 0 || n > static_cast<size_t>(kMaxGazetteerWords)) return {};
  std::string phrase;
  for (size_t i = 0; i < n; ++i) {
    const analysis::AnalyzedToken& t = tokens[i];
    if (!t.token.IsWord() && t.token.kind != TokenKind::kNumber) return {};
    if (i > 0) phrase.push_back(' ');
    phrase += i == 0 ? StripProclitics(t.norm(), t.proclitics()) : std::string(t.norm());
  }
  return phrase;
}

}  // namespace rasid::ner::internal
