// Word clusters from unlabelled news: PPMI of neighbours, random projection,
// hierarchical spherical k-means. Cheap (a minute on one core for 100 MB of
// news) and deterministic; a stand-in for Brown clusters.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "rasid/base/file.h"
#include "rasid/ner/train.h"

namespace rasid::ner {

namespace {

constexpr uint32_t kBoundary = 0xFFFFFFFFu;

uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A sparse matrix in compressed rows.
struct Csr {
  size_t rows = 0, cols = 0;
  std::vector<uint32_t> start;  // rows + 1
  std::vector<uint32_t> col;
  std::vector<float> val;
};

// y (rows x l) = m * x (cols x l); row-major dense matrices.
void MulDense(const Csr& m, const std::vector<double>& x, int l, std::vector<double>* y) {
  y->assign(m.rows * l, 0.0);
  for (size_t r = 0; r < m.rows; ++r) {
    double* out = &(*y)[r * l];
    for (uint32_t k = m.start[r]; k < m.start[r + 1]; ++k) {
      const double* in = &x[size_t{m.col[k]} * l];
      double v = m.val[k];
      for (int j = 0; j < l; ++j) out[j] += v * in[j];
    }
  }
}

// z (cols x l) = m^T * y (rows x l).
void MulTransDense(const Csr& m, const std::vector<double>& y, int l, std::vector<double>* z) {
  z->assign(m.cols * l, 0.0);
  for (size_t r = 0; r < m.rows; ++r) {
    const double* in = &y[r * l];
    for (uint32_t k = m.start[r]; k < m.start[r + 1]; ++k) {
      double* out = &(*z)[size_t{m.col[k]} * l];
      double v = m.val[k];
      for (int j = 0; j < l; ++j) out[j] += v * in[j];
    }
  }
}

// Orthonormalises the l columns of y (n x l, row-major): modified Gram-Schmidt.
void Orthonormalize(std::vector<double>* y, size_t n, int l) {
  std::vector<double>& a = *y;
  for (int j = 0; j < l; ++j) {
    for (int i = 0; i < j; ++i) {
      double dot = 0;
      for (size_t r = 0; r < n; ++r) dot += a[r * l + i] * a[r * l + j];
      for (size_t r = 0; r < n; ++r) a[r * l + j] -= dot * a[r * l + i];
    }
    double norm = 0;
    for (size_t r = 0; r < n; ++r) norm += a[r * l + j] * a[r * l + j];
    norm = std::sqrt(norm);
    for (size_t r = 0; r < n; ++r) a[r * l + j] = norm > 1e-12 ? a[r * l + j] / norm : 0.0;
  }
}

// Eigen-decomposition of the symmetric n x n matrix a (cyclic Jacobi):
// eigenvalues in *values, eigenvectors in the columns of *vectors, sorted by
// decreasing eigenvalue.
void SymmetricEigen(std::vector<double> a, int n, std::vector<double>* values, std::vector<double>* vectors) {
  std::vector<double> v(size_t(n) * n, 0.0);
  for (int i = 0; i < n; ++i) v[size_t(i) * n + i] = 1.0;
  for (int sweep = 0; sweep < 50; ++sweep) {
    double off = 0;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) off += a[size_t(p) * n + q] * a[size_t(p) * n + q];
    }
    if (off < 1e-22) break;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        double apq = a[size_t(p) * n + q];
        if (std::fabs(apq) < 1e-300) continue;
        double theta = (a[size_t(q) * n + q] - a[size_t(p) * n + p]) / (2 * apq);
        double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; ++k) {
          double akp = a[size_t(k) * n + p], akq = a[size_t(k) * n + q];
          a[size_t(k) * n + p] = c * akp - s * akq;
          a[size_t(k) * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {
          double apk = a[size_t(p) * n + k], aqk = a[size_t(q) * n + k];
          a[size_t(p) * n + k] = c * apk - s * aqk;
          a[size_t(q) * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {
          double vkp = v[size_t(k) * n + p], vkq = v[size_t(k) * n + q];
          v[size_t(k) * n + p] = c * vkp - s * vkq;
          v[size_t(k) * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int x, int y) { return a[size_t(x) * n + x] > a[size_t(y) * n + y]; });
  values->resize(n);
  vectors->assign(size_t(n) * n, 0.0);
  for (int j = 0; j < n; ++j) {
    (*values)[j] = a[size_t(order[j]) * n + order[j]];
    for (int k = 0; k < n; ++k) (*vectors)[size_t(k) * n + j] = v[size_t(k) * n + order[j]];
  }
}

// Rows of U_k * S_k^(1/2) of the truncated SVD of m (randomised range
// finder with two power iterations; Halko, Martinsson, Tropp 2011).
std::vector<float> RandomizedSvd(const Csr& m, int k, uint64_t seed) {
  const int l = k + 20;
  uint64_t state = seed * 0x51ED27A3ULL + 7;
  std::vector<double> omega(m.cols * l);
  for (double& v : omega) v = (SplitMix(&state) & 1) ? 1.0 : -1.0;
  std::vector<double> y, z;
  MulDense(m, omega, l, &y);
  for (int it = 0; it < 2; ++it) {
    Orthonormalize(&y, m.rows, l);
    MulTransDense(m, y, l, &z);
    Orthonormalize(&z, m.cols, l);
    MulDense(m, z, l, &y);
  }
  Orthonormalize(&y, m.rows, l);  // Q
  MulTransDense(m, y, l, &z);     // Z = M^T Q, so B = Z^T
  std::vector<double> s(size_t(l) * l, 0.0);  // B B^T = Z^T Z
  for (size_t c = 0; c < m.cols; ++c) {
    const double* zc = &z[c * l];
    for (int i = 0; i < l; ++i) {
      for (int j = 0; j < l; ++j) s[size_t(i) * l + j] += zc[i] * zc[j];
    }
  }
  std::vector<double> values, w;
  SymmetricEigen(s, l, &values, &w);
  std::vector<float> out(m.rows * k);
  for (size_t r = 0; r < m.rows; ++r) {
    const double* q = &y[r * l];
    for (int j = 0; j < k; ++j) {
      double u = 0;
      for (int i = 0; i < l; ++i) u += q[i] * w[size_t(i) * l + j];
      // U * S^(1/2): singular value = sqrt(eigenvalue).
      out[r * k + j] = static_cast<float>(u * std::pow(std::max(values[j], 0.0), 0.25));
    }
  }
  return out;
}

// Counts words (keys) and keeps the text as a sequence of word ids.
struct Corpus {
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<std::string> words;
  std::vector<uint64_t> counts;
  std::vector<uint32_t> sequence;  // kBoundary between sentences and at non-words
};

void ReadCorpus(analysis::Analyzer* analyzer, const std::function<bool(std::string*)>& next_text,
                Corpus* c, const std::function<void(std::string_view)>& log) {
  std::string text;
  std::vector<analysis::AnalyzedToken> tokens;
  size_t docs = 0;
  while (next_text(&text)) {
    analyzer->Analyze(text, &tokens);
    uint32_t sentence = kBoundary;
    for (const auto& t : tokens) {
      if (t.token.sentence != sentence) {
        c->sequence.push_back(kBoundary);
        sentence = t.token.sentence;
      }
      if (!t.token.IsWord()) {
        c->sequence.push_back(kBoundary);
        continue;
      }
      std::string_view key = t.stem();
      auto it = c->ids.find(std::string(key));
      uint32_t id;
      if (it == c->ids.end()) {
        id = static_cast<uint32_t>(c->words.size());
        c->ids.emplace(std::string(key), id);
        c->words.emplace_back(key);
        c->counts.push_back(0);
      } else {
        id = it->second;
      }
      ++c->counts[id];
      c->sequence.push_back(id);
    }
    if (++docs % 10000 == 0) log("clusters: read " + std::to_string(docs) + " texts");
  }
  c->sequence.push_back(kBoundary);
  log("clusters: " + std::to_string(docs) + " texts, " + std::to_string(c->sequence.size()) + " tokens, " +
      std::to_string(c->words.size()) + " distinct words");
}

// Spherical k-means of the rows `members` of `vecs` (dims wide) into k
// clusters; returns the cluster of each member. k-means++ seeding.
std::vector<int> KMeans(const std::vector<float>& vecs, int dims, const std::vector<uint32_t>& members, int k,
                        int iterations, uint64_t seed) {
  size_t n = members.size();
  std::vector<int> assign(n, 0);
  if (n == 0) return assign;
  k = static_cast<int>(std::min<size_t>(k, n));
  auto row = [&](size_t i) { return &vecs[size_t{members[i]} * dims]; };
  auto dot = [&](const float* a, const float* b) {
    float s = 0;
    for (int d = 0; d < dims; ++d) s += a[d] * b[d];
    return s;
  };
  std::vector<float> cent(size_t{static_cast<size_t>(k)} * dims);
  uint64_t state = seed;
  // k-means++ on cosine distance 1 - dot.
  std::vector<float> dist(n, 2.0f);
  size_t first = SplitMix(&state) % n;
  std::copy(row(first), row(first) + dims, cent.begin());
  for (int c = 1; c < k; ++c) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) {
      float d = 1.0f - dot(row(i), &cent[size_t(c - 1) * dims]);
      dist[i] = std::min(dist[i], std::max(d, 0.0f));
      total += dist[i] * dist[i];
    }
    double r = (SplitMix(&state) >> 11) * (1.0 / 9007199254740992.0) * total;
    size_t pick = n - 1;
    for (size_t i = 0; i < n; ++i) {
      r -= dist[i] * dist[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    std::copy(row(pick), row(pick) + dims, cent.begin() + size_t(c) * dims);
  }
  for (int it = 0; it < iterations; ++it) {
    for (size_t i = 0; i < n; ++i) {
      float best = -2;
      for (int c = 0; c < k; ++c) {
        float s = dot(row(i), &cent[size_t(c) * dims]);
        if (s > best) best = s, assign[i] = c;
      }
    }
    std::fill(cent.begin(), cent.end(), 0.0f);
    for (size_t i = 0; i < n; ++i) {
      float* c = &cent[size_t(assign[i]) * dims];
      const float* v = row(i);
      for (int d = 0; d < dims; ++d) c[d] += v[d];
    }
    for (int c = 0; c < k; ++c) {
      float* v = &cent[size_t(c) * dims];
      float norm = std::sqrt(dot(v, v));
      if (norm > 0) {
        for (int d = 0; d < dims; ++d) v[d] /= norm;
      }
    }
  }
  return assign;
}

}  // namespace

std::vector<WordCluster> LearnClusters(analysis::Analyzer* analyzer,
                                       const std::function<bool(std::string*)>& next_text,
                                       const ClusterOptions& options,
                                       const std::function<void(std::string_view)>& log) {
  Corpus corpus;
  ReadCorpus(analyzer, next_text, &corpus, log);
  // Rank words by count, then by spelling (deterministic).
  std::vector<uint32_t> by_rank(corpus.words.size());
  for (uint32_t i = 0; i < by_rank.size(); ++i) by_rank[i] = i;
  std::sort(by_rank.begin(), by_rank.end(), [&](uint32_t a, uint32_t b) {
    if (corpus.counts[a] != corpus.counts[b]) return corpus.counts[a] > corpus.counts[b];
    return corpus.words[a] < corpus.words[b];
  });
  std::vector<uint32_t> rank(corpus.words.size());
  for (uint32_t r = 0; r < by_rank.size(); ++r) rank[by_rank[r]] = r;
  size_t vocab = 0;
  while (vocab < by_rank.size() && vocab < options.max_words && corpus.counts[by_rank[vocab]] >= options.min_count) {
    ++vocab;
  }
  const uint32_t ctx = static_cast<uint32_t>(std::min(options.context_words, by_rank.size()));
  // Contexts: left word (0..ctx), right word (ctx..2ctx), left/right boundary or rare word.
  // Contexts: the word 2 before, 1 before, 1 after, 2 after (0..4ctx), or a
  // boundary / rare word at each of these positions.
  const uint32_t num_ctx = 4 * ctx + 4;
  auto context = [&](uint32_t id, uint32_t pos) -> uint32_t {
    if (id == kBoundary || rank[id] >= ctx) return 4 * ctx + pos;
    return rank[id] + pos * ctx;
  };
  std::vector<uint64_t> pairs;
  for (size_t p = 2; p + 2 < corpus.sequence.size(); ++p) {
    uint32_t id = corpus.sequence[p];
    if (id == kBoundary || rank[id] >= vocab) continue;
    uint64_t w = rank[id];
    uint32_t left1 = corpus.sequence[p - 1], right1 = corpus.sequence[p + 1];
    pairs.push_back(w << 32 | context(left1, 1));
    pairs.push_back(w << 32 | context(right1, 2));
    if (left1 != kBoundary) pairs.push_back(w << 32 | context(corpus.sequence[p - 2], 0));
    if (right1 != kBoundary) pairs.push_back(w << 32 | context(corpus.sequence[p + 2], 3));
  }
  corpus.sequence = {};
  std::sort(pairs.begin(), pairs.end());
  log("clusters: " + std::to_string(vocab) + " words, " + std::to_string(pairs.size()) + " context pairs");

  // Counts per (word, context), then PPMI with context smoothing 0.75.
  std::vector<double> ctx_total(num_ctx, 0), word_total(vocab, 0);
  for (uint64_t pr : pairs) {
    ctx_total[pr & 0xFFFFFFFF] += 1;
    word_total[pr >> 32] += 1;
  }
  double smooth_sum = 0;
  for (double c : ctx_total) smooth_sum += std::pow(c, 0.75);
  // PPMI matrix, rows = words, columns = contexts.
  Csr m;
  m.rows = vocab;
  m.cols = num_ctx;
  m.start.assign(vocab + 1, 0);
  for (size_t i = 0; i < pairs.size();) {
    size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    uint32_t w = static_cast<uint32_t>(pairs[i] >> 32), c = static_cast<uint32_t>(pairs[i] & 0xFFFFFFFF);
    double pmi = std::log(double(j - i) * smooth_sum / (word_total[w] * std::pow(ctx_total[c], 0.75)));
    if (pmi > 0) {
      m.col.push_back(c);
      m.val.push_back(static_cast<float>(pmi));
      m.start[w + 1] = static_cast<uint32_t>(m.col.size());
    }
    i = j;
  }
  for (size_t w = 1; w <= vocab; ++w) m.start[w] = std::max(m.start[w], m.start[w - 1]);
  pairs = {};
  log("clusters: PPMI matrix " + std::to_string(m.rows) + " x " + std::to_string(m.cols) + ", " +
      std::to_string(m.val.size()) + " entries");
  const int dims = options.dims;
  std::vector<float> vecs = RandomizedSvd(m, dims, options.seed);
  log("clusters: SVD done");
  for (size_t w = 0; w < vocab; ++w) {
    float* v = &vecs[w * dims];
    double norm = 0;
    for (int d = 0; d < dims; ++d) norm += double(v[d]) * v[d];
    if (norm > 0) {
      float inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (int d = 0; d < dims; ++d) v[d] *= inv;
    }
  }

  // Level by level: each cluster of level l is split into branching[l] parts.
  std::vector<std::array<uint16_t, 3>> level(vocab);
  std::vector<std::vector<uint32_t>> groups(1);
  for (uint32_t w = 0; w < vocab; ++w) groups[0].push_back(w);
  uint64_t seed = options.seed;
  for (int l = 0; l < 3; ++l) {
    int k = options.branching[l];
    std::vector<std::vector<uint32_t>> next(groups.size() * k);
    for (size_t g = 0; g < groups.size(); ++g) {
      std::vector<int> a = KMeans(vecs, dims, groups[g], k, options.iterations, ++seed);
      for (size_t i = 0; i < groups[g].size(); ++i) next[g * k + a[i]].push_back(groups[g][i]);
    }
    for (size_t g = 0; g < next.size(); ++g) {
      for (uint32_t w : next[g]) level[w][l] = static_cast<uint16_t>(g + 1);
    }
    groups = std::move(next);
    log("clusters: level " + std::to_string(l + 1) + " done");
  }
  std::vector<WordCluster> out(vocab);
  for (uint32_t r = 0; r < vocab; ++r) {
    uint32_t id = by_rank[r];
    out[r].word = corpus.words[id];
    out[r].level = level[r];
    out[r].vector.assign(vecs.begin() + size_t{r} * dims, vecs.begin() + size_t{r + 1} * dims);
    out[r].freq = static_cast<uint8_t>(std::min<int>(1 + static_cast<int>(std::log2(double(corpus.counts[id]))), 255));
  }
  std::sort(out.begin(), out.end(), [](const WordCluster& a, const WordCluster& b) { return a.word < b.word; });
  return out;
}

Status WriteClusters(const std::string& path, const std::vector<WordCluster>& clusters) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IOError(path + ": cannot open for writing");
  for (const auto& c : clusters) {
    std::fprintf(f, "%s\t%u\t%u\t%u\t%u", c.word.c_str(), c.level[0], c.level[1], c.level[2], c.freq);
    for (float v : c.vector) std::fprintf(f, "\t%.9g", v);
    std::fputc('\n', f);
  }
  if (std::fclose(f) != 0) return Status::IOError(path + ": write failed");
  return Status::Ok();
}

Result<std::vector<WordCluster>> ReadClusters(const std::string& path) {
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) return data.status();
  std::vector<WordCluster> out;
  std::string_view all = data.value();
  size_t pos = 0, number = 0;
  while (pos < all.size()) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos) nl = all.size();
    std::string line(all.substr(pos, nl - pos));
    pos = nl + 1;
    ++number;
    size_t tab = line.find('\t');
    unsigned a, b, c, f;
    if (tab == std::string::npos || std::sscanf(line.c_str() + tab + 1, "%u\t%u\t%u\t%u", &a, &b, &c, &f) != 4) {
      return Status::Corruption(path + ":" + std::to_string(number) + ": expected word and 4 numbers");
    }
    WordCluster w;
    w.word = line.substr(0, tab);
    w.level = {static_cast<uint16_t>(a), static_cast<uint16_t>(b), static_cast<uint16_t>(c)};
    w.freq = static_cast<uint8_t>(f);
    // Optional vector: the fields after the fifth.
    size_t field = tab;
    for (int k = 0; k < 4 && field != std::string::npos; ++k) field = line.find('\t', field + 1);
    while (field != std::string::npos) {
      const char* p = line.c_str() + field + 1;
      char* end = nullptr;
      float v = std::strtof(p, &end);
      if (end == p) return Status::Corruption(path + ":" + std::to_string(number) + ": bad vector component");
      w.vector.push_back(v);
      field = line.find('\t', field + 1);
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace rasid::ner
