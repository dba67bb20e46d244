#include "viterbi.h"

#include <limits>

namespace rasid::ner::internal {

void Viterbi(const float* emit, size_t n, const float* trans, const uint16_t* allowed, Tag* out,
             std::vector<float>* score_scratch, std::vector<uint8_t>* back_scratch) {
  if (n == 0) return;
  constexpr float kNeg = -std::numeric_limits<float>::infinity();
  constexpr int T = kNumTags;
  std::vector<float>& score = *score_scratch;
  std::vector<uint8_t>& back = *back_scratch;
  score.assign(n * T, kNeg);
  back.assign(n * T, 0);
  auto ok = [&](size_t i, int t) { return allowed == nullptr || (allowed[i] >> t & 1); };
  for (int t = 0; t < T; ++t) {
    if (ok(0, t) && ValidTransition(T, t)) score[t] = emit[t] + trans[T * T + t];
  }
  for (size_t i = 1; i < n; ++i) {
    const float* prev = &score[(i - 1) * T];
    for (int t = 0; t < T; ++t) {
      if (!ok(i, t)) continue;
      float best = kNeg;
      int arg = 0;
      for (int f = 0; f < T; ++f) {
        if (prev[f] == kNeg || !ValidTransition(f, t)) continue;
        float s = prev[f] + trans[f * T + t];
        if (s > best) {
          best = s;
          arg = f;
        }
      }
      if (best == kNeg) continue;
      score[i * T + t] = best + emit[i * T + t];
      back[i * T + t] = static_cast<uint8_t>(arg);
    }
  }
  const float* last = &score[(n - 1) * T];
  int arg = 0;
  for (int t = 1; t < T; ++t) {
    if (last[t] > last[arg]) arg = t;
  }
  for (size_t i = n; i-- > 0;) {
    out[i] = static_cast<Tag>(arg);
    arg = back[i * T + arg];
  }
}

}  // namespace rasid::ner::internal
