// Averaged structured perceptron training (Collins 2002) with partial labels:
// where a word allows several tags (FANE), the reference path is the best
// path through the allowed tags under the current weights.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <unordered_map>

#include "features.h"
#include "model_data.h"
#include "rasid/ner/train.h"
#include "rasid/analysis/normalizer.h"
#include "viterbi.h"

namespace rasid::ner {

namespace {

using internal::FeatureExtractor;
using internal::ModelData;

uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool SingleBit(uint16_t m) { return m != 0 && (m & (m - 1)) == 0; }

// Sentences as feature ids, ready for the perceptron.
struct Dataset {
  std::vector<uint32_t> first_token;  // per sentence; one extra at the end
  std::vector<uint32_t> feature_start;  // per token; one extra at the end
  std::vector<uint32_t> features;
  std::vector<uint16_t> allowed;  // per token
  std::vector<int32_t> vec;       // per token: cluster (vector) index, -1 if none
  std::vector<float> mean;        // per sentence: mean vector of its words (topic input), if used
  std::vector<uint64_t> keys;     // per token: document key (DocKey)
  std::vector<internal::NetInput> net_in;  // per token: the sentence network's inputs
  std::vector<float> net;         // per token: the network's tag log-probabilities (kNumTags), if used
  std::vector<uint32_t> shape;    // per token: UnitInfo::shape
  std::vector<uint8_t> partial;   // per sentence: some token allows several tags
  std::vector<uint32_t> doc;      // per sentence: (pseudo-)document
  std::vector<uint8_t> fold;      // per sentence: jackknife fold
  std::vector<uint8_t> repeat;    // per sentence: times seen per epoch
  size_t sentences() const { return first_token.size() - 1; }
};

// Labelled sentences with their document and fold.
struct Corpus {
  std::vector<LabelledSentence> sentences;
  std::vector<uint32_t> doc;
  std::vector<uint8_t> fold;
  std::vector<uint8_t> repeat;
};

class FeatureIds {
 public:
  // Id of a feature hash, adding it when `grow`; -1 when unknown.
  int64_t Get(uint64_t h, bool grow) {
    auto it = ids_.find(h);
    if (it != ids_.end()) {
      if (grow) ++counts_[it->second];
      return it->second;
    }
    if (!grow) return -1;
    uint32_t id = static_cast<uint32_t>(hashes_.size());
    ids_.emplace(h, id);
    hashes_.push_back(h);
    counts_.push_back(1);
    return id;
  }
  size_t size() const { return hashes_.size(); }
  uint64_t hash(uint32_t id) const { return hashes_[id]; }
  uint32_t count(uint32_t id) const { return counts_[id]; }

 private:
  std::unordered_map<uint64_t, uint32_t> ids_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> counts_;
};

// Stage-1 features of the sentences of `corpus` of fold `only_fold` (-1:
// all), appended to *out.
void Extract(const Corpus& corpus, int only_fold, analysis::Analyzer* analyzer, const ModelData& data,
             FeatureIds* ids, bool grow, uint32_t net_buckets, Dataset* out) {
  FeatureExtractor fx(&data);
  std::string text;
  std::vector<analysis::AnalyzedToken> units;
  std::vector<uint64_t> hashes;
  if (out->first_token.empty()) out->first_token.assign(1, 0);
  if (out->feature_start.empty()) out->feature_start.assign(1, 0);
  for (size_t k = 0; k < corpus.sentences.size(); ++k) {
    if (only_fold >= 0 && corpus.fold[k] != only_fold) continue;
    const LabelledSentence& s = corpus.sentences[k];
    AnalyzeWords(analyzer, s.words, &text, &units);
    fx.Prepare(units.data(), units.size(), text);
    bool partial = false;
    for (size_t i = 0; i < units.size(); ++i) {
      hashes.clear();
      fx.Append(i, &hashes);
      for (uint64_t h : hashes) {
        int64_t id = ids->Get(h, grow);
        if (id >= 0) out->features.push_back(static_cast<uint32_t>(id));
      }
      out->feature_start.push_back(static_cast<uint32_t>(out->features.size()));
      out->allowed.push_back(s.allowed[i]);
      out->vec.push_back(fx.unit(i).cluster.index);
      out->net_in.push_back(internal::NetInputOf(fx.unit(i), net_buckets));
      out->shape.push_back(fx.unit(i).shape);
      out->keys.push_back(internal::DocKey(fx.unit(i), units[i].token.IsWord()));
      partial |= !SingleBit(s.allowed[i]);
    }
    out->first_token.push_back(static_cast<uint32_t>(out->allowed.size()));
    out->partial.push_back(partial);
    out->doc.push_back(corpus.doc[k]);
    out->fold.push_back(corpus.fold[k]);
    out->repeat.push_back(corpus.repeat[k]);
  }
}

// Drops features seen fewer than min_count times: renumbers ids in *sets.
size_t Prune(const FeatureIds& ids, uint32_t min_count, std::vector<Dataset*> sets, std::vector<uint64_t>* kept) {
  std::vector<int64_t> remap(ids.size(), -1);
  kept->clear();
  for (uint32_t i = 0; i < ids.size(); ++i) {
    if (ids.count(i) >= min_count) {
      remap[i] = static_cast<int64_t>(kept->size());
      kept->push_back(ids.hash(i));
    }
  }
  for (Dataset* d : sets) {
    std::vector<uint32_t> features;
    std::vector<uint32_t> starts(1, 0);
    for (size_t t = 0; t + 1 < d->feature_start.size(); ++t) {
      for (uint32_t k = d->feature_start[t]; k < d->feature_start[t + 1]; ++k) {
        if (remap[d->features[k]] >= 0) features.push_back(static_cast<uint32_t>(remap[d->features[k]]));
      }
      starts.push_back(static_cast<uint32_t>(features.size()));
    }
    d->features = std::move(features);
    d->feature_start = std::move(starts);
  }
  return kept->size();
}

constexpr int T = kNumTags;
constexpr int kTransRows = kNumTags + 1;

// Dense inputs: the word vectors of the words at -radius..radius.
struct DenseConfig {
  int radius = -1;  // -1: none
  int dims = 0;
  float scale = 1.0f;
  const std::vector<float>* vectors = nullptr;  // dims per cluster word, in ModelData::clusters order
  bool topic = false;  // also the sentence's mean vector (Dataset::mean), one more slot
  bool net = false;    // also the sentence network's log-probabilities (Dataset::net), times net_scale
  float net_scale = 1.0f;
  int positions() const { return radius < 0 ? 0 : 2 * radius + 1; }
  int slots() const { return positions() + (radius >= 0 && topic); }
};

class Perceptron {
 public:
  explicit Perceptron(size_t features, DenseConfig dense = DenseConfig())
      : w_(features * T, 0), u_(features * T, 0), tw_(kTransRows * T, 0), tu_(kTransRows * T, 0),
        dense_(dense), dw_(size_t(dense.slots()) * T * dense.dims, 0.0f), du_(dw_.size(), 0.0),
        nw_(dense.net ? T * T : 0, 0.0f), nu_(nw_.size(), 0.0) {}

  // Calls f(position, vector) for the dense inputs of token `tok` of the
  // sentence [a, b).
  template <typename F>
  void ForDense(const Dataset& d, size_t s, uint32_t a, uint32_t b, uint32_t tok, F f) const {
    if (dense_.radius < 0) return;
    for (int p = -dense_.radius; p <= dense_.radius; ++p) {
      int64_t j = int64_t{tok} + p;
      if (j < a || j >= b || d.vec[j] < 0) continue;
      f(p + dense_.radius, &(*dense_.vectors)[size_t(d.vec[j]) * dense_.dims]);
    }
    if (dense_.topic) f(dense_.positions(), &d.mean[s * dense_.dims]);
  }

  void Emissions(const Dataset& d, size_t s, const std::vector<float>* avg, std::vector<float>* emit) const {
    uint32_t a = d.first_token[s], b = d.first_token[s + 1];
    emit->assign(size_t(b - a) * T, 0.0f);
    for (uint32_t tok = a; tok < b; ++tok) {
      float* e = &(*emit)[size_t(tok - a) * T];
      for (uint32_t k = d.feature_start[tok]; k < d.feature_start[tok + 1]; ++k) {
        size_t row = size_t{d.features[k]} * T;
        if (avg) {
          for (int t = 0; t < T; ++t) e[t] += (*avg)[row + t];
        } else {
          for (int t = 0; t < T; ++t) e[t] += static_cast<float>(w_[row + t]);
        }
      }
      const float* dw = avg ? avg_dense_.data() : dw_.data();
      const int D = dense_.dims;
      ForDense(d, s, a, b, tok, [&](int pos, const float* v) {
        for (int t = 0; t < T; ++t) {
          const float* w = dw + (size_t(pos) * T + t) * D;
          float sum = 0;
          for (int k = 0; k < D; ++k) sum += w[k] * v[k];
          e[t] += dense_.scale * sum;
        }
      });
      if (dense_.net) {
        const float* nw = avg ? avg_net_.data() : nw_.data();
        const float* lp = &d.net[size_t(tok) * T];
        for (int t = 0; t < T; ++t) {
          float sum = 0;
          for (int k = 0; k < T; ++k) sum += nw[t * T + k] * lp[k];
          e[t] += dense_.net_scale * sum;
        }
      }
    }
  }

  // One perceptron step on sentence s.
  void Learn(const Dataset& d, size_t s) {
    uint32_t a = d.first_token[s], n = d.first_token[s + 1] - a;
    Emissions(d, s, nullptr, &emit_);
    trans_.resize(tw_.size());
    for (size_t i = 0; i < tw_.size(); ++i) trans_[i] = static_cast<float>(tw_[i]);
    pred_.resize(n);
    gold_.resize(n);
    internal::Viterbi(emit_.data(), n, trans_.data(), nullptr, pred_.data(), &score_, &back_);
    const uint16_t* allowed = &d.allowed[a];
    if (d.partial[s]) {
      internal::Viterbi(emit_.data(), n, trans_.data(), allowed, gold_.data(), &score_, &back_);
    } else {
      for (uint32_t i = 0; i < n; ++i) gold_[i] = static_cast<Tag>(__builtin_ctz(allowed[i]));
    }
    ++c_;
    if (pred_ == gold_) return;
    for (uint32_t i = 0; i < n; ++i) {
      int g = gold_[i], p = pred_[i];
      int gp = i == 0 ? kNumTags : gold_[i - 1], pp = i == 0 ? kNumTags : pred_[i - 1];
      if (g != p || gp != pp) {
        Update(&tw_, &tu_, size_t(gp) * T + g, 1);
        Update(&tw_, &tu_, size_t(pp) * T + p, -1);
      }
      if (g == p) continue;
      for (uint32_t k = d.feature_start[a + i]; k < d.feature_start[a + i + 1]; ++k) {
        size_t row = size_t{d.features[k]} * T;
        Update(&w_, &u_, row + g, 1);
        Update(&w_, &u_, row + p, -1);
      }
      const int D = dense_.dims;
      const float sc = dense_.scale;
      const double cs = static_cast<double>(c_) * sc;
      ForDense(d, s, a, a + n, a + i, [&](int pos, const float* v) {
        float* wg = &dw_[(size_t(pos) * T + g) * D];
        float* wp = &dw_[(size_t(pos) * T + p) * D];
        double* ug = &du_[(size_t(pos) * T + g) * D];
        double* up = &du_[(size_t(pos) * T + p) * D];
        for (int k = 0; k < D; ++k) {
          wg[k] += sc * v[k];
          wp[k] -= sc * v[k];
          ug[k] += cs * v[k];
          up[k] -= cs * v[k];
        }
      });
      if (dense_.net) {
        const float ns = dense_.net_scale;
        const double cn = static_cast<double>(c_) * ns;
        const float* lp = &d.net[size_t(a + i) * T];
        for (int k = 0; k < T; ++k) {
          nw_[g * T + k] += ns * lp[k];
          nw_[p * T + k] -= ns * lp[k];
          nu_[g * T + k] += cn * lp[k];
          nu_[p * T + k] -= cn * lp[k];
        }
      }
    }
  }

  // Averaged weights: w - u / c (the dense ones are kept: avg_dense()).
  void Average(std::vector<float>* w, std::vector<float>* trans) {
    w->resize(w_.size());
    double c = static_cast<double>(std::max<int64_t>(c_, 1));
    for (size_t i = 0; i < w_.size(); ++i) (*w)[i] = static_cast<float>(w_[i] - u_[i] / c);
    trans->resize(tw_.size());
    for (size_t i = 0; i < tw_.size(); ++i) (*trans)[i] = static_cast<float>(tw_[i] - tu_[i] / c);
    avg_dense_.resize(dw_.size());
    for (size_t i = 0; i < dw_.size(); ++i) avg_dense_[i] = static_cast<float>(dw_[i] - du_[i] / c);
    avg_net_.resize(nw_.size());
    for (size_t i = 0; i < nw_.size(); ++i) avg_net_[i] = static_cast<float>(nw_[i] - nu_[i] / c);
  }
  // Averaged network weights (after Average), [tag][network tag].
  const std::vector<float>& avg_net() const { return avg_net_; }
  // Averaged dense weights (after Average), [position][tag][dimension]; the
  // emission of a tag is scale * w . v.
  const std::vector<float>& avg_dense() const { return avg_dense_; }
  const DenseConfig& dense() const { return dense_; }

 private:
  void Update(std::vector<int32_t>* w, std::vector<int64_t>* u, size_t i, int delta) {
    (*w)[i] += delta;
    (*u)[i] += c_ * delta;
  }

  std::vector<int32_t> w_;
  std::vector<int64_t> u_;
  std::vector<int32_t> tw_;
  std::vector<int64_t> tu_;
  int64_t c_ = 1;
  DenseConfig dense_;
  std::vector<float> dw_;
  std::vector<double> du_;
  std::vector<float> avg_dense_;
  std::vector<float> nw_;
  std::vector<double> nu_;
  std::vector<float> avg_net_;
  std::vector<float> emit_, trans_, score_;
  std::vector<uint8_t> back_;
  std::vector<Tag> pred_, gold_;
};

// Best tags of every sentence of d under averaged weights.
std::vector<Tag> Predict(const Dataset& d, const Perceptron& p, const std::vector<float>& avg,
                         const std::vector<float>& trans) {
  std::vector<Tag> tags(d.allowed.size());
  std::vector<float> emit, score;
  std::vector<uint8_t> back;
  for (size_t s = 0; s < d.sentences(); ++s) {
    uint32_t a = d.first_token[s], n = d.first_token[s + 1] - a;
    p.Emissions(d, s, &avg, &emit);
    internal::Viterbi(emit.data(), n, trans.data(), nullptr, tags.data() + a, &score, &back);
  }
  return tags;
}

SpanScores Score(const Dataset& d, const std::vector<Tag>& predicted) {
  SpanScores scores;
  for (size_t s = 0; s < d.sentences(); ++s) {
    uint32_t a = d.first_token[s], b = d.first_token[s + 1];
    std::vector<Tag> gold(b - a), pred(predicted.begin() + a, predicted.begin() + b);
    for (uint32_t i = a; i < b; ++i) gold[i - a] = static_cast<Tag>(__builtin_ctz(d.allowed[i]));
    scores.Add(gold, pred);
  }
  return scores;
}

std::string ScoreLine(const SpanScores& sc) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "dev F1 PER %.2f ORG %.2f LOC %.2f MISC %.2f, PER+ORG+LOC %.2f", 100 * sc.F1(0),
                100 * sc.F1(1), 100 * sc.F1(2), 100 * sc.F1(3), 100 * sc.F1PerOrgLoc());
  return buf;
}

// Trains a perceptron on the sentences of d whose fold is not `skip_fold`
// (-1: all); logs the development score after each epoch when dev is given.
void TrainStage(const Dataset& d, int skip_fold, int epochs, uint64_t seed, const Dataset* dev,
                const std::function<void(std::string_view)>& log, std::string_view name, Perceptron* p,
                std::vector<float>* avg, std::vector<float>* trans) {
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < d.sentences(); ++i) {
    for (int r = 0; r < d.repeat[i] && d.fold[i] != skip_fold; ++r) order.push_back(i);
  }
  uint64_t rng = seed;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[NextRandom(&rng) % i]);
    for (uint32_t s : order) p->Learn(d, s);
    if (dev != nullptr) {
      p->Average(avg, trans);
      log(std::string(name) + " epoch " + std::to_string(epoch) + ": " + ScoreLine(Score(*dev, Predict(*dev, *p, *avg, *trans))));
    }
  }
  p->Average(avg, trans);
}

// Second-stage dataset: the features of d plus document features computed
// from first-stage tags (ids from *doc_ids, shifted by `offset`).
Dataset WithDocFeatures(const Dataset& d, const std::vector<Tag>& tags, FeatureIds* doc_ids, bool grow,
                        uint32_t offset) {
  Dataset out = d;
  out.features.clear();
  out.feature_start.assign(1, 0);
  std::vector<uint32_t> sentence_of(d.allowed.size());
  for (size_t s = 0; s < d.sentences(); ++s) {
    for (uint32_t i = d.first_token[s]; i < d.first_token[s + 1]; ++i) sentence_of[i] = static_cast<uint32_t>(s);
  }
  std::vector<internal::DocInfo> info(d.allowed.size());
  for (size_t s = 0; s < d.sentences();) {
    size_t e = s + 1;
    while (e < d.sentences() && d.doc[e] == d.doc[s]) ++e;
    uint32_t a = d.first_token[s], b = d.first_token[e];
    internal::ComputeDocInfo(&d.keys[a], &tags[a], &sentence_of[a], b - a, &info[a]);
    s = e;
  }
  std::vector<uint64_t> hashes;
  for (size_t t = 0; t < d.allowed.size(); ++t) {
    out.features.insert(out.features.end(), d.features.begin() + d.feature_start[t],
                        d.features.begin() + d.feature_start[t + 1]);
    hashes.clear();
    internal::AppendDocFeatures(info[t], &hashes);
    for (uint64_t h : hashes) {
      int64_t id = doc_ids->Get(h, grow);
      if (id >= 0) out.features.push_back(offset + static_cast<uint32_t>(id));
    }
    out.feature_start.push_back(static_cast<uint32_t>(out.features.size()));
  }
  return out;
}

// 16-bit weights of a stage; features whose weights all round to 0 are
// dropped. The dense word-vector weights become one row per cluster word and
// position: word_rows[word][p] = scale * W_p v_word.
ModelData::Stage Quantize(const Perceptron& p, const std::vector<float>& avg, const std::vector<float>& trans,
                          const std::vector<uint64_t>& hashes, const std::vector<internal::ClusterEntry>& words,
                          float* scale_out) {
  const DenseConfig& dense = p.dense();
  std::vector<float> word_rows;  // [word][slot][tag]
  if (dense.radius >= 0) {
    const int slots = dense.slots(), D = dense.dims;
    word_rows.assign(words.size() * slots * T, 0.0f);
    for (size_t w = 0; w < words.size(); ++w) {
      const float* v = &(*dense.vectors)[w * D];
      for (int pt = 0; pt < slots * T; ++pt) {
        const float* row = &p.avg_dense()[size_t(pt) * D];
        float sum = 0;
        for (int d = 0; d < D; ++d) sum += row[d] * v[d];
        word_rows[w * slots * T + pt] = dense.scale * sum;
      }
    }
  }
  float max_abs = 0;
  for (float v : avg) max_abs = std::max(max_abs, std::fabs(v));
  for (float v : trans) max_abs = std::max(max_abs, std::fabs(v));
  for (float v : word_rows) max_abs = std::max(max_abs, std::fabs(v));
  float scale = max_abs > 0 ? 32767.0f / max_abs : 1.0f;
  std::vector<std::pair<uint64_t, internal::WeightRow>> rows;
  auto add_row = [&](uint64_t key, const float* weights) {
    internal::WeightRow w{};
    bool any = false;
    for (int t = 0; t < T; ++t) {
      long q = std::lround(weights[t] * scale);
      w[t] = static_cast<int16_t>(std::clamp<long>(q, -32767, 32767));
      any |= w[t] != 0;
    }
    if (any) rows.emplace_back(key, w);
  };
  for (size_t f = 0; f < hashes.size(); ++f) add_row(hashes[f], &avg[f * T]);
  ModelData::Stage stage;
  stage.features.Build(std::move(rows));
  if (dense.radius >= 0) {
    stage.word_radius = dense.radius;
    stage.word_topic = dense.topic ? 1 : 0;
    stage.word_rows.resize(word_rows.size());
    for (size_t i = 0; i < word_rows.size(); ++i) {
      long q = std::lround(word_rows[i] * scale);
      stage.word_rows[i] = static_cast<int16_t>(std::clamp<long>(q, -32767, 32767));
    }
  }
  for (int f = 0; f <= kNumTags; ++f) {
    for (int t = 0; t < T; ++t) stage.transitions[f][t] = static_cast<int32_t>(std::lround(trans[f * T + t] * scale));
  }
  if (dense.net) {
    stage.net_weights.resize(T * T);
    for (int i = 0; i < T * T; ++i) stage.net_weights[i] = scale * dense.net_scale * p.avg_net()[i];
  }
  *scale_out = scale;
  return stage;
}

// FANE often starts an entity with its title or kind (الشيخ يوسف القرضاوي,
// صحيفة يديعوت أحرونوت) where ANERcorp leaves it out. A first word that
// ANERcorp's training part tags O at least 80% of at least 5 times may
// therefore be outside the entity: both readings are allowed. Returns the
// number of entities relaxed.
size_t RelaxTitles(const std::vector<LabelledSentence>& anercorp, std::vector<LabelledSentence>* fane) {
  analysis::NormalizeOptions opts = analysis::NormalizeOptions::Search();
  analysis::Normalizer norm(opts);
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> counts;  // (outside, total)
  for (const LabelledSentence& s : anercorp) {
    for (size_t i = 0; i < s.words.size(); ++i) {
      auto& c = counts[norm.Normalize(s.words[i])];
      c.first += s.allowed[i] == 1u << kOutside;
      ++c.second;
    }
  }
  size_t relaxed = 0;
  for (LabelledSentence& s : *fane) {
    for (size_t i = 0; i + 1 < s.words.size(); ++i) {
      uint16_t begin_bits = 0;
      for (int t = 0; t < kNumTypes; ++t) begin_bits |= 1u << BeginTag(static_cast<EntityType>(t));
      uint16_t m = s.allowed[i];
      if (!(m & begin_bits) || (m & (1u << kOutside))) continue;  // a definite entity start only
      uint16_t next_inside = 0;
      for (int t = 0; t < kNumTypes; ++t) {
        EntityType type = static_cast<EntityType>(t);
        if ((m >> BeginTag(type) & 1) && (s.allowed[i + 1] >> InsideTag(type) & 1)) {
          next_inside |= 1u << BeginTag(type);
        }
      }
      if (next_inside == 0) continue;
      auto it = counts.find(norm.Normalize(s.words[i]));
      if (it == counts.end() || it->second.second < 5 || it->second.first * 5 < it->second.second * 4) continue;
      s.allowed[i] |= 1u << kOutside;
      s.allowed[i + 1] |= next_inside;
      ++relaxed;
    }
    // The same at the end: a last word such as الإسرائيلية after يديعوت أحرونوت.
    for (size_t i = 1; i < s.words.size(); ++i) {
      uint16_t m = s.allowed[i];
      if (m & (1u << kOutside)) continue;
      bool last_inside = false;  // an I-X whose next word cannot be I-X
      for (int t = 0; t < kNumTypes; ++t) {
        Tag in = InsideTag(static_cast<EntityType>(t));
        bool continues = i + 1 < s.words.size() && (s.allowed[i + 1] >> in & 1);
        last_inside |= (m >> in & 1) && !continues;
      }
      if (!last_inside) continue;
      auto it = counts.find(norm.Normalize(s.words[i]));
      if (it == counts.end() || it->second.second < 5 || it->second.first * 5 < it->second.second * 4) continue;
      s.allowed[i] |= 1u << kOutside;
      ++relaxed;
    }
  }
  return relaxed;
}

// Gazetteer entries: the given names plus names of the training data seen
// at least min_count times (each type kept when it has 30% of the uses).
std::vector<internal::GazetteerEntry> BuildGazetteer(const std::vector<GazetteerName>& names,
                                                     const Corpus& corpus, int left_out, uint32_t min_count,
                                                     analysis::Analyzer* analyzer) {
  const std::vector<LabelledSentence>& sentences = corpus.sentences;
  const std::vector<uint8_t>& fold = corpus.fold;
  std::map<std::string, uint8_t> types;
  std::vector<analysis::AnalyzedToken> tokens;
  for (const GazetteerName& g : names) {
    analyzer->Analyze(g.name, &tokens);
    std::string phrase = internal::GazetteerPhrase(tokens.data(), tokens.size());
    if (!phrase.empty()) types[phrase] |= static_cast<uint8_t>(1u << static_cast<int>(g.type));
  }
  if (min_count > 0) {
    std::map<std::string, std::array<uint32_t, kNumTypes>> counts;
    std::string text;
    for (size_t k = 0; k < sentences.size(); ++k) {
      if (fold[k] == left_out) continue;
      {
        const LabelledSentence& s = sentences[k];
        bool definite = true;
        for (uint16_t m : s.allowed) definite &= SingleBit(m);
        std::vector<Tag> tags = FirstAllowedTags(s);
        AnalyzeWords(analyzer, s.words, &text, &tokens);
        for (size_t i = 0; i < tags.size();) {
          if (!IsBegin(tags[i]) || (!definite && !SingleBit(s.allowed[i]))) {
            ++i;
            continue;
          }
          EntityType t = TagType(tags[i]);
          size_t j = i + 1;
          while (j < tags.size() && tags[j] == InsideTag(t)) ++j;
          std::string phrase = internal::GazetteerPhrase(tokens.data() + i, j - i);
          if (!phrase.empty() && t != EntityType::kMisc) counts[phrase][static_cast<int>(t)]++;
          i = j;
        }
      }
    }
    for (const auto& [phrase, c] : counts) {
      uint32_t total = 0;
      for (uint32_t v : c) total += v;
      if (total < min_count) continue;
      for (int t = 0; t < kNumTypes; ++t) {
        if (c[t] * 10 >= total * 3) types[phrase] |= static_cast<uint8_t>(1u << t);
      }
    }
  }
  std::vector<internal::GazetteerEntry> out;
  for (const auto& [phrase, t] : types) out.push_back({phrase, t});
  return out;
}

// Label profiles (ClusterInfo::profile) of the cluster words of *data: for
// each word, the labels of the k cluster words nearest to it by the cosine of
// their vectors among those with at least two definite labels in the
// sentences of `corpus` not in fold `left_out` (the word itself excluded),
// weighted by the cosine: the entity type with the largest share and that
// share in five bins. A word never labelled, such as a club the labelled data
// never names, gets the profile of the labelled words it resembles in the
// news. Deterministic (ties by index).
void LabelProfiles(const Corpus& corpus, int left_out, int k, const std::vector<float>& vectors, int dims,
                   analysis::Analyzer* analyzer, ModelData* data) {
  const size_t W = data->clusters.size();
  for (auto& c : data->clusters) c.info.profile = 0;
  if (k <= 0 || dims <= 0 || vectors.size() != W * size_t(dims)) return;
  std::vector<std::array<uint32_t, kNumTypes + 1>> counts(W);  // per type, then O
  FeatureExtractor fx(data);
  std::string text;
  std::vector<analysis::AnalyzedToken> units;
  for (size_t n = 0; n < corpus.sentences.size(); ++n) {
    if (corpus.fold[n] == left_out) continue;
    const LabelledSentence& s = corpus.sentences[n];
    AnalyzeWords(analyzer, s.words, &text, &units);
    fx.Prepare(units.data(), units.size(), text);
    for (size_t i = 0; i < units.size(); ++i) {
      int32_t w = fx.unit(i).cluster.index;
      if (w < 0 || !SingleBit(s.allowed[i])) continue;
      Tag t = static_cast<Tag>(__builtin_ctz(s.allowed[i]));
      counts[w][t == kOutside ? kNumTypes : static_cast<int>(TagType(t))]++;
    }
  }
  std::vector<uint32_t> labelled;
  for (size_t w = 0; w < W; ++w) {
    uint32_t total = 0;
    for (uint32_t c : counts[w]) total += c;
    if (total >= 2) labelled.push_back(static_cast<uint32_t>(w));
  }
  std::vector<float> lv(labelled.size() * dims);
  for (size_t j = 0; j < labelled.size(); ++j) {
    std::copy_n(&vectors[size_t(labelled[j]) * dims], dims, &lv[j * dims]);
  }
  std::vector<float> sims(labelled.size());
  std::vector<uint32_t> idx(labelled.size());
  const size_t top = std::min<size_t>(k, labelled.size());
  std::vector<uint8_t> profiles(W, 0);
  for (size_t w = 0; w < W; ++w) {
    const float* v = &vectors[w * dims];
    for (size_t j = 0; j < labelled.size(); ++j) {
      const float* u = &lv[j * dims];
      float sum = 0;
      for (int d = 0; d < dims; ++d) sum += u[d] * v[d];
      sims[j] = labelled[j] == w ? -2.0f : sum;
    }
    for (size_t j = 0; j < idx.size(); ++j) idx[j] = static_cast<uint32_t>(j);
    std::partial_sort(idx.begin(), idx.begin() + top, idx.end(),
                      [&](uint32_t a, uint32_t b) { return sims[a] > sims[b] || (sims[a] == sims[b] && a < b); });
    double p[kNumTypes + 1] = {}, z = 0;
    for (size_t r = 0; r < top; ++r) {
      double sim = std::max(0.0f, sims[idx[r]]);
      const auto& c = counts[labelled[idx[r]]];
      uint32_t total = 0;
      for (uint32_t x : c) total += x;
      for (int t = 0; t <= kNumTypes; ++t) p[t] += sim * c[t] / total;
      z += sim;
    }
    if (z <= 0) continue;
    int best = 0;
    for (int t = 1; t < kNumTypes; ++t) {
      if (p[t] > p[best]) best = t;
    }
    double share = p[best] / z;
    int bin = share < 0.05 ? 0 : share < 0.15 ? 1 : share < 0.3 ? 2 : share < 0.5 ? 3 : 4;
    profiles[w] = static_cast<uint8_t>(1 + best * 5 + bin);
  }
  for (size_t w = 0; w < W; ++w) data->clusters[w].info.profile = profiles[w];
}

void WriteDev(const std::string& path, const std::vector<LabelledSentence>& dev, Status* st) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    *st = Status::IOError(path + ": cannot open for writing");
    return;
  }
  for (const LabelledSentence& s : dev) {
    std::vector<Tag> tags = FirstAllowedTags(s);
    for (size_t i = 0; i < s.words.size(); ++i) std::fprintf(f, "%s\t%s\n", s.words[i].c_str(), TagName(tags[i]).c_str());
    std::fputc('\n', f);
  }
  if (std::fclose(f) != 0) *st = Status::IOError(path + ": write failed");
}

}  // namespace

std::vector<ReplacedSentence> ReplaceMentions(const std::vector<LabelledSentence>& sentences,
                                              const std::vector<uint8_t>& group, const std::vector<uint32_t>& doc,
                                              uint64_t seed) {
  // Calls fn(begin, end, type) for each PER/ORG/LOC name with definite labels.
  auto spans = [](const LabelledSentence& s, const std::function<void(size_t, size_t, int)>& fn) {
    for (size_t i = 0; i < s.allowed.size();) {
      int type = -1;
      for (int t = 0; t < 3; ++t) {
        if (s.allowed[i] == (1u << BeginTag(static_cast<EntityType>(t)))) type = t;
      }
      if (type < 0) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < s.allowed.size() && s.allowed[j] == (1u << InsideTag(static_cast<EntityType>(type)))) ++j;
      fn(i, j, type);
      i = j;
    }
  };
  std::map<uint8_t, std::array<std::vector<std::vector<std::string>>, 3>> pool;
  for (size_t k = 0; k < sentences.size(); ++k) {
    spans(sentences[k], [&](size_t i, size_t j, int t) {
      pool[group[k]][t].emplace_back(sentences[k].words.begin() + i, sentences[k].words.begin() + j);
    });
  }
  uint64_t rng = seed;
  // (doc, group, type + name) -> index in the group's pool (a pseudo-document
  // can straddle the two folds).
  std::map<std::pair<uint64_t, std::vector<std::string>>, size_t> chosen;
  std::vector<ReplacedSentence> out;
  for (size_t k = 0; k < sentences.size(); ++k) {
    const LabelledSentence& s = sentences[k];
    LabelledSentence r;
    size_t last = 0;
    bool any = false;
    const auto& names = pool[group[k]];
    spans(s, [&](size_t i, size_t j, int t) {
      r.words.insert(r.words.end(), s.words.begin() + last, s.words.begin() + i);
      r.allowed.insert(r.allowed.end(), s.allowed.begin() + last, s.allowed.begin() + i);
      std::vector<std::string> key(s.words.begin() + i, s.words.begin() + j);
      key.push_back(std::to_string(t));
      const uint64_t where = uint64_t{doc[k]} << 8 | group[k];
      auto it = chosen.find({where, key});
      if (it == chosen.end()) it = chosen.emplace(std::make_pair(where, key), NextRandom(&rng) % names[t].size()).first;
      const std::vector<std::string>& name = names[t][it->second];
      for (size_t w = 0; w < name.size(); ++w) {
        r.words.push_back(name[w]);
        EntityType type = static_cast<EntityType>(t);
        r.allowed.push_back(static_cast<uint16_t>(1u << (w == 0 ? BeginTag(type) : InsideTag(type))));
      }
      last = j;
      any = true;
    });
    if (!any) continue;
    r.words.insert(r.words.end(), s.words.begin() + last, s.words.end());
    r.allowed.insert(r.allowed.end(), s.allowed.begin() + last, s.allowed.end());
    out.push_back({std::move(r), k});
  }
  return out;
}

Result<std::shared_ptr<const Model>> Train(const TrainOptions& options, const std::vector<WordCluster>& clusters,
                                           const std::vector<GazetteerName>& gazetteer,
                                           analysis::Analyzer* analyzer, TrainReport* report,
                                           const std::function<void(std::string_view)>& log) {
  auto started = std::chrono::steady_clock::now();
  *report = TrainReport();
  Result<std::vector<LabelledSentence>> aner = ReadAnercorp(options.data_dir + "/anercorp/ANERCorp_train.txt");
  if (!aner.ok()) return aner.status();
  std::vector<LabelledSentence> train = std::move(aner.value()), dev;
  SplitAtWord(&train, options.dev_first_word, &dev);
  if (dev.empty()) return Status::InvalidArgument("the development split leaves no sentences");
  if (!options.dev_out.empty()) {
    Status st;
    WriteDev(options.dev_out, dev, &st);
    RASID_RETURN_IF_ERROR(st);
  }
  std::vector<LabelledSentence> news, wiki;
  if (options.newsfane) {
    Result<std::vector<LabelledSentence>> r = ReadFane(options.data_dir + "/fane-gold-2014/NewsFANE_Gold_2014_train.txt");
    if (!r.ok()) return r.status();
    news = std::move(r.value());
    size_t before = news.size();
    report->newsfane_dropped = DropOverlapping(dev, &news);
    log("NewsFANE: " + std::to_string(before) + " sentences, " + std::to_string(report->newsfane_dropped) +
        " dropped as overlapping the development set");
  }
  if (options.wikifane) {
    Result<std::vector<LabelledSentence>> r = ReadFane(options.data_dir + "/fane-gold-2014/WikiFANE_Gold_2014_train.txt");
    if (!r.ok()) return r.status();
    wiki = std::move(r.value());
  }
  size_t relaxed = RelaxTitles(train, &news) + RelaxTitles(train, &wiki);
  log("FANE: " + std::to_string(relaxed) + " entities start with a title word that ANERcorp leaves out");

  auto data = std::make_unique<ModelData>();
  data->feature_set = internal::kFeatureSet;
  for (const WordCluster& c : clusters) {
    internal::ClusterEntry e;
    e.word = c.word;
    for (int l = 0; l < 3; ++l) e.info.level[l] = c.level[l];
    e.info.freq = c.freq;
    data->clusters.push_back(std::move(e));
  }
  std::sort(data->clusters.begin(), data->clusters.end(),
            [](const auto& a, const auto& b) { return a.word < b.word; });
  // Word vectors of the cluster words, in the order of data->clusters.
  if (options.dense_radius > internal::kMaxVectorRadius) {
    return Status::InvalidArgument("dense_radius above " + std::to_string(internal::kMaxVectorRadius));
  }
  std::vector<float> vectors;
  int dims = 0;
  if (options.dense_radius >= 0 && !clusters.empty() && !clusters[0].vector.empty()) {
    std::vector<const WordCluster*> sorted;
    for (const WordCluster& c : clusters) sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->word < b->word; });
    dims = static_cast<int>(sorted[0]->vector.size());
    for (const WordCluster* c : sorted) {
      if (c->vector.size() != size_t(dims)) return Status::InvalidArgument("word vectors of different sizes");
      vectors.insert(vectors.end(), c->vector.begin(), c->vector.end());
    }
  }
  // All training sentences, each corpus cut into two halves (folds) and into
  // pseudo-documents of options.doc_sentences sentences (the corpora do not
  // mark articles). Names learnt from the training data are jackknifed: the
  // gazetteer features of a sentence come from the names of the other fold,
  // so the model does not learn to trust an entry that always matches (at
  // test time most names are not in the gazetteer). The first stage's tags
  // that the second stage learns from are jackknifed the same way.
  Corpus all, held;
  uint32_t docs = 0;
  for (auto* part : {&train, &news, &wiki}) {
    for (size_t i = 0; i < part->size(); ++i) {
      all.sentences.push_back(std::move((*part)[i]));
      all.repeat.push_back(part == &train ? static_cast<uint8_t>(options.anercorp_repeats) : 1);
      all.fold.push_back(i * 2 >= part->size());
      all.doc.push_back(docs + static_cast<uint32_t>(i / options.doc_sentences));
    }
    docs += static_cast<uint32_t>(part->size() / options.doc_sentences + 1);
  }
  for (size_t i = 0; i < dev.size(); ++i) {
    held.sentences.push_back(dev[i]);
    held.fold.push_back(2);
    held.repeat.push_back(1);
    held.doc.push_back(static_cast<uint32_t>(i / options.doc_sentences));
  }
  // Label profiles of the cluster words from all the training data, also for
  // the folds' copies below (profiles from the other fold only were worse:
  // docs/ner.md).
  data->BuildIndexes();
  LabelProfiles(all, -1, dims > 0 ? options.profile_neighbours : 0, vectors, dims, analyzer, data.get());
  std::vector<std::unique_ptr<ModelData>> fold_data;
  for (int f = 0; f < 2; ++f) {
    auto fd = std::make_unique<ModelData>(*data);
    fd->gazetteer = BuildGazetteer(gazetteer, all, f, options.gazetteer_min_count, analyzer);
    fd->BuildIndexes();
    fold_data.push_back(std::move(fd));
  }
  data->gazetteer = BuildGazetteer(gazetteer, all, -1, options.gazetteer_min_count, analyzer);
  data->BuildIndexes();
  size_t profiled = 0;
  for (const auto& c : data->clusters) profiled += c.info.profile != 0;
  log("gazetteer: " + std::to_string(data->gazetteer.size()) + " phrases; clusters: " +
      std::to_string(data->clusters.size()) + " words, " + std::to_string(profiled) + " with a label profile");

  // Mention replacement: copies of ANERcorp's training sentences with their
  // names replaced (ReplaceMentions), after the gazetteer and the profiles.
  const size_t n_anercorp = train.size();
  for (int copy = 0; copy < options.augment; ++copy) {
    std::vector<LabelledSentence> part(all.sentences.begin(), all.sentences.begin() + n_anercorp);
    std::vector<uint8_t> group(all.fold.begin(), all.fold.begin() + n_anercorp);
    std::vector<uint32_t> doc(all.doc.begin(), all.doc.begin() + n_anercorp);
    for (ReplacedSentence& r : ReplaceMentions(part, group, doc, options.seed * 0x9E3779B97F4A7C15ULL + 77 + copy)) {
      all.sentences.push_back(std::move(r.sentence));
      all.repeat.push_back(1);
      all.fold.push_back(group[r.source]);
      all.doc.push_back(docs + doc[r.source]);
    }
    docs += static_cast<uint32_t>(n_anercorp / options.doc_sentences + 1);
  }
  if (options.augment > 0) log("augmented: " + std::to_string(all.sentences.size()) + " sentences");
  // Stage-1 features: fold 0 with the gazetteer of fold 1 and vice versa.
  FeatureIds ids;
  Dataset tr, dv;
  internal::NetTrainOptions net_options;
  net_options.hidden = options.net_hidden;
  net_options.epochs = options.net_epochs;
  net_options.rate = options.net_rate;
  net_options.word_dropout = options.net_word_dropout;
  net_options.seed = options.seed;
  net_options.average = options.net_average;
  const int net_stages = options.net_stages;
  const float net_scale = options.net_scale;
  const uint64_t seed = options.seed;
  for (int f = 0; f < 2; ++f) Extract(all, f, analyzer, *fold_data[f], &ids, true, net_options.buckets, &tr);
  Extract(held, -1, analyzer, *data, &ids, false, net_options.buckets, &dv);
  std::vector<uint64_t> hashes;
  report->features = Prune(ids, options.min_feature_count, {&tr, &dv}, &hashes);
  report->train_sentences = tr.sentences();
  report->train_words = tr.allowed.size();
  report->dev_sentences = dv.sentences();
  report->dev_words = dv.allowed.size();
  log("training: " + std::to_string(report->train_sentences) + " sentences, " +
      std::to_string(report->train_words) + " words, " + std::to_string(report->features) + " features; dev " +
      std::to_string(report->dev_words) + " words");

  // Stage 1 on everything (the model), and on each fold alone (its tags of
  // the other fold train stage 2).
  // The topic input: the mean vector of the words of each sentence.
  const bool topic = dims > 0 && options.dense_radius >= 0 && options.dense_topic;
  auto means = [&](Dataset* d) {
    d->mean.assign(d->sentences() * dims, 0.0f);
    for (size_t s = 0; s < d->sentences(); ++s) {
      std::vector<double> m(dims, 0.0);
      int count = 0;
      for (uint32_t i = d->first_token[s]; i < d->first_token[s + 1]; ++i) {
        if (d->vec[i] < 0) continue;
        const float* v = &vectors[size_t(d->vec[i]) * dims];
        for (int k = 0; k < dims; ++k) m[k] += v[k];
        ++count;
      }
      for (int k = 0; k < dims && count > 0; ++k) d->mean[s * dims + k] = static_cast<float>(m[k] / count);
    }
  };
  if (topic) {
    means(&tr);
    means(&dv);
  }
  DenseConfig dense;
  if (dims > 0) {
    dense.topic = topic;
    dense.radius = options.dense_radius;
    dense.dims = dims;
    dense.scale = options.dense_scale;
    dense.vectors = &vectors;
    log("dense features: word vectors at -" + std::to_string(dense.radius) + "..+" + std::to_string(dense.radius) +
        ", " + std::to_string(dense.dims) + " dimensions, scale " + std::to_string(dense.scale) +
        (dense.topic ? ", and the sentence's mean vector" : ""));
  }
  // The sentence network: two on one fold each, whose log-probabilities of
  // the other fold are what the perceptron learns from (jackknife), and one
  // on everything for the model.
  const bool use_net = net_options.hidden > 0 && dims > 0 && (net_stages != 0 || options.net_features);
  if (use_net) {
    internal::NetTrainData nd;
    nd.inputs = tr.net_in;
    nd.allowed = tr.allowed;
    nd.first = tr.first_token;
    auto order_without = [&](int skip) {
      std::vector<uint32_t> order;
      for (uint32_t i = 0; i < tr.sentences(); ++i) {
        for (int r = 0; r < tr.repeat[i] && tr.fold[i] != skip; ++r) order.push_back(i);
      }
      return order;
    };
    auto log_probs = [&](const internal::TaggerNet& net, Dataset* d, int only_fold) {
      d->net.resize(d->allowed.size() * T);
      internal::NetScratch scratch;
      for (size_t s = 0; s < d->sentences(); ++s) {
        if (only_fold >= 0 && d->fold[s] != only_fold) continue;
        uint32_t a = d->first_token[s], b = d->first_token[s + 1];
        internal::NetLogProbs(net, &d->net_in[a], b - a, &scratch, &d->net[size_t(a) * T]);
      }
    };
    auto net_score = [&](int epoch, const internal::TaggerNet& net) {
      log_probs(net, &dv, -1);
      std::vector<float> zero(kTransRows * T, 0.0f), score;
      std::vector<uint8_t> back;
      std::vector<Tag> tags(dv.allowed.size());
      for (size_t s = 0; s < dv.sentences(); ++s) {
        uint32_t a = dv.first_token[s], n = dv.first_token[s + 1] - a;
        internal::Viterbi(&dv.net[size_t(a) * T], n, zero.data(), nullptr, tags.data() + a, &score, &back);
      }
      log("network epoch " + std::to_string(epoch) + " alone: " + ScoreLine(Score(dv, tags)));
    };
    auto net_started = std::chrono::steady_clock::now();
    for (int f = 0; f < 2; ++f) {
      internal::NetTrainOptions fo = net_options;
      fo.seed = net_options.seed + 1 + f;
      internal::TaggerNet net = internal::TrainNet(nd, order_without(1 - f), vectors, dims, fo, nullptr);
      log_probs(net, &tr, 1 - f);
      log("network on fold " + std::to_string(f) + " done");
    }
    data->net = internal::TrainNet(nd, order_without(-1), vectors, dims, net_options, net_score);
    log_probs(data->net, &dv, -1);
    log("network: " + std::to_string(net_options.hidden) + " units per direction, " +
        std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - net_started).count()) +
        " s");
  }
  // The network's decisions as sparse features too (ids after the stage-1 ones).
  const bool net_discrete = use_net && options.net_features;
  if (net_discrete) {
    FeatureIds net_ids;
    auto add = [&](Dataset* d, bool grow) {
      std::vector<uint32_t> features;
      std::vector<uint32_t> starts(1, 0);
      std::vector<uint64_t> h;
      for (size_t s = 0; s < d->sentences(); ++s) {
        uint32_t a = d->first_token[s], b = d->first_token[s + 1];
        for (uint32_t t = a; t < b; ++t) {
          features.insert(features.end(), d->features.begin() + d->feature_start[t],
                          d->features.begin() + d->feature_start[t + 1]);
          h.clear();
          internal::AppendNetFeatures(&d->net[size_t(a) * T], b - a, t - a, d->shape[t], &h);
          for (uint64_t x : h) {
            int64_t id = net_ids.Get(x, grow);
            if (id >= 0) features.push_back(static_cast<uint32_t>(hashes.size() + id));
          }
          starts.push_back(static_cast<uint32_t>(features.size()));
        }
      }
      d->features = std::move(features);
      d->feature_start = std::move(starts);
    };
    add(&tr, true);
    add(&dv, false);
    for (uint32_t i = 0; i < net_ids.size(); ++i) hashes.push_back(net_ids.hash(i));
    log("network features: " + std::to_string(net_ids.size()));
    data->net_features = true;
  }
  DenseConfig dense1 = dense, dense2 = dense;
  dense1.net = use_net && (net_stages & 1);
  dense2.net = use_net && (net_stages & 2);
  dense1.net_scale = dense2.net_scale = net_scale;
  std::vector<float> avg1, trans1;
  Perceptron p1(hashes.size(), dense1);
  TrainStage(tr, -1, options.epochs, seed, &dv, log, "stage 1", &p1, &avg1, &trans1);
  std::vector<Tag> tr_tags(tr.allowed.size());
  for (int f = 0; f < 2 && options.stages > 1; ++f) {
    Perceptron pf(hashes.size(), dense1);
    std::vector<float> avg, trans;
    TrainStage(tr, f, options.epochs, seed + 1 + f, nullptr, log, "", &pf, &avg, &trans);
    std::vector<Tag> tags = Predict(tr, pf, avg, trans);
    for (size_t s = 0; s < tr.sentences(); ++s) {
      if (tr.fold[s] != f) continue;
      for (uint32_t i = tr.first_token[s]; i < tr.first_token[s + 1]; ++i) tr_tags[i] = tags[i];
    }
    log("stage 1 without fold " + std::to_string(f) + " done");
  }
  float scale = 1;
  data->stages.push_back(Quantize(p1, avg1, trans1, hashes, data->clusters, &scale));
  data->scale = scale;
  if (options.stages > 1) {
    FeatureIds doc_ids;
    uint32_t offset = static_cast<uint32_t>(hashes.size());
    Dataset tr2 = WithDocFeatures(tr, tr_tags, &doc_ids, true, offset);
    Dataset dv2 = WithDocFeatures(dv, Predict(dv, p1, avg1, trans1), &doc_ids, false, offset);
    std::vector<uint64_t> hashes2 = hashes;
    for (uint32_t i = 0; i < doc_ids.size(); ++i) hashes2.push_back(doc_ids.hash(i));
    Perceptron p2(hashes2.size(), dense2);
    std::vector<float> avg2, trans2;
    TrainStage(tr2, -1, options.epochs, seed + 3, &dv2, log, "stage 2", &p2, &avg2, &trans2);
    data->stages.push_back(Quantize(p2, avg2, trans2, hashes2, data->clusters, &scale));
  }
  auto model = std::make_shared<const Model>(std::move(data));

  // The development score of the model as shipped (quantised), through the
  // same path as `rasid ner --conll`.
  auto evaluate = [&]() {
    SpanScores scores;
    Recognizer rec(model);
    std::string text;
    std::vector<analysis::AnalyzedToken> units;
    std::vector<Tag> tags;
    for (size_t s = 0; s < dev.size(); s += options.doc_sentences) {
      std::vector<std::vector<std::string>> doc;
      std::vector<Tag> gold;
      for (size_t k = s; k < dev.size() && k < s + options.doc_sentences; ++k) {
        doc.push_back(dev[k].words);
        std::vector<Tag> g = FirstAllowedTags(dev[k]);
        gold.insert(gold.end(), g.begin(), g.end());
      }
      AnalyzeSentences(analyzer, doc, &text, &units);
      rec.Tag(units, text, &tags);
      scores.Add(gold, tags);
    }
    return scores;
  };
  report->dev = evaluate();
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::shared_ptr<const Model>(model);
}

}  // namespace rasid::ner
