// The contents of a NER model, shared by decoding (recognizer.cc), training
// (trainer.cc) and the file codec (model.cc). File layout:
// docs/format/ner-model.md.
#ifndef RASID_SRC_NER_MODEL_DATA_H_
#define RASID_SRC_NER_MODEL_DATA_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rasid/ner/ner.h"

namespace rasid::ner::internal {

// Mixes a 64-bit value (murmur3 finaliser).
inline uint64_t Mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Weights of one feature, one per tag, scaled by ModelData::scale.
using WeightRow = std::array<int16_t, kNumTags>;

// Feature hash -> weight row, open addressing. Key 0 is never used.
class FeatureTable {
 public:
  void Build(std::vector<std::pair<uint64_t, WeightRow>> rows);
  const int16_t* Find(uint64_t key) const {
    size_t mask = slots_.size() - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.w.data();
      if (s.key == 0) return nullptr;
    }
  }
  // Rows sorted by key (the file order).
  std::vector<std::pair<uint64_t, WeightRow>> Rows() const;
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t key = 0;
    WeightRow w{};
  };
  std::vector<Slot> slots_ = std::vector<Slot>(1);
  size_t size_ = 0;
};

// Word clusters at three levels of detail plus a frequency class, by word
// (the stem of Arabic words, the norm of others).
struct ClusterInfo {
  uint16_t level[3] = {0, 0, 0};  // coarse .. fine, 1-based; 0 = unknown
  uint8_t freq = 0;               // floor(log2(count)) in the unlabelled news, 0 = unknown
  int32_t index = -1;             // of the word in ModelData::clusters (vectors), -1 = unknown
};

struct ClusterEntry {
  std::string word;
  ClusterInfo info;
};

// Gazetteer entries: a phrase (search-normalised words, single spaces, the
// first word without conjunction and preposition) and the types it is listed as.
struct GazetteerEntry {
  std::string phrase;
  uint8_t types = 0;  // bit t = EntityType t
};

// Hash of a word sequence, as the gazetteer stores it: built one word
// hash at a time.
inline uint64_t ExtendPhraseHash(uint64_t h, uint64_t word_hash) {
  return Mix64(h * 0x9E3779B97F4A7C15ULL + word_hash + 1);
}

inline constexpr int kMaxGazetteerWords = 6;

// A window feed-forward network (Collobert & Weston style) over the word
// vectors: each word's vector is projected to `proj` dimensions (P), the
// projections and kNetFlags binary flags of the words at -radius..+radius
// are concatenated, then a ReLU layer of `hidden` units and a softmax over
// the tags. Its log-probabilities, times weight[stage], are added to each
// stage's emission scores (window_net.cc).
inline constexpr int kNetFlags = 8;
inline constexpr float kNetInputScale = 10.0f;  // unit vectors times this
inline constexpr int kNetAffixKinds = 4;        // first 2, 3 and last 2, 3 letters of the stem
inline constexpr int kNetAffixBuckets = 4096;   // hashed

// What the network sees of the tokens of a sentence.
struct NetTokens {
  const int32_t* vec = nullptr;    // cluster (vector) index or -1
  const uint8_t* flags = nullptr;  // UnitInfo::net_flags
  const Tag* tags = nullptr;       // first-stage tags (if tag_inputs)
  const uint16_t* affix = nullptr; // kNetAffixKinds bucket ids per token (if affix_dim)
};

struct WindowNet {
  int radius = -1;  // -1: no network
  int dims = 0, proj = 0, hidden = 0;
  // kNumTags: the first stage's tags of the window are inputs too (one-hot);
  // the network then only adds to the second stage. 0: not.
  int tag_inputs = 0;
  // Learnt embeddings of the stem's affixes (hashed), affix_dim per kind; 0: none.
  int affix_dim = 0;
  std::vector<float> affix;  // kNetAffixKinds x kNetAffixBuckets x affix_dim
  std::vector<float> p;   // proj x dims
  std::vector<float> w1;  // hidden x input()
  std::vector<float> b1;  // hidden
  std::vector<float> w2;  // kNumTags x hidden
  std::vector<float> b2;  // kNumTags
  float weight[2] = {0, 0};  // per stage, in emission units
  std::vector<float> word_proj;  // derived: P v of each cluster word (BuildTables)

  int positions() const { return 2 * radius + 1; }
  int width() const { return proj + kNetFlags + tag_inputs + kNetAffixKinds * affix_dim; }  // per position
  int input() const { return positions() * width(); }
  bool active() const { return radius >= 0; }
  // Fills word_proj from the dequantised vectors (words x dims).
  void BuildTables(const std::vector<float>& vectors);
  // Log-probabilities of the n tokens of a sentence (cluster index per token
  // or -1, flags per token, first-stage tags if tag_inputs) into
  // out[n x kNumTags].
  void LogProbs(const NetTokens& in, size_t n, std::vector<float>* scratch, float* out) const;
};

struct ModelData {
  uint32_t feature_set = 1;  // version of the feature templates (features.cc)
  float scale = 1.0f;        // weight = stored / scale
  // One or two stages: the second sees the first stage's tags of the whole
  // document (features.h, DocInfo).
  struct Stage {
    // Transition scores, already scaled: [from][to], from == kNumTags is the start.
    std::array<std::array<int32_t, kNumTags>, kNumTags + 1> transitions{};
    FeatureTable features;
    // Dense features (format version 2): weights of the word vectors at
    // -radius..+radius, [position][tag][dimension], scaled like the features.
    int dense_radius = -1;  // -1: none
    std::vector<float> dense;
    // Derived (BuildDenseTables): per cluster word, its score per position
    // and tag, [word][position][tag].
    std::vector<float> word_scores;
  };
  std::vector<Stage> stages;
  std::vector<ClusterEntry> clusters;       // sorted by word
  std::vector<GazetteerEntry> gazetteer;    // sorted by phrase
  // Word vectors of the cluster words (same order), int8, value = stored / vector_scale.
  int dims = 0;
  float vector_scale = 1.0f;
  std::vector<int8_t> vectors;  // clusters.size() x dims, or empty
  std::vector<float> vector_values;  // derived: the dequantised vectors
  WindowNet net;

  // Look-up tables derived from the lists above (BuildIndexes).
  struct HashSlot {
    uint64_t key = 0;
    uint32_t value = 0;
  };
  std::vector<HashSlot> cluster_index;  // word hash -> index into clusters
  std::vector<HashSlot> phrase_index;   // phrase hash -> types | 0x100 if a longer entry continues it
  // Fills cluster_index, phrase_index, each cluster's index and
  // vector_values. `norm_word_hash` is HashBytes.
  void BuildIndexes();
  const ClusterInfo* FindCluster(uint64_t word_hash) const;
  // Fills each stage's word_scores from its dense weights and the vectors.
  void BuildDenseTables();
  // Types bit set | 0x100 when some entry continues the phrase; 0 = unknown.
  uint32_t FindPhrase(uint64_t phrase_hash) const;
};

}  // namespace rasid::ner::internal

#endif  // RASID_SRC_NER_MODEL_DATA_H_
