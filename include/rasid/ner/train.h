// Training the NER model (`rasid train-ner`), and the corpus readers and
// scorer it uses. See docs/ner.md for the data, the split and the results.
//
// Training is deterministic: the same data, options and clusters give the
// same model file, byte for byte.
//
// Thread safety: the functions here are independent; each uses the Analyzer
// it is given from the calling thread only.
#ifndef RASID_NER_TRAIN_H_
#define RASID_NER_TRAIN_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/analysis/analyzer.h"
#include "rasid/base/status.h"
#include "rasid/ner/ner.h"

namespace rasid::ner {

// A sentence of labelled data: for each word a bit mask of the tags that are
// correct there (one bit for fully labelled data; more for partially labelled
// data, such as FANE, where MISC is not annotated in ANERcorp's sense).
struct LabelledSentence {
  std::vector<std::string> words;
  std::vector<uint16_t> allowed;
};

// ANERcorp (one "token TAG" per line, split on the last space; a sentence
// ends at the line ". O"). Errors name the file and line.
Result<std::vector<LabelledSentence>> ReadAnercorp(const std::string& path);

// A FANE Gold file (NewsFANE, WikiFANE): UTF-8 with BOM, CRLF, token<TAB>tag,
// a line holding only a tab or nothing between sentences, U+200E marks
// dropped. Split clitics are glued back to their word (و حي -> وحي), and the
// 50 fine classes are mapped to PER/ORG/LOC or to a set of possible tags
// (docs/ner.md).
Result<std::vector<LabelledSentence>> ReadFane(const std::string& path);

// The tag of each word of a fully labelled sentence (lowest allowed tag).
std::vector<Tag> FirstAllowedTags(const LabelledSentence& sentence);

// Moves the sentences from the first one that starts at or after word
// `first_word` to the end of `sentences` into *held_out.
void SplitAtWord(std::vector<LabelledSentence>* sentences, size_t first_word,
                 std::vector<LabelledSentence>* held_out);

// Removes from *sentences every sentence that shares a run of `letters`
// letters (after normalisation, ignoring spaces and punctuation) with the
// text of `held_out`; returns how many were removed. This keeps a re-annotated
// copy of the development text (NewsFANE is ANERcorp) out of training.
size_t DropOverlapping(const std::vector<LabelledSentence>& held_out, std::vector<LabelledSentence>* sentences,
                       size_t letters = 24);

// Exact-span scores per type, CoNLL convention: a predicted entity counts
// only when its type and both ends match a gold entity.
struct SpanScores {
  std::array<uint64_t, kNumTypes> tp{}, fp{}, fn{};
  void Add(const std::vector<Tag>& gold, const std::vector<Tag>& predicted);
  double Precision(int type) const;  // type -1: micro-average over all types
  double Recall(int type) const;
  double F1(int type) const;
  // Micro-averaged F1 over PER, ORG and LOC.
  double F1PerOrgLoc() const;
  // One line per type and the totals.
  std::string ToString() const;
};

// Mention replacement (TrainOptions::augment): for each sentence that names
// a PER, ORG or LOC (labels of one tag), a copy with every such name replaced
// by a name of the same type taken from the sentences of the same group
// (jackknife fold), the same replacement for the same name throughout a
// document (doc). `source` is the sentence copied. Deterministic for a seed.
struct ReplacedSentence {
  LabelledSentence sentence;
  size_t source = 0;
};
std::vector<ReplacedSentence> ReplaceMentions(const std::vector<LabelledSentence>& sentences,
                                              const std::vector<uint8_t>& group, const std::vector<uint32_t>& doc,
                                              uint64_t seed);

// Word clusters learnt from unlabelled news (see LearnClusters).
struct WordCluster {
  std::string word;                 // stem of Arabic words, norm of others
  std::array<uint16_t, 3> level{};  // coarse, middle, fine cluster (1-based)
  uint8_t freq = 0;                 // floor(log2(count)) + 1
  std::vector<float> vector;        // unit-length SVD vector (ClusterOptions::dims); may be empty
};

struct ClusterOptions {
  size_t max_words = 100000;    // vocabulary: the most frequent words...
  uint32_t min_count = 3;       // ...seen at least this often
  size_t context_words = 4000;  // neighbours that describe a word
  int dims = 100;               // SVD dimensions of the PPMI matrix
  std::array<int, 3> branching = {64, 8, 4};  // k-means per level: 64, 512, 2048 clusters
  int iterations = 10;
  uint64_t seed = 1;
};

// Clusters words by their neighbours in the texts that `next_text` delivers
// (it fills its argument and returns true, or returns false at the end):
// positive PMI of the two words on each side, a truncated SVD, then
// spherical k-means, level by level. Deterministic. `log` gets progress lines.
std::vector<WordCluster> LearnClusters(analysis::Analyzer* analyzer,
                                       const std::function<bool(std::string*)>& next_text,
                                       const ClusterOptions& options,
                                       const std::function<void(std::string_view)>& log);
// TSV: word, level 1, level 2, level 3, freq, then the vector's components.
Status WriteClusters(const std::string& path, const std::vector<WordCluster>& clusters);
Result<std::vector<WordCluster>> ReadClusters(const std::string& path);

// A gazetteer entry from a list (data/ner/gazetteer.tsv: TYPE<TAB>name[<TAB>source]).
struct GazetteerName {
  EntityType type = EntityType::kLoc;
  std::string name;
};
Result<std::vector<GazetteerName>> ReadGazetteer(const std::string& path);

struct TrainOptions {
  std::string data_dir = "../shared/data";  // holds anercorp/ and fane-gold-2014/
  size_t dev_first_word = 100000;  // ANERcorp from this word on is the development set
  bool newsfane = true;
  bool wikifane = true;
  int epochs = 10;
  int stages = 2;
  // Mention replacement: this many copies of ANERcorp's training sentences
  // with each PER/ORG/LOC name replaced by another of the same type and fold
  // (the same replacement throughout a pseudo-document): the context has to
  // carry the decision (docs/ner.md).
  int augment = 1;
  int anercorp_repeats = 3;  // ANERcorp sentences are seen this many times per epoch (FANE once)  // 1: sentence features only; 2: plus a document-level second stage
  // Pseudo-documents of this many consecutive sentences stand for articles
  // (the corpora do not mark them); also used for the development set.
  size_t doc_sentences = 20;
  // Shuffling, the networks' initial weights and the replacements. 4: the
  // shipped model's, the best of seeds 1-7 on the development set
  // (docs/ner.md: their mean is the recipe's expectation).
  uint64_t seed = 4;
  uint32_t min_feature_count = 1;  // features seen fewer times in training are dropped
  // Names of the training part (never the development set) seen at least this
  // often become gazetteer entries; 0: none.
  uint32_t gazetteer_min_count = 2;
  // Dense features: the word vectors (WordCluster::vector) of the words at
  // -dense_radius..+dense_radius (at most 2), times dense_scale, with a
  // weight per position, tag and dimension, folded into one weight row per
  // position and cluster word in the model; -1: none (or no vectors).
  int dense_radius = 1;
  float dense_scale = 10.0f;
  // With the dense features: the mean vector of the sentence's words is one
  // more dense input (a topic: the same word is more often a club than a
  // town in a sports sentence), folded into a topic row per word.
  bool dense_topic = true;
  // Label profiles (model version 4): each cluster word gets the labels of
  // the profile_neighbours labelled words nearest to it in the vector space,
  // as features of the word and its neighbours; 0: none.
  int profile_neighbours = 10;
  // The sentence network (model version 5, docs/ner.md): a bidirectional
  // LSTM of net_hidden units per direction (0: none) over the words of a
  // sentence, trained net_epochs epochs with the partial-label loss; with
  // net_features its best tags are features of both stages, and its tag
  // log-probabilities, times net_scale, can be dense inputs of stage 1
  // (net_stages bit 0) and stage 2 (bit 1; 0: neither, the default: no gain
  // beyond the features, docs/ner.md); jackknifed for training like the
  // first-stage tags.
  int net_hidden = 32;
  int net_epochs = 3;
  int net_stages = 0;
  bool net_features = true;
  float net_scale = 0.1f;
  float net_rate = 0.001f;          // Adam step size
  float net_word_dropout = 0.25f;   // a word's vector replaced by the unknown vector in training
  float net_average = 0.999f;       // decay of the moving average of the weights that is saved
  std::string dev_out;  // if set: the development set is written here (token<TAB>gold tag)
};

struct TrainReport {
  size_t train_sentences = 0, train_words = 0;
  size_t dev_sentences = 0, dev_words = 0;
  size_t newsfane_dropped = 0;  // NewsFANE sentences removed as overlapping the dev set
  size_t features = 0;
  SpanScores dev;  // of the final (quantised) model
  double seconds = 0;
};

// Trains a model on the data of options.data_dir with the given clusters and
// gazetteer names. Errors: the corpora cannot be read or are malformed.
Result<std::shared_ptr<const Model>> Train(const TrainOptions& options, const std::vector<WordCluster>& clusters,
                                           const std::vector<GazetteerName>& gazetteer,
                                           analysis::Analyzer* analyzer, TrainReport* report,
                                           const std::function<void(std::string_view)>& log);

}  // namespace rasid::ner

#endif  // RASID_NER_TRAIN_H_
