// Feature templates of the NER model, shared by training and decoding.
//
// Each feature is a 64-bit hash of (template, value); the model maps hashes to
// weight rows. ModelData::feature_set names the template set: a model trained
// with another set is refused by the recogniser.
#ifndef RASID_SRC_NER_FEATURES_H_
#define RASID_SRC_NER_FEATURES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model_data.h"
#include "rasid/analysis/analyzer.h"

namespace rasid::ner::internal {

// 2: plus the word-vector rows (ModelData::Stage::word_rows); 3: plus the
// cluster words' label profiles (ClusterInfo::profile) of the word and its
// neighbours; 4: plus the word's profile with the word before and with the
// word after; 5: plus the sentence network's decisions (AppendNetFeatures,
// used when the model has a network with ModelData::net_features). Each set
// only adds templates: a model of an older set (2 to 4) decodes as it did (the
// new features have no rows in it).
inline constexpr uint32_t kFeatureSet = 5;

// Word vectors: at training time, the SVD vector of the word at position p
// (-radius..+radius, radius <= kMaxVectorRadius) is a dense input with a
// weight per position, tag and dimension; the trained weights are then
// folded into one weight row per (cluster word, position), the stage's
// word_rows (trainer.cc, Quantize), added like a feature's row.
inline constexpr int kMaxVectorRadius = 2;

// Adds the word rows of a stage for token i of a sentence whose tokens have
// cluster indices cluster[0, n) (-1: none) to sum[kNumTags].
inline void AddWordRows(const ModelData::Stage& st, const int32_t* cluster, size_t n, size_t i, int32_t* sum) {
  if (st.word_radius < 0) return;
  const int r = st.word_radius, slots = st.word_slots();
  for (int p = -r; p <= r; ++p) {
    long j = static_cast<long>(i) + p;
    if (j < 0 || j >= static_cast<long>(n) || cluster[j] < 0) continue;
    const int16_t* w = &st.word_rows[(size_t(cluster[j]) * slots + (p + r)) * kNumTags];
    for (int t = 0; t < kNumTags; ++t) sum[t] += w[t];
  }
}

// The topic score of a sentence (cluster indices cluster[0, n)): the mean of
// its words' topic rows, into topic[kNumTags] (zeros without topic rows).
inline void SentenceTopic(const ModelData::Stage& st, const int32_t* cluster, size_t n, float* topic) {
  for (int t = 0; t < kNumTags; ++t) topic[t] = 0;
  if (st.word_radius < 0 || st.word_topic == 0) return;
  const int slots = st.word_slots();
  int64_t sum[kNumTags] = {};
  size_t count = 0;
  for (size_t j = 0; j < n; ++j) {
    if (cluster[j] < 0) continue;
    const int16_t* w = &st.word_rows[(size_t(cluster[j]) * slots + (slots - 1)) * kNumTags];
    for (int t = 0; t < kNumTags; ++t) sum[t] += w[t];
    ++count;
  }
  for (int t = 0; t < kNumTags && count > 0; ++t) topic[t] = static_cast<float>(sum[t]) / static_cast<float>(count);
}

// The word without conjunction, preposition or future marker, keeping the
// article: (norm "وللحكومه", proclitics "و+ل+ال") -> "الحكومه".
std::string StripProclitics(std::string_view norm, std::string_view proclitics);
// Bytes of `surface` taken by the stripped proclitics (marks after a letter
// count with it), and whether the article's alef must be put back (لل).
size_t StrippedPrefixBytes(std::string_view surface, std::string_view proclitics, bool* restore_alef);

// The proclitics to drop from a name's first word (its norm and analysed
// proclitics): the analysis splits ف and ك off words that are more often
// part of a name («فيشر» → ف + يشر, «كيري» → ك + يري, «كوفي»), so a last
// proclitic ف or ك stays in the name unless the rest is a word of its own in
// the document (`is_word`: «فترامب» when «ترامب» is there); و, ل, ب go.
std::string_view NameProclitics(std::string_view norm, std::string_view proclitics,
                                const std::function<bool(std::string_view)>& is_word);

// The words of a document without their proclitics (built on first use), to
// decide how much of a name's first word is clitics.
class DocWords {
 public:
  explicit DocWords(const std::vector<analysis::AnalyzedToken>& tokens) : tokens_(tokens) {}
  bool Has(std::string_view word);
  // Bytes of the surface of `first` (a name's first word) that are clitics
  // to leave out of the name (NameProclitics, StrippedPrefixBytes).
  size_t NamePrefixBytes(const analysis::AnalyzedToken& first, std::string_view surface, bool* restore_alef);

 private:
  const std::vector<analysis::AnalyzedToken>& tokens_;
  bool built_ = false;
  std::unordered_set<std::string> words_;
};

// What the templates need of one unit.
struct UnitInfo {
  uint64_t norm = 0, stem = 0, base = 0, pro = 0, enc = 0;
  uint64_t pre[2] = {0, 0};  // first 2, 3 code points of the stem
  uint64_t suf[3] = {0, 0, 0};  // last 1, 2, 3 code points of the stem
  uint32_t shape = 0;
  uint32_t kind = 0;
  ClusterInfo cluster;
  uint8_t gaz_begin = 0;  // types of gazetteer phrases starting here
  uint8_t gaz_inside = 0;  // types of phrases continuing here
  uint8_t base_letters = 0;  // code points of the word without proclitics (at most 255)
  bool definite = false;     // the proclitics hold the article ال
};

class FeatureExtractor {
 public:
  explicit FeatureExtractor(const ModelData* data) : data_(data) {}

  // Prepares the units of one sentence: tokens[0, n) over `text`.
  void Prepare(const analysis::AnalyzedToken* tokens, size_t n, std::string_view text);
  size_t size() const { return units_.size(); }
  const UnitInfo& unit(size_t i) const { return units_[i]; }
  // Appends the feature hashes of unit i of the prepared sentence.
  void Append(size_t i, std::vector<uint64_t>* out) const;

 private:
  void MarkGazetteer();
  const ModelData* data_;
  std::vector<UnitInfo> units_;
};

// Second stage: what the first stage said about the token, its neighbours
// and the other occurrences of the same word in the document.
struct DocInfo {
  uint8_t self = 0, prev = 0, next = 0;  // first-stage tags; kNumTags = none (sentence edge)
  uint8_t types = 0;                     // types of the other occurrences tagged as entities
  uint8_t outside = 0;                   // other occurrences tagged O (capped at 3)
};

// Document key of a unit: its stem hash for words, 0 for anything else.
inline uint64_t DocKey(const UnitInfo& u, bool is_word) { return is_word ? u.stem : 0; }

// Computes DocInfo of n tokens from their keys, first-stage tags and
// sentence numbers.
void ComputeDocInfo(const uint64_t* keys, const Tag* tags, const uint32_t* sentences, size_t n, DocInfo* out);
// Appends the second-stage document features of one token.
void AppendDocFeatures(const DocInfo& d, std::vector<uint64_t>* out);

// The sentence network's decisions as features of token i of a sentence of
// n tokens (log-probabilities lp[n][kNumTags]): its best tag and that tag's
// probability in four bins, also with the token's shape, and its best tags
// of the neighbours.
void AppendNetFeatures(const float* lp, size_t n, size_t i, uint32_t shape, std::vector<uint64_t>* out);

// One sense per document spreads a one-word name only while the tagger left
// it O at most this many times per time it tagged it (docs/ner.md).
inline constexpr uint32_t kMaxMissedPerFound = 8;

// One sense per document: a run of up to four words tagged as a PER, ORG or
// LOC mention somewhere in the document (and never as another type or as
// MISC) is tagged the same where the tagger left all of it O, longest runs
// first; the last word of a PER mention of two words or more counts as a
// mention too («دونالد ترامب» ... «ترامب»). `bases` are the words without
// proclitics (0 for anything else), so «وترامب» matches a mention «ترامب»;
// tokens of one sentence share their `sentences` number (a run never crosses
// sentences). `flags` (null: all set) are per token kNotStopWord |
// kThreeLetters | kDefinite: a single word is not tagged when it is a stop
// word, or when it is definite right after a definite word (an adjective:
// «الاقتصاد العربي»); a last name counts only when it is not a stop word and
// has three letters or more without proclitics («فان» = ف + ان, «الثاني»).
inline constexpr uint8_t kNotStopWord = 1, kThreeLetters = 2, kDefinite = 4;
void PropagateMentions(const uint64_t* bases, const uint8_t* flags, const uint32_t* sentences, size_t n,
                       Tag* tags);

// Gazetteer phrase of a run of analysed tokens, as stored in ModelData:
// first word StripProclitics'd, the others' norms, single spaces; words only
// (empty when a token is not a word or there are more than kMaxGazetteerWords).
// The listed names (ModelData::listed, data/ner/names.tsv): the longest
// listed phrase starting at a token — its first word without proclitics
// (`bases`, 0: not a word), the next ones as they are (`norms`), within one
// sentence — is tagged as its type, replacing what the tagger found inside
// it («داعش» left O or tagged MISC; «قوات سوريا الديمقراطية» with «سوريا»
// as a place), unless a mention of the tagger crosses one of its ends
// («تنظيم داعش» tagged as one organisation stays). A phrase listed under two
// types is left alone.
void TagListedNames(const ModelData& data, const uint64_t* bases, const uint64_t* norms,
                    const uint32_t* sentences, size_t n, Tag* tags);

// Ministries, which ANERcorp leaves O but an analyst asks for («وزارة الدفاع
// الأمريكية» is the issue's own example): «وزارة» without the article
// (clitics allowed: «لوزارة»), then its definite domain («الدفاع»), more
// domains joined by و («والتجارة»), and one definite adjective in -ية
// («الأمريكية», «الخارجية» of «وزارة الشؤون الخارجية»), is tagged ORG, within
// a sentence, unless a mention of the tagger crosses one of its ends.
void TagMinistries(const analysis::AnalyzedToken* tokens, size_t n, Tag* tags);

// Names in quotation marks after a word that says what they name (the rule
// of quotes.cc that such marks are not quotations): «صحيفة "وول ستريت جورنال"»,
// «تنظيم "داعش"» (newspapers, agencies, channels, companies, parties, groups,
// clubs: ORG), «عملية "العزم الصلب"», «فيلم "..."» (operations, campaigns,
// works, initiatives: MISC). The quoted words (1 to 6 words or numbers, within
// the sentence; a lone بـ or لـ may stand between: «تسمى بـ"...") are tagged
// as that type, replacing what the tagger found inside, unless a mention
// crosses an end. One quoted word the tagger left O is taken only after an
// ORG kind and when it is not an indefinite adjective in -ية: one word after
// «عملية» or «منظمة» is more often a scare quote («عملية "نوعية"», «منظمة
// "إرهابية"»).
void TagNamedInQuotes(const analysis::AnalyzedToken* tokens, size_t n, Tag* tags);

std::string GazetteerPhrase(const analysis::AnalyzedToken* tokens, size_t n);

}  // namespace rasid::ner::internal

#endif  // RASID_SRC_NER_FEATURES_H_
