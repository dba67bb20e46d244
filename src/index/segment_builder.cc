// SegmentBuilder: inverts analysed documents in memory and writes a segment.
#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <cmath>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <thread>

#include "rasid/index/coding.h"
#include "rasid/index/segment.h"
#include "segment_format.h"

namespace rasid::index {

namespace {
// A term's in-memory postings: a growable byte array with an inline varint
// append (the builder's hottest write: a std::string's per-byte push_back
// cost more).
class PostingBytes {
 public:
  uint32_t size() const { return size_; }
  // Where the next bytes go (for a prefetch).
  const char* end() const { return data_.get() + size_; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }
  void Varint(uint32_t v) {
    if (cap_ - size_ < 5) Grow();
    char* p = data_.get() + size_;
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    size_ = static_cast<uint32_t>(p - data_.get());
  }

 private:
  void Grow() {
    uint32_t cap = cap_ == 0 ? 16 : cap_ * 2;
    std::unique_ptr<char[]> bigger(new char[cap]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    cap_ = cap;
  }
  std::unique_ptr<char[]> data_;
  uint32_t size_ = 0, cap_ = 0;
};
}  // namespace

// A term's postings being built (what Invert touches, in one cache line:
// a term is reached at random, once or more per document).
struct alignas(64) SegmentBuilder::TermPostings {
  // Per doc: doc delta, wfreq, npos, position deltas (varints); for a stem,
  // each position delta is followed by its variant code.
  PostingBytes bytes;
  uint32_t last_doc = kNoMoreDocs;
  uint32_t df = 0;
  // The document being added.
  uint32_t cur_doc = kNoMoreDocs;
  uint32_t cur_title = 0, cur_body = 0, cur_npos = 0, cur_last_pos = 0;
};

// A term of the dictionary (what Analyze finds and makes).
struct SegmentBuilder::TermEntry {
  std::string_view key;  // in the builder's arena
  // A stem: its variants (indices in variants_), in order of first sight.
  std::vector<uint32_t> variants;
  bool is_stem = false;
  // A stop word's term (or the stem of one): written without positions,
  // codes or variant table (docs/format/segment.md, "Positionless terms").
  bool positionless = false;
};

static_assert(kBlockSize == kMaxPackedRun, "a full postings block is one packed run");

namespace {
constexpr uint32_t kKeywordPos = 0xFFFFFFFFu;
constexpr uint32_t kNoCode = 0xFFFFFFFFu;  // the occurrence of a term that is not a stem
// A thread joined at the latest when it goes out of scope.
class JoiningThread {
 public:
  template <typename Fn>
  explicit JoiningThread(Fn fn) : t_(std::move(fn)) {}
  ~JoiningThread() { Join(); }
  void Join() {
    if (t_.joinable()) t_.join();
  }

 private:
  std::thread t_;
};

// A varint of the builder's own postings stream (well formed: no checks).
inline uint32_t BuilderVarint(const unsigned char** p) {
  uint32_t v = *(*p)++;
  if (v < 0x80) return v;
  v &= 0x7F;
  for (int shift = 7;; shift += 7) {
    const uint32_t b = *(*p)++;
    v |= (b & 0x7F) << shift;
    if (b < 0x80) return v;
  }
}
constexpr size_t kChunkRawBytes = 48 * 1024;
constexpr int kZstdLevel = 3;
constexpr uint32_t kMaxTitlePositions = 60000;
}  // namespace

analysis::AnalyzerOptions IndexAnalyzerOptions() {
  analysis::AnalyzerOptions o;
  o.normalize = analysis::NormalizeOptions::Search();
  o.roots = false;
  o.punctuation = false;
  o.drop_stopwords = false;
  return o;
}

namespace {
// The tokens that get a position in the index: words and numbers with a
// non-empty norm.
bool TakesPosition(const analysis::AnalyzedToken& t) {
  return t.token.kind != analysis::TokenKind::kPunct && t.token.kind != analysis::TokenKind::kSymbol &&
         t.len[1] != 0;
}
}  // namespace

std::string VariantKey(std::string_view stem, std::string_view norm) {
  std::string key(1, kVariantSpace);
  key.append(stem);
  key.push_back('\0');
  key.append(norm);
  return key;
}

std::string HighlightKey(std::string_view key) {
  if (key.empty() || key[0] != kVariantSpace) return std::string(key);
  size_t zero = key.find('\0');
  return std::string(1, kExactSpace) +
         std::string(zero == std::string_view::npos ? key.substr(1) : key.substr(zero + 1));
}

void SegmentBuilder::ZstdFree::operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }

SegmentBuilder::SegmentBuilder() = default;
SegmentBuilder::~SegmentBuilder() = default;

std::string_view SegmentBuilder::Keep(std::string_view s) {
  if (arena_used_ + s.size() > arena_size_) {
    arena_size_ = std::max<size_t>(size_t{1} << 20, s.size());
    arena_.emplace_back(new char[arena_size_]);
    arena_used_ = 0;
  }
  char* p = arena_.back().get() + arena_used_;
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  arena_used_ += s.size();
  arena_bytes_ += s.size();
  return std::string_view(p, s.size());
}

namespace {
// Doubles an open-addressing table (hash, term) when it is half full.
template <typename Slot>
void GrowSlots(std::vector<Slot>* slots, size_t used) {
  if (used * 2 <= slots->size()) return;
  std::vector<Slot> bigger(slots->size() * 2);
  const size_t m = bigger.size() - 1;
  for (const Slot& t : *slots) {
    if (t.term == 0xFFFFFFFFu) continue;
    size_t j = t.hash & m;
    while (bigger[j].term != 0xFFFFFFFFu) j = (j + 1) & m;
    bigger[j] = t;
  }
  slots->swap(bigger);
}
}  // namespace

uint32_t SegmentBuilder::TermIndex(std::string_view key) {
  if (term_slots_.empty()) {
    term_slots_.resize(1 << 16);
    terms_.reserve(1 << 20);  // address space only until used
  }
  uint64_t h = analysis::HashBytes(key);
  size_t mask = term_slots_.size() - 1;
  size_t i = h & mask;
  for (; term_slots_[i].term != 0xFFFFFFFFu; i = (i + 1) & mask) {
    const TermSlot& t = term_slots_[i];
    if (t.hash == h && t.length == key.size() && std::memcmp(t.key, key.data(), key.size()) == 0) return t.term;
  }
  uint32_t idx = static_cast<uint32_t>(terms_.size());
  terms_.emplace_back();
  terms_.back().key = Keep(key);
  terms_.back().is_stem = !key.empty() && key[0] == kStemSpace;
  term_slots_[i] = TermSlot{h, terms_.back().key.data(), static_cast<uint32_t>(key.size()), idx, 0};
  GrowSlots(&term_slots_, terms_.size());
  return idx;
}

uint32_t SegmentBuilder::VariantIndex(uint32_t stem, std::string_view norm) {
  if (variant_slots_.empty()) variant_slots_.resize(1 << 16);
  uint64_t h = analysis::HashBytes(norm) ^ (uint64_t{stem} * 0x9E3779B97F4A7C15ULL);
  size_t mask = variant_slots_.size() - 1;
  size_t i = h & mask;
  for (; variant_slots_[i].term != 0xFFFFFFFFu; i = (i + 1) & mask) {
    const TermSlot& s = variant_slots_[i];
    if (s.hash == h && s.stem == stem && s.length == norm.size() && std::memcmp(s.key, norm.data(), norm.size()) == 0)
      return s.term;
  }
  const uint32_t idx = static_cast<uint32_t>(variants_.size());
  TermEntry& st = terms_[stem];
  const std::string_view kept = Keep(norm);
  variants_.push_back(Variant{stem, static_cast<uint32_t>(st.variants.size()), kept});
  st.variants.push_back(idx);
  variant_slots_[i] = TermSlot{h, kept.data(), static_cast<uint32_t>(kept.size()), idx, stem};
  GrowSlots(&variant_slots_, variants_.size());
  return idx;
}

SegmentBuilder::TokenSlot SegmentBuilder::TokenTermsSlow(const analysis::AnalyzedToken& t) {
  TokenSlot slot;
  std::string key;
  if (t.token.kind == analysis::TokenKind::kArabic && !t.stem().empty()) {
    key.push_back(kStemSpace);
    key.append(t.stem());
    slot.stem = TermIndex(key);
    // The variant, found by stem and form (one form has one stem, but
    // keying by both keeps codes right whatever the analysis does).
    slot.exact = VariantIndex(slot.stem, t.norm());
    slot.code = variants_[slot.exact].code;
    if (t.stopword) terms_[slot.stem].positionless = true;
  } else {
    key.push_back(kExactSpace);
    key.append(t.norm());
    slot.exact = TermIndex(key);
    if (t.stopword) terms_[slot.exact].positionless = true;
  }
  return slot;
}

uint16_t SegmentBuilder::Ordinal(std::vector<std::string>* names,
                                 std::unordered_map<std::string, uint16_t>* map, std::string_view value) {
  if (value.empty()) return 0;
  auto it = map->find(std::string(value));
  if (it != map->end()) return it->second;
  if (names->size() >= 0xFFFF) return 0;  // more distinct values than a segment records
  uint16_t ord = static_cast<uint16_t>(names->size());
  names->emplace_back(value);
  map->emplace(std::string(value), ord);
  return ord;
}

uint32_t SegmentBuilder::live_count() const {
  return static_cast<uint32_t>(std::count(deleted_.begin(), deleted_.end(), false));
}

size_t SegmentBuilder::memory_bytes() const {
  // Postings bytes, per-term overhead, stored bytes and per-doc vectors.
  return postings_bytes_.load(std::memory_order_relaxed) + stored_bytes_.load(std::memory_order_relaxed) +
         terms_.size() * (sizeof(TermEntry) + sizeof(TermPostings) + 2 * sizeof(TermSlot)) +
         variants_.size() * (sizeof(Variant) + 2 * sizeof(TermSlot) + 4) + arena_bytes_ +
         values_.size() * (sizeof(DocValues) + 48);
}

void SegmentBuilder::StoreDocument(const Document& doc, uint32_t local) {
  if (raw_chunk_.empty()) chunk_first_doc_ = local;
  std::string& r = raw_chunk_;
  size_t start = r.size();
  PutFixed32(&r, 0);  // record length, patched below
  for (const std::string* f :
       {&doc.id, &doc.title, &doc.text, &doc.date, &doc.source, &doc.url, &doc.category, &doc.author}) {
    PutBytes(&r, *f);
  }
  PutVarint(&r, std::min(doc.indexed_text_bytes, doc.text.size()));
  PutVarint(&r, doc.extra.size());
  for (const auto& [k, v] : doc.extra) {
    PutBytes(&r, k);
    PutBytes(&r, v);
  }
  PutVarint(&r, doc.keywords.size());
  for (const std::string& k : doc.keywords) PutBytes(&r, k);
  uint32_t len = static_cast<uint32_t>(r.size() - start - 4);
  std::memcpy(&r[start], &len, 4);
  if (r.size() >= kChunkRawBytes) FlushChunk();
}

void SegmentBuilder::FlushChunk() {
  if (raw_chunk_.empty()) return;
  const size_t bound = ZSTD_compressBound(raw_chunk_.size());
  if (compress_buffer_.size() < bound) compress_buffer_.resize(bound);
  // One compression context for all chunks: a fresh one per chunk would
  // allocate and clear its tables every time.
  if (zstd_ == nullptr) zstd_.reset(ZSTD_createCCtx());
  size_t n = zstd_ != nullptr ? ZSTD_compressCCtx(zstd_.get(), compress_buffer_.data(), bound, raw_chunk_.data(),
                                                  raw_chunk_.size(), kZstdLevel)
                              : ZSTD_compress(compress_buffer_.data(), bound, raw_chunk_.data(), raw_chunk_.size(),
                                              kZstdLevel);
  // Compressing into a ZSTD_compressBound-sized buffer does not fail but
  // for lack of memory, which rasid does not survive anyway.
  assert(!ZSTD_isError(n));
  PutFixed32(&chunk_table_, chunk_first_doc_);
  PutFixed64(&chunk_table_, stored_total_);
  PutFixed32(&chunk_table_, static_cast<uint32_t>(n));
  PutFixed32(&chunk_table_, static_cast<uint32_t>(raw_chunk_.size()));
  stored_.emplace_back(compress_buffer_.data(), n);
  stored_total_ += n;
  ++n_chunks_;
  raw_chunk_.clear();
}

uint32_t SegmentBuilder::Add(const Document& doc, uint64_t seq, analysis::Analyzer* analyzer) {
  Analyze(doc, seq, analyzer, &scratch_);
  Invert(doc, scratch_);
  return scratch_.local;
}

uint32_t SegmentBuilder::Analyze(const Document& doc, uint64_t seq, analysis::Analyzer* analyzer,
                                 Analyzed* out) {
  const uint32_t local = static_cast<uint32_t>(values_.size());
  std::vector<Occurrence>& occ = out->occ;
  occ.clear();
  uint32_t pos = 0;
  uint32_t title_words = 0, body_words = 0;
  auto index_tokens = [&](std::string_view text, uint32_t max_positions, uint32_t* words) {
    analyzer->Analyze(text, &tokens_);
    if (analyzer != token_analyzer_ || analyzer->reset_generation() != token_reset_) {
      // Another analyzer, or its cache was emptied: its word numbers start
      // again.
      token_analyzer_ = analyzer;
      token_reset_ = analyzer->reset_generation();
      words_.clear();
    }
    if (words_.size() <= analyzer->words_seen()) words_.resize(size_t{analyzer->words_seen()} + 1);
    for (const auto& t : tokens_) {
      if (!TakesPosition(t)) continue;
      if (*words >= max_positions) break;
      TokenSlot ts;
      if (t.word != 0) {
        TokenSlot& w = words_[t.word];
        if (w.exact == 0xFFFFFFFFu) w = TokenTermsSlow(t);
        ts = w;
      } else {
        ts = TokenTermsSlow(t);
      }
      // A word with a stem: one occurrence of the stem, coded with the
      // word's exact form (the form's counts are taken at Write).
      occ.push_back(ts.stem != 0xFFFFFFFFu ? Occurrence{ts.stem, pos, ts.code}
                                           : Occurrence{ts.exact, pos, kNoCode});
      ++pos;
      ++*words;
    }
  };
  index_tokens(doc.title, kMaxTitlePositions, &title_words);
  const uint32_t title_positions = pos;
  pos += kTitleGap;
  std::string_view body(doc.text);
  body = body.substr(0, std::min(doc.indexed_text_bytes, body.size()));
  index_tokens(body, 0xFFFFFFFFu, &body_words);

  // Keyword terms (no positions; frequency 1).
  if (!doc.source.empty()) occ.push_back({TermIndex(KeywordTerm('s', doc.source)), kKeywordPos, kNoCode});
  if (!doc.category.empty()) occ.push_back({TermIndex(KeywordTerm('c', doc.category)), kKeywordPos, kNoCode});
  if (!doc.author.empty()) occ.push_back({TermIndex(KeywordTerm('a', doc.author)), kKeywordPos, kNoCode});
  for (const std::string& k : doc.keywords) {
    std::string term(1, kKeywordSpace);
    term += k;
    uint32_t t = TermIndex(term);
    // A keyword given twice is one occurrence.
    bool seen = false;
    for (auto it = occ.rbegin(); it != occ.rend() && it->position == kKeywordPos; ++it) seen |= it->term == t;
    if (!seen) occ.push_back({t, kKeywordPos, kNoCode});
  }
  out->local = local;
  out->title_positions = title_positions;
  out->terms = static_cast<uint32_t>(terms_.size());

  DocValues v;
  v.date_days = ParseDateDays(doc.date);
  v.source = Ordinal(&sources_, &source_map_, doc.source);
  v.category = Ordinal(&categories_, &category_map_, doc.category);
  v.length = kTitleWeight * title_words + body_words;
  v.title_positions = static_cast<uint16_t>(title_positions);
  values_.push_back(v);
  sum_length_ += v.length;
  ids_.push_back(doc.id);
  seqs_.push_back(seq);
  deleted_.push_back(false);
  auto [it, inserted] = id_to_doc_.emplace(doc.id, local);
  if (!inserted) {
    deleted_[it->second] = true;
    it->second = local;
  }
  return local;
}

void SegmentBuilder::Invert(const Document& doc, const Analyzed& a) {
  const uint32_t local = a.local;
  const uint32_t title_positions = a.title_positions;
  if (postings_.size() < a.terms) {
    if (postings_.capacity() == 0) postings_.reserve(1 << 20);  // address space only until used
    postings_.resize(std::max<size_t>(a.terms, postings_.size() * 2));
  }
  const std::vector<Occurrence>& occ = a.occ;
  size_t added = 0;
  // Pass 1: count occurrences per term (title and body apart); pass 2: the
  // posting header of each term of the document; pass 3: positions, which
  // come in increasing order per term.
  // The terms are spread over a large table: their lines are fetched a few
  // occurrences ahead, and the ends of their postings a few terms ahead.
  // (The end of a term's postings is written in pass 2: its line is asked
  // for when pass 1 first meets the term.)
  constexpr size_t kAhead = 16;
  touched_.clear();
  const size_t n_occ = occ.size();
  for (size_t i = 0; i < n_occ; ++i) {
    if (i + kAhead < n_occ) __builtin_prefetch(&postings_[occ[i + kAhead].term]);
    const Occurrence& o = occ[i];
    TermPostings& tb = postings_[o.term];
    if (tb.cur_doc != local) {
      __builtin_prefetch(tb.bytes.end(), 1);
      tb.cur_doc = local;
      tb.cur_title = tb.cur_body = tb.cur_npos = 0;
      tb.cur_last_pos = 0;
      touched_.push_back(o.term);
    }
    if (o.position == kKeywordPos) {
      ++tb.cur_body;
    } else {
      ++tb.cur_npos;
      ++(o.position < title_positions ? tb.cur_title : tb.cur_body);
    }
  }
  const size_t n_touched = touched_.size();
  for (size_t i = 0; i < n_touched; ++i) {
    TermPostings& tb = postings_[touched_[i]];
    size_t before = tb.bytes.size();
    tb.bytes.Varint(tb.last_doc == kNoMoreDocs ? local : local - tb.last_doc - 1);
    tb.bytes.Varint(kTitleWeight * tb.cur_title + tb.cur_body);
    tb.bytes.Varint(tb.cur_npos);
    added += tb.bytes.size() - before;
    tb.last_doc = local;
    ++tb.df;
  }
  for (const Occurrence& o : occ) {
    if (o.position == kKeywordPos) continue;
    TermPostings& tb = postings_[o.term];
    size_t before = tb.bytes.size();
    tb.bytes.Varint(o.position - tb.cur_last_pos);
    if (o.code != kNoCode) tb.bytes.Varint(o.code);
    tb.cur_last_pos = o.position;
    added += tb.bytes.size() - before;
  }

  StoreDocument(doc, local);
  postings_bytes_.fetch_add(added, std::memory_order_relaxed);
  stored_bytes_.store(stored_total_ + raw_chunk_.size(), std::memory_order_relaxed);
}

namespace {

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(path + ": write failed: " + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Writes parts one after the other with writev (up to IOV_MAX at a time),
// without copying them together first.
Status WriteGathered(int fd, const std::vector<std::string_view>& parts, const std::string& path) {
  std::vector<iovec> iov;
  iov.reserve(parts.size());
  for (std::string_view p : parts) {
    if (!p.empty()) iov.push_back(iovec{const_cast<char*>(p.data()), p.size()});
  }
  size_t at = 0;
  while (at < iov.size()) {
    const int n = static_cast<int>(std::min<size_t>(iov.size() - at, IOV_MAX));
    ssize_t wrote = ::writev(fd, &iov[at], n);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(path + ": write failed: " + std::strerror(errno));
    }
    // Skip what was written: whole parts, then the front of a part.
    auto left = static_cast<size_t>(wrote);
    while (at < iov.size() && left >= iov[at].iov_len) left -= iov[at++].iov_len;
    if (left > 0) {
      iov[at].iov_base = static_cast<char*>(iov[at].iov_base) + left;
      iov[at].iov_len -= left;
    }
  }
  return Status::Ok();
}

}  // namespace

Status WriteFileDurably(const std::string& path, const std::vector<std::string_view>& parts) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(path + ": cannot create: " + std::strerror(errno));
  Status st;
  for (std::string_view p : parts) {
    st = WriteAll(fd, p, path);
    if (!st.ok()) break;
  }
  if (st.ok() && ::fsync(fd) != 0) st = Status::IOError(path + ": fsync failed: " + std::strerror(errno));
  if (::close(fd) != 0 && st.ok()) st = Status::IOError(path + ": close failed: " + std::strerror(errno));
  return st;
}

void SegmentBuilder::EncodeTerms(const uint32_t* ids, size_t n_terms, const AffixIds& affix_id,
                                 Encoded* out) const {
  std::string& post = out->post;
  std::string& posi = out->posi;
  std::string data, table;
  std::vector<std::array<uint32_t, kSkipFields>> skip_entries;
  std::vector<uint32_t> docs, freqs, npos, flat, codes, rank;
  std::vector<uint32_t> by_count;
  std::vector<uint64_t> var_count;
  std::vector<uint32_t> var_df, var_last;
  uint32_t run[kBlockSize];
  out->places.reserve(n_terms);
  for (size_t ti = 0; ti < n_terms; ++ti) {
    // The records of the terms a few ahead, then their streams.
    if (ti + 4 < n_terms) {
      __builtin_prefetch(&postings_[ids[ti + 4]]);
      __builtin_prefetch(&terms_[ids[ti + 4]]);
    }
    if (ti + 2 < n_terms) __builtin_prefetch(postings_[ids[ti + 2]].bytes.view().data());
    const TermEntry& t = terms_[ids[ti]];
    const TermPostings& tp = postings_[ids[ti]];
    out->places.push_back({post.size(), posi.size()});
    // A stem's variant table: its exact forms, the most frequent first
    // (codes are ranks in this order).
    table.clear();
    const bool with_positions = !t.positionless;
    const bool coded = with_positions && t.is_stem && t.variants.size() > 1;
    // Decode the in-memory stream: documents, frequencies, positions, and
    // a stem's variant codes (numbers in order of first sight).
    docs.clear();
    freqs.clear();
    npos.clear();
    flat.clear();
    codes.clear();
    const std::string_view stream = tp.bytes.view();
    const auto* p = reinterpret_cast<const unsigned char*>(stream.data());
    const auto* const end = p + stream.size();
    uint32_t doc = kNoMoreDocs;
    while (p < end) {
      uint32_t delta = BuilderVarint(&p);
      doc = (doc == kNoMoreDocs) ? delta : doc + delta + 1;
      docs.push_back(doc);
      freqs.push_back(BuilderVarint(&p));
      uint32_t n = BuilderVarint(&p);
      npos.push_back(n);
      for (uint32_t k = 0; k < n; ++k) {
        flat.push_back(BuilderVarint(&p));
        if (t.is_stem) {
          const uint32_t code = BuilderVarint(&p);
          if (coded) codes.push_back(code);
        }
      }
    }
    if (t.is_stem && with_positions) {
      // Each variant's occurrences and documents, from the codes.
      var_count.assign(t.variants.size(), 0);
      var_df.assign(t.variants.size(), 0);
      if (coded) {
        var_last.assign(t.variants.size(), kNoMoreDocs);
        size_t at = 0;
        for (size_t i = 0; i < docs.size(); ++i) {
          for (uint32_t k = 0; k < npos[i]; ++k, ++at) {
            const uint32_t c = codes[at];
            ++var_count[c];
            if (var_last[c] != docs[i]) {
              var_last[c] = docs[i];
              ++var_df[c];
            }
          }
        }
      } else {
        var_count[0] = flat.size();
        var_df[0] = static_cast<uint32_t>(docs.size());
      }
      // The variant table: the stem's exact forms, the most frequent first
      // (codes are ranks in this order).
      by_count.resize(t.variants.size());
      for (uint32_t c = 0; c < by_count.size(); ++c) by_count[c] = c;
      std::sort(by_count.begin(), by_count.end(), [&](uint32_t a, uint32_t b) {
        if (var_count[a] != var_count[b]) return var_count[a] > var_count[b];
        return variants_[t.variants[a]].norm < variants_[t.variants[b]].norm;
      });
      rank.assign(t.variants.size(), 0);
      std::string_view stem = t.key.substr(1);
      PutVarint(&table, by_count.size());
      for (size_t r = 0; r < by_count.size(); ++r) {
        const uint32_t c = by_count[r];
        rank[c] = static_cast<uint32_t>(r);
        std::string_view norm = variants_[t.variants[c]].norm;
        PutVarint(&table, var_df[c]);
        size_t at = stem.empty() ? std::string_view::npos : norm.find(stem);
        if (at == std::string_view::npos) {
          PutVarint(&table, 0);  // the stem is not in the form: the form itself
          PutBytes(&table, norm);
        } else {
          PutVarint(&table, affix_id.at(norm.substr(0, at)) + 1);
          PutVarint(&table, affix_id.at(norm.substr(at + stem.size())));
        }
      }
      if (coded) {
        for (uint32_t& c : codes) c = rank[c];
      }
    }
    PutVarint(&posi, table.size());
    posi += table;
    const uint64_t blocks_base = posi.size();
    const uint32_t n_blocks = static_cast<uint32_t>((docs.size() + kBlockSize - 1) / kBlockSize);
    skip_entries.clear();
    data.clear();
    uint32_t prev_doc = kNoMoreDocs;
    size_t flat_at = 0;
    for (uint32_t b = 0; b < n_blocks; ++b) {
      size_t lo = b * kBlockSize, hi = std::min<size_t>(docs.size(), lo + kBlockSize);
      const size_t n = hi - lo;
      uint32_t data_off = static_cast<uint32_t>(data.size());
      uint32_t pos_off = static_cast<uint32_t>(posi.size() - blocks_base);
      uint32_t max_freq = 0, min_len = 0xFFFFFFFFu;
      for (size_t i = lo; i < hi; ++i) {
        max_freq = std::max(max_freq, freqs[i]);
        min_len = std::min(min_len, values_[docs[i]].length);
      }
      // Every block is packed runs: document gaps, frequencies - 1; the
      // position counts (as freq - npos), the codes of the block's positions
      // (a stem with several variants), every position delta.
      for (size_t i = lo; i < hi; ++i) {
        run[i - lo] = prev_doc == kNoMoreDocs ? docs[i] : docs[i] - prev_doc - 1;
        prev_doc = docs[i];
      }
      PutPackedRun(&data, run, n);
      for (size_t i = lo; i < hi; ++i) run[i - lo] = freqs[i] - 1;
      PutPackedRun(&data, run, n);
      size_t block_positions = 0;
      for (size_t i = lo; i < hi; ++i) block_positions += npos[i];
      // Position counts as freq - npos: the title occurrences (a title
      // occurrence weighs kTitleWeight = 2 in freq), mostly 0.
      static_assert(kTitleWeight == 2, "npos = freq - title occurrences");
      for (size_t i = lo; i < hi; ++i) run[i - lo] = freqs[i] - npos[i];
      PutPackedRun(&posi, run, n);
      if (coded) {
        for (size_t k = 0; k < block_positions; k += kMaxPackedRun) {
          PutPackedRun(&posi, codes.data() + flat_at + k, std::min(kMaxPackedRun, block_positions - k));
        }
      }
      for (size_t k = 0; with_positions && k < block_positions; k += kMaxPackedRun) {
        PutPackedRun(&posi, flat.data() + flat_at + k, std::min(kMaxPackedRun, block_positions - k));
      }
      flat_at += block_positions;
      skip_entries.push_back({docs[hi - 1], data_off, pos_off, max_freq, min_len});
    }
    PutVarint(&post, n_blocks);
    if (n_blocks > 1) {
      // The skip table: each field as wide (1-4 bytes) as its largest value.
      uint32_t widths[kSkipFields];
      uint16_t desc = 0;
      for (size_t f = 0; f < kSkipFields; ++f) {
        uint32_t max = 0;
        for (const auto& e : skip_entries) max = std::max(max, e[f]);
        widths[f] = max < (1u << 8) ? 1 : max < (1u << 16) ? 2 : max < (1u << 24) ? 3 : 4;
        desc |= static_cast<uint16_t>((widths[f] - 1) << (2 * f));
      }
      post.push_back(static_cast<char>(desc & 0xFF));
      post.push_back(static_cast<char>(desc >> 8));
      for (const auto& e : skip_entries) {
        for (size_t f = 0; f < kSkipFields; ++f) {
          for (uint32_t i = 0; i < widths[f]; ++i) post.push_back(static_cast<char>(e[f] >> (8 * i)));
        }
      }
    }  // one block: no table, its maxima are computed when it is read
    PutVarint(&post, data.size());
    post += data;
  }
}

Status SegmentBuilder::Write(const std::string& path, uint64_t segment_id) {
  FlushChunk();
  const uint32_t n_docs = doc_count();
  std::string sections[kNumSections];
  // The stored chunks' checksum (the largest part of the file), beside the
  // rest of the work.
  // The file starts with the header and the stored documents (the largest
  // section, final already): a thread writes them while the terms are
  // encoded; the other sections follow (docs/format/segment.md: a reader
  // finds sections by the footer's table, in any order).
  std::string header;
  header.append(kSegmentMagic, 8);
  PutFixed32(&header, kSegmentVersion);
  PutFixed64(&header, segment_id);
  PutFixed32(&header, kNumSections);
  std::string& stored_head = sections[kStored];  // chunk count and table; the chunks are stored_
  PutFixed32(&stored_head, n_chunks_);
  stored_head += chunk_table_;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(path + ": cannot create: " + std::strerror(errno));
  struct CloseAtExit {
    int fd;
    bool closed = false;
    ~CloseAtExit() {
      if (!closed) ::close(fd);
    }
  } close_at_exit{fd};
  uint32_t stored_crc = 0;
  Status stored_status;
  JoiningThread stored_writer([&] {
    stored_crc = Crc32(stored_head);
    for (const std::string& c : stored_) stored_crc = Crc32Extend(stored_crc, c);
    std::vector<std::string_view> parts = {header, stored_head};
    parts.insert(parts.end(), stored_.begin(), stored_.end());
    stored_status = WriteGathered(fd, parts, path);
  });

  // Terms in key order: sorted on their first sixteen bytes, then on the
  // whole key.
  std::vector<uint32_t> order;
  {
    struct Sortable {
      uint64_t a, b;
      uint32_t term;
    };
    std::vector<Sortable> sorted;
    sorted.reserve(terms_.size());
    for (uint32_t id = 0; id < terms_.size(); ++id) {
      if (id >= postings_.size() || postings_[id].df == 0) continue;  // (never: a term comes with a use)
      const std::string_view key = terms_[id].key;
      uint64_t w[2] = {0, 0};
      for (size_t i = 0; i < 16; ++i) {
        w[i / 8] = (w[i / 8] << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0u);
      }
      sorted.push_back({w[0], w[1], id});
    }
    std::sort(sorted.begin(), sorted.end(), [this](const Sortable& x, const Sortable& y) {
      if (x.a != y.a) return x.a < y.a;
      if (x.b != y.b) return x.b < y.b;
      return terms_[x.term].key < terms_[y.term].key;
    });
    order.reserve(sorted.size());
    for (const Sortable& e : sorted) order.push_back(e.term);
  }
  // The segment's affixes: what stands before and after the stem in its
  // exact forms («وال», «ات» ...), the most frequent first; a variant names
  // its prefix and suffix by number (the table is in the meta section).
  std::vector<std::string_view> affixes;
  AffixIds affix_id;
  {
    std::unordered_map<std::string_view, uint64_t> affix_count;
    affix_count[std::string_view()] = 0;
    for (const TermEntry& t : terms_) {
      if (!t.is_stem || t.positionless) continue;
      std::string_view stem = t.key.substr(1);
      for (uint32_t vi : t.variants) {
        std::string_view norm = variants_[vi].norm;
        size_t at = stem.empty() ? std::string_view::npos : norm.find(stem);
        if (at == std::string_view::npos) continue;
        ++affix_count[norm.substr(0, at)];
        ++affix_count[norm.substr(at + stem.size())];
      }
    }
    for (const auto& [a, n] : affix_count) affixes.push_back(a);
    std::sort(affixes.begin(), affixes.end(), [&](std::string_view a, std::string_view b) {
      if (a.empty() != b.empty()) return a.empty();  // the empty affix is number 0
      if (affix_count[a] != affix_count[b]) return affix_count[a] > affix_count[b];
      return a < b;
    });
    for (size_t i = 0; i < affixes.size(); ++i) affix_id[affixes[i]] = static_cast<uint32_t>(i);
  }
  // Postings and positions of the terms: ranges of about equal work
  // (postings bytes and a fixed cost per term), encoded by two threads in
  // turn, then joined in order; then the dictionary.
  std::vector<size_t> bounds{0};
  {
    constexpr size_t kRanges = 64;
    constexpr uint64_t kTermCost = 48;
    uint64_t total = 0;
    for (uint32_t id : order) total += postings_[id].bytes.size() + kTermCost;
    const uint64_t per_range = total / kRanges + 1;
    uint64_t acc = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      acc += postings_[order[i]].bytes.size() + kTermCost;
      if (acc >= per_range * bounds.size() && i + 1 < order.size()) bounds.push_back(i + 1);
    }
    bounds.push_back(order.size());
  }
  std::vector<Encoded> encoded(bounds.size() - 1);
  {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t r; (r = next.fetch_add(1)) < encoded.size();) {
        EncodeTerms(order.data() + bounds[r], bounds[r + 1] - bounds[r], affix_id, &encoded[r]);
      }
    };
    JoiningThread helper(work);
    work();
  }
  // (The postings and positions sections are the ranges' bytes one after
  // the other, written as they are.)
  std::string& dict = sections[kDict];
  // Dictionary entries (front-coded, restarting every kDictBlock terms; the
  // offsets as differences from the previous entry of the block).
  std::string dict_blocks;
  std::string block_offsets;
  std::string_view prev_key;
  uint64_t prev_postings_off = 0, prev_positions_off = 0;
  uint64_t post_base = 0, posi_base = 0;
  for (size_t r = 0, ti = 0; r < encoded.size(); ++r) {
    for (const Encoded::Place& at : encoded[r].places) {
      const TermEntry& t = terms_[order[ti]];
      const uint64_t postings_off = post_base + at.postings;
      const uint64_t positions_off = posi_base + at.positions;
      if (ti % kDictBlock == 0) {
        PutFixed32(&block_offsets, static_cast<uint32_t>(dict_blocks.size()));
        prev_key = std::string_view();
        prev_postings_off = prev_positions_off = 0;
      }
      size_t shared = 0;
      while (shared < prev_key.size() && shared < t.key.size() && prev_key[shared] == t.key[shared]) ++shared;
      PutVarint(&dict_blocks, shared);
      PutBytes(&dict_blocks, t.key.substr(shared));
      PutVarint(&dict_blocks, uint64_t{postings_[order[ti]].df} << 1 | (t.positionless ? 1 : 0));
      PutVarint(&dict_blocks, postings_off - prev_postings_off);
      PutVarint(&dict_blocks, positions_off - prev_positions_off);
      prev_key = t.key;
      prev_postings_off = postings_off;
      prev_positions_off = positions_off;
      ++ti;
    }
    post_base += encoded[r].post.size();
    posi_base += encoded[r].posi.size();
    encoded[r].places = std::vector<Encoded::Place>();
  }
  PutFixed32(&dict, static_cast<uint32_t>(order.size()));
  PutFixed32(&dict, static_cast<uint32_t>(block_offsets.size() / 4));
  dict += block_offsets;
  dict += dict_blocks;

  // Meta.
  std::string& meta = sections[kMeta];
  PutFixed32(&meta, n_docs);
  PutFixed64(&meta, sum_length_);
  PutFixed32(&meta, kTitleWeight);
  PutFixed32(&meta, kTitleGap);
  PutBytes(&meta, kAnalysisSignature);
  PutVarint(&meta, affixes.size());
  for (std::string_view a : affixes) PutBytes(&meta, a);


  // Values.
  std::string& val = sections[kValues];
  // Per document: the date (0 for none, else 1 + the zigzag of the
  // difference from the previous dated document's), source, category,
  // length, title positions: varints.
  int64_t prev_date = 0;
  for (const DocValues& v : values_) {
    if (v.date_days == kNoDate) {
      PutVarint(&val, 0);
    } else {
      const int64_t diff = int64_t{v.date_days} - prev_date;
      PutVarint(&val, 1 + (diff >= 0 ? uint64_t(diff) << 1 : ((uint64_t(-diff) - 1) << 1) | 1));
      prev_date = v.date_days;
    }
    PutVarint(&val, v.source);
    PutVarint(&val, v.category);
    PutVarint(&val, v.length);
    PutVarint(&val, v.title_positions);
  }
  for (const auto* names : {&sources_, &categories_}) {
    PutVarint(&val, names->size());
    for (const std::string& n : *names) PutBytes(&val, n);
  }

  // Ids, sorted.
  std::vector<uint32_t> by_id(n_docs);
  for (uint32_t i = 0; i < n_docs; ++i) by_id[i] = i;
  std::stable_sort(by_id.begin(), by_id.end(), [&](uint32_t a, uint32_t b) { return ids_[a] < ids_[b]; });
  // Front-coded: shared prefix with the previous id, suffix, document.
  std::string& ids = sections[kIds];
  PutFixed32(&ids, n_docs);
  const std::string* prev_id = nullptr;
  for (uint32_t i : by_id) {
    const std::string& id = ids_[i];
    size_t shared = 0;
    if (prev_id != nullptr) {
      while (shared < prev_id->size() && shared < id.size() && (*prev_id)[shared] == id[shared]) ++shared;
    }
    PutVarint(&ids, shared);
    PutBytes(&ids, std::string_view(id).substr(shared));
    PutVarint(&ids, i);
    prev_id = &id;
  }

  // The rest of the file: the other sections in section order, the footer.
  stored_writer.Join();
  RASID_RETURN_IF_ERROR(stored_status);
  uint64_t offsets[kNumSections], sizes[kNumSections];
  uint32_t crcs[kNumSections];
  uint64_t off = header.size();
  offsets[kStored] = off;
  sizes[kStored] = stored_head.size() + stored_total_;
  crcs[kStored] = stored_crc;
  off += sizes[kStored];
  for (int i = 0; i < kNumSections; ++i) {
    if (i == kStored) continue;
    offsets[i] = off;
    if (i == kPostings || i == kPositions) {
      // The encoded ranges' bytes, as they are.
      sizes[i] = 0;
      crcs[i] = Crc32(std::string_view());
      std::vector<std::string_view> parts;
      for (const Encoded& e : encoded) {
        parts.push_back(i == kPostings ? e.post : e.posi);
        sizes[i] += parts.back().size();
        crcs[i] = Crc32Extend(crcs[i], parts.back());
      }
      RASID_RETURN_IF_ERROR(WriteGathered(fd, parts, path));
    } else {
      sizes[i] = sections[i].size();
      crcs[i] = Crc32(sections[i]);
      RASID_RETURN_IF_ERROR(WriteAll(fd, sections[i], path));
    }
    off += sizes[i];
  }
  std::string footer;
  for (int i = 0; i < kNumSections; ++i) {
    PutFixed64(&footer, offsets[i]);
    PutFixed64(&footer, sizes[i]);
    PutFixed32(&footer, crcs[i]);
  }
  PutFixed32(&footer, kNumSections);
  PutFixed32(&footer, kSegmentVersion);
  PutFixed32(&footer, Crc32(footer));
  footer.append(kSegmentFooterMagic, 8);
  RASID_RETURN_IF_ERROR(WriteAll(fd, footer, path));
  if (::fsync(fd) != 0) return Status::IOError(path + ": fsync failed: " + std::strerror(errno));
  close_at_exit.closed = true;
  if (::close(fd) != 0) return Status::IOError(path + ": close failed: " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace rasid::index
