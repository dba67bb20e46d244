// Decoding: features -> scores -> Viterbi -> mentions.
#include <algorithm>

#include "features.h"
#include "model_data.h"
#include "viterbi.h"

namespace rasid::ner {

using internal::FeatureExtractor;

struct Recognizer::Scratch {
  explicit Scratch(const internal::ModelData* data) : extractor(data) {}
  FeatureExtractor extractor;
  std::vector<uint64_t> features;       // stage-1 feature hashes of all tokens
  std::vector<uint32_t> feature_start;  // per token, one extra at the end
  std::vector<uint64_t> keys;           // document keys
  std::vector<uint64_t> bases;          // per token: hash of the word without proclitics, 0 if not a word
  std::vector<uint64_t> norms;          // per token: hash of the normalised word, 0 if not a word or number
  std::vector<uint8_t> flags;           // per token: kNotStopWord | kThreeLetters | kDefinite (PropagateMentions)
  std::vector<uint32_t> sentences;
  std::vector<int32_t> cluster;         // per token: index of its cluster word, -1 if none
  std::vector<internal::DocInfo> doc;
  std::vector<uint64_t> extra;
  std::vector<float> emit;
  std::vector<internal::NetInput> net_in;
  internal::NetScratch net_scratch;
  std::vector<float> net;               // per token: the sentence network's tag log-probabilities
  std::vector<std::vector<float>> trans;  // per stage
  std::vector<float> score;
  std::vector<uint8_t> back;
};

Recognizer::Recognizer(std::shared_ptr<const Model> model)
    : model_(std::move(model)), scratch_(std::make_unique<Scratch>(&model_->data())) {
  for (const auto& stage : model_->data().stages) {
    std::vector<float> t((kNumTags + 1) * kNumTags);
    for (int f = 0; f <= kNumTags; ++f) {
      for (int k = 0; k < kNumTags; ++k) t[f * kNumTags + k] = static_cast<float>(stage.transitions[f][k]);
    }
    scratch_->trans.push_back(std::move(t));
  }
}

Recognizer::~Recognizer() = default;

namespace {

// Adds the sentence network's scores of a token (log-probabilities lp) to e.
inline void AddNet(const internal::ModelData::Stage& st, const float* lp, float* e) {
  if (st.net_weights.empty()) return;
  for (int t = 0; t < kNumTags; ++t) {
    const float* w = &st.net_weights[size_t(t) * kNumTags];
    float sum = 0;
    for (int k = 0; k < kNumTags; ++k) sum += w[k] * lp[k];
    e[t] += sum;
  }
}

// Adds the weight rows of `features` in `table` to sum[kNumTags].
inline void AddRows(const internal::FeatureTable& table, const uint64_t* features, size_t n, int32_t* sum) {
  for (size_t k = 0; k < n; ++k) {
    if (const int16_t* w = table.Find(features[k])) {
      for (int t = 0; t < kNumTags; ++t) sum[t] += w[t];
    }
  }
}

}  // namespace

void Recognizer::Tag(const std::vector<analysis::AnalyzedToken>& tokens, std::string_view text,
                     std::vector<ner::Tag>* tags) {
  size_t n = tokens.size();
  tags->assign(n, kOutside);
  const internal::ModelData& d = model_->data();
  Scratch& s = *scratch_;
  s.features.clear();
  s.feature_start.assign(1, 0);
  s.keys.resize(n);
  s.bases.resize(n);
  s.norms.resize(n);
  s.flags.resize(n);
  s.sentences.resize(n);
  s.cluster.resize(n);
  const bool net = !d.net.empty();
  if (net) s.net.resize(n * kNumTags);
  // Stage 1, sentence by sentence.
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    while (end < n && tokens[end].token.sentence == tokens[begin].token.sentence) ++end;
    size_t len = end - begin;
    s.extractor.Prepare(tokens.data() + begin, len, text);
    s.emit.assign(len * kNumTags, 0.0f);
    for (size_t i = 0; i < len; ++i) s.cluster[begin + i] = s.extractor.unit(i).cluster.index;
    float topic[kNumTags];
    internal::SentenceTopic(d.stages[0], &s.cluster[begin], len, topic);
    if (net) {
      s.net_in.resize(len);
      for (size_t i = 0; i < len; ++i) s.net_in[i] = internal::NetInputOf(s.extractor.unit(i), d.net.buckets);
      internal::NetLogProbs(d.net, s.net_in.data(), len, &s.net_scratch, &s.net[begin * kNumTags]);
    }
    for (size_t i = 0; i < len; ++i) {
      size_t first = s.features.size();
      s.extractor.Append(i, &s.features);
      if (net && d.net_features) {
        internal::AppendNetFeatures(&s.net[begin * kNumTags], len, i, s.extractor.unit(i).shape, &s.features);
      }
      s.feature_start.push_back(static_cast<uint32_t>(s.features.size()));
      int32_t sum[kNumTags] = {};
      AddRows(d.stages[0].features, s.features.data() + first, s.features.size() - first, sum);
      internal::AddWordRows(d.stages[0], &s.cluster[begin], len, i, sum);
      for (int t = 0; t < kNumTags; ++t) s.emit[i * kNumTags + t] = static_cast<float>(sum[t]) + topic[t];
      if (net) AddNet(d.stages[0], &s.net[(begin + i) * kNumTags], &s.emit[i * kNumTags]);
      s.keys[begin + i] = internal::DocKey(s.extractor.unit(i), tokens[begin + i].token.IsWord());
      s.bases[begin + i] = tokens[begin + i].token.IsWord() ? s.extractor.unit(i).base : 0;
      s.norms[begin + i] = tokens[begin + i].token.IsWord() || tokens[begin + i].token.kind == analysis::TokenKind::kNumber
                               ? s.extractor.unit(i).norm
                               : 0;
      const internal::UnitInfo& u = s.extractor.unit(i);
      s.flags[begin + i] = static_cast<uint8_t>((tokens[begin + i].stopword ? 0 : internal::kNotStopWord) |
                                                (u.base_letters >= 3 ? internal::kThreeLetters : 0) |
                                                (u.definite ? internal::kDefinite : 0));
      s.sentences[begin + i] = tokens[begin + i].token.sentence;
    }
    internal::Viterbi(s.emit.data(), len, s.trans[0].data(), nullptr, tags->data() + begin, &s.score, &s.back);
    begin = end;
  }
  if (d.stages.size() >= 2) SecondStage(tokens, tags);
  // Rules after the model, the name list last so that it has the final say.
  internal::TagNamedInQuotes(tokens.data(), n, tags->data());
  internal::TagMinistries(tokens.data(), n, tags->data());
  internal::TagListedNames(d, s.bases.data(), s.norms.data(), s.sentences.data(), n, tags->data());
  internal::PropagateMentions(s.bases.data(), s.flags.data(), s.sentences.data(), n, tags->data());
}

void Recognizer::SecondStage(const std::vector<analysis::AnalyzedToken>& tokens, std::vector<ner::Tag>* tags) {
  size_t n = tokens.size();
  const internal::ModelData& d = model_->data();
  Scratch& s = *scratch_;
  // Stage 2: the same features plus what stage 1 found in the whole document.
  s.doc.resize(n);
  internal::ComputeDocInfo(s.keys.data(), tags->data(), s.sentences.data(), n, s.doc.data());
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    while (end < n && s.sentences[end] == s.sentences[begin]) ++end;
    size_t len = end - begin;
    s.emit.assign(len * kNumTags, 0.0f);
    float topic[kNumTags];
    internal::SentenceTopic(d.stages[1], &s.cluster[begin], len, topic);
    for (size_t i = 0; i < len; ++i) {
      size_t tok = begin + i;
      int32_t sum[kNumTags] = {};
      AddRows(d.stages[1].features, s.features.data() + s.feature_start[tok],
              s.feature_start[tok + 1] - s.feature_start[tok], sum);
      s.extra.clear();
      internal::AppendDocFeatures(s.doc[tok], &s.extra);
      AddRows(d.stages[1].features, s.extra.data(), s.extra.size(), sum);
      internal::AddWordRows(d.stages[1], &s.cluster[begin], len, i, sum);
      for (int t = 0; t < kNumTags; ++t) s.emit[i * kNumTags + t] = static_cast<float>(sum[t]) + topic[t];
      if (!d.net.empty()) AddNet(d.stages[1], &s.net[tok * kNumTags], &s.emit[i * kNumTags]);
    }
    internal::Viterbi(s.emit.data(), len, s.trans[1].data(), nullptr, tags->data() + begin, &s.score, &s.back);
    begin = end;
  }
}

std::vector<Mention> Recognizer::Recognize(const std::vector<analysis::AnalyzedToken>& tokens,
                                           std::string_view text) {
  std::vector<ner::Tag> tags;
  Tag(tokens, text, &tags);
  return MentionsFromTags(tokens, text, tags);
}

namespace {

// Removes harakat, tatweel and format characters (display name of a mention).
void AppendClean(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    len = std::min(len, s.size() - i);
    bool drop = false;
    if (len == 2 && b == 0xD9) {
      unsigned char c = static_cast<unsigned char>(s[i + 1]);
      drop = (c >= 0x8B && c <= 0x9F) || c == 0x80 || c == 0xB0;  // U+064B..065F, U+0640, U+0670
    } else if (len == 3 && b == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80) {
      unsigned char c = static_cast<unsigned char>(s[i + 2]);
      drop = (c >= 0x8B && c <= 0x8F) || (c >= 0xAA && c <= 0xAE);  // ZWSP..RLM, bidi embeddings
    }
    if (!drop) out->append(s.substr(i, len));
    i += len;
  }
}

}  // namespace

std::vector<Mention> MentionsFromTags(const std::vector<analysis::AnalyzedToken>& tokens,
                                      std::string_view text, const std::vector<Tag>& tags) {
  std::vector<Mention> out;
  size_t n = std::min(tokens.size(), tags.size());
  // Punctuation other than - . ' & / never belongs to a name (a quotation
  // mark tagged I-PER would glue a name to the quotation after it).
  auto breaks = [&](size_t k) {
    if (tokens[k].token.kind != analysis::TokenKind::kPunct) return false;
    std::string_view p = text.substr(tokens[k].token.start, tokens[k].token.end - tokens[k].token.start);
    return p != "-" && p != "." && p != "'" && p != "&" && p != "/";
  };
  internal::DocWords words(tokens);
  size_t i = 0;
  while (i < n) {
    if (tags[i] == kOutside || breaks(i)) {
      ++i;
      continue;
    }
    EntityType type = TagType(tags[i]);
    size_t j = i + 1;
    while (j < n && tags[j] == InsideTag(type) && tokens[j].token.sentence == tokens[i].token.sentence &&
           !breaks(j)) {
      ++j;
    }
    size_t next = j;
    while (j > i + 1 && tokens[j - 1].token.kind == analysis::TokenKind::kPunct) --j;  // no trailing - or .
    Mention m;
    m.type = type;
    m.first_token = static_cast<uint32_t>(i);
    m.end_token = static_cast<uint32_t>(j);
    m.start = tokens[i].token.start;
    m.end = tokens[j - 1].token.end;
    const analysis::AnalyzedToken& first = tokens[i];
    std::string_view surface = text.substr(first.token.start, first.token.end - first.token.start);
    bool restore_alef = false;
    size_t skip = words.NamePrefixBytes(first, surface, &restore_alef);
    m.name_start = static_cast<uint32_t>(m.start + skip);
    if (restore_alef) m.name = "\u0627";  // ALEF: لل -> ال
    AppendClean(text.substr(m.name_start, m.end - m.name_start), &m.name);
    out.push_back(std::move(m));
    i = next;
  }
  return out;
}

void AnalyzeSentences(analysis::Analyzer* analyzer, const std::vector<std::vector<std::string>>& sentences,
                      std::string* text, std::vector<analysis::AnalyzedToken>* units) {
  text->clear();
  std::vector<uint32_t> starts, lens, sentence_of;
  for (size_t s = 0; s < sentences.size(); ++s) {
    for (const std::string& w : sentences[s]) {
      if (!text->empty()) text->push_back(s > 0 && starts.size() > 0 && sentence_of.back() != s ? '\n' : ' ');
      starts.push_back(static_cast<uint32_t>(text->size()));
      lens.push_back(static_cast<uint32_t>(w.size()));
      sentence_of.push_back(static_cast<uint32_t>(s));
      text->append(w);
    }
  }
  std::vector<analysis::AnalyzedToken> tokens;
  analyzer->Analyze(*text, &tokens);
  units->assign(starts.size(), analysis::AnalyzedToken());
  size_t k = 0;
  for (size_t i = 0; i < starts.size(); ++i) {
    uint32_t start = starts[i], end = start + lens[i];
    while (k < tokens.size() && tokens[k].token.end <= start) ++k;
    const analysis::AnalyzedToken* chosen = nullptr;
    for (size_t j = k; j < tokens.size() && tokens[j].token.start < end; ++j) {
      if (chosen == nullptr) chosen = &tokens[j];
      if (tokens[j].token.IsWord()) {
        chosen = &tokens[j];
        break;
      }
    }
    analysis::AnalyzedToken& u = (*units)[i];
    if (chosen != nullptr) {
      u = *chosen;
    } else {
      // An empty word: a unit without analysis.
      u.token.kind = analysis::TokenKind::kSymbol;
    }
    u.token.start = start;
    u.token.end = end;
    u.token.sentence = sentence_of[i];
  }
}

void AnalyzeWords(analysis::Analyzer* analyzer, const std::vector<std::string>& words, std::string* text,
                  std::vector<analysis::AnalyzedToken>* units) {
  AnalyzeSentences(analyzer, {words}, text, units);
}

}  // namespace rasid::ner
