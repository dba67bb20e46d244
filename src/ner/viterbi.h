// First-order Viterbi decoding over BIO tags, shared by training and decoding.
#ifndef RASID_SRC_NER_VITERBI_H_
#define RASID_SRC_NER_VITERBI_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rasid/ner/ner.h"

namespace rasid::ner::internal {

// True when `to` may follow `from` (from == kNumTags: sentence start):
// I-X only after B-X or I-X.
inline bool ValidTransition(int from, int to) {
  if (to == kOutside || IsBegin(static_cast<Tag>(to))) return true;
  if (from == kNumTags || from == kOutside) return false;
  return TagType(static_cast<Tag>(from)) == TagType(static_cast<Tag>(to));
}

// Writes the best valid tag sequence of n tokens to out[0, n).
// emit: n x kNumTags scores; trans: (kNumTags + 1) x kNumTags, row kNumTags is
// the start; allowed: per token a bit mask of permitted tags, or null.
void Viterbi(const float* emit, size_t n, const float* trans, const uint16_t* allowed, Tag* out,
             std::vector<float>* score_scratch, std::vector<uint8_t>* back_scratch);

}  // namespace rasid::ner::internal

#endif  // RASID_SRC_NER_VITERBI_H_
