#include "rasid/analysis/analyzer.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "analysis/huge_pages.h"
#include "rasid/analysis/root.h"

namespace rasid::analysis {

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
  Result<std::shared_ptr<const Lexicon>> lex = Lexicon::Default();
  if (!lex.ok()) return lex.status();
  Result<std::shared_ptr<const StopWords>> stop = StopWords::Default();
  if (!stop.ok()) return stop.status();
  return std::make_unique<Analyzer>(options, lex.value(), stop.value());
}

Analyzer::Analyzer(const AnalyzerOptions& options, std::shared_ptr<const Lexicon> lexicon,
                   std::shared_ptr<const StopWords> stopwords)
    : options_(options),
      norm_(options.normalize),
      analysis_norm_(NormalizeOptions::Analysis()),
      stopwords_(std::move(stopwords)),
      stemmer_(std::move(lexicon)) {
  ResetCache();
}

namespace {
constexpr size_t kBlockSize = size_t{2} << 20;  // one huge page
constexpr size_t kFirstBlockSize = size_t{64} << 10;
constexpr size_t kBlockSlack = 16;  // readable bytes after a block's last string
constexpr size_t kMaxPart = 0xFFFF;
constexpr size_t kInlineKey = 16;  // bytes of a surface kept in a Key
// The hot table: kHotBuckets buckets of two 64-byte slots (2 MiB, the
// size of L2 here; it holds the analyses of about 28,000 words, 84 % of the
// tokens of the news corpora, against 78 % for 1 MiB).
constexpr size_t kHotBuckets = size_t{1} << 14;
constexpr uint64_t kFirstHotInterval = uint64_t{1} << 15;  // tokens
constexpr uint64_t kMaxHotInterval = uint64_t{1} << 25;

// The hot table's bucket of a key's (low) hash: bits 16-29, not the slot
// table's lowest ones.
inline size_t HotBucket(uint32_t hash) { return (hash >> 16) & (kHotBuckets - 1); }

inline uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Masks that keep the first n bytes (n <= 8) of a little-endian word.
constexpr uint64_t kKeep[9] = {0,
                               0xFF,
                               0xFFFF,
                               0xFFFFFF,
                               0xFFFFFFFF,
                               0xFFFFFFFFFF,
                               0xFFFFFFFFFFFF,
                               0xFFFFFFFFFFFFFF,
                               0xFFFFFFFFFFFFFFFF};

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  return h;
}

// The key of a surface of n bytes at p, of which `readable` (>= min(n, 16))
// may be read: 16 bytes are loaded at once when the text allows it.
inline void MakeKey(const char* p, size_t n, size_t readable, TokenKind kind, uint64_t* lo, uint64_t* hi,
                    uint64_t* hash) {
  char buf[kInlineKey] = {};
  const char* q = p;
  if (readable < kInlineKey) {
    std::memcpy(buf, p, std::min(n, kInlineKey));
    q = buf;
  }
  *lo = Load64(q) & kKeep[std::min<size_t>(n, 8)];
  *hi = Load64(q + 8) & kKeep[n > 8 ? std::min<size_t>(n - 8, 8) : 0];
  uint64_t h = (*lo * 0x9E3779B97F4A7C15ULL) ^ ((*hi ^ (uint64_t{n} << 8 | static_cast<uint8_t>(kind))) *
                                                 0xC2B2AE3D27D4EB4FULL);
  if (n > kInlineKey) h ^= HashBytes(std::string_view(p + kInlineKey, n - kInlineKey));
  *hash = Mix(h);
}

// Whether the first n bytes (n <= 16) at p equal the key's.
inline bool SameInline(const char* p, size_t n, uint64_t lo, uint64_t hi) {
  return (Load64(p) & kKeep[std::min<size_t>(n, 8)]) == lo && (n <= 8 || (Load64(p + 8) & kKeep[n - 8]) == hi);
}

// `bytes` of memory (zeroed when `zero`), aligned on 2 MiB and in huge
// pages when at least that large.
void* AllocateLarge(size_t bytes, bool zero) {
  void* p;
  if (bytes >= kHugePage) {
    bytes = (bytes + kHugePage - 1) & ~(kHugePage - 1);
    p = std::aligned_alloc(kHugePage, bytes);
    if (p != nullptr) AdviseHugePages(p, bytes);
  } else {
    p = std::aligned_alloc(64, (bytes + 63) & ~size_t{63});
  }
  if (p == nullptr) throw std::bad_alloc();
  if (zero) std::memset(p, 0, bytes);
  return p;
}

}  // namespace

void Analyzer::FreeDeleter::operator()(void* p) const { std::free(p); }

bool Analyzer::InHotTable(const char* p) const {
  const auto* begin = reinterpret_cast<const char*>(hot_.get());
  return begin != nullptr && p >= begin && p < begin + 2 * kHotBuckets * sizeof(HotSlot);
}

void Analyzer::ResetCache() {
  // Unique across analyzers too: a caller keyed by (analyzer, reset
  // generation) never mistakes a new analyzer at a freed one's address.
  static std::atomic<uint64_t> resets{0};
  cached_ = 0;
  next_word_ = 0;
  ++generation_;
  reset_generation_ = resets.fetch_add(1, std::memory_order_relaxed) + 1;
  blocks_.clear();
  block_used_ = block_size_ = 0;
  slot_count_ = size_t{1} << 16;
  slots_.reset(static_cast<Slot*>(AllocateLarge(slot_count_ * sizeof(Slot), true)));
  hot_.reset();  // allocated by the first rebuild: short-lived analyzers never need it
  hot_filled_ = 0;
  tokens_since_rebuild_ = 0;
  hot_interval_ = kFirstHotInterval;
}

const char* Analyzer::Store(const std::string (&parts)[6], uint16_t (&len)[6]) {
  size_t total = 0;
  for (int i = 0; i < 6; ++i) {
    len[i] = static_cast<uint16_t>(std::min(parts[i].size(), kMaxPart));
    total += len[i];
  }
  if (block_used_ + total + kBlockSlack > block_size_) {
    // Blocks of 64 KiB, doubling up to 2 MiB (one huge page): small for a
    // short-lived analyzer (a query), large for an ingest.
    block_size_ = std::max(std::min(kBlockSize, kFirstBlockSize << blocks_.size()), total + kBlockSlack);
    blocks_.emplace_back(static_cast<char*>(AllocateLarge(block_size_, false)));
    block_used_ = 0;
  }
  char* p = blocks_.back().get() + block_used_;
  char* q = p;
  for (int i = 0; i < 6; ++i) {
    std::memcpy(q, parts[i].data(), len[i]);
    q += len[i];
  }
  block_used_ += total;
  return p;
}

void Analyzer::Fill(std::string_view surface, TokenKind kind, Slot* slot) {
  // parts: surface, norm, stem, root, proclitics, enclitic
  std::string parts[6];
  parts[0].assign(surface);
  parts[1] = norm_.Normalize(surface);
  if (kind != TokenKind::kArabic) {
    parts[2] = parts[1];
  } else {
    std::string form = analysis_norm_.Normalize(surface);
    slot->stopword = stopwords_->Contains(form);
    Segmentation seg = stemmer_.segmenter().Segment(form);
    parts[2] = stemmer_.StemBase(seg.base);
    if (options_.roots) parts[3] = ExtractRoot(seg.base);
    parts[4] = std::move(seg.proclitics);
    parts[5] = std::move(seg.enclitic);
  }
  slot->kind = kind;
  slot->data = Store(parts, slot->len);
}

void Analyzer::Grow() {
  const size_t count = slot_count_ * 2;
  LargePtr<Slot> bigger(static_cast<Slot*>(AllocateLarge(count * sizeof(Slot), true)));
  for (size_t i = 0; i < slot_count_; ++i) {
    const Slot& s = slots_[i];
    if (s.data == nullptr) continue;
    size_t j = s.hash & (count - 1);  // tables stay below 2^32 slots
    while (bigger[j].data != nullptr) j = (j + 1) & (count - 1);
    bigger[j] = s;
  }
  slots_ = std::move(bigger);
  slot_count_ = count;
}

const Analyzer::Slot& Analyzer::Lookup(std::string_view surface, const Key& key, TokenKind kind) {
  size_t mask = slot_count_ - 1;
  size_t i = key.hash & mask;
  const size_t n = surface.size();
  for (; slots_[i].data != nullptr; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.hash != static_cast<uint32_t>(key.hash) || s.len[0] != n || s.kind != kind) continue;
    bool same = n <= kInlineKey ? SameInline(s.data, n, key.lo, key.hi)
                                : std::memcmp(s.data, surface.data(), n) == 0;
    if (same) {
      s.hits += s.hits != 0xFFFF;
      return s;
    }
  }
  Slot fresh;
  fresh.hash = static_cast<uint32_t>(key.hash);
  fresh.word = ++next_word_;
  fresh.hits = 1;
  Fill(surface, kind, &fresh);
  slots_[i] = fresh;
  if (++cached_ * 2 > slot_count_) {
    Grow();
    return Lookup(surface, key, kind);
  }
  return slots_[i];
}

// Moves the most looked-up words whose analysis fits in a HotSlot into the
// hot table, most frequent first (each takes a free way of its bucket), and
// halves every hit count so that the table follows the text.
void Analyzer::RebuildHot() {
  static_assert(sizeof(HotSlot) == 64, "one cache line per hot word");
  if (!hot_) hot_.reset(static_cast<HotSlot*>(AllocateLarge(2 * kHotBuckets * sizeof(HotSlot), true)));
  // The hot words' look-ups were counted in the hot table: give them back
  // to their slots first.
  for (size_t j = 0; j < 2 * kHotBuckets; ++j) {
    const HotSlot& h = hot_[j];
    if (h.len[0] == 0) continue;
    Key k;
    TokenKind kind = static_cast<TokenKind>(h.kind);
    MakeKey(h.bytes, h.len[0], sizeof h.bytes, kind, &k.lo, &k.hi, &k.hash);
    for (size_t i = k.hash & (slot_count_ - 1); slots_[i].data != nullptr; i = (i + 1) & (slot_count_ - 1)) {
      Slot& s = slots_[i];
      if (s.hash == static_cast<uint32_t>(k.hash) && s.len[0] == h.len[0] && s.kind == kind && SameInline(s.data, h.len[0], k.lo, k.hi)) {
        s.hits = static_cast<uint16_t>(std::min(0xFFFF, s.hits + h.hits));
        break;
      }
    }
  }
  std::vector<std::pair<uint16_t, uint32_t>> cand;  // (hits, slot index)
  for (size_t i = 0; i < slot_count_; ++i) {
    Slot& s = slots_[i];
    if (s.data == nullptr) continue;
    size_t total = 0;
    for (uint16_t l : s.len) total += l;
    if (s.hits >= 2 && s.len[0] <= kInlineKey && total <= sizeof(HotSlot::bytes))
      cand.emplace_back(s.hits, static_cast<uint32_t>(i));
    s.hits >>= 1;
  }
  size_t keep = std::min(cand.size(), 3 * kHotBuckets);
  auto more_hits = [](const auto& a, const auto& b) { return a.first > b.first; };
  std::nth_element(cand.begin(), cand.begin() + keep, cand.end(), more_hits);
  std::sort(cand.begin(), cand.begin() + keep, more_hits);
  std::memset(static_cast<void*>(hot_.get()), 0, 2 * kHotBuckets * sizeof(HotSlot));
  hot_filled_ = 0;
  for (size_t c = 0; c < keep; ++c) {
    const Slot& s = slots_[cand[c].second];
    HotSlot* bucket = &hot_[2 * HotBucket(s.hash)];
    HotSlot* h = bucket[0].len[0] == 0 ? &bucket[0] : bucket[1].len[0] == 0 ? &bucket[1] : nullptr;
    if (h == nullptr) continue;
    size_t total = 0;
    for (int k = 0; k < 6; ++k) {
      h->len[k] = static_cast<uint8_t>(s.len[k]);  // the parts fit in bytes (<= 48)
      total += s.len[k];
    }
    std::memcpy(h->bytes, s.data, total);
    h->kind = static_cast<uint8_t>(s.kind);
    h->stopword = s.stopword;
    h->word = s.word;
    ++hot_filled_;
  }
  ++generation_;  // hot words' data pointers moved
}

void Analyzer::Analyze(std::string_view text, std::vector<AnalyzedToken>* out) {
  out->clear();
  if (cached_ > options_.cache_entries) ResetCache();
  if (tokens_since_rebuild_ >= hot_interval_) {
    RebuildHot();
    tokens_since_rebuild_ = 0;
    hot_interval_ = std::min(hot_interval_ * 2, kMaxHotInterval);
  }
  tokens_.clear();
  tokenizer_.Tokenize(text, &tokens_);
  const size_t n = tokens_.size();
  tokens_since_rebuild_ += n;
  keys_.resize(n);
  misses_.resize(n);
  out->resize(n);
  // Raw pointers: stores into the tokens could otherwise alias the vectors'
  // own pointers, which the compiler would reload at every step.
  const Token* toks = tokens_.data();
  Key* keys = keys_.data();
  uint32_t* misses = misses_.data();
  AnalyzedToken* o = out->data();
  HotSlot* hot = hot_.get();
  const Slot* slots = slots_.get();
  const size_t mask = slot_count_ - 1;
  auto bucket_of = [hot](const Key& k) { return &hot[2 * HotBucket(static_cast<uint32_t>(k.hash))]; };
  const size_t hot_key_limit = hot != nullptr ? kInlineKey : 0;  // no hot table yet: every token misses

  // 1. Keys.
  for (size_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    MakeKey(text.data() + t.start, t.end - t.start, text.size() - t.start, t.kind, &keys[i].lo, &keys[i].hi,
            &keys[i].hash);
  }
  // 2. The hot table (prefetched a few tokens ahead: it is in L2, not L1);
  // the slots of the words it lacks are prefetched for step 3.
  constexpr size_t kHotAhead = 8;
  const bool drop_punct = !options_.punctuation;
  size_t n_misses = 0;
  const size_t prefetch_until = hot != nullptr ? n : 0;
  for (size_t i = 0; i < std::min(prefetch_until, kHotAhead); ++i) __builtin_prefetch(bucket_of(keys[i]));
  for (size_t i = 0; i < n; ++i) {
    if (i + kHotAhead < prefetch_until) __builtin_prefetch(bucket_of(keys[i + kHotAhead]));
    const Token& t = toks[i];
    const Key& k = keys[i];
    const size_t size = t.end - t.start;
    AnalyzedToken& a = o[i];
    a.token = t;
    if (drop_punct && (t.kind == TokenKind::kPunct || t.kind == TokenKind::kSymbol)) continue;
    HotSlot* h = nullptr;
    if (size <= hot_key_limit) {
      HotSlot* bucket = bucket_of(k);
      for (int w = 0; w < 2; ++w) {
        HotSlot& c = bucket[w];
        if (c.len[0] == size && c.kind == static_cast<uint8_t>(t.kind) && SameInline(c.bytes, size, k.lo, k.hi)) {
          h = &c;
          break;
        }
      }
    }
    if (h == nullptr) {
      misses[n_misses++] = static_cast<uint32_t>(i);
      __builtin_prefetch(&slots[k.hash & mask]);
      continue;
    }
    h->hits += h->hits != 0xFFFF;
    a.data = h->bytes;
    for (int p = 0; p < 6; ++p) a.len[p] = h->len[p];
    a.word = h->word;
    a.stopword = h->stopword != 0;
  }
  // 3. The main table: the strings of every missed word's slot are
  // prefetched first (its slot line came in during step 2), then looked up.
  for (size_t m = 0; m < n_misses; ++m) {
    const Slot& s = slots[keys[misses[m]].hash & mask];
    if (s.data != nullptr) __builtin_prefetch(s.data);
  }
  for (size_t m = 0; m < n_misses; ++m) {
    const size_t i = misses[m];
    const Token& t = toks[i];
    const Slot& s = Lookup(text.substr(t.start, t.end - t.start), keys[i], t.kind);
    AnalyzedToken& a = o[i];
    a.data = s.data;
    std::memcpy(a.len, s.len, sizeof a.len);
    a.word = s.word;
    a.stopword = s.stopword;
  }
  if (drop_punct || options_.drop_stopwords) {
    auto dropped = [this](const AnalyzedToken& a) {
      bool punct = a.token.kind == TokenKind::kPunct || a.token.kind == TokenKind::kSymbol;
      return (punct && !options_.punctuation) || (a.stopword && options_.drop_stopwords);
    };
    out->erase(std::remove_if(out->begin(), out->end(), dropped), out->end());
  }
}

}  // namespace rasid::analysis
