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

#include "lstm.h"
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
  int32_t index = -1;             // of the word in ModelData::clusters (set by BuildIndexes)
  // What the labelled words nearest to it in the vector space are (model
  // version 4, trainer.cc LabelProfiles): 1 + 5 x type (PER ORG LOC MISC)
  // + the type's share bin (0-4); 0 = none.
  uint8_t profile = 0;
};
inline constexpr uint8_t kMaxProfile = 20;

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

struct ModelData {
  uint32_t feature_set = 1;  // version of the feature templates (features.cc)
  float scale = 1.0f;        // weight = stored / scale
  // One or two stages: the second sees the first stage's tags of the whole
  // document (features.h, DocInfo).
  struct Stage {
    // Transition scores, already scaled: [from][to], from == kNumTags is the start.
    std::array<std::array<int32_t, kNumTags>, kNumTags + 1> transitions{};
    FeatureTable features;
    // Word-vector rows (format version 2): for each cluster word, a weight
    // row per position -word_radius..+word_radius, then (word_topic, version
    // 3) its topic row, [word][slot][tag], scaled like the features.
    // word_radius -1: none. A sentence's topic score is the mean of the
    // topic rows of its words, added to each of its tokens.
    int word_radius = -1;
    int word_topic = 0;
    std::vector<int16_t> word_rows;
    // Weights of the sentence network's tag log-probabilities (format 5):
    // [tag][network tag], scaled like the features; empty: not used.
    std::vector<float> net_weights;
    int word_slots() const { return word_radius < 0 ? 0 : 2 * word_radius + 1 + word_topic; }
  };
  std::vector<Stage> stages;
  std::vector<ClusterEntry> clusters;       // sorted by word
  std::vector<GazetteerEntry> gazetteer;    // sorted by phrase
  // Listed names (data/ner/names.tsv, Model::Load): not in the model file;
  // tagged where the model leaves them O (TagListedNames). Sorted by phrase.
  std::vector<GazetteerEntry> listed;
  TaggerNet net;  // the sentence network (format 5); empty: none
  bool net_features = false;  // its decisions are also features (AppendNetFeatures)

  // Look-up tables derived from the lists above (BuildIndexes).
  struct HashSlot {
    uint64_t key = 0;
    uint32_t value = 0;
  };
  std::vector<HashSlot> cluster_index;  // word hash -> index into clusters
  std::vector<HashSlot> phrase_index;   // phrase hash -> types | 0x100 if a longer entry continues it
  std::vector<HashSlot> listed_index;   // the same for the listed names
  // Fills cluster_index, phrase_index and each cluster's index.
  void BuildIndexes();
  const ClusterInfo* FindCluster(uint64_t word_hash) const;
  // Types bit set | 0x100 when some entry continues the phrase; 0 = unknown.
  uint32_t FindPhrase(uint64_t phrase_hash) const;
  uint32_t FindListed(uint64_t phrase_hash) const;
};

}  // namespace rasid::ner::internal

#endif  // RASID_SRC_NER_MODEL_DATA_H_
