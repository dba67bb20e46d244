// Immutable index segments: building one in memory, writing it, reading it.
//
// A segment is one file, "seg_<id>.rsg" (format: docs/format/segment.md):
// a header, seven sections (meta, term dictionary, postings, positions,
// stored documents, per-document values, external ids) and a footer with
// each section's offset, length and CRC-32. Terms are byte strings whose
// first byte names their space:
//   's' + stem                      (Arabic words), with positions; each position
//                                   also names the word's exact form (a variant of the stem)
//   'w' + normalised surface form  (words without a stem: numbers, Latin ...), with positions
//   'k' + field letter + ':' + value (source, category, author; facts, entities), no positions
// The exact form of an Arabic word is looked up as VariantKey(stem, norm): the
// stem's postings, filtered to the positions coded with that variant.
// Title tokens come first (positions 0 .. title_positions-1), then the body
// after a gap, so one posting list serves both fields and phrases never
// cross from title to body. Frequencies are weighted: a title occurrence
// counts kTitleWeight times (BM25F-style), and so does a title token in the
// document length.
#ifndef RASID_INDEX_SEGMENT_H_
#define RASID_INDEX_SEGMENT_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rasid/analysis/analyzer.h"
#include "rasid/base/status.h"
#include "rasid/index/coding.h"
#include "rasid/index/document.h"

struct ZSTD_CCtx_s;
using ZSTD_CCtx = ZSTD_CCtx_s;

namespace rasid::index {

inline constexpr char kExactSpace = 'w';
inline constexpr char kStemSpace = 's';
inline constexpr char kKeywordSpace = 'k';
// Query-side key of an exact form of a word with a stem: 'v' + stem + '\0' +
// norm. Never stored in the dictionary: LookupTerm resolves it to the stem's
// posting list and the variant's code.
inline constexpr char kVariantSpace = 'v';
std::string VariantKey(std::string_view stem, std::string_view norm);
// The exact key a snippet highlights for a query key: 'v' keys become 'w' + norm.
std::string HighlightKey(std::string_view key);
inline constexpr uint32_t kTitleWeight = 2;
inline constexpr uint32_t kTitleGap = 16;    // positions between title and body
inline constexpr uint32_t kBlockSize = 128;  // documents per postings block
inline constexpr uint32_t kNoMoreDocs = 0xFFFFFFFFu;
inline constexpr int32_t kNoDate = INT32_MIN;

// The analysis options every index uses for documents and queries.
analysis::AnalyzerOptions IndexAnalyzerOptions();

// Keyword term for a field value: 'k' + letter + ':' + value (ASCII lower-cased,
// trimmed). Letters: s source, c category, a author (ids are not terms: the ids section).
std::string KeywordTerm(char field_letter, std::string_view value);

// Days since 1970-01-01 for the first date found in `date` (YYYY-MM-DD...,
// DD/MM/YYYY, or RFC 2822 "Mon, 26 Feb 2018 ..."), or kNoDate.
int32_t ParseDateDays(std::string_view date);
// "YYYY-MM-DD" for days since 1970-01-01.
std::string FormatDate(int32_t days);

// Per-document values, 16 bytes each in the file.
struct DocValues {
  int32_t date_days = kNoDate;
  uint16_t source = 0;           // ordinal into the segment's source names; 0 = none
  uint16_t category = 0;         // ordinal into the segment's category names; 0 = none
  uint32_t length = 0;           // weighted length in word tokens (title counts kTitleWeight times)
  uint16_t title_positions = 0;  // positions < this are in the title
  uint16_t reserved = 0;
};

struct TermInfo {
  uint32_t df = 0;                // documents in the posting list
  uint64_t postings_offset = 0;   // into the postings section
  uint64_t positions_offset = 0;  // into the positions section
  // A variant (exact form) of a stem: its code + 1 (0: the whole list) and
  // the number of documents holding that exact form.
  uint32_t variant = 0;
  uint32_t variant_df = 0;
  // A stop word's term: document numbers and frequencies (and the title
  // occurrences), no positions; phrases check it by document only.
  bool positionless = false;
  uint32_t match_df() const { return variant != 0 ? variant_df : df; }
};

// Builds a segment in memory. Not thread-safe: one builder per thread.
class SegmentBuilder {
 public:
  SegmentBuilder();
  ~SegmentBuilder();
  SegmentBuilder(const SegmentBuilder&) = delete;
  SegmentBuilder& operator=(const SegmentBuilder&) = delete;

  // Analyses and adds `doc`; `seq` orders documents with the same id (the
  // highest wins). A document whose id is already in this builder replaces
  // the earlier one. Returns the local document number.
  uint32_t Add(const Document& doc, uint64_t seq, analysis::Analyzer* analyzer);

  // Add in two stages, for ingest on two threads: Analyze (analysis, the
  // dictionary, values and ids) then Invert (postings and the stored
  // document) with what Analyze gave, for every document in the same order.
  // One thread may run Analyze while another runs Invert on an earlier
  // document; Write only when both are done.
  struct Occurrence {
    uint32_t term;
    uint32_t position;
    uint32_t code;  // the variant of a stem's occurrence; 0xFFFFFFFF for other terms
  };
  struct Analyzed {
    uint32_t local = 0;            // the document's number
    uint32_t title_positions = 0;  // positions below are in the title
    uint32_t terms = 0;            // terms in the dictionary after it
    std::vector<Occurrence> occ;
  };
  uint32_t Analyze(const Document& doc, uint64_t seq, analysis::Analyzer* analyzer, Analyzed* out);
  void Invert(const Document& doc, const Analyzed& analyzed);

  uint32_t doc_count() const { return static_cast<uint32_t>(values_.size()); }
  uint32_t live_count() const;
  // Approximate heap bytes held, for the ingest memory budget (callable
  // from the thread of Analyze while Invert runs).
  size_t memory_bytes() const;
  const std::vector<std::string>& ids() const { return ids_; }
  const std::vector<uint64_t>& seqs() const { return seqs_; }
  // Local documents replaced inside this builder.
  const std::vector<bool>& deleted() const { return deleted_; }

  // Writes the segment file to `path` (complete, fsynced) with the given id.
  Status Write(const std::string& path, uint64_t segment_id);

 private:
  struct TermPostings;
  struct TermEntry;
  // A range of Write's terms, encoded: postings and positions bytes and
  // where each term starts in them.
  struct Encoded {
    struct Place {
      uint64_t postings, positions;
    };
    std::string post, posi;
    std::vector<Place> places;
  };
  using AffixIds = std::unordered_map<std::string_view, uint32_t>;
  void EncodeTerms(const uint32_t* ids, size_t n, const AffixIds& affix_id, Encoded* out) const;
  uint32_t TermIndex(std::string_view key);
  void StoreDocument(const Document& doc, uint32_t local);
  void FlushChunk();
  uint16_t Ordinal(std::vector<std::string>* names, std::unordered_map<std::string, uint16_t>* map,
                   std::string_view value);

  // Term dictionary of the builder: open addressing on HashBytes. A slot
  // holds what a look-up compares (hash, the key's bytes in the arena, its
  // length; for a variant, its stem) so that a hit reads no other table.
  struct TermSlot {
    uint64_t hash = 0;
    const char* key = nullptr;
    uint32_t length = 0;
    uint32_t term = 0xFFFFFFFFu;  // a variant slot: the variant
    uint32_t stem = 0;            // a variant slot: its stem
  };
  std::vector<TermSlot> term_slots_;
  std::vector<TermEntry> terms_;          // Analyze's
  std::vector<TermPostings> postings_;    // Invert's (grown to Analyzed::terms)
  // The bytes of the terms' keys and the variants' forms, in blocks that
  // never move (a key is a view into them).
  std::vector<std::unique_ptr<char[]>> arena_;
  size_t arena_used_ = 0, arena_size_ = 0, arena_bytes_ = 0;
  std::string_view Keep(std::string_view s);
  // An exact form of a stem (docs/format/segment.md, "Variant tables"): its
  // stem's term and its normalised form; its code is its place in the
  // stem's TermEntry::variants. Found by (stem, form) in variant_slots_.
  struct Variant {
    uint32_t stem;
    uint32_t code;
    std::string_view norm;
  };
  std::vector<Variant> variants_;
  std::vector<TermSlot> variant_slots_;
  uint32_t VariantIndex(uint32_t stem, std::string_view norm);
  // Term ids of analysed surface forms, indexed by AnalyzedToken::word
  // (valid until the analyzer's cache is emptied). `exact`: the 'w' term of
  // a word without a stem, else the stem's variant record; `code`: the
  // variant's number within its stem (`exact` is then the variant's index
  // in variants_). `exact` == 0xFFFFFFFF: not seen yet.
  struct TokenSlot {
    uint32_t exact = 0xFFFFFFFFu, stem = 0xFFFFFFFFu, code = 0;
  };
  std::vector<TokenSlot> words_;
  const analysis::Analyzer* token_analyzer_ = nullptr;
  uint64_t token_reset_ = 0;
  TokenSlot TokenTermsSlow(const analysis::AnalyzedToken& t);
  std::vector<DocValues> values_;
  std::vector<std::string> ids_;
  std::vector<uint64_t> seqs_;
  std::vector<bool> deleted_;
  std::unordered_map<std::string, uint32_t> id_to_doc_;
  std::vector<std::string> sources_{""}, categories_{""};
  std::unordered_map<std::string, uint16_t> source_map_, category_map_;
  uint64_t sum_length_ = 0;
  // Stored documents: compressed chunks and the raw chunk being filled.
  // Compressed chunks, one string each (written back to back; never one
  // large string that would be copied as it grows), and their total bytes.
  std::vector<std::string> stored_;
  uint64_t stored_total_ = 0;
  std::string compress_buffer_;
  std::string chunk_table_;  // per chunk: first doc u32, offset u64, comp len u32, raw len u32
  std::string raw_chunk_;
  uint32_t chunk_first_doc_ = 0;
  uint32_t n_chunks_ = 0;
  struct ZstdFree {
    void operator()(ZSTD_CCtx* c) const;
  };
  std::unique_ptr<ZSTD_CCtx, ZstdFree> zstd_;
  // Bytes Invert holds (postings; stored chunks), read by memory_bytes.
  std::atomic<size_t> postings_bytes_{0}, stored_bytes_{0};
  // Per-document scratch: Add's, Analyze's, Invert's.
  Analyzed scratch_;
  std::vector<analysis::AnalyzedToken> tokens_;
  std::vector<uint32_t> touched_;
};

class PostingsIterator;

// A segment file opened for reading (memory-mapped). Thread-safe: any
// number of threads may read at once.
class SegmentReader {
 public:
  // Opens and checks (magic, version, every section's CRC unless
  // `verify_sections` is false: a file this process has just written from
  // memory) the file. Damage is Corruption naming the file and section.
  static Result<std::shared_ptr<SegmentReader>> Open(const std::string& path, uint64_t segment_id,
                                                     bool verify_sections = true);
  ~SegmentReader();

  uint64_t id() const { return id_; }
  const std::string& path() const { return path_; }
  uint32_t doc_count() const { return doc_count_; }
  uint64_t sum_length() const { return sum_length_; }
  uint64_t file_bytes() const { return size_; }

  // A term of the dictionary, or a variant key (VariantKey).
  bool LookupTerm(std::string_view key, TermInfo* info) const;
  // Calls fn(key, info) for every term in order; stops when fn returns false.
  template <typename Fn>
  void ForEachTerm(Fn fn) const;
  // Terms starting with `prefix`, in order.
  void TermsWithPrefix(std::string_view prefix, std::vector<std::pair<std::string, TermInfo>>* out,
                       size_t limit) const;
  std::unique_ptr<PostingsIterator> Postings(const TermInfo& info) const;

  const DocValues& values(uint32_t doc) const { return values_[doc]; }
  std::string_view source_name(uint16_t ord) const {
    return ord < sources_.size() ? std::string_view(sources_[ord]) : std::string_view();
  }
  std::string_view category_name(uint16_t ord) const {
    return ord < categories_.size() ? std::string_view(categories_[ord]) : std::string_view();
  }
  const std::vector<std::string>& source_names() const { return sources_; }
  const std::vector<std::string>& category_names() const { return categories_; }

  // Reads stored document `doc`.
  Status ReadDocument(uint32_t doc, Document* out) const;
  // The local document with external id `id`, or kNoMoreDocs.
  uint32_t FindId(std::string_view id) const;
  std::string_view IdOf(uint32_t doc) const;

  std::string_view postings_section() const { return postings_; }
  std::string_view positions_section() const { return positions_; }

  // The facet keyword terms of each document (mentioned months 'kD:YYYY-MM'
  // and entities 'kE:'), inverted from their postings on first use and kept:
  // facets then cost what the matching documents hold, not what the whole
  // segment holds. Thread-safe.
  struct FacetTerms {
    std::vector<std::string> keys;    // the terms, in key order
    std::vector<uint32_t> doc_begin;  // doc_count + 1 offsets into `terms`
    std::vector<uint32_t> terms;      // indexes into `keys`, document after document
  };
  const FacetTerms& facet_terms() const;

 private:
  SegmentReader() = default;
  Status Parse(bool verify_sections);
  bool FindVariant(std::string_view stem, std::string_view norm, TermInfo* info) const;
  std::string_view DictBlock(size_t b) const;  // the bytes of dictionary block b
  bool ForEachTermImpl(const std::function<bool(std::string_view, const TermInfo&)>& fn) const;

  std::string path_;
  uint64_t id_ = 0;
  const char* base_ = nullptr;
  size_t size_ = 0;
  uint32_t doc_count_ = 0;
  uint64_t sum_length_ = 0;
  std::string_view meta_, dict_, postings_, positions_, stored_, values_sec_, ids_;
  const DocValues* values_ = nullptr;
  std::unique_ptr<DocValues[]> owned_values_;
  std::string_view dict_blocks_, stored_data_;
  std::vector<std::string> sources_, categories_;
  std::vector<std::string_view> affixes_;  // of the variant tables, from the meta section
  // Dictionary block index.
  uint32_t n_terms_ = 0;
  std::vector<uint32_t> block_offsets_;
  std::vector<std::string> block_heads_;
  // Ids, sorted, expanded from the front-coded section at open.
  uint32_t n_ids_ = 0;
  std::string id_pool_;
  std::vector<uint32_t> id_offsets_;  // n_ids_ + 1 offsets into id_pool_
  std::vector<uint32_t> id_docs_;     // local document of each sorted id
  std::vector<uint32_t> doc_to_id_;  // local doc -> index in the sorted table
  // Stored chunks.
  struct Chunk {
    uint32_t first_doc;
    uint64_t offset;
    uint32_t comp_len, raw_len;
  };
  std::vector<Chunk> chunks_;
  // The most recently read stored chunks, decompressed (a page of hits and
  // a merge read several documents of one chunk). Thread-safe.
  struct CachedChunk {
    uint32_t chunk = 0;
    uint64_t last_use = 0;
    std::shared_ptr<const std::string> data;
  };
  static constexpr size_t kChunkCacheSize = 16;
  mutable std::mutex chunk_cache_mu_;
  mutable CachedChunk chunk_cache_[kChunkCacheSize];
  mutable uint64_t chunk_cache_tick_ = 0;
  mutable std::once_flag facet_once_;
  mutable FacetTerms facet_terms_;
};

template <typename Fn>
void SegmentReader::ForEachTerm(Fn fn) const {
  ForEachTermImpl([&](std::string_view k, const TermInfo& i) { return fn(k, i); });
}

// Iterates the postings of one term in one segment: documents in increasing
// order with weighted frequencies, block skipping, per-block maxima (for
// block-max pruning) and positions on demand. Damaged data ends the
// iteration and sets corrupt().
class PostingsIterator {
 public:
  PostingsIterator(const SegmentReader* segment, const TermInfo& info);

  uint32_t doc() const { return doc_; }
  uint32_t freq() {
    if (idx_ >= count_) return 0;
    if (!freqs_ready_) LoadFreqs();
    return freqs_[idx_];
  }
  uint32_t df() const { return info_.df; }
  uint32_t Next();
  // First document >= target.
  uint32_t Advance(uint32_t target);
  // Positions of the current document (sorted), into *out; none for a
  // positionless term (a stop word).
  void Positions(std::vector<uint32_t>* out);
  bool positionless() const { return info_.positionless; }
  // Occurrences of the whole list's word in the current document's title
  // (before a variant's filter).
  uint32_t TitleOccurrences();
  // The weighted frequency, in the current document, of one variant (a
  // TermInfo::variant, code + 1) of this stem's list: the exact form's
  // frequency without a second iterator.
  uint32_t VariantFreq(uint32_t variant);

  // Block-max data: the last document of the block holding `target` (or of
  // the current block) and the maximum frequency / minimum length there.
  uint32_t block_last_doc() const { return cur_block_ < n_blocks_ ? BlockLast(cur_block_) : kNoMoreDocs; }
  uint32_t block_max_freq() const { return BlockMaxFreq(cur_block_); }
  uint32_t block_min_len() const { return BlockMinLen(cur_block_); }
  uint32_t block_index() const { return cur_block_; }
  // Moves the block cursor (not the document cursor) to the block that may
  // hold `target`; returns false past the end.
  bool ShallowAdvance(uint32_t target);
  uint32_t max_freq() const { return max_freq_; }
  uint32_t min_len() const { return min_len_; }
  bool corrupt() const { return corrupt_; }

 private:
  uint32_t BlockLast(uint32_t b) const { return SkipField(b, 0); }
  uint32_t BlockDataOff(uint32_t b) const { return SkipField(b, 1); }
  uint32_t BlockPosOff(uint32_t b) const { return SkipField(b, 2); }
  uint32_t BlockMaxFreq(uint32_t b) const { return SkipField(b, 3); }
  uint32_t BlockMinLen(uint32_t b) const { return SkipField(b, 4); }
  uint32_t SkipField(uint32_t b, int field) const;
  bool LoadBlock(uint32_t b);

  const SegmentReader* seg_;
  TermInfo info_;
  const char* skip_ = nullptr;
  // The skip table's entry size, and each field's width and offset in it.
  uint32_t skip_entry_ = 0;
  uint8_t skip_width_[5] = {}, skip_off_[5] = {};
  const char* data_ = nullptr;
  const char* data_end_ = nullptr;
  uint32_t n_blocks_ = 0;
  uint32_t cur_block_ = 0;  // block of the shallow cursor
  uint32_t loaded_block_ = kNoMoreDocs;
  uint32_t count_ = 0, idx_ = 0;
  uint32_t doc_ = 0;
  uint32_t docs_[kBlockSize];
  uint32_t freqs_[kBlockSize];
  // The loaded block's run of frequencies, decoded on first use (LoadFreqs;
  // a variant's filter rewrites freqs_ with its own).
  const char* freq_run_ = nullptr;
  const char* freq_end_ = nullptr;
  bool freqs_ready_ = false;
  bool LoadFreqs();
  uint32_t max_freq_ = 0, min_len_ = 0xFFFFFFFFu;
  // The start of the loaded block's packed positions.
  const char* pos_cursor_ = nullptr;
  // Where the term's position blocks begin (after its variant table), and
  // the number of variants (codes are stored when there are two or more).
  uint64_t pos_base_ = 0;
  uint32_t n_variants_ = 0;
  // A variant of a stem with several: documents are filtered by the codes.
  bool filter_ = false;
  // The loaded block's position counts (read on the first request, at once
  // for a variant): document i's positions are [pos_begin_[i],
  // pos_begin_[i+1]) of the block's, its first title_[i] are in the title.
  bool counts_ready_ = false;
  uint32_t pos_begin_[kBlockSize + 1];
  uint32_t title_[kBlockSize];
  uint32_t block_count_ = 0;  // documents of the block before a variant's filter
  // The block's runs of codes and of position deltas (128 values each):
  // where each starts (null: not located yet) and whether it was decoded
  // into codes_ / pos_flat_.
  struct Run {
    const char* at;
    bool decoded;
  };
  std::vector<Run> code_runs_, delta_runs_;
  std::vector<uint32_t> pos_flat_;  // position deltas
  std::vector<uint32_t> codes_;     // their variant codes
  uint32_t orig_[kBlockSize];       // filter_: block index of each kept document
  bool LoadCounts();
  uint32_t RunLength(uint32_t r) const;
  bool DecodeRuns(std::vector<Run>* runs, std::vector<uint32_t>* out, uint32_t lo, uint32_t hi);
  bool DecodeRange(std::vector<Run>* runs, std::vector<uint32_t>* out, uint32_t begin, uint32_t end);
  // A variant: keeps the block's documents holding it, with its own
  // frequencies; false when none does.
  bool FilterVariant();
  bool corrupt_ = false;
  bool single_ = false;  // one block and no skip table
  uint32_t single_last_ = 0;
};

}  // namespace rasid::index

#endif  // RASID_INDEX_SEGMENT_H_
