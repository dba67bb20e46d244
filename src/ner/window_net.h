// Training of the window network (model_data.h, WindowNet): per-token
// softmax over the tags with partial labels (the loss is -log of the
// probability of the allowed tags), plain SGD, one thread, fixed seed.
#ifndef RASID_SRC_NER_WINDOW_NET_H_
#define RASID_SRC_NER_WINDOW_NET_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "model_data.h"

namespace rasid::ner::internal {

// The network flags of a unit: bit 0 none (padding is all zero but bit 0),
// see NetFlags in features.cc.
inline constexpr uint8_t kFlagPad = 1;

struct NetTrainOptions {
  int radius = 2, proj = 32, hidden = 64, epochs = 5;
  int affix_dim = 8;  // with NetTokens::affix
  float rate = 0.02f;
  uint64_t seed = 1;
};

// Sentences: tokens [first_token[s], first_token[s + 1]) of `tokens` (all
// sentences; with tags, the first stage's tags, jackknifed, are inputs too;
// with affix, the affix embeddings are learnt) and their allowed tags;
// `order` lists the sentences of one epoch (repeats included). `vectors` are
// the dequantised word vectors.
void TrainWindowNet(const NetTrainOptions& options, const std::vector<float>& vectors, int dims,
                    const std::vector<uint32_t>& first_token, const NetTokens& tokens,
                    const std::vector<uint16_t>& allowed, const std::vector<uint32_t>& order,
                    const std::function<void(std::string_view)>& log, WindowNet* net);

}  // namespace rasid::ner::internal

#endif  // RASID_SRC_NER_WINDOW_NET_H_
