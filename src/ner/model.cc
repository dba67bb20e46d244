// The model file codec (docs/format/ner-model.md), tag names, look-up tables.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

#include "features.h"
#include "model_data.h"
#include "rasid/analysis/analyzer.h"
#include "rasid/analysis/lexicon.h"
#include "rasid/base/file.h"
#include "rasid/ner/train.h"

namespace rasid::ner {

namespace {

constexpr char kMagic[8] = {'R', 'A', 'S', 'I', 'D', 'N', 'E', 'R'};
// 2: word-vector rows per stage; 3: and topic rows; 4: and a label profile
// per cluster word; 5: and the sentence network with its weights per stage
// (2 to 4 still read).
constexpr uint32_t kVersion = 5;
constexpr size_t kFooterSize = 16;

uint32_t Crc32(std::string_view data) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void PutU16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}
void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutF32(std::string* out, float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  PutU32(out, bits);
}
void PutF32s(std::string* out, const std::vector<float>& v) {
  for (float x : v) PutF32(out, x);
}
void PutString(std::string* out, std::string_view s) {
  PutU16(out, static_cast<uint16_t>(s.size()));
  out->append(s);
}

class Reader;
float GetF32(Reader* r);

// Reads little-endian fields; any read past the end sets `ok` to false.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  size_t remaining() const { return data_.size() - pos_; }
  uint64_t Get(int bytes) {
    if (remaining() < static_cast<size_t>(bytes)) {
      ok_ = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<unsigned char>(data_[pos_ + i])} << (8 * i);
    pos_ += bytes;
    return v;
  }
  std::string GetString() {
    size_t n = Get(2);
    if (remaining() < n) {
      ok_ = false;
      return {};
    }
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

float GetF32(Reader* r) {
  uint32_t bits = static_cast<uint32_t>(r->Get(4));
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

}  // namespace

const char* EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kPer: return "PER";
    case EntityType::kOrg: return "ORG";
    case EntityType::kLoc: return "LOC";
    case EntityType::kMisc: return "MISC";
  }
  return "?";
}

std::optional<EntityType> ParseEntityType(std::string_view name) {
  if (name == "PER" || name == "PERS") return EntityType::kPer;
  if (name == "ORG") return EntityType::kOrg;
  if (name == "LOC") return EntityType::kLoc;
  if (name == "MISC") return EntityType::kMisc;
  return std::nullopt;
}

std::string TagName(Tag tag) {
  if (tag == kOutside || tag >= kNumTags) return "O";
  return std::string(IsBegin(tag) ? "B-" : "I-") + EntityTypeName(TagType(tag));
}

std::optional<Tag> ParseTag(std::string_view name) {
  if (name == "O") return kOutside;
  if (name.size() < 3 || name[1] != '-' || (name[0] != 'B' && name[0] != 'I')) return std::nullopt;
  std::optional<EntityType> t = ParseEntityType(name.substr(2));
  if (!t) return std::nullopt;
  return name[0] == 'B' ? BeginTag(*t) : InsideTag(*t);
}

namespace internal {

void FeatureTable::Build(std::vector<std::pair<uint64_t, WeightRow>> rows) {
  size_t cap = 2;
  while (cap < rows.size() * 2) cap <<= 1;
  slots_.assign(cap, Slot());
  size_ = 0;
  for (const auto& [key, w] : rows) {
    if (key == 0) continue;
    for (size_t i = key & (cap - 1);; i = (i + 1) & (cap - 1)) {
      if (slots_[i].key == 0) {
        slots_[i].key = key;
        slots_[i].w = w;
        ++size_;
        break;
      }
      if (slots_[i].key == key) {
        slots_[i].w = w;
        break;
      }
    }
  }
}

std::vector<std::pair<uint64_t, WeightRow>> FeatureTable::Rows() const {
  std::vector<std::pair<uint64_t, WeightRow>> rows;
  rows.reserve(size_);
  for (const Slot& s : slots_) {
    if (s.key != 0) rows.emplace_back(s.key, s.w);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return rows;
}

namespace {

void Insert(std::vector<ModelData::HashSlot>* table, uint64_t key, uint32_t value, bool merge) {
  if (key == 0) key = 1;
  size_t mask = table->size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    auto& s = (*table)[i];
    if (s.key == 0) {
      s.key = key;
      s.value = value;
      return;
    }
    if (s.key == key) {
      s.value = merge ? (s.value | value) : value;
      return;
    }
  }
}

const ModelData::HashSlot* Lookup(const std::vector<ModelData::HashSlot>& table, uint64_t key) {
  if (key == 0) key = 1;
  size_t mask = table.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    const auto& s = table[i];
    if (s.key == key) return &s;
    if (s.key == 0) return nullptr;
  }
}

size_t Capacity(size_t n) {
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  return cap;
}

}  // namespace

// Phrase hash of every prefix of every entry: types for a whole entry, 0x100
// for a prefix that some longer entry continues.
static void BuildPhraseIndex(const std::vector<GazetteerEntry>& entries, std::vector<ModelData::HashSlot>* index) {
  size_t words = 0;
  for (const auto& e : entries) words += 1 + std::count(e.phrase.begin(), e.phrase.end(), ' ');
  index->assign(entries.empty() ? 0 : Capacity(words), ModelData::HashSlot());
  for (const auto& e : entries) {
    uint64_t h = 0;
    std::string_view rest = e.phrase;
    while (true) {
      size_t sp = rest.find(' ');
      h = ExtendPhraseHash(h, analysis::HashBytes(rest.substr(0, sp)));
      if (sp == std::string_view::npos) {
        Insert(index, h, e.types, true);
        break;
      }
      Insert(index, h, 0x100, true);
      rest.remove_prefix(sp + 1);
    }
  }
}

void ModelData::BuildIndexes() {
  cluster_index.assign(Capacity(clusters.size()), HashSlot());
  for (size_t i = 0; i < clusters.size(); ++i) {
    clusters[i].info.index = static_cast<int32_t>(i);
    Insert(&cluster_index, analysis::HashBytes(clusters[i].word), static_cast<uint32_t>(i), false);
  }
  BuildPhraseIndex(gazetteer, &phrase_index);
  BuildPhraseIndex(listed, &listed_index);
}

const ClusterInfo* ModelData::FindCluster(uint64_t word_hash) const {
  const HashSlot* s = Lookup(cluster_index, word_hash);
  return s ? &clusters[s->value].info : nullptr;
}

uint32_t ModelData::FindPhrase(uint64_t phrase_hash) const {
  const HashSlot* s = Lookup(phrase_index, phrase_hash);
  return s ? s->value : 0;
}

uint32_t ModelData::FindListed(uint64_t phrase_hash) const {
  if (listed_index.empty()) return 0;
  const HashSlot* s = Lookup(listed_index, phrase_hash);
  return s ? s->value : 0;
}

}  // namespace internal

Model::Model(std::unique_ptr<internal::ModelData> data) : data_(std::move(data)) {}
Model::~Model() = default;

size_t Model::num_features() const {
  size_t n = 0;
  for (const auto& st : data_->stages) n += st.features.size();
  return n;
}
size_t Model::num_cluster_words() const { return data_->clusters.size(); }
size_t Model::num_gazetteer_entries() const { return data_->gazetteer.size(); }
size_t Model::num_listed_names() const { return data_->listed.size(); }

std::string Model::Encode() const {
  const internal::ModelData& d = *data_;
  std::string out(kMagic, sizeof kMagic);
  PutU32(&out, kVersion);
  PutU32(&out, d.feature_set);
  PutU32(&out, kNumTags);
  uint32_t scale_bits;
  std::memcpy(&scale_bits, &d.scale, 4);
  PutU32(&out, scale_bits);
  PutU32(&out, static_cast<uint32_t>(d.stages.size()));
  for (const auto& stage : d.stages) {
    for (const auto& row : stage.transitions) {
      for (int32_t v : row) PutU32(&out, static_cast<uint32_t>(v));
    }
    std::vector<std::pair<uint64_t, internal::WeightRow>> rows = stage.features.Rows();
    PutU32(&out, static_cast<uint32_t>(rows.size()));
    for (const auto& [key, w] : rows) {
      PutU64(&out, key);
      for (int16_t v : w) PutU16(&out, static_cast<uint16_t>(v));
    }
    PutU32(&out, static_cast<uint32_t>(stage.word_radius));
    PutU32(&out, static_cast<uint32_t>(stage.word_topic));
    PutU32(&out, static_cast<uint32_t>(stage.word_rows.size()));
    for (int16_t v : stage.word_rows) PutU16(&out, static_cast<uint16_t>(v));
    PutU32(&out, static_cast<uint32_t>(stage.net_weights.size()));
    for (float v : stage.net_weights) PutF32(&out, v);
  }
  PutU32(&out, static_cast<uint32_t>(d.clusters.size()));
  for (const auto& c : d.clusters) {
    PutString(&out, c.word);
    for (uint16_t l : c.info.level) PutU16(&out, l);
    out.push_back(static_cast<char>(c.info.freq));
    out.push_back(static_cast<char>(c.info.profile));
  }
  PutU32(&out, static_cast<uint32_t>(d.gazetteer.size()));
  for (const auto& g : d.gazetteer) {
    PutString(&out, g.phrase);
    out.push_back(static_cast<char>(g.types));
  }
  const internal::TaggerNet& net = d.net;
  PutU32(&out, static_cast<uint32_t>(net.hidden));
  if (!net.empty()) {
    PutU32(&out, static_cast<uint32_t>(net.word_dims));
    PutU32(&out, static_cast<uint32_t>(net.embed_dims));
    PutU32(&out, net.buckets);
    PutU32(&out, internal::kNetHashes);
    PutU32(&out, internal::kNetFlags);
    PutU32(&out, d.net_features ? 1 : 0);
    PutF32(&out, net.words_scale);
    for (int16_t v : net.words_q) PutU16(&out, static_cast<uint16_t>(v));
    PutF32s(&out, net.unknown);
    PutF32(&out, net.embed_scale);
    for (int16_t v : net.embed_q) PutU16(&out, static_cast<uint16_t>(v));
    for (int dir = 0; dir < 2; ++dir) {
      PutF32s(&out, net.wx[dir]);
      PutF32s(&out, net.wh[dir]);
      PutF32s(&out, net.b[dir]);
    }
    PutF32s(&out, net.out_w);
    PutF32s(&out, net.out_b);
  }
  uint32_t crc = Crc32(out);
  PutU32(&out, kVersion);
  PutU32(&out, crc);
  out.append(kMagic, sizeof kMagic);
  return out;
}

namespace {

Result<std::unique_ptr<internal::ModelData>> DecodeData(std::string_view bytes, std::string_view name) {
  std::string prefix(name);
  auto corrupt = [&](std::string_view what) {
    return Status::Corruption(prefix + ": not a valid NER model (" + std::string(what) + ")");
  };
  if (bytes.size() < sizeof kMagic + kFooterSize || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return corrupt("bad magic");
  }
  std::string_view footer = bytes.substr(bytes.size() - kFooterSize);
  if (std::memcmp(footer.data() + 8, kMagic, 8) != 0) return corrupt("bad footer, truncated?");
  Reader f(footer);
  uint32_t version = static_cast<uint32_t>(f.Get(4));
  uint32_t crc = static_cast<uint32_t>(f.Get(4));
  if (version < 2 || version > kVersion) {
    return Status::Unsupported(prefix + ": NER model format version " + std::to_string(version) +
                               ", this rasid reads versions 2 to " + std::to_string(kVersion));
  }
  std::string_view body = bytes.substr(0, bytes.size() - kFooterSize);
  if (Crc32(body) != crc) return corrupt("checksum mismatch");

  auto d = std::make_unique<internal::ModelData>();
  Reader r(body.substr(8));
  if (r.Get(4) != version) return corrupt("header version");
  d->feature_set = static_cast<uint32_t>(r.Get(4));
  // Sets 3 and 4 only add templates (features.h): older models decode as before.
  if (d->feature_set < 2 || d->feature_set > internal::kFeatureSet) {
    return Status::Unsupported(prefix + ": NER model built for feature set " + std::to_string(d->feature_set) +
                               ", this rasid computes feature set " + std::to_string(internal::kFeatureSet));
  }
  if (r.Get(4) != kNumTags) return corrupt("tag count");
  uint32_t scale_bits = static_cast<uint32_t>(r.Get(4));
  std::memcpy(&d->scale, &scale_bits, 4);
  size_t stages = r.Get(4);
  if (!r.ok() || stages < 1 || stages > 2) return corrupt("stage count");
  d->stages.resize(stages);
  for (auto& stage : d->stages) {
    for (auto& row : stage.transitions) {
      for (int32_t& v : row) v = static_cast<int32_t>(static_cast<uint32_t>(r.Get(4)));
    }
    size_t n = r.Get(4);
    if (!r.ok() || n > r.remaining() / (8 + 2 * kNumTags)) return corrupt("feature count");
    std::vector<std::pair<uint64_t, internal::WeightRow>> rows(n);
    for (auto& [key, w] : rows) {
      key = r.Get(8);
      for (int16_t& v : w) v = static_cast<int16_t>(static_cast<uint16_t>(r.Get(2)));
    }
    stage.features.Build(std::move(rows));
    stage.word_radius = static_cast<int32_t>(static_cast<uint32_t>(r.Get(4)));
    stage.word_topic = version >= 3 ? static_cast<int>(r.Get(4)) : 0;
    size_t m = r.Get(4);
    if (!r.ok() || stage.word_radius < -1 || stage.word_radius > internal::kMaxVectorRadius ||
        stage.word_topic < 0 || stage.word_topic > 1 ||
        m > r.remaining() / 2 || (stage.word_radius < 0) != (m == 0)) {
      return corrupt("word rows");
    }
    stage.word_rows.resize(m);
    for (int16_t& v : stage.word_rows) v = static_cast<int16_t>(static_cast<uint16_t>(r.Get(2)));
    if (version >= 5) {
      size_t k = r.Get(4);
      if (!r.ok() || (k != 0 && k != size_t{kNumTags} * kNumTags)) return corrupt("network weights");
      stage.net_weights.resize(k);
      for (float& v : stage.net_weights) v = GetF32(&r);
    }
  }
  size_t n = r.Get(4);
  const size_t cluster_bytes = version >= 4 ? 10 : 9;
  if (!r.ok() || n > r.remaining() / cluster_bytes) return corrupt("cluster count");
  d->clusters.resize(n);
  for (auto& c : d->clusters) {
    c.word = r.GetString();
    for (uint16_t& l : c.info.level) l = static_cast<uint16_t>(r.Get(2));
    c.info.freq = static_cast<uint8_t>(r.Get(1));
    c.info.profile = version >= 4 ? static_cast<uint8_t>(r.Get(1)) : 0;
    if (c.info.profile > internal::kMaxProfile) return corrupt("cluster profile");
  }
  n = r.Get(4);
  if (!r.ok() || n > r.remaining() / 3) return corrupt("gazetteer count");
  d->gazetteer.resize(n);
  for (auto& g : d->gazetteer) {
    g.phrase = r.GetString();
    g.types = static_cast<uint8_t>(r.Get(1));
  }
  internal::TaggerNet& net = d->net;
  if (version >= 5) {
    size_t hidden = r.Get(4);
    if (hidden > 0) {
      net.word_dims = static_cast<int>(r.Get(4));
      net.embed_dims = static_cast<int>(r.Get(4));
      net.buckets = static_cast<uint32_t>(r.Get(4));
      size_t hashes = r.Get(4), flags = r.Get(4), features = r.Get(4);
      if (features > 1) return corrupt("network features");
      d->net_features = features == 1;
      if (!r.ok() || hidden > 256 || hidden % 2 != 0 || net.word_dims < 1 || net.word_dims > 256 || net.embed_dims < 1 ||
          net.embed_dims > 256 || net.buckets < 1 || net.buckets > (1u << 20) || hashes != internal::kNetHashes ||
          flags != internal::kNetFlags) {
        return corrupt("network sizes");
      }
      net.hidden = static_cast<int>(hidden);
      const size_t H = hidden, G = 4 * H, In = net.in_dims(), P = net.word_dims, E = net.embed_dims;
      const size_t floats = P + 2 * (In * G + H * G + G) + 2 * H * kNumTags + kNumTags;
      const size_t shorts = d->clusters.size() * P + size_t{net.buckets} * E;
      if (r.remaining() < 8 + 2 * shorts + 4 * floats) return corrupt("network truncated");
      net.words_scale = GetF32(&r);
      net.words_q.resize(d->clusters.size() * P);
      for (int16_t& v : net.words_q) v = static_cast<int16_t>(static_cast<uint16_t>(r.Get(2)));
      auto floats_of = [&](std::vector<float>* v, size_t n) {
        v->resize(n);
        for (float& x : *v) x = GetF32(&r);
      };
      floats_of(&net.unknown, P);
      net.embed_scale = GetF32(&r);
      net.embed_q.resize(size_t{net.buckets} * E);
      for (int16_t& v : net.embed_q) v = static_cast<int16_t>(static_cast<uint16_t>(r.Get(2)));
      for (int dir = 0; dir < 2; ++dir) {
        floats_of(&net.wx[dir], In * G);
        floats_of(&net.wh[dir], H * G);
        floats_of(&net.b[dir], G);
      }
      floats_of(&net.out_w, 2 * H * kNumTags);
      floats_of(&net.out_b, kNumTags);
      if (!(net.words_scale > 0) || !(net.embed_scale > 0)) return corrupt("network scales");
      net.Finish();
    }
  }
  if (!r.ok()) return corrupt("truncated");
  if (r.remaining() != 0) return corrupt("trailing bytes");
  for (const auto& stage : d->stages) {
    if (!stage.net_weights.empty() && net.empty()) return corrupt("network weights without a network");
  }
  for (const auto& stage : d->stages) {
    if (stage.word_radius >= 0 &&
        stage.word_rows.size() != d->clusters.size() * stage.word_slots() * kNumTags) {
      return corrupt("word rows do not match the cluster words");
    }
  }
  d->BuildIndexes();
  return d;
}

}  // namespace

Result<std::shared_ptr<const Model>> Model::Decode(std::string_view bytes, std::string_view name) {
  Result<std::unique_ptr<internal::ModelData>> d = DecodeData(bytes, name);
  if (!d.ok()) return d.status();
  return std::shared_ptr<const Model>(std::make_shared<Model>(std::move(d.value())));
}

Result<std::shared_ptr<const Model>> Model::Load(const std::string& path, const std::string& names_path) {
  Result<std::string> bytes = ReadFile(path, size_t{256} << 20);
  if (!bytes.ok()) return bytes.status();
  Result<std::unique_ptr<internal::ModelData>> data = DecodeData(bytes.value(), path);
  if (!data.ok()) return data.status();
  if (names_path.empty()) return std::shared_ptr<const Model>(std::make_shared<Model>(std::move(data.value())));
  Result<std::vector<GazetteerName>> names = ReadGazetteer(names_path);
  if (!names.ok()) return names.status();
  Result<std::unique_ptr<analysis::Analyzer>> analyzer = analysis::Analyzer::Create(analysis::AnalyzerOptions());
  if (!analyzer.ok()) return analyzer.status();
  // The same phrases as the gazetteer's: normalised words, the first without
  // its proclitics, so «داعش» also matches «لداعش» and «فداعش».
  std::map<std::string, uint8_t> types;
  std::vector<analysis::AnalyzedToken> tokens;
  for (const GazetteerName& g : names.value()) {
    (*analyzer)->Analyze(g.name, &tokens);
    std::string phrase = internal::GazetteerPhrase(tokens.data(), tokens.size());
    if (phrase.empty()) {
      return Status::InvalidArgument(names_path + ": '" + g.name + "' is not a name of 1 to " +
                                     std::to_string(internal::kMaxGazetteerWords) + " words");
    }
    types[phrase] |= static_cast<uint8_t>(1u << static_cast<int>(g.type));
  }
  internal::ModelData& d = *data.value();
  for (auto& [phrase, t] : types) d.listed.push_back({phrase, t});
  internal::BuildPhraseIndex(d.listed, &d.listed_index);  // the other indexes are built already
  return std::shared_ptr<const Model>(std::make_shared<Model>(std::move(data.value())));
}

std::string Model::DefaultPath() { return analysis::DataDir() + "/ner/model.bin"; }

std::string Model::DefaultNamesPath() {
  std::string path = analysis::DataDir() + "/ner/names.tsv";
  std::error_code ec;
  return std::filesystem::exists(path, ec) ? path : std::string();
}

Result<std::shared_ptr<const Model>> LoadModel(const std::string& path, const std::string& names_path) {
  if (path.empty() && names_path.empty()) return Model::Default();
  return Model::Load(path.empty() ? Model::DefaultPath() : path,
                     names_path.empty() ? Model::DefaultNamesPath() : names_path == "none" ? "" : names_path);
}

Result<std::shared_ptr<const Model>> Model::Default() {
  static std::mutex mu;
  static std::shared_ptr<const Model> cached;
  std::lock_guard<std::mutex> lock(mu);
  if (cached) return cached;
  Result<std::shared_ptr<const Model>> r = Load(DefaultPath(), DefaultNamesPath());
  if (r.ok()) cached = r.value();
  return r;
}

}  // namespace rasid::ner
