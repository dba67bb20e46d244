// Labelled corpora: ANERcorp and FANE readers, the development split, the
// overlap filter, span scoring, gazetteer lists.
#include <cstdio>
#include <unordered_set>

#include "rasid/analysis/lexicon.h"
#include "rasid/analysis/normalizer.h"
#include "rasid/base/file.h"
#include "rasid/ner/train.h"

namespace rasid::ner {

namespace {

constexpr uint16_t Bit(Tag t) { return static_cast<uint16_t>(1u << t); }

// Calls fn(line, line_number) for each line, CR stripped.
template <typename Fn>
void ForEachLine(std::string_view data, Fn fn) {
  size_t pos = 0, number = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    std::string_view line = data.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, ++number);
    pos = nl + 1;
  }
}

// Turns I-X after a word that cannot be X into B-X, so that the allowed
// masks always admit a valid BIO sequence.
void RepairInside(LabelledSentence* s) {
  for (size_t i = 0; i < s->allowed.size(); ++i) {
    for (int t = 0; t < kNumTypes; ++t) {
      EntityType type = static_cast<EntityType>(t);
      uint16_t in = Bit(InsideTag(type));
      if (!(s->allowed[i] & in)) continue;
      bool ok = i > 0 && (s->allowed[i - 1] & (Bit(BeginTag(type)) | in));
      if (ok) continue;
      s->allowed[i] &= static_cast<uint16_t>(~in);
      s->allowed[i] |= Bit(BeginTag(type));
    }
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<LabelledSentence>> ReadAnercorp(const std::string& path) {
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) return data.status();
  std::vector<LabelledSentence> out;
  LabelledSentence cur;
  Status error;
  ForEachLine(data.value(), [&](std::string_view line, size_t number) {
    if (!error.ok() || Trim(line).empty()) return;
    size_t sp = line.rfind(' ');
    std::optional<Tag> tag = sp == std::string_view::npos ? std::nullopt : ParseTag(line.substr(sp + 1));
    if (!tag) {
      error = Status::Corruption(path + ":" + std::to_string(number) + ": expected 'token TAG'");
      return;
    }
    std::string word(Trim(line.substr(0, sp)));
    if (word.empty()) return;  // 191 lines of the file are " O": nothing to tag
    cur.words.push_back(word);
    cur.allowed.push_back(Bit(*tag));
    if (word == "." && *tag == kOutside) {
      RepairInside(&cur);
      out.push_back(std::move(cur));
      cur = LabelledSentence();
    }
  });
  if (!error.ok()) return error;
  if (!cur.words.empty()) {
    RepairInside(&cur);
    out.push_back(std::move(cur));
  }
  return out;
}

namespace {

// Allowed tags of a FANE fine class at B (begin) or I position.
uint16_t FaneMask(std::string_view cls, bool begin) {
  auto tag = [&](EntityType t) { return Bit(begin ? BeginTag(t) : InsideTag(t)); };
  static const std::unordered_set<std::string_view> kPer = {
      "Politician", "Athlete", "Artist", "Scientist", "Businessperson", "Engineer",
      "Lawyer", "Police", "Other_PER", "Religious_PER"};
  static const std::unordered_set<std::string_view> kLoc = {
      "Nation", "Population-Center", "State-or-Province", "County-or-District", "GPE-Cluster",
      "Continent", "Water-Body", "Land-Region-Natural"};
  static const std::unordered_set<std::string_view> kOrg = {
      "Government", "Non-Governmental", "Commercial", "Educational", "Media", "Sports",
      "Medical-Science", "Religious_ORG", "Entertainment"};
  static const std::unordered_set<std::string_view> kFacility = {"Building-Grounds", "Airport", "Path",
                                                                 "Subarea-Facility"};
  uint16_t misc_or_o = Bit(kOutside) | tag(EntityType::kMisc);
  if (kPer.count(cls)) return tag(EntityType::kPer);
  if (kLoc.count(cls)) return tag(EntityType::kLoc);
  if (kOrg.count(cls)) return tag(EntityType::kOrg);
  if (kFacility.count(cls)) return misc_or_o | tag(EntityType::kLoc) | tag(EntityType::kOrg);
  if (cls == "Celestial") return misc_or_o | tag(EntityType::kLoc);
  return misc_or_o;  // Group (nationalities), works, products, vehicles, weapons ...
}

bool IsProclitic(std::string_view w) {
  return w == "\u0648" || w == "\u0641" || w == "\u0628" || w == "\u0644" || w == "\u0643" ||
         w == "\u0633";  // WAW FEH BEH LAM KAF SEEN
}

bool IsEnclitic(std::string_view w) {
  static const std::unordered_set<std::string_view> kEnclitics = {
      "\u0647", "\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627", "\u0647\u0646",
      "\u0643\u0645", "\u0643\u0645\u0627", "\u0646\u0627", "\u064A", "\u0646\u064A", "\u0643"};
  return kEnclitics.count(w) > 0;
}

void FinishFane(LabelledSentence* cur, std::vector<LabelledSentence>* out) {
  if (cur->words.empty()) return;
  RepairInside(cur);
  out->push_back(std::move(*cur));
  *cur = LabelledSentence();
}

}  // namespace

Result<std::vector<LabelledSentence>> ReadFane(const std::string& path) {
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) return data.status();
  std::string_view all = data.value();
  if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);
  std::vector<LabelledSentence> out;
  LabelledSentence cur;
  std::string pending;  // proclitics waiting for their word
  Status error;
  ForEachLine(all, [&](std::string_view line, size_t number) {
    if (!error.ok()) return;
    if (Trim(line).empty()) {
      FinishFane(&cur, &out);
      pending.clear();
      return;
    }
    size_t tab = line.rfind('\t');
    if (tab == std::string_view::npos) {
      error = Status::Corruption(path + ":" + std::to_string(number) + ": expected 'token<TAB>tag'");
      return;
    }
    std::string word;
    for (std::string_view w = line.substr(0, tab); !w.empty();) {
      if (w.substr(0, 3) == "\u200E") {
        w.remove_prefix(3);
      } else {
        word.push_back(w.front());
        w.remove_prefix(1);
      }
    }
    word = std::string(Trim(word));
    std::string_view tag = Trim(line.substr(tab + 1));
    uint16_t mask;
    if (tag == "O") {
      mask = Bit(kOutside) | Bit(BeginTag(EntityType::kMisc)) | Bit(InsideTag(EntityType::kMisc));
    } else if (tag.size() > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-') {
      mask = FaneMask(tag.substr(2), tag[0] == 'B');
    } else {
      error = Status::Corruption(path + ":" + std::to_string(number) + ": bad tag '" + std::string(tag) + "'");
      return;
    }
    if (word.empty()) return;
    bool outside = tag == "O";
    if (outside && IsProclitic(word)) {
      pending += word;
      return;
    }
    if (outside && IsEnclitic(word) && pending.empty() && !cur.words.empty() && cur.words.back().size() > 2) {
      cur.words.back() += word;
      return;
    }
    cur.words.push_back(pending + word);
    cur.allowed.push_back(mask);
    pending.clear();
  });
  if (!error.ok()) return error;
  FinishFane(&cur, &out);
  return out;
}

std::vector<Tag> FirstAllowedTags(const LabelledSentence& sentence) {
  std::vector<Tag> tags(sentence.allowed.size(), kOutside);
  for (size_t i = 0; i < tags.size(); ++i) {
    for (int t = 0; t < kNumTags; ++t) {
      if (sentence.allowed[i] >> t & 1) {
        tags[i] = static_cast<Tag>(t);
        break;
      }
    }
  }
  return tags;
}

void SplitAtWord(std::vector<LabelledSentence>* sentences, size_t first_word,
                 std::vector<LabelledSentence>* held_out) {
  size_t words = 0, cut = sentences->size();
  for (size_t i = 0; i < sentences->size(); ++i) {
    if (words >= first_word) {
      cut = i;
      break;
    }
    words += (*sentences)[i].words.size();
  }
  held_out->assign(std::make_move_iterator(sentences->begin() + cut), std::make_move_iterator(sentences->end()));
  sentences->resize(cut);
}

namespace {

// Letters of a sentence for overlap tests: search normalisation with hamza
// carriers folded, then only letters and digits, hamza dropped.
std::u32string Skeleton(const analysis::Normalizer& norm, const LabelledSentence& s) {
  std::u32string out;
  for (const std::string& w : s.words) {
    std::string n = norm.Normalize(w);
    for (size_t i = 0; i < n.size();) {
      unsigned char b = static_cast<unsigned char>(n[i]);
      char32_t cp;
      size_t len;
      if (b < 0x80) {
        cp = b, len = 1;
      } else if (b < 0xE0 && i + 1 < n.size()) {
        cp = ((b & 0x1F) << 6) | (n[i + 1] & 0x3F), len = 2;
      } else {
        cp = 0, len = b < 0xF0 ? 3 : 4;
      }
      i += len;
      bool letter = (cp >= 0x0622 && cp <= 0x064A) || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
      if (letter) out.push_back(cp);
    }
  }
  return out;
}

uint64_t WindowHash(const char32_t* p, size_t n) {
  return analysis::HashBytes(std::string_view(reinterpret_cast<const char*>(p), n * sizeof(char32_t)));
}

}  // namespace

size_t DropOverlapping(const std::vector<LabelledSentence>& held_out, std::vector<LabelledSentence>* sentences,
                       size_t letters) {
  analysis::NormalizeOptions opts = analysis::NormalizeOptions::Search();
  opts.hamza_carriers = true;
  analysis::Normalizer norm(opts);
  std::u32string text;
  for (const auto& s : held_out) text += Skeleton(norm, s);
  std::unordered_set<uint64_t> windows;
  for (size_t i = 0; i + letters <= text.size(); ++i) windows.insert(WindowHash(text.data() + i, letters));
  size_t kept = 0, dropped = 0;
  for (size_t k = 0; k < sentences->size(); ++k) {
    std::u32string sk = Skeleton(norm, (*sentences)[k]);
    bool overlap = false;
    for (size_t i = 0; !overlap && i + letters <= sk.size(); ++i) overlap = windows.count(WindowHash(sk.data() + i, letters)) > 0;
    if (overlap) {
      ++dropped;
    } else {
      if (kept != k) (*sentences)[kept] = std::move((*sentences)[k]);
      ++kept;
    }
  }
  sentences->resize(kept);
  return dropped;
}

void SpanScores::Add(const std::vector<Tag>& gold, const std::vector<Tag>& predicted) {
  struct Span {
    size_t begin, end;
    int type;
    bool operator==(const Span&) const = default;
  };
  auto spans = [](const std::vector<Tag>& tags) {
    std::vector<Span> out;
    for (size_t i = 0; i < tags.size();) {
      if (tags[i] == kOutside) {
        ++i;
        continue;
      }
      // CoNLL: an I-X that does not continue X starts an entity too.
      EntityType t = TagType(tags[i]);
      size_t j = i + 1;
      while (j < tags.size() && tags[j] == InsideTag(t)) ++j;
      out.push_back({i, j, static_cast<int>(t)});
      i = j;
    }
    return out;
  };
  std::vector<Span> g = spans(gold), p = spans(predicted);
  std::array<uint64_t, kNumTypes> hits{};
  size_t a = 0;
  for (const Span& s : p) {
    while (a < g.size() && g[a].begin < s.begin) ++a;
    bool hit = a < g.size() && g[a] == s;
    (hit ? tp : fp)[s.type]++;
    hits[s.type] += hit;
  }
  for (const Span& s : g) fn[s.type]++;
  for (int t = 0; t < kNumTypes; ++t) fn[t] -= hits[t];
}

namespace {
double Ratio(uint64_t a, uint64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); }
}  // namespace

double SpanScores::Precision(int type) const {
  if (type >= 0) return Ratio(tp[type], tp[type] + fp[type]);
  uint64_t a = 0, b = 0;
  for (int t = 0; t < kNumTypes; ++t) a += tp[t], b += tp[t] + fp[t];
  return Ratio(a, b);
}

double SpanScores::Recall(int type) const {
  if (type >= 0) return Ratio(tp[type], tp[type] + fn[type]);
  uint64_t a = 0, b = 0;
  for (int t = 0; t < kNumTypes; ++t) a += tp[t], b += tp[t] + fn[t];
  return Ratio(a, b);
}

double SpanScores::F1(int type) const {
  double p = Precision(type), r = Recall(type);
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

double SpanScores::F1PerOrgLoc() const {
  uint64_t t = 0, f = 0, n = 0;
  for (int k = 0; k < 3; ++k) t += tp[k], f += fp[k], n += fn[k];
  double p = Ratio(t, t + f), r = Ratio(t, t + n);
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

std::string SpanScores::ToString() const {
  std::string out;
  char buf[160];
  for (int t = -1; t < kNumTypes; ++t) {
    uint64_t gold = 0;
    for (int k = 0; k < kNumTypes; ++k) {
      if (t < 0 || k == t) gold += tp[k] + fn[k];
    }
    std::snprintf(buf, sizeof buf, "%-5s P %6.2f  R %6.2f  F1 %6.2f  (%llu gold)\n",
                  t < 0 ? "all" : EntityTypeName(static_cast<EntityType>(t)), 100 * Precision(t),
                  100 * Recall(t), 100 * F1(t), static_cast<unsigned long long>(gold));
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "PER+ORG+LOC F1 %6.2f\n", 100 * F1PerOrgLoc());
  out += buf;
  return out;
}

Result<std::vector<GazetteerName>> ReadGazetteer(const std::string& path) {
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) return data.status();
  std::vector<GazetteerName> out;
  Status error;
  ForEachLine(data.value(), [&](std::string_view line, size_t number) {
    if (!error.ok() || line.empty() || line[0] == '#') return;
    size_t tab = line.find('\t');
    std::optional<EntityType> type = ParseEntityType(line.substr(0, tab));
    if (tab == std::string_view::npos || !type) {
      error = Status::Corruption(path + ":" + std::to_string(number) + ": expected 'TYPE<TAB>name'");
      return;
    }
    std::string_view rest = line.substr(tab + 1);
    std::string_view name = Trim(rest.substr(0, rest.find('\t')));
    if (!name.empty()) out.push_back({*type, std::string(name)});
  });
  if (!error.ok()) return error;
  return out;
}

}  // namespace rasid::ner
