#include "lstm.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "features.h"

namespace rasid::ner::internal {

namespace {

constexpr int T = kNumTags;

// tanh-like saturating function, exact 0 slope at |x| = 3 (x (27 + x²) /
// (27 + 9x²) clamped), and its derivative. Vectorisable (no exp); training and
// decoding use the same function, so it need not match tanh.
inline float Tanh(float x) {
  x = std::clamp(x, -3.0f, 3.0f);
  float x2 = x * x;
  return x * (27.0f + x2) / (27.0f + 9.0f * x2);
}
inline float TanhGrad(float x) {
  if (x <= -3.0f || x >= 3.0f) return 0.0f;
  float x2 = x * x;
  float a = 9.0f - x2, b = 3.0f + x2;
  return a * a / (9.0f * b * b);
}
inline float Sigmoid(float x) { return 0.5f + 0.5f * Tanh(0.5f * x); }
inline float SigmoidGrad(float x) { return 0.25f * TanhGrad(0.5f * x); }

// y[0, n) += a * x[0, n)
inline void Axpy(float a, const float* __restrict x, float* __restrict y, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

// Dot product with 8 partial sums (vectorisable without reassociation); n % 8 == 0.
inline float Dot8(const float* __restrict a, const float* __restrict b, int n) {
  float s[8] = {};
  for (int i = 0; i < n; i += 8) {
    for (int k = 0; k < 8; ++k) s[k] += a[i + k] * b[i + k];
  }
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
float Uniform(uint64_t* state) { return static_cast<float>(NextRandom(state) >> 40) * (1.0f / 16777216.0f); }

// Pointers to the weights the recurrence uses.
struct NetView {
  int H = 0, In = 0;
  const float* wx[2];
  const float* wh[2];
  const float* b[2];
  const float* out_w;
  const float* out_b;
};

NetView ViewOf(const TaggerNet& net) {
  NetView v;
  v.H = net.hidden;
  v.In = net.in_dims();
  for (int d = 0; d < 2; ++d) {
    v.wx[d] = net.wx[d].data();
    v.wh[d] = net.wh[d].data();
    v.b[d] = net.b[d].data();
  }
  v.out_w = net.out_w.data();
  v.out_b = net.out_b.data();
  return v;
}

// Both directions over x[n][In]; keeps what the backward pass needs in *s and
// writes the tags' log-probabilities to logp[n][T]. Also compiled for AVX2
// (without FMA: the same operations in the same order, so the same results
// bit for bit as the baseline version).
__attribute__((target_clones("avx2", "default"))) void Forward(const NetView& v, size_t n, NetScratch* s, float* logp) {
  const int H = v.H, G = 4 * H, In = v.In;
  for (int d = 0; d < 2; ++d) {
    s->z[d].resize(n * G);
    s->act[d].resize(n * G);
    s->c[d].resize(n * H);
    s->tc[d].resize(n * H);
    s->h[d].resize(n * H);
    for (size_t t = 0; t < n; ++t) {
      float* z = &s->z[d][t * G];
      std::memcpy(z, v.b[d], G * sizeof(float));
      const float* x = &s->x[t * In];
      for (int j = 0; j < In; ++j) {
        if (x[j] != 0.0f) Axpy(x[j], v.wx[d] + size_t(j) * G, z, G);
      }
    }
    for (size_t step = 0; step < n; ++step) {
      size_t t = d == 0 ? step : n - 1 - step;
      float* z = &s->z[d][t * G];
      float* a = &s->act[d][t * G];
      const float* cp = nullptr;
      if (step > 0) {
        size_t p = d == 0 ? t - 1 : t + 1;
        const float* hp = &s->h[d][p * H];
        for (int j = 0; j < H; ++j) Axpy(hp[j], v.wh[d] + size_t(j) * G, z, G);
        cp = &s->c[d][p * H];
      }
      for (int k = 0; k < 3 * H; ++k) a[k] = Sigmoid(z[k]);
      for (int k = 3 * H; k < G; ++k) a[k] = Tanh(z[k]);
      float* c = &s->c[d][t * H];
      float* tc = &s->tc[d][t * H];
      float* h = &s->h[d][t * H];
      for (int k = 0; k < H; ++k) {
        c[k] = a[k] * a[3 * H + k] + (cp ? a[H + k] * cp[k] : 0.0f);
        tc[k] = Tanh(c[k]);
        h[k] = a[2 * H + k] * tc[k];
      }
    }
  }
  for (size_t t = 0; t < n; ++t) {
    float* l = &logp[t * T];
    std::memcpy(l, v.out_b, T * sizeof(float));
    for (int d = 0; d < 2; ++d) {
      const float* h = &s->h[d][t * H];
      for (int j = 0; j < H; ++j) Axpy(h[j], v.out_w + size_t(d * H + j) * T, l, T);
    }
    float m = l[0];
    for (int k = 1; k < T; ++k) m = std::max(m, l[k]);
    float sum = 0;
    for (int k = 0; k < T; ++k) sum += std::exp(l[k] - m);
    float lse = m + std::log(sum);
    for (int k = 0; k < T; ++k) l[k] = std::max(l[k] - lse, -15.0f);
  }
}

// The embedding sum and flags of a token into x (word part left alone).
void FillRest(const float* embed, int E, int P, const NetInput& in, float* x) {
  float* e = x + P;
  std::fill(e, e + E + kNetFlags, 0.0f);
  for (int k = 0; k < kNetHashes; ++k) Axpy(1.0f, embed + size_t(in.hash[k]) * E, e, E);
  float* f = e + E;
  for (int k = 0; k < kNetFlags; ++k) f[k] = (in.flags >> k & 1) ? 1.0f : 0.0f;
}

void Quantize16(const std::vector<float>& v, std::vector<int16_t>* q, float* scale) {
  float m = 0;
  for (float x : v) m = std::max(m, std::fabs(x));
  *scale = m > 0 ? 32767.0f / m : 1.0f;
  q->resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    (*q)[i] = static_cast<int16_t>(std::clamp<long>(std::lround(v[i] * *scale), -32767, 32767));
  }
}

}  // namespace

NetInput NetInputOf(const UnitInfo& u, uint32_t buckets) {
  NetInput in;
  in.word = u.cluster.index;
  const uint64_t values[kNetHashes] = {u.pre[0], u.pre[1], u.suf[0], u.suf[1], u.suf[2], u.pro,
                                       uint64_t{u.cluster.freq}, uint64_t{u.cluster.profile}};
  for (int k = 0; k < kNetHashes; ++k) {
    in.hash[k] = static_cast<uint32_t>(Mix64(values[k] * 0x9E3779B97F4A7C15ULL + uint64_t(k) * 0x632BE59BD9B4E019ULL + k) %
                                       buckets);
  }
  uint32_t f = 0;
  if (u.cluster.index < 0) f |= 1u;
  uint32_t kind = u.kind;  // analysis::TokenKind
  f |= 1u << (1 + std::min<uint32_t>(kind, 10));  // bits 1..11
  if (u.shape >> 8 & 1) f |= 1u << 12;   // Latin capital
  if (u.definite) f |= 1u << 13;
  if (u.base != u.norm) f |= 1u << 14;   // a proclitic other than the article
  if (u.gaz_begin & 7) f |= 1u << 15;    // gazetteer PER/ORG/LOC begins here
  if (u.gaz_inside & 7) f |= 1u << 16;
  if (u.gaz_begin >> 1 & 1) f |= 1u << 17;  // ORG
  if (u.gaz_begin >> 2 & 1) f |= 1u << 18;  // LOC
  if (u.gaz_begin & 1) f |= 1u << 19;       // PER
  in.flags = f;
  return in;
}

void TaggerNet::Finish() {
  words.resize(words_q.size());
  for (size_t i = 0; i < words_q.size(); ++i) words[i] = static_cast<float>(words_q[i]) / words_scale;
  embed.resize(embed_q.size());
  for (size_t i = 0; i < embed_q.size(); ++i) embed[i] = static_cast<float>(embed_q[i]) / embed_scale;
}

void NetLogProbs(const TaggerNet& net, const NetInput* in, size_t n, NetScratch* s, float* out) {
  const int P = net.word_dims, E = net.embed_dims, In = net.in_dims();
  s->x.resize(n * In);
  for (size_t t = 0; t < n; ++t) {
    float* x = &s->x[t * In];
    const float* w = in[t].word >= 0 ? &net.words[size_t(in[t].word) * P] : net.unknown.data();
    std::copy_n(w, P, x);
    FillRest(net.embed.data(), E, P, in[t], x);
  }
  Forward(ViewOf(net), n, s, out);
}

TaggerNet TrainNet(const NetTrainData& data, const std::vector<uint32_t>& order_in, const std::vector<float>& vectors,
                   int dims, const NetTrainOptions& o, const std::function<void(int, const TaggerNet&)>& epoch_done) {
  const int H = o.hidden, G = 4 * H, P = o.word_dims, E = o.embed_dims;
  const int In = P + E + kNetFlags;
  const size_t W = dims > 0 ? vectors.size() / dims : 0;
  uint64_t rng = o.seed * 0x2545F4914F6CDD1DULL + 7;
  // Dense parameters, flat: proj [dims][P], unknown [P], per direction wx
  // [In][G], wh [H][G], b [G], then out_w [2H][T], out_b [T].
  const size_t o_proj = 0, o_unk = o_proj + size_t(dims) * P;
  size_t o_wx[2], o_wh[2], o_b[2];
  size_t at = o_unk + P;
  for (int d = 0; d < 2; ++d) {
    o_wx[d] = at;
    at += size_t(In) * G;
    o_wh[d] = at;
    at += size_t(H) * G;
    o_b[d] = at;
    at += G;
  }
  const size_t o_ow = at, o_ob = o_ow + size_t(2 * H) * T, total = o_ob + T;
  std::vector<float> theta(total), grad(total, 0.0f), m1(total, 0.0f), m2(total, 0.0f);
  auto init = [&](size_t off, size_t count, float a) {
    for (size_t i = 0; i < count; ++i) theta[off + i] = (2 * Uniform(&rng) - 1) * a;
  };
  init(o_proj, size_t(dims) * P, 0.87f * std::sqrt(3.0f));
  init(o_unk, P, 0.5f);
  for (int d = 0; d < 2; ++d) {
    init(o_wx[d], size_t(In) * G, 1.0f / std::sqrt(float(In + H)));
    init(o_wh[d], size_t(H) * G, 1.0f / std::sqrt(float(In + H)));
    for (int k = 0; k < G; ++k) theta[o_b[d] + k] = k >= H && k < 2 * H ? 1.0f : 0.0f;  // forget gate
  }
  init(o_ow, size_t(2 * H) * T, 1.0f / std::sqrt(float(2 * H)));
  std::vector<float> embed(size_t(o.buckets) * E), egrad(embed.size(), 0.0f), em1(embed.size(), 0.0f),
      em2(embed.size(), 0.0f);
  for (float& e : embed) e = (2 * Uniform(&rng) - 1) * 0.1f;
  // Exponential moving averages of the weights (decay o.average per step;
  // the embeddings' rows when used): what is saved.
  std::vector<float> theta_avg = theta, embed_avg = embed;
  std::vector<uint32_t> touched_stamp(o.buckets, 0), touched;
  uint32_t stamp = 0;

  const bool averaging = o.average > 0;
  const std::vector<float>& th = averaging ? theta_avg : theta;
  const std::vector<float>& em = averaging ? embed_avg : embed;
  auto view = [&]() {
    NetView v;
    v.H = H;
    v.In = In;
    for (int d = 0; d < 2; ++d) {
      v.wx[d] = &theta[o_wx[d]];
      v.wh[d] = &theta[o_wh[d]];
      v.b[d] = &theta[o_b[d]];
    }
    v.out_w = &theta[o_ow];
    v.out_b = &theta[o_ob];
    return v;
  };
  auto snapshot = [&]() {
    TaggerNet net;
    net.hidden = H;
    net.word_dims = P;
    net.embed_dims = E;
    net.buckets = o.buckets;
    std::vector<float> words(W * P, 0.0f);
    for (size_t w = 0; w < W; ++w) {
      const float* vec = &vectors[w * dims];
      for (int k = 0; k < dims; ++k) Axpy(vec[k], &th[o_proj + size_t(k) * P], &words[w * P], P);
    }
    Quantize16(words, &net.words_q, &net.words_scale);
    Quantize16(em, &net.embed_q, &net.embed_scale);
    net.Finish();
    net.unknown.assign(th.begin() + o_unk, th.begin() + o_unk + P);
    for (int d = 0; d < 2; ++d) {
      net.wx[d].assign(th.begin() + o_wx[d], th.begin() + o_wx[d] + size_t(In) * G);
      net.wh[d].assign(th.begin() + o_wh[d], th.begin() + o_wh[d] + size_t(H) * G);
      net.b[d].assign(th.begin() + o_b[d], th.begin() + o_b[d] + G);
    }
    net.out_w.assign(th.begin() + o_ow, th.begin() + o_ow + size_t(2 * H) * T);
    net.out_b.assign(th.begin() + o_ob, th.end());
    return net;
  };

  NetScratch s;
  std::vector<float> logp, dl, dh[2], dx, dz(G), dhrec(H), dcrec(H);
  std::vector<uint8_t> dropped;
  std::vector<uint32_t> order = order_in;
  const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  double b1t = 1, b2t = 1;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[NextRandom(&rng) % i]);
    for (uint32_t sent : order) {
      const uint32_t a = data.first[sent];
      const size_t n = data.first[sent + 1] - a;
      if (n == 0) continue;
      const NetInput* in = &data.inputs[a];
      // Inputs.
      s.x.assign(n * In, 0.0f);
      dropped.assign(n, 0);
      for (size_t t = 0; t < n; ++t) {
        float* x = &s.x[t * In];
        int32_t w = in[t].word;
        if (w >= 0 && o.word_dropout > 0 && Uniform(&rng) < o.word_dropout) dropped[t] = 1;
        if (w >= 0 && !dropped[t]) {
          const float* vec = &vectors[size_t(w) * dims];
          for (int k = 0; k < dims; ++k) Axpy(vec[k], &theta[o_proj + size_t(k) * P], x, P);
        } else {
          std::copy_n(&theta[o_unk], P, x);
        }
        FillRest(embed.data(), E, P, in[t], x);
      }
      logp.resize(n * T);
      NetView v = view();
      Forward(v, n, &s, logp.data());
      // Partial-label loss: -log of the probability of the allowed tags.
      dl.assign(n * T, 0.0f);
      for (size_t t = 0; t < n; ++t) {
        uint16_t allowed = data.allowed[a + t];
        float pa = 0;
        for (int k = 0; k < T; ++k) {
          if (allowed >> k & 1) pa += std::exp(logp[t * T + k]);
        }
        pa = std::max(pa, 1e-30f);
        for (int k = 0; k < T; ++k) {
          float p = std::exp(logp[t * T + k]);
          dl[t * T + k] = p - ((allowed >> k & 1) ? p / pa : 0.0f);
        }
      }
      // Output layer.
      for (int d = 0; d < 2; ++d) dh[d].assign(n * H, 0.0f);
      for (size_t t = 0; t < n; ++t) {
        const float* g = &dl[t * T];
        for (int k = 0; k < T; ++k) grad[o_ob + k] += g[k];
        for (int d = 0; d < 2; ++d) {
          const float* h = &s.h[d][t * H];
          for (int j = 0; j < H; ++j) {
            const float* w = &theta[o_ow + size_t(d * H + j) * T];
            Axpy(h[j], g, &grad[o_ow + size_t(d * H + j) * T], T);
            float sum = 0;
            for (int k = 0; k < T; ++k) sum += w[k] * g[k];
            dh[d][t * H + j] = sum;
          }
        }
      }
      // Recurrences, backwards in each direction's own order.
      dx.assign(n * In, 0.0f);
      for (int d = 0; d < 2; ++d) {
        std::fill(dhrec.begin(), dhrec.end(), 0.0f);
        std::fill(dcrec.begin(), dcrec.end(), 0.0f);
        for (size_t step = n; step-- > 0;) {
          size_t t = d == 0 ? step : n - 1 - step;
          const float* z = &s.z[d][t * G];
          const float* ac = &s.act[d][t * G];
          const float* c = &s.c[d][t * H];
          const float* tc = &s.tc[d][t * H];
          const float* cp = nullptr;
          const float* hp = nullptr;
          if (step > 0) {
            size_t p = d == 0 ? t - 1 : t + 1;
            cp = &s.c[d][p * H];
            hp = &s.h[d][p * H];
          }
          for (int k = 0; k < H; ++k) {
            float dhk = dh[d][t * H + k] + dhrec[k];
            float ig = ac[k], fg = ac[H + k], og = ac[2 * H + k], gg = ac[3 * H + k];
            float dc = dcrec[k] + dhk * og * TanhGrad(c[k]);
            float d_o = dhk * tc[k];
            dz[k] = dc * gg * SigmoidGrad(z[k]);
            dz[H + k] = cp ? dc * cp[k] * SigmoidGrad(z[H + k]) : 0.0f;
            dz[2 * H + k] = d_o * SigmoidGrad(z[2 * H + k]);
            dz[3 * H + k] = dc * ig * TanhGrad(z[3 * H + k]);
            dcrec[k] = dc * fg;
          }
          Axpy(1.0f, dz.data(), &grad[o_b[d]], G);
          const float* x = &s.x[t * In];
          for (int j = 0; j < In; ++j) {
            if (x[j] != 0.0f) Axpy(x[j], dz.data(), &grad[o_wx[d] + size_t(j) * G], G);
          }
          for (int j = 0; j < P + E; ++j) dx[t * In + j] += Dot8(&theta[o_wx[d] + size_t(j) * G], dz.data(), G);
          if (hp) {
            for (int j = 0; j < H; ++j) {
              Axpy(hp[j], dz.data(), &grad[o_wh[d] + size_t(j) * G], G);
              dhrec[j] = Dot8(&theta[o_wh[d] + size_t(j) * G], dz.data(), G);
            }
          }
        }
      }
      // Inputs: the projection (or the unknown word) and the embeddings.
      ++stamp;
      touched.clear();
      for (size_t t = 0; t < n; ++t) {
        const float* g = &dx[t * In];
        int32_t w = in[t].word;
        if (w >= 0 && !dropped[t]) {
          const float* vec = &vectors[size_t(w) * dims];
          for (int k = 0; k < dims; ++k) Axpy(vec[k], g, &grad[o_proj + size_t(k) * P], P);
        } else {
          Axpy(1.0f, g, &grad[o_unk], P);
        }
        for (int k = 0; k < kNetHashes; ++k) {
          uint32_t bkt = in[t].hash[k];
          Axpy(1.0f, g + P, &egrad[size_t(bkt) * E], E);
          if (touched_stamp[bkt] != stamp) {
            touched_stamp[bkt] = stamp;
            touched.push_back(bkt);
          }
        }
      }
      // Clip the gradient's norm at 5, then one Adam step (lazy for the
      // embeddings: only the rows this sentence used).
      double norm2 = 0;
      for (float g : grad) norm2 += double(g) * g;
      for (uint32_t bkt : touched) {
        for (int k = 0; k < E; ++k) norm2 += double(egrad[size_t(bkt) * E + k]) * egrad[size_t(bkt) * E + k];
      }
      float clip = norm2 > 25.0 ? static_cast<float>(5.0 / std::sqrt(norm2)) : 1.0f;
      b1t *= b1;
      b2t *= b2;
      const float lr = static_cast<float>(o.rate * std::sqrt(1 - b2t) / (1 - b1t));
      auto adam = [&](float* p, float* g, float* ma, float* va, size_t count) {
        for (size_t i = 0; i < count; ++i) {
          float gi = g[i] * clip;
          ma[i] = b1 * ma[i] + (1 - b1) * gi;
          va[i] = b2 * va[i] + (1 - b2) * gi * gi;
          p[i] -= lr * ma[i] / (std::sqrt(va[i]) + eps);
          g[i] = 0.0f;
        }
      };
      adam(theta.data(), grad.data(), m1.data(), m2.data(), total);
      for (uint32_t bkt : touched) {
        size_t off = size_t(bkt) * E;
        adam(&embed[off], &egrad[off], &em1[off], &em2[off], E);
      }
      if (averaging) {
        const float a = o.average;
        for (size_t i = 0; i < total; ++i) theta_avg[i] = a * theta_avg[i] + (1 - a) * theta[i];
        for (uint32_t bkt : touched) {
          for (int k = 0; k < E; ++k) {
            size_t i = size_t(bkt) * E + k;
            embed_avg[i] = a * embed_avg[i] + (1 - a) * embed[i];
          }
        }
      }
    }
    if (epoch_done) epoch_done(epoch, snapshot());
  }
  return snapshot();
}

}  // namespace rasid::ner::internal
