// The window network: decoding (WindowNet in model_data.h) and training.
#include "window_net.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rasid::ner::internal {

namespace {

constexpr int T = kNumTags;

uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

float Uniform(uint64_t* state, float a) {
  double u = (SplitMix(state) >> 11) * (1.0 / 9007199254740992.0);
  return static_cast<float>((2 * u - 1) * a);
}

// x[input] of token i of a sentence of n tokens whose projections are
// proj(j) (null: none). Layout per position: projection, flags, tags, affixes.
template <typename ProjOf>
void BuildInput(const WindowNet& net, const NetTokens& in, size_t n, size_t i, ProjOf proj_of, float* x) {
  const int k = net.proj, width = net.width(), ad = net.affix_dim;
  for (int p = 0; p < net.positions(); ++p) {
    float* xp = x + size_t(p) * width;
    long j = static_cast<long>(i) + p - net.radius;
    bool inside = j >= 0 && j < static_cast<long>(n);
    const float* u = inside ? proj_of(static_cast<size_t>(j)) : nullptr;
    if (u != nullptr) {
      std::copy(u, u + k, xp);
    } else {
      std::fill(xp, xp + k, 0.0f);
    }
    xp += k;
    uint8_t f = inside ? in.flags[j] : kFlagPad;
    for (int b = 0; b < kNetFlags; ++b) xp[b] = (f >> b) & 1 ? 1.0f : 0.0f;
    xp += kNetFlags;
    if (net.tag_inputs > 0) {
      std::fill(xp, xp + net.tag_inputs, 0.0f);
      if (inside) xp[in.tags[j]] = 1.0f;
      xp += net.tag_inputs;
    }
    for (int a = 0; a < kNetAffixKinds && ad > 0; ++a) {
      if (inside) {
        const float* e = &net.affix[(size_t(a) * kNetAffixBuckets + in.affix[j * kNetAffixKinds + a]) * ad];
        std::copy(e, e + ad, xp);
      } else {
        std::fill(xp, xp + ad, 0.0f);
      }
      xp += ad;
    }
  }
}

// h = relu(W1 x + b1); o = W2 h + b2.
void Forward(const WindowNet& net, const float* x, float* h, float* o) {
  const int in = net.input();
  for (int k = 0; k < net.hidden; ++k) {
    const float* w = &net.w1[size_t(k) * in];
    float s = net.b1[k];
    for (int m = 0; m < in; ++m) s += w[m] * x[m];
    h[k] = s > 0 ? s : 0;
  }
  for (int t = 0; t < T; ++t) {
    const float* w = &net.w2[size_t(t) * net.hidden];
    float s = net.b2[t];
    for (int k = 0; k < net.hidden; ++k) s += w[k] * h[k];
    o[t] = s;
  }
}

// In place: o -> log softmax(o).
void LogSoftmax(float* o) {
  float mx = o[0];
  for (int t = 1; t < T; ++t) mx = std::max(mx, o[t]);
  float z = 0;
  for (int t = 0; t < T; ++t) z += std::exp(o[t] - mx);
  float lz = mx + std::log(z);
  for (int t = 0; t < T; ++t) o[t] -= lz;
}

}  // namespace

void WindowNet::BuildTables(const std::vector<float>& vectors) {
  word_proj.clear();
  if (!active() || dims == 0) return;
  size_t words = vectors.size() / dims;
  word_proj.assign(words * proj, 0.0f);
  for (size_t w = 0; w < words; ++w) {
    const float* v = &vectors[w * dims];
    for (int k = 0; k < proj; ++k) {
      const float* row = &p[size_t(k) * dims];
      float s = 0;
      for (int d = 0; d < dims; ++d) s += row[d] * v[d];
      word_proj[w * proj + k] = s * kNetInputScale;
    }
  }
}

void WindowNet::LogProbs(const NetTokens& in, size_t n, std::vector<float>* scratch, float* out) const {
  scratch->resize(size_t(input()) + hidden);
  float* x = scratch->data();
  float* h = x + input();
  auto proj_of = [&](size_t j) -> const float* {
    return in.vec[j] >= 0 ? &word_proj[size_t(in.vec[j]) * proj] : nullptr;
  };
  for (size_t i = 0; i < n; ++i) {
    BuildInput(*this, in, n, i, proj_of, x);
    Forward(*this, x, h, out + i * T);
    LogSoftmax(out + i * T);
  }
}

void TrainWindowNet(const NetTrainOptions& options, const std::vector<float>& vectors, int dims,
                    const std::vector<uint32_t>& first_token, const NetTokens& tokens,
                    const std::vector<uint16_t>& allowed, const std::vector<uint32_t>& order,
                    const std::function<void(std::string_view)>& log, WindowNet* net) {
  WindowNet& nt = *net;
  nt = WindowNet();
  nt.radius = options.radius;
  nt.dims = dims;
  nt.proj = options.proj;
  nt.hidden = options.hidden;
  nt.tag_inputs = tokens.tags != nullptr ? kNumTags : 0;
  nt.affix_dim = tokens.affix != nullptr ? options.affix_dim : 0;
  const int D = dims, K = nt.proj, H = nt.hidden, I = nt.input(), width = nt.width(), AD = nt.affix_dim;
  const int affix_at = K + kNetFlags + nt.tag_inputs;  // offset of the affixes in a position
  uint64_t rng = options.seed * 0x2545F4914F6CDD1DULL + 11;
  nt.p.resize(size_t(K) * D);
  for (float& v : nt.p) v = Uniform(&rng, std::sqrt(6.0f / (D + K)) / kNetInputScale);
  nt.affix.resize(size_t(kNetAffixKinds) * kNetAffixBuckets * AD);
  for (float& v : nt.affix) v = Uniform(&rng, 0.5f);
  nt.w1.resize(size_t(H) * I);
  for (float& v : nt.w1) v = Uniform(&rng, std::sqrt(6.0f / (I + H)));
  nt.b1.assign(H, 0.0f);
  nt.w2.resize(size_t(T) * H);
  for (float& v : nt.w2) v = Uniform(&rng, std::sqrt(6.0f / (H + T)));
  nt.b2.assign(T, 0.0f);

  std::vector<uint32_t> ord = order;
  std::vector<float> u, gu, x(I), h(H), o(T), go(T), gh(H), gx(I);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (size_t i = ord.size(); i > 1; --i) std::swap(ord[i - 1], ord[SplitMix(&rng) % i]);
    const float lr = options.rate / (1.0f + 0.5f * epoch);
    double loss = 0;
    size_t count = 0;
    for (uint32_t s : ord) {
      uint32_t a = first_token[s], n = first_token[s + 1] - a;
      const int32_t* vec = tokens.vec + a;
      NetTokens in;
      in.vec = vec;
      in.flags = tokens.flags + a;
      in.tags = tokens.tags != nullptr ? tokens.tags + a : nullptr;
      in.affix = tokens.affix != nullptr ? tokens.affix + size_t(a) * kNetAffixKinds : nullptr;
      u.assign(size_t(n) * K, 0.0f);
      gu.assign(size_t(n) * K, 0.0f);
      for (uint32_t j = 0; j < n; ++j) {
        if (vec[j] < 0) continue;
        const float* v = &vectors[size_t(vec[j]) * D];
        for (int k = 0; k < K; ++k) {
          const float* row = &nt.p[size_t(k) * D];
          float sum = 0;
          for (int d = 0; d < D; ++d) sum += row[d] * v[d];
          u[size_t(j) * K + k] = sum * kNetInputScale;
        }
      }
      auto proj_of = [&](size_t j) -> const float* { return vec[j] >= 0 ? &u[j * K] : nullptr; };
      for (uint32_t i = 0; i < n; ++i) {
        uint16_t ok = allowed[a + i];
        BuildInput(nt, in, n, i, proj_of, x.data());
        Forward(nt, x.data(), h.data(), o.data());
        LogSoftmax(o.data());
        // Loss -log sum_{allowed} p; gradient p - q, q = p on the allowed tags, renormalised.
        float mass = 0;
        for (int t = 0; t < T; ++t) {
          if (ok >> t & 1) mass += std::exp(o[t]);
        }
        if (mass <= 0) continue;
        loss -= std::log(mass);
        ++count;
        for (int t = 0; t < T; ++t) {
          float pt = std::exp(o[t]);
          go[t] = pt - ((ok >> t & 1) ? pt / mass : 0.0f);
        }
        for (int k = 0; k < H; ++k) {
          float g = 0;
          if (h[k] > 0) {
            for (int t = 0; t < T; ++t) g += nt.w2[size_t(t) * H + k] * go[t];
          }
          gh[k] = g;
        }
        for (int t = 0; t < T; ++t) {
          float* w = &nt.w2[size_t(t) * H];
          float g = lr * go[t];
          for (int k = 0; k < H; ++k) w[k] -= g * h[k];
          nt.b2[t] -= g;
        }
        std::fill(gx.begin(), gx.end(), 0.0f);
        for (int k = 0; k < H; ++k) {
          if (gh[k] == 0) continue;
          float* w = &nt.w1[size_t(k) * I];
          float g = gh[k], gl = lr * gh[k];
          for (int m = 0; m < I; ++m) {
            gx[m] += w[m] * g;
            w[m] -= gl * x[m];
          }
          nt.b1[k] -= gl;
        }
        for (int p = 0; p < nt.positions(); ++p) {
          long j = static_cast<long>(i) + p - nt.radius;
          if (j < 0 || j >= static_cast<long>(n)) continue;
          const float* src = &gx[size_t(p) * width];
          if (vec[j] >= 0) {
            float* g = &gu[size_t(j) * K];
            for (int k = 0; k < K; ++k) g[k] += src[k];
          }
          for (int af = 0; af < kNetAffixKinds && AD > 0; ++af) {
            float* e = &nt.affix[(size_t(af) * kNetAffixBuckets + in.affix[j * kNetAffixKinds + af]) * AD];
            const float* ga = src + affix_at + af * AD;
            for (int k = 0; k < AD; ++k) e[k] -= lr * ga[k];
          }
        }
      }
      for (uint32_t j = 0; j < n; ++j) {
        if (vec[j] < 0) continue;
        const float* v = &vectors[size_t(vec[j]) * D];
        for (int k = 0; k < K; ++k) {
          float g = lr * kNetInputScale * gu[size_t(j) * K + k];
          if (g == 0) continue;
          float* row = &nt.p[size_t(k) * D];
          for (int d = 0; d < D; ++d) row[d] -= g * v[d];
        }
      }
    }
    char buf[120];
    std::snprintf(buf, sizeof buf, "window network epoch %d: loss %.4f per token", epoch + 1,
                  count ? loss / count : 0.0);
    log(buf);
  }
  nt.BuildTables(vectors);
}

}  // namespace rasid::ner::internal
