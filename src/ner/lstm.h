// A small bidirectional LSTM tagger over the words of a sentence (model
// format 5): its best tags are features of the perceptron's stages
// (AppendNetFeatures), and its per-tag log-probabilities can be dense inputs
// of them (ModelData::Stage::net_weights); docs/ner.md, "Sentence network".
//
// Inputs of a token: a learnt projection of its word's SVD vector (folded into
// a table per cluster word after training), the sum of learnt embeddings of
// hashed affixes, proclitics, frequency class and label profile, and binary
// flags (kind, article, gazetteer). Float, single-threaded, deterministic.
#ifndef RASID_SRC_NER_LSTM_H_
#define RASID_SRC_NER_LSTM_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "rasid/ner/ner.h"

namespace rasid::ner::internal {

struct UnitInfo;

inline constexpr int kNetHashes = 8;   // hashed inputs per token (NetInputOf)
inline constexpr int kNetFlags = 20;   // binary inputs per token

struct NetInput {
  int32_t word = -1;  // cluster index (its vector / table row), -1: none
  uint32_t hash[kNetHashes] = {};  // bucket of each hashed input
  uint32_t flags = 0;  // bit k: flag k
};

// The inputs of a token from its features (UnitInfo) and token kind.
NetInput NetInputOf(const UnitInfo& u, uint32_t buckets);

// The network as decoded: weights in float. Layout (all row blocks
// column-major so the products are vectorisable axpy loops):
//   words [clusters][P], unknown [P]: the word input (P = word_dims)
//   embed [buckets][E]
//   per direction d: wx[d] [In][4H] (In = P + E + kNetFlags), wh[d] [H][4H], b[d] [4H]
//     gates in the order i, f, o, g
//   out_w [2H][kNumTags], out_b [kNumTags]
struct TaggerNet {
  int hidden = 0;  // H per direction; 0: no network
  int word_dims = 0;
  int embed_dims = 0;
  uint32_t buckets = 0;
  // Stored as 16-bit values with a scale (file and model): table = q / scale.
  std::vector<int16_t> words_q, embed_q;
  float words_scale = 1, embed_scale = 1;
  std::vector<float> words, embed;  // dequantised (Finish)
  std::vector<float> unknown;
  std::vector<float> wx[2], wh[2], b[2];
  std::vector<float> out_w, out_b;

  int in_dims() const { return word_dims + embed_dims + kNetFlags; }
  bool empty() const { return hidden == 0; }
  // Fills words/embed from the quantised tables.
  void Finish();
};

struct NetScratch {
  std::vector<float> x, zx, h[2], c[2], z[2], act[2], tc[2];
};

// Log-probabilities of the tags of n tokens into out[n * kNumTags].
void NetLogProbs(const TaggerNet& net, const NetInput* in, size_t n, NetScratch* s, float* out);

// Training: sentences of inputs with allowed-tag masks.
struct NetTrainData {
  std::vector<NetInput> inputs;
  std::vector<uint16_t> allowed;
  std::vector<uint32_t> first;  // per sentence, one extra at the end
};

struct NetTrainOptions {
  int hidden = 32;
  int word_dims = 16;
  int embed_dims = 16;
  uint32_t buckets = 8192;
  int epochs = 3;
  float rate = 0.001f;  // Adam
  float word_dropout = 0.25f;  // probability of replacing a word's vector by the unknown vector
  float average = 0.999f;  // decay of the moving average of the weights that is saved; 0: none
  uint64_t seed = 1;
};

// Trains on the sentences `order` lists (repeats allowed; shuffled per epoch).
// `vectors` holds dims floats per cluster word. Calls epoch_done(epoch, net)
// after each epoch with the network as it would be saved.
TaggerNet TrainNet(const NetTrainData& data, const std::vector<uint32_t>& order, const std::vector<float>& vectors,
                   int dims, const NetTrainOptions& options,
                   const std::function<void(int, const TaggerNet&)>& epoch_done);

}  // namespace rasid::ner::internal

#endif  // RASID_SRC_NER_LSTM_H_
