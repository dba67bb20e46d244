// Named entities in Arabic news: people, organisations, places and the rest.
//
//   auto model = *ner::Model::Default();           // data/ner/model.bin
//   ner::Recognizer recognizer(model);              // one per thread
//   analyzer.Analyze(text, &tokens);                // default AnalyzerOptions
//   std::vector<ner::Mention> mentions = recognizer.Recognize(tokens, text);
//   std::vector<ner::Entity> entities = ner::GroupMentions(&mentions);
//
// The recogniser is an averaged structured perceptron over BIO tags with
// first-order Viterbi decoding; features come from the analysis chain (norm,
// stem, clitics), affixes, shape, neighbouring words, gazetteers and word
// clusters learnt from unlabelled news, all stored in one model file
// (docs/format/ner-model.md, docs/ner.md). Training: rasid/ner/train.h.
//
// Integration (rasid extract, the index) needs only: an Analyzer with default
// options, Recognizer::Recognize on its tokens, GroupMentions for the
// per-document entities, and FindQuotes (quotes.h) for who said what.
//
// Thread safety: a Model is immutable and shared; a Recognizer holds scratch
// space and is used by one thread at a time.
#ifndef RASID_NER_NER_H_
#define RASID_NER_NER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rasid/analysis/analyzer.h"
#include "rasid/base/status.h"

namespace rasid::ner {

enum class EntityType : uint8_t { kPer = 0, kOrg = 1, kLoc = 2, kMisc = 3 };
inline constexpr int kNumTypes = 4;

// "PER", "ORG", "LOC", "MISC".
const char* EntityTypeName(EntityType type);
// Accepts the names above and ANERcorp's "PERS"; nullopt otherwise.
std::optional<EntityType> ParseEntityType(std::string_view name);

// BIO tags as small integers: 0 is O, 1 + 2t is B-t and 2 + 2t is I-t for
// the EntityType t.
using Tag = uint8_t;
inline constexpr int kNumTags = 1 + 2 * kNumTypes;
inline constexpr Tag kOutside = 0;
inline constexpr Tag BeginTag(EntityType t) { return static_cast<Tag>(1 + 2 * static_cast<int>(t)); }
inline constexpr Tag InsideTag(EntityType t) { return static_cast<Tag>(2 + 2 * static_cast<int>(t)); }
inline constexpr EntityType TagType(Tag tag) { return static_cast<EntityType>((tag - 1) / 2); }
inline constexpr bool IsBegin(Tag tag) { return tag != kOutside && tag % 2 == 1; }
// "O", "B-PER", "I-LOC" ...
std::string TagName(Tag tag);
// Accepts the names above, and PERS for PER; nullopt otherwise.
std::optional<Tag> ParseTag(std::string_view name);

namespace internal {
struct ModelData;
}

// A trained model: feature weights, transition scores, word clusters and
// gazetteers. Immutable after loading; share it between threads.
class Model {
 public:
  // Reads a model file; Corruption when it is damaged (bad magic, CRC,
  // truncated), Unsupported for another format version. With `names_path`
  // (a list TYPE<TAB>name[<TAB>note], like data/ner/names.tsv), the listed
  // names are tagged as their type wherever the model leaves them O or
  // tags exactly them as another type (Recognizer::Tag); the list is not
  // part of the model file, so it can be edited without retraining.
  static Result<std::shared_ptr<const Model>> Load(const std::string& path, const std::string& names_path = "");
  // Decodes the bytes of a model file; `name` is used in error messages.
  static Result<std::shared_ptr<const Model>> Decode(std::string_view bytes, std::string_view name);
  // DataDir()/ner/model.bin with DefaultNamesPath(), loaded once per process.
  static Result<std::shared_ptr<const Model>> Default();
  // The path Default() loads.
  static std::string DefaultPath();
  // DataDir()/ner/names.tsv if that file exists, else "".
  static std::string DefaultNamesPath();

  explicit Model(std::unique_ptr<internal::ModelData> data);
  ~Model();
  // The bytes of the model file (deterministic for equal models).
  std::string Encode() const;

  const internal::ModelData& data() const { return *data_; }
  size_t num_features() const;
  size_t num_cluster_words() const;
  size_t num_gazetteer_entries() const;
  size_t num_listed_names() const;  // phrases of the name list (Load's names_path)

 private:
  std::unique_ptr<internal::ModelData> data_;
};

// For command lines: Model::Default() when both are empty, else the model at
// `path` (empty: Model::DefaultPath()) with the name list at `names_path`
// (empty: Model::DefaultNamesPath(); "none": no list).
Result<std::shared_ptr<const Model>> LoadModel(const std::string& path, const std::string& names_path);

// A run of tokens recognised as one entity.
struct Mention {
  EntityType type = EntityType::kPer;
  uint32_t first_token = 0;  // tokens [first_token, end_token) of the input
  uint32_t end_token = 0;
  uint32_t start = 0;        // byte span of those tokens in the text
  uint32_t end = 0;
  uint32_t name_start = 0;   // first byte of the name: after و ف ب ك ل (لترامب -> ترامب)
  // The name as a reader writes it: the span without leading conjunctions and
  // prepositions, without diacritics and tatweel (للحكومة -> الحكومة).
  std::string name;
  int entity = -1;           // index into the entities of GroupMentions, -1 before
};

// One entity of a document: its mentions and its canonical name, the fullest
// mention («ترامب», «لترامب» and «دونالد ترامب» -> «دونالد ترامب»).
struct Entity {
  EntityType type = EntityType::kPer;
  std::string name;
  std::vector<uint32_t> mentions;  // indices into the mention list, in text order
};

class Recognizer {
 public:
  explicit Recognizer(std::shared_ptr<const Model> model);
  ~Recognizer();

  // One tag per token of `tokens` (from an Analyzer with default options over
  // `text`; punctuation tokens must be present): the tokens of one document.
  // Each sentence (token.sentence) is decoded on its own, the second stage
  // sees what the first found in the whole document, and a word sequence
  // tagged as a PER, ORG or LOC mention is then tagged the same wherever it
  // was left O in the document (one sense per document); the result is
  // always well-formed BIO.
  void Tag(const std::vector<analysis::AnalyzedToken>& tokens, std::string_view text,
           std::vector<Tag>* tags);
  // Tag, then MentionsFromTags.
  std::vector<Mention> Recognize(const std::vector<analysis::AnalyzedToken>& tokens,
                                 std::string_view text);

  const Model& model() const { return *model_; }

 private:
  // The document-level stage over the stage-1 tags in *tags.
  void SecondStage(const std::vector<analysis::AnalyzedToken>& tokens, std::vector<ner::Tag>* tags);

  std::shared_ptr<const Model> model_;
  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

// The mentions of a tag sequence (one tag per token).
std::vector<Mention> MentionsFromTags(const std::vector<analysis::AnalyzedToken>& tokens,
                                      std::string_view text, const std::vector<Tag>& tags);

// Groups the mentions of one document into entities and sets Mention::entity.
// A mention joins an entity of the same type whose fullest name contains it as
// whole words («ترامب» in «دونالد ترامب»); shorter mentions are attached after
// longer ones, so the canonical name is the fullest mention. Entities come in
// the order of their first mention.
std::vector<Entity> GroupMentions(std::vector<Mention>* mentions);

// Analyses pre-split words (CoNLL input) as units: *text becomes the words
// joined by single spaces (a line break between sentences), and each unit
// spans its word exactly and carries the analysis of its first word-like
// token (the first token when none), so "(د" is analysed as د. Units are
// numbered by sentence (token.sentence). Pass the sentences of one document
// together: Recognizer::Tag looks at the whole document.
void AnalyzeSentences(analysis::Analyzer* analyzer, const std::vector<std::vector<std::string>>& sentences,
                      std::string* text, std::vector<analysis::AnalyzedToken>* units);
// AnalyzeSentences of one sentence.
void AnalyzeWords(analysis::Analyzer* analyzer, const std::vector<std::string>& words,
                  std::string* text, std::vector<analysis::AnalyzedToken>* units);

}  // namespace rasid::ner

#endif  // RASID_NER_NER_H_
