#include "rasid/index/searcher.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "rasid/analysis/char_filters.h"
#include "rasid/text/utf8.h"
#include "scorers.h"

namespace rasid::index {

namespace {

// The query compiled against the whole index (terms analysed, weights set);
// turned into a Scorer tree per segment.
struct Plan {
  enum class Kind { kTerm, kPhrase, kAnd, kOr, kDate, kId, kEmpty };
  Kind kind = Kind::kEmpty;
  std::vector<std::string> keys;  // kTerm: one; kPhrase: several
  bool title_only = false;
  bool zero_score = false;  // keyword filters
  bool ignorable = false;   // words that analyse to nothing (punctuation)
  Bm25 bm25;
  int32_t date_from = INT32_MIN, date_to = INT32_MAX;
  std::vector<Plan> required, optional, prohibited;  // kAnd uses required + prohibited
};

bool IsPureDisjunction(const Plan& p) {
  if (p.kind != Plan::Kind::kOr || !p.required.empty() || !p.prohibited.empty()) return false;
  for (const Plan& c : p.optional) {
    if (c.kind != Plan::Kind::kTerm || c.zero_score) return false;
  }
  return !p.optional.empty();
}

// A word of the query for the proximity rerank: its index key and idf.
struct ProxTerm {
  std::string key;
  double idf = 0;
};

// A term scored only for the best documents (the exact forms' boost).
struct RerankTerm {
  std::string key;
  Bm25 bm25;
};

struct TopEntry {
  double score;
  uint32_t seg, doc;
};
// Worse entries first in the heap: lower score, then later document.
struct WorseFirst {
  bool operator()(const TopEntry& a, const TopEntry& b) const {
    if (a.score != b.score) return a.score > b.score;
    return std::tie(a.seg, a.doc) < std::tie(b.seg, b.doc);
  }
};

class TopK {
 public:
  explicit TopK(size_t k) : k_(k) {}
  double threshold() const { return heap_.size() < k_ ? -1.0 : heap_.top().score; }
  void Push(const TopEntry& e) {
    if (k_ == 0) return;
    if (heap_.size() < k_) {
      heap_.push(e);
    } else if (WorseFirst()(e, heap_.top())) {
      heap_.pop();
      heap_.push(e);
    }
  }
  std::vector<TopEntry> Sorted() {
    std::vector<TopEntry> v;
    while (!heap_.empty()) {
      v.push_back(heap_.top());
      heap_.pop();
    }
    std::reverse(v.begin(), v.end());
    return v;
  }

 private:
  size_t k_;
  std::priority_queue<TopEntry, std::vector<TopEntry>, WorseFirst> heap_;
};

std::string YearOf(int32_t days) { return FormatDate(days).substr(0, 4); }
std::string MonthOf(int32_t days) { return FormatDate(days).substr(0, 7); }

// Code points of `s` that are letters of a word (not marks, tatweel or
// invisible characters): their byte offsets.
std::vector<std::pair<uint32_t, uint32_t>> LetterSpans(std::string_view s) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    char32_t c = text::NextCodePoint(s, &i);
    bool mark = c == 0x0640 || analysis::filters::IsArabicMark(c) || analysis::filters::IsFormatChar(c);
    if (mark && !out.empty()) {
      out.back().second = static_cast<uint32_t>(i);  // a mark belongs to the letter before it
    } else {
      out.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(i));
    }
  }
  return out;
}

}  // namespace

std::pair<uint32_t, uint32_t> BaseSpan(std::string_view surface, std::string_view proclitics,
                                       std::string_view enclitic) {
  size_t pro = 0;
  std::string_view prev;
  std::string_view rest = proclitics;
  while (!rest.empty()) {
    size_t plus = rest.find('+');
    std::string_view part = rest.substr(0, plus);
    pro += text::CountCodePoints(part);
    if (part == "\u0627\u0644" && prev == "\u0644") --pro;  // ل + ال is written لل
    prev = part;
    rest = plus == std::string_view::npos ? std::string_view() : rest.substr(plus + 1);
  }
  size_t enc = text::CountCodePoints(enclitic);
  auto letters = LetterSpans(surface);
  if (pro + enc >= letters.size()) return {0, static_cast<uint32_t>(surface.size())};
  return {letters[pro].first, letters[letters.size() - 1 - enc].second};
}

struct Searcher::Impl {
  std::unique_ptr<analysis::Analyzer> analyzer;
  std::vector<analysis::AnalyzedToken> tokens;
  HighlightTerms highlight;
};

Searcher::Searcher(std::shared_ptr<const IndexReader> reader) : reader_(std::move(reader)), impl_(new Impl) {
  auto a = analysis::Analyzer::Create(IndexAnalyzerOptions());
  if (a.ok()) impl_->analyzer = std::move(a).value();
}

Searcher::~Searcher() = default;

Result<SearchResult> Searcher::Search(std::string_view query, const SearchOptions& options) {
  auto parsed = ParseQuery(query, options.query);
  if (!parsed.ok()) return parsed.status();
  return Search(**parsed, options);
}

namespace {

struct Compiler {
  const IndexReader& reader;
  analysis::Analyzer* analyzer;
  const SearchOptions& options;
  HighlightTerms* highlight;
  std::vector<analysis::AnalyzedToken> toks;
  // The words of the query's top list, in query order, for the proximity
  // rerank: set when `root` is compiled.
  const QueryNode* root = nullptr;
  std::vector<ProxTerm> prox = {};
  // The exact forms of the words of the top list, scored in the rerank.
  std::vector<RerankTerm> exact_rerank = {};

  double Idf(uint64_t df) const {
    double n = static_cast<double>(std::max<uint64_t>(reader.stats().max_docs, 1));
    return std::log(1.0 + (n - static_cast<double>(df) + 0.5) / (static_cast<double>(df) + 0.5));
  }
  Bm25 MakeBm25(double idf) const {
    Bm25 b;
    b.k1 = options.k1;
    b.b = options.b;
    b.avg_len = std::max(reader.stats().avg_length, 1e-9);
    b.weight = idf * (options.k1 + 1);
    return b;
  }

  // Index keys of the words of `text`; stop words flagged. The exact form
  // of a word with a stem is a variant of that stem (VariantKey).
  std::vector<std::pair<std::string, bool>> Keys(std::string_view text, bool exact) {
    std::vector<std::pair<std::string, bool>> keys;
    analyzer->Analyze(text, &toks);
    for (const auto& t : toks) {
      if (t.norm().empty()) continue;
      std::string key;
      const bool stemmed = t.token.kind == analysis::TokenKind::kArabic && !t.stem().empty();
      if (!exact && t.token.kind == analysis::TokenKind::kArabic) {
        key = std::string(1, kStemSpace) + std::string(t.stem());
      } else if (stemmed) {
        key = VariantKey(t.stem(), t.norm());
      } else {
        key = std::string(1, kExactSpace) + std::string(t.norm());
      }
      keys.emplace_back(std::move(key), t.stopword);
    }
    return keys;
  }

  Plan TermPlan(const std::string& key, bool title_only) {
    Plan p;
    p.kind = Plan::Kind::kTerm;
    p.keys = {key};
    p.title_only = title_only;
    p.bm25 = MakeBm25(Idf(reader.DocFreq(key)));
    highlight->keys.push_back(HighlightKey(key));
    return p;
  }

  Plan PhrasePlan(const std::vector<std::pair<std::string, bool>>& keys, bool title_only) {
    if (keys.size() == 1) return TermPlan(keys[0].first, title_only);
    Plan p;
    p.kind = Plan::Kind::kPhrase;
    p.title_only = title_only;
    double idf = 0;
    for (const auto& [k, stop] : keys) {
      p.keys.push_back(k);
      idf += Idf(reader.DocFreq(k));
      highlight->keys.push_back(HighlightKey(k));
    }
    p.bm25 = MakeBm25(idf);
    return p;
  }

  static Plan KeywordFilter(const std::string& key) {
    Plan p;
    p.kind = Plan::Kind::kTerm;
    p.keys = {key};
    p.zero_score = true;
    return p;
  }

  // mentions:2019-03 and money:USD>1000000, on the keywords ingest derives
  // from extraction (FactKeywords in engine/ingest.cc).
  Result<Plan> FactPlan(const QueryNode& n) {
    std::string v;
    for (size_t i = 0; i < n.text.size();) {  // Arabic-Indic digits to ASCII
      unsigned char c = static_cast<unsigned char>(n.text[i]);
      if (c == 0xD9 && i + 1 < n.text.size() && static_cast<unsigned char>(n.text[i + 1]) >= 0xA0 &&
          static_cast<unsigned char>(n.text[i + 1]) <= 0xA9) {
        v.push_back(static_cast<char>('0' + (static_cast<unsigned char>(n.text[i + 1]) - 0xA0)));
        i += 2;
      } else {
        v.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
        ++i;
      }
    }
    if (n.field == Field::kMentions) {
      bool ok = v.size() == 4 || v.size() == 7 || v.size() == 10;
      for (size_t i = 0; i < v.size() && ok; ++i)
        ok = (i == 4 || i == 7) ? v[i] == '-' : std::isdigit(static_cast<unsigned char>(v[i]));
      if (!ok)
        return Status::InvalidArgument("query: mentions: expects YYYY, YYYY-MM or YYYY-MM-DD, not '" +
                                       n.text + "'");
      return KeywordFilter(std::string(1, kKeywordSpace) + "D:" + v);
    }
    // money:CUR or money:CUR>AMOUNT (amounts by order of magnitude).
    size_t gt = v.find('>');
    std::string cur = v.substr(0, gt);
    if (cur.size() != 3 || !std::isalpha(static_cast<unsigned char>(cur[0]))) {
      return Status::InvalidArgument(
          "query: money: expects a currency code such as USD, or USD>1000000, not '" + n.text + "'");
    }
    std::string base = std::string(1, kKeywordSpace) + "M:" + cur;
    if (gt == std::string::npos) return KeywordFilter(base);
    char* end = nullptr;
    double amount = std::strtod(v.c_str() + gt + 1, &end);
    if (end == v.c_str() + gt + 1 || amount < 0) {
      return Status::InvalidArgument("query: money: bad amount in '" + n.text + "'");
    }
    int from = amount < 1 ? 0 : static_cast<int>(std::floor(std::log10(amount)));
    Plan any;
    any.kind = Plan::Kind::kOr;
    for (int b = from; b <= 15; ++b) any.optional.push_back(KeywordFilter(base + ":" + std::to_string(b)));
    return any;
  }

  Result<Plan> Compile(const QueryNode& n, bool in_optional_list) {
    using K = QueryNode::Kind;
    bool exact = n.exact || options.exact;
    bool title = n.field == Field::kTitle;
    switch (n.kind) {
      case K::kTerm: {
        auto keys = Keys(n.text, exact);
        if (keys.empty()) {
          Plan nothing;
          nothing.ignorable = true;
          return nothing;
        }
        if (keys.size() > 1) return PhrasePlan(keys, title);
        if (in_optional_list && options.drop_stopwords && keys[0].second) return Plan();  // stop word
        return TermPlan(keys[0].first, title);
      }
      case K::kPhrase: {
        auto keys = Keys(n.text, exact);
        if (keys.empty()) {
          Plan nothing;
          nothing.ignorable = true;
          return nothing;
        }
        return PhrasePlan(keys, title);
      }
      case K::kKeyword: {
        if (n.field == Field::kMentions || n.field == Field::kMoney) return FactPlan(n);
        if (n.field == Field::kPerson || n.field == Field::kOrg || n.field == Field::kPlace) {
          const char* type = n.field == Field::kPerson ? "per" : n.field == Field::kOrg ? "org" : "loc";
          return KeywordFilter(std::string(1, kKeywordSpace) + "E:" + type + ":" +
                               analyzer->normalizer().Normalize(n.text));
        }
        if (n.field == Field::kId) {
          // Through the segment's id table (ids are not terms).
          Plan p;
          p.kind = Plan::Kind::kId;
          std::string_view id(n.text);
          while (!id.empty() && std::isspace(static_cast<unsigned char>(id.front()))) id.remove_prefix(1);
          while (!id.empty() && std::isspace(static_cast<unsigned char>(id.back()))) id.remove_suffix(1);
          p.keys = {std::string(id)};
          p.zero_score = true;
          return p;
        }
        char letter = n.field == Field::kSource ? 's' : n.field == Field::kCategory ? 'c' : 'a';
        Plan p;
        p.kind = Plan::Kind::kTerm;
        p.keys = {KeywordTerm(letter, n.text)};
        p.zero_score = true;
        return p;
      }
      case K::kDateRange: {
        Plan p;
        p.kind = Plan::Kind::kDate;
        if (!n.date_from.empty()) p.date_from = ParseDateDays(n.date_from);
        if (!n.date_to.empty()) p.date_to = ParseDateDays(n.date_to);
        if (p.date_from == kNoDate) p.date_from = INT32_MIN + 1;
        if (p.date_to == kNoDate) p.date_to = INT32_MAX;
        return p;
      }
      case K::kRequired:
      case K::kNot:
        if (n.children.empty()) return Plan();
        return Compile(*n.children[0], false);
      case K::kAnd:
      case K::kOr: {
        Plan p;
        p.kind = n.kind == K::kAnd ? Plan::Kind::kAnd : Plan::Kind::kOr;
        bool optional_list = n.kind == K::kOr;
        size_t stop_dropped = 0, words = 0;
        // In a list of alternatives, filters (source:, date: ...) restrict
        // rather than add: filters on one field are alternatives among
        // themselves, different fields must all hold.
        std::map<int, Plan> filter_groups;
        for (const auto& c : n.children) {
          auto sub = Compile(*c, optional_list && c->kind == K::kTerm);
          if (!sub.ok()) return sub.status();
          if (sub->ignorable) continue;
          bool is_term = c->kind == K::kTerm;
          bool is_filter = c->kind == K::kKeyword || c->kind == K::kDateRange;
          words += is_term;
          if (c->kind == K::kNot) {
            if (sub->kind != Plan::Kind::kEmpty) p.prohibited.push_back(std::move(*sub));
          } else if (optional_list && is_filter) {
            Plan& g = filter_groups[static_cast<int>(c->field) * 2 + (c->kind == K::kDateRange)];
            g.kind = Plan::Kind::kOr;
            g.optional.push_back(std::move(*sub));
          } else if (c->kind == K::kRequired || n.kind == K::kAnd) {
            p.required.push_back(std::move(*sub));  // an empty required part matches nothing
          } else if (sub->kind != Plan::Kind::kEmpty) {
            bool boost = is_term && options.exact_boost > 0 && !c->exact && !options.exact &&
                         sub->kind == Plan::Kind::kTerm && !sub->keys.empty() &&
                         sub->keys[0][0] == kStemSpace;
            bool title = c->field == Field::kTitle;
            if (&n == root && is_term && sub->kind == Plan::Kind::kTerm && !sub->zero_score &&
                !sub->title_only && sub->keys.size() == 1) {
              prox.push_back({sub->keys[0], Idf(reader.DocFreq(sub->keys[0]))});
            }
            p.optional.push_back(std::move(*sub));
            if (boost) {
              auto exact_keys = Keys(c->text, true);
              if (exact_keys.size() == 1) {
                size_t before = highlight->keys.size();
                Plan e = TermPlan(exact_keys[0].first, title);
                highlight->keys.resize(before);
                e.bm25.weight *= options.exact_boost;
                if (&n == root && !title) {
                  // Scored in the rerank of the best documents, not by
                  // every match: as good for ranking, half the work.
                  exact_rerank.push_back({e.keys[0], e.bm25});
                } else {
                  p.optional.push_back(std::move(e));
                }
              }
            }
          } else if (is_term) {
            ++stop_dropped;
          }
        }
        for (auto& [field, g] : filter_groups) {
          if (g.optional.size() == 1) {
            p.required.push_back(std::move(g.optional[0]));
          } else {
            p.required.push_back(std::move(g));
          }
        }
        // A query of stop words only keeps them.
        if (optional_list && p.optional.empty() && p.required.size() == filter_groups.size() &&
            stop_dropped > 0 && stop_dropped == words && options.drop_stopwords) {
          SearchOptions o = options;
          o.drop_stopwords = false;
          Compiler again{reader, analyzer, o, highlight, {}};
          return again.Compile(n, false);
        }
        // Filters restrict a list of words (docs/query.md: غزة source:BBC finds
        // articles about Gaza from the BBC): unless a word is marked required
        // (+), at least one of the words must match, not only the filters.
        if (optional_list && !filter_groups.empty() && !p.optional.empty() &&
            std::none_of(n.children.begin(), n.children.end(),
                         [](const std::unique_ptr<QueryNode>& c) { return c->kind == K::kRequired; })) {
          Plan any;
          any.kind = Plan::Kind::kOr;
          any.optional = std::move(p.optional);
          p.optional.clear();
          p.required.push_back(std::move(any));
        }
        return p;
      }
    }
    return Plan();
  }
};

std::unique_ptr<Scorer> Build(const Plan& p, const LiveSegment& seg) {
  const SegmentReader* r = seg.reader.get();
  switch (p.kind) {
    case Plan::Kind::kEmpty:
      return std::make_unique<EmptyScorer>();
    case Plan::Kind::kTerm: {
      TermInfo info;
      if (!r->LookupTerm(p.keys[0], &info)) return std::make_unique<EmptyScorer>();
      auto t = std::make_unique<TermScorer>(r, info, p.bm25, p.title_only);
      if (p.zero_score) return std::make_unique<ConstantZeroScorer>(std::move(t));
      return t;
    }
    case Plan::Kind::kPhrase: {
      std::vector<TermInfo> infos;
      for (const std::string& k : p.keys) {
        TermInfo info;
        if (!r->LookupTerm(k, &info)) return std::make_unique<EmptyScorer>();
        infos.push_back(info);
      }
      return std::make_unique<PhraseScorer>(r, infos, p.bm25, p.title_only);
    }
    case Plan::Kind::kId: {
      uint32_t d = r->FindId(p.keys[0]);
      if (d == kNoMoreDocs) return std::make_unique<EmptyScorer>();
      return std::make_unique<SingleDocScorer>(d);
    }
    case Plan::Kind::kDate: {
      int32_t lo = p.date_from, hi = p.date_to;
      return std::make_unique<FilterScorer>(r->doc_count(), [r, lo, hi](uint32_t d) {
        int32_t v = r->values(d).date_days;
        return v != kNoDate && v >= lo && v <= hi;
      });
    }
    case Plan::Kind::kAnd:
    case Plan::Kind::kOr: {
      std::vector<std::unique_ptr<Scorer>> req, opt, neg;
      for (const Plan& c : p.required) req.push_back(Build(c, seg));
      for (const Plan& c : p.optional) opt.push_back(Build(c, seg));
      for (const Plan& c : p.prohibited) neg.push_back(Build(c, seg));
      std::unique_ptr<Scorer> s;
      if (!req.empty()) {
        s = req.size() == 1 ? std::move(req[0]) : std::make_unique<ConjunctionScorer>(std::move(req));
        if (!opt.empty()) {
          auto o = opt.size() == 1 ? std::move(opt[0]) : std::make_unique<DisjunctionScorer>(std::move(opt));
          s = std::make_unique<ReqOptScorer>(std::move(s), std::move(o));
        }
      } else if (!opt.empty()) {
        s = opt.size() == 1 ? std::move(opt[0]) : std::make_unique<DisjunctionScorer>(std::move(opt));
      } else {
        return std::make_unique<EmptyScorer>();
      }
      if (!neg.empty()) {
        auto n = neg.size() == 1 ? std::move(neg[0]) : std::make_unique<DisjunctionScorer>(std::move(neg));
        s = std::make_unique<ExclusionScorer>(std::move(s), std::move(n));
      }
      return s;
    }
  }
  return std::make_unique<EmptyScorer>();
}

// Block-max WAND (Ding & Suel 2011) over term scorers: skips documents whose
// score bound, first per list then per block, cannot beat the k-th best.
void Wand(std::vector<std::unique_ptr<Scorer>>& terms, const LiveSegment& seg, uint32_t seg_no, TopK* top,
          uint64_t* matched) {
  std::vector<TermScorer*> ts;
  for (auto& t : terms) {
    if (t->doc() != kNoMoreDocs) ts.push_back(static_cast<TermScorer*>(t.get()));
  }
  for (;;) {
    // Back in document order: only the lists moved last step are out of
    // place, and they moved forward (insertion sort, nearly linear).
    for (size_t i = 1; i < ts.size(); ++i) {
      TermScorer* t = ts[i];
      const uint32_t d = t->doc();
      size_t j = i;
      for (; j > 0 && ts[j - 1]->doc() > d; --j) ts[j] = ts[j - 1];
      ts[j] = t;
    }
    while (!ts.empty() && ts.back()->doc() == kNoMoreDocs) ts.pop_back();
    if (ts.empty()) return;
    double theta = top->threshold();
    double acc = 0;
    size_t pivot = ts.size();
    for (size_t i = 0; i < ts.size(); ++i) {
      acc += ts[i]->MaxScore();
      if (acc > theta) {
        pivot = i;
        break;
      }
    }
    if (pivot == ts.size()) return;
    uint32_t pd = ts[pivot]->doc();
    while (pivot + 1 < ts.size() && ts[pivot + 1]->doc() == pd) ++pivot;
    // Block maxima of the lists up to the pivot, at the pivot document.
    double block_sum = 0;
    uint32_t next_boundary = kNoMoreDocs;
    for (size_t i = 0; i <= pivot; ++i) {
      uint32_t last;
      block_sum += ts[i]->BlockMaxScore(pd, &last);
      next_boundary = std::min(next_boundary, last);
    }
    if (block_sum <= theta) {
      // No document up to the nearest block end can make it: jump past it
      // (but not past the next list's current document).
      uint32_t target = next_boundary == kNoMoreDocs ? kNoMoreDocs : next_boundary + 1;
      if (pivot + 1 < ts.size()) target = std::min(target, ts[pivot + 1]->doc());
      if (target <= pd) target = pd + 1;
      size_t best = 0;
      for (size_t i = 1; i <= pivot; ++i) {
        if (ts[i]->MaxScore() > ts[best]->MaxScore()) best = i;
      }
      ts[best]->Advance(target);
      continue;
    }
    if (ts[0]->doc() == pd) {
      double s = 0;
      for (size_t i = 0; i <= pivot; ++i) s += ts[i]->Score();
      if (!seg.IsDeleted(pd)) {
        ++*matched;
        if (s > theta) top->Push({s, seg_no, pd});
      }
      for (size_t i = 0; i <= pivot; ++i) ts[i]->Next();
    } else {
      // Move the list furthest behind up to the pivot.
      for (size_t i = 0; i < pivot && ts[i]->doc() < pd; ++i) ts[i]->Advance(pd);
    }
  }
}

// MaxScore over windows of documents (Turtle & Flood
// 1995, scored a window at a time as Lucene 9 does): lists sorted by their
// bound; the weakest, whose bounds together cannot beat the k-th best, are
// non-essential. The essential lists' scores are summed into an array for
// each window of kWindow documents (no per-document merging of lists); each
// document found is then completed from the non-essential lists, strongest
// first, while it can still beat the k-th best.
void WindowMaxScore(std::vector<std::unique_ptr<Scorer>>& terms, const LiveSegment& seg, uint32_t seg_no,
                    TopK* top, uint64_t* matched) {
  constexpr uint32_t kWindow = 1024;
  std::vector<TermScorer*> ts;
  for (auto& t : terms) {
    if (t->doc() != kNoMoreDocs) ts.push_back(static_cast<TermScorer*>(t.get()));
  }
  std::sort(ts.begin(), ts.end(), [](TermScorer* a, TermScorer* b) { return a->MaxScore() < b->MaxScore(); });
  const size_t n = ts.size();
  std::vector<double> ub(n + 1, 0);  // ub[i]: the bounds of lists 0..i-1 together
  for (size_t i = 0; i < n; ++i) ub[i + 1] = ub[i] + ts[i]->MaxScore();
  double theta = top->threshold();
  size_t e = 0;  // lists [0, e) are non-essential
  while (e < n && ub[e + 1] <= theta) ++e;
  std::vector<double> acc(kWindow, 0.0);
  uint64_t bits[kWindow / 64];
  while (e < n) {
    uint32_t start = kNoMoreDocs;
    for (size_t i = e; i < n; ++i) start = std::min(start, ts[i]->doc());
    if (start == kNoMoreDocs) return;
    const uint32_t end = start > kNoMoreDocs - kWindow ? kNoMoreDocs : start + kWindow;
    std::fill(std::begin(bits), std::end(bits), 0);
    for (size_t i = e; i < n; ++i) {
      TermScorer* t = ts[i];
      for (uint32_t d = t->doc(); d < end; d = t->Next()) {
        const uint32_t k = d - start;
        acc[k] += t->Score();
        bits[k >> 6] |= uint64_t{1} << (k & 63);
      }
    }
    for (uint32_t word = 0; word < kWindow / 64; ++word) {
      for (uint64_t b = bits[word]; b != 0; b &= b - 1) {
        const uint32_t k = word * 64 + static_cast<uint32_t>(__builtin_ctzll(b));
        const uint32_t d = start + k;
        double score = acc[k];
        acc[k] = 0;
        bool alive = score + ub[e] > theta;
        for (size_t i = e; alive && i-- > 0;) {
          if (ts[i]->doc() < d) ts[i]->Advance(d);
          if (ts[i]->doc() == d) score += ts[i]->Score();
          alive = score + ub[i] > theta;
        }
        if (alive && !seg.IsDeleted(d)) {
          ++*matched;
          top->Push({score, seg_no, d});
          theta = top->threshold();
        }
      }
    }
    while (e < n && ub[e + 1] <= theta) ++e;
  }
}

// Adds to each entry's score its exact forms' scores and a bonus for pairs
// of consecutive query words close together in the document, then sorts
// the entries again.
void Rerank(const IndexReader& reader, const std::vector<ProxTerm>& prox,
            const std::vector<RerankTerm>& exact, const SearchOptions& options,
            std::vector<TopEntry>* entries) {
  const auto& segs = reader.segments();
  const double avg_len = std::max(reader.stats().avg_length, 1e-9);
  const uint32_t window = std::max<uint32_t>(options.proximity_window, 1);
  const bool use_prox = options.proximity > 0 && prox.size() >= 2;
  // Entries in (segment, document) order, so that one iterator per term and
  // segment moves forward through them.
  std::sort(entries->begin(), entries->end(), [](const TopEntry& a, const TopEntry& b) {
    return std::tie(a.seg, a.doc) < std::tie(b.seg, b.doc);
  });
  // The proximity words' iterators, then the exact forms' stems' (a variant
  // is counted on its stem's list: VariantFreq); null: not in the segment. An
  // exact form whose stem is a proximity word shares its iterator.
  std::vector<std::unique_ptr<PostingsIterator>> its(prox.size() + exact.size());
  std::vector<PostingsIterator*> exact_its(exact.size());
  std::vector<uint32_t> variants(exact.size());
  uint32_t cur_seg = UINT32_MAX;
  std::vector<std::vector<uint32_t>> pos(prox.size());
  for (TopEntry& e : *entries) {
    const SegmentReader* r = segs[e.seg].reader.get();
    if (e.seg != cur_seg) {
      cur_seg = e.seg;
      for (size_t i = 0; i < prox.size(); ++i) {
        TermInfo info;
        its[i] = use_prox && r->LookupTerm(prox[i].key, &info) ? std::make_unique<PostingsIterator>(r, info) : nullptr;
      }
      for (size_t i = 0; i < exact.size(); ++i) {
        TermInfo info;
        exact_its[i] = nullptr;
        its[prox.size() + i] = nullptr;
        if (!r->LookupTerm(exact[i].key, &info)) continue;
        // A stop word's forms are not told apart: no exact form to reward.
        if (info.positionless) continue;
        variants[i] = info.variant;
        if (info.variant == 0) {  // a word without a stem: its own list
          its[prox.size() + i] = std::make_unique<PostingsIterator>(r, info);
          exact_its[i] = its[prox.size() + i].get();
          continue;
        }
        const std::string& key = exact[i].key;
        std::string stem_key = std::string(1, kStemSpace) + key.substr(1, key.find('\0') - 1);
        for (size_t j = 0; j < prox.size() && exact_its[i] == nullptr; ++j) {
          if (prox[j].key == stem_key) exact_its[i] = its[j].get();
        }
        if (exact_its[i] == nullptr) {
          info.variant = 0;
          its[prox.size() + i] = std::make_unique<PostingsIterator>(r, info);
          exact_its[i] = its[prox.size() + i].get();
        }
      }
    }
    const uint32_t doc_len = r->values(e.doc).length;
    for (size_t i = 0; i < exact.size(); ++i) {
      PostingsIterator* it = exact_its[i];
      if (it == nullptr || it->Advance(e.doc) != e.doc) continue;
      uint32_t f = variants[i] == 0 ? it->freq() : it->VariantFreq(variants[i]);
      if (f > 0) e.score += exact[i].bm25.Score(f, doc_len);
    }
    if (!use_prox) continue;
    for (size_t i = 0; i < prox.size(); ++i) {
      pos[i].clear();
      PostingsIterator* it = its[i].get();
      if (it != nullptr && it->Advance(e.doc) == e.doc) it->Positions(&pos[i]);
    }
    const double norm = options.k1 * (1 - options.b + options.b * doc_len / avg_len);
    double bonus = 0;
    for (size_t i = 0; i + 1 < prox.size(); ++i) {
      const auto& a = pos[i];
      const auto& b = pos[i + 1];
      if (a.empty() || b.empty() || prox[i].key == prox[i + 1].key) continue;
      // Occurrences of word i with word i+1 at most `window` positions away.
      uint32_t n = 0;
      size_t j = 0;
      for (uint32_t p : a) {
        uint32_t lo = p >= window ? p - window : 0;
        while (j < b.size() && b[j] < lo) ++j;
        n += j < b.size() && b[j] <= p + window;
      }
      if (n == 0) continue;
      double idf = std::min(prox[i].idf, prox[i + 1].idf);
      bonus += idf * n * (options.k1 + 1) / (n + norm);
    }
    e.score += options.proximity * bonus;
  }
  std::sort(entries->begin(), entries->end(),
            [](const TopEntry& a, const TopEntry& b) { return WorseFirst()(a, b); });
}

}  // namespace

Result<SearchResult> Searcher::Search(const QueryNode& query, const SearchOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  if (impl_->analyzer == nullptr) return Status::NotFound("analysis data (lexicon) could not be loaded");
  if (options.offset + options.k > options.max_window) {
    return Status::InvalidArgument(
        "result window offset + k = " + std::to_string(options.offset + options.k) +
        " is larger than the limit of " + std::to_string(options.max_window));
  }
  impl_->highlight.keys.clear();
  Compiler compiler{*reader_, impl_->analyzer.get(), options, &impl_->highlight, {}, &query};
  auto plan = compiler.Compile(query, false);
  if (!plan.ok()) return plan.status();

  SearchResult result;
  const bool rerank = options.proximity_depth > 0 && ((options.proximity > 0 && compiler.prox.size() >= 2) ||
                                                      !compiler.exact_rerank.empty());
  TopK top(rerank ? std::max(options.offset + options.k, options.proximity_depth)
                  : options.offset + options.k);
  std::map<std::string, uint64_t> by_source, by_category, by_year, by_month, by_day, by_mentioned;
  // Entities by name (views into the segments' facet terms, which outlive
  // the search): only the top ones become strings.
  std::unordered_map<std::string_view, uint64_t> by_person, by_org, by_place;
  const auto& segs = reader_->segments();
  bool wand = !options.count_all && IsPureDisjunction(*plan);
  for (uint32_t si = 0; si < segs.size(); ++si) {
    const LiveSegment& seg = segs[si];
    if (wand) {
      std::vector<std::unique_ptr<Scorer>> terms;
      for (const Plan& c : plan->optional) terms.push_back(Build(c, seg));
      // MaxScore a window at a time (block-max WAND if asked for below
      // maxscore_min_terms words).
      if (terms.size() >= options.maxscore_min_terms) {
        WindowMaxScore(terms, seg, si, &top, &result.total);
      } else {
        Wand(terms, seg, si, &top, &result.total);
      }
      continue;
    }
    std::unique_ptr<Scorer> s = Build(*plan, seg);
    std::vector<uint64_t> src(seg.reader->source_names().size()), cat(seg.reader->category_names().size());
    std::map<int32_t, uint64_t> days;
    std::vector<uint32_t> matched_docs;
    for (uint32_t d = s->doc(); d != kNoMoreDocs; d = s->Next()) {
      if (seg.IsDeleted(d)) continue;
      ++result.total;
      top.Push({s->Score(), si, d});
      if (options.count_all) {
        matched_docs.push_back(d);
        const DocValues& v = seg.reader->values(d);
        ++src[v.source];
        ++cat[v.category];
        if (v.date_days != kNoDate) ++days[v.date_days];
      }
    }
    if (options.count_all && result.total > 0) {
      // Months the matching articles mention and the entities they name
      // (extracted at ingest): each matching document's facet terms.
      const SegmentReader::FacetTerms& ft = seg.reader->facet_terms();
      if (!ft.keys.empty()) {
        std::vector<uint64_t> counts(ft.keys.size(), 0);
        for (uint32_t d : matched_docs) {
          for (uint32_t k = ft.doc_begin[d]; k < ft.doc_begin[d + 1]; ++k) ++counts[ft.terms[k]];
        }
        static const std::pair<std::string, int> kPrefixes[] = {
            {std::string(1, kKeywordSpace) + "D:", 0},
            {std::string(1, kKeywordSpace) + "E:per:", 1},
            {std::string(1, kKeywordSpace) + "E:org:", 2},
            {std::string(1, kKeywordSpace) + "E:loc:", 3}};
        std::unordered_map<std::string_view, uint64_t>* into[] = {nullptr, &by_person, &by_org, &by_place};
        for (size_t t = 0; t < counts.size(); ++t) {
          if (counts[t] == 0) continue;
          std::string_view key = ft.keys[t];
          for (const auto& [prefix, which] : kPrefixes) {
            if (key.compare(0, prefix.size(), prefix) == 0) {
              if (which == 0) {
                by_mentioned[std::string(key.substr(prefix.size()))] += counts[t];
              } else {
                (*into[which])[key.substr(prefix.size())] += counts[t];
              }
              break;
            }
          }
        }
      }
    }
    for (size_t i = 1; i < src.size(); ++i) {
      if (src[i]) by_source[std::string(seg.reader->source_name(static_cast<uint16_t>(i)))] += src[i];
    }
    for (size_t i = 1; i < cat.size(); ++i) {
      if (cat[i]) by_category[std::string(seg.reader->category_name(static_cast<uint16_t>(i)))] += cat[i];
    }
    for (const auto& [day, n] : days) {
      by_year[YearOf(day)] += n;
      by_month[MonthOf(day)] += n;
      if (options.day_facet) by_day[FormatDate(day)] += n;
    }
  }
  result.total_exact = !wand;
  if (options.count_all) {
    auto by_count = [&](const std::map<std::string, uint64_t>& m) {
      std::vector<FacetValue> v;
      for (const auto& [k, n] : m) v.push_back({k, n});
      std::stable_sort(v.begin(), v.end(),
                       [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
      if (v.size() > options.facet_limit) v.resize(options.facet_limit);
      return v;
    };
    auto by_value = [&](const std::map<std::string, uint64_t>& m) {
      std::vector<FacetValue> v;
      for (const auto& [k, n] : m) v.push_back({k, n});
      return v;
    };
    result.facets["source"] = by_count(by_source);
    result.facets["category"] = by_count(by_category);
    result.facets["year"] = by_value(by_year);
    result.facets["month"] = by_value(by_month);
    result.facets["mentioned_month"] = by_value(by_mentioned);
    // The most frequent names, ties by name.
    auto top_names = [&](const std::unordered_map<std::string_view, uint64_t>& m) {
      std::vector<std::pair<uint64_t, std::string_view>> v;
      v.reserve(m.size());
      for (const auto& [k, n] : m) v.emplace_back(n, k);
      auto better = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      };
      size_t n = std::min(v.size(), options.facet_limit);
      std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end(), better);
      std::vector<FacetValue> out;
      for (size_t i = 0; i < n; ++i) out.push_back({std::string(v[i].second), v[i].first});
      return out;
    };
    result.facets["person"] = top_names(by_person);
    result.facets["organization"] = top_names(by_org);
    result.facets["place"] = top_names(by_place);
    if (options.day_facet) result.facets["day"] = by_value(by_day);
  }
  std::vector<TopEntry> best = top.Sorted();
  if (rerank) {
    Rerank(*reader_, compiler.prox, compiler.exact_rerank, options, &best);
    if (best.size() > options.offset + options.k) best.resize(options.offset + options.k);
  }
  Document doc;
  for (size_t i = options.offset; i < best.size(); ++i) {
    const LiveSegment& seg = segs[best[i].seg];
    Hit h;
    h.score = best[i].score;
    h.segment = best[i].seg;
    h.doc = best[i].doc;
    h.id = std::string(seg.reader->IdOf(best[i].doc));
    if (options.load_documents || options.snippets) {
      RASID_RETURN_IF_ERROR(seg.reader->ReadDocument(best[i].doc, &doc));
      h.title = doc.title;
      h.date = doc.date;
      h.source = doc.source;
      h.category = doc.category;
      h.url = doc.url;
      if (options.snippets) {
        std::string_view body(doc.text);
        h.snippet = MakeSnippet(body.substr(0, std::min(body.size(), doc.indexed_text_bytes)),
                                impl_->highlight, options.snippet_bytes);
      }
    }
    result.hits.push_back(std::move(h));
  }
  result.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

Snippet Searcher::MakeSnippet(std::string_view text, const HighlightTerms& terms, size_t max_bytes) {
  Snippet out;
  if (text.empty()) return out;
  std::unordered_set<std::string> keys(terms.keys.begin(), terms.keys.end());
  auto& toks = impl_->tokens;
  impl_->analyzer->Analyze(text, &toks);
  // Which tokens match, and which query key they match.
  std::vector<int> match(toks.size(), -1);
  std::vector<std::string> matched_keys;
  std::string key;
  for (size_t i = 0; i < toks.size(); ++i) {
    const auto& t = toks[i];
    key.assign(1, kExactSpace);
    key.append(t.norm());
    bool hit = keys.count(key) > 0;
    if (!hit && t.token.kind == analysis::TokenKind::kArabic) {
      key.assign(1, kStemSpace);
      key.append(t.stem());
      hit = keys.count(key) > 0;
    }
    if (hit) {
      auto it = std::find(matched_keys.begin(), matched_keys.end(), key);
      match[i] = static_cast<int>(it - matched_keys.begin());
      if (it == matched_keys.end()) matched_keys.push_back(key);
    }
  }
  // The window of at most max_bytes with the most distinct matched words.
  size_t best_i = 0, best_j = 0;
  double best = -1;
  size_t j = 0;
  std::vector<int> count(matched_keys.size(), 0);
  int distinct = 0, total = 0;
  auto add = [&](size_t x) {
    if (match[x] >= 0 && count[match[x]]++ == 0) ++distinct;
    total += match[x] >= 0;
  };
  for (size_t i = 0; i < toks.size(); ++i) {
    if (j <= i) {  // a window always holds at least token i
      j = i;
      add(j++);
    }
    while (j < toks.size() && toks[j].token.end - toks[i].token.start <= max_bytes) add(j++);
    double score = distinct * 100.0 + total;
    if (score > best) {
      best = score;
      best_i = i;
      best_j = j;
    }
    if (match[i] >= 0 && --count[match[i]] == 0) --distinct;
    total -= match[i] >= 0;
  }
  if (toks.empty()) {
    out.text = std::string(text.substr(0, max_bytes));
    return out;
  }
  // Start a little before the first match so it has context.
  size_t first_match = best_i;
  while (first_match < best_j && match[first_match] < 0) ++first_match;
  while (best_i > 0 && first_match - best_i < 6 &&
         toks[best_j - 1].token.end - toks[best_i - 1].token.start <= max_bytes) {
    --best_i;
  }
  while (best_j > best_i + 1 && toks[best_j - 1].token.end - toks[best_i].token.start > max_bytes) --best_j;
  uint32_t s = toks[best_i].token.start, e = toks[best_j - 1].token.end;
  // Take closing punctuation glued to the last word.
  while (e < text.size() && (text[e] == '.' || text[e] == ',')) ++e;
  std::string prefix = s > 0 ? "\u2026 " : "";
  out.text = prefix + std::string(text.substr(s, e - s)) + (e < text.size() ? " \u2026" : "");
  for (size_t i = best_i; i < best_j; ++i) {
    if (match[i] < 0) continue;
    const auto& t = toks[i];
    std::string_view surface = text.substr(t.token.start, t.token.end - t.token.start);
    auto [a, b] = t.token.kind == analysis::TokenKind::kArabic
                      ? BaseSpan(surface, t.proclitics(), t.enclitic())
                      : std::make_pair(0u, static_cast<uint32_t>(surface.size()));
    uint32_t off = static_cast<uint32_t>(prefix.size()) + (t.token.start - s);
    out.highlights.emplace_back(off + a, off + b);
  }
  return out;
}

}  // namespace rasid::index
