// SegmentReader and PostingsIterator: reading a memory-mapped segment file.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "rasid/index/coding.h"
#include "rasid/index/segment.h"
#include "segment_format.h"

namespace rasid::index {

SegmentReader::~SegmentReader() {
  if (base_ != nullptr) ::munmap(const_cast<char*>(base_), size_);
}

Result<std::shared_ptr<SegmentReader>> SegmentReader::Open(const std::string& path, uint64_t segment_id,
                                                           bool verify_sections) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::string msg = path + ": " + std::strerror(errno);
    return errno == ENOENT ? Status::NotFound(msg) : Status::IOError(msg);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::IOError(path + ": " + std::strerror(errno));
  }
  std::shared_ptr<SegmentReader> r(new SegmentReader());
  r->path_ = path;
  r->id_ = segment_id;
  r->size_ = static_cast<size_t>(st.st_size);
  if (r->size_ > 0) {
    void* p = ::mmap(nullptr, r->size_, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      return Status::IOError(path + ": mmap failed: " + std::strerror(errno));
    }
    r->base_ = static_cast<const char*>(p);
  }
  ::close(fd);
  Status s = r->Parse(verify_sections);
  if (!s.ok()) return s;
  return r;
}

Status SegmentReader::Parse(bool verify_sections) {
  auto corrupt = [&](const std::string& what) { return Status::Corruption(path_ + ": " + what); };
  if (size_ < kHeaderBytes + kFooterTailBytes + kNumSections * kFooterEntryBytes) {
    return corrupt("file too short to be a segment (" + std::to_string(size_) + " bytes)");
  }
  if (std::memcmp(base_, kSegmentMagic, 8) != 0) return corrupt("bad magic number (not a rasid segment)");
  uint32_t version = DecodeFixed32(base_ + 8);
  if (version != kSegmentVersion) {
    return Status::Unsupported(path_ + ": segment format version " + std::to_string(version) +
                               ", this rasid reads version " + std::to_string(kSegmentVersion) +
                               (version < kSegmentVersion
                                    ? " (an older rasid wrote it: ingest the articles again into a new index)"
                                    : " (a newer rasid wrote it)"));
  }
  if (DecodeFixed64(base_ + 12) != id_) return corrupt("segment id in the header does not match its name");
  if (DecodeFixed32(base_ + 20) != kNumSections) return corrupt("unexpected section count in the header");
  const char* tail = base_ + size_ - kFooterTailBytes;
  if (std::memcmp(tail + 12, kSegmentFooterMagic, 8) != 0)
    return corrupt("bad footer magic (truncated file?)");
  uint32_t n_sections = DecodeFixed32(tail);
  if (n_sections != kNumSections) return corrupt("unexpected section count");
  if (DecodeFixed32(tail + 4) != version) return corrupt("footer version differs from the header's");
  const char* table = tail - kNumSections * kFooterEntryBytes;
  std::string_view footer(table, kNumSections * kFooterEntryBytes + 8);
  if (Crc32(footer) != DecodeFixed32(tail + 8)) return corrupt("footer checksum mismatch");
  static const char* kNames[] = {"meta", "dictionary", "postings", "positions", "stored", "values", "ids"};
  std::string_view* secs[] = {&meta_, &dict_, &postings_, &positions_, &stored_, &values_sec_, &ids_};
  for (int i = 0; i < kNumSections; ++i) {
    uint64_t off = DecodeFixed64(table + i * kFooterEntryBytes);
    uint64_t len = DecodeFixed64(table + i * kFooterEntryBytes + 8);
    uint32_t crc = DecodeFixed32(table + i * kFooterEntryBytes + 16);
    if (off < kHeaderBytes || off > size_ || len > size_ - off)
      return corrupt(std::string(kNames[i]) + " section out of bounds");
    *secs[i] = std::string_view(base_ + off, len);
    if (verify_sections && Crc32(*secs[i]) != crc) return corrupt(std::string(kNames[i]) + " section checksum mismatch");
  }
  // Meta.
  Decoder m(meta_);
  doc_count_ = m.Fixed32();
  sum_length_ = m.Fixed64();
  uint32_t title_weight = m.Fixed32(), title_gap = m.Fixed32();
  std::string_view signature = m.LengthPrefixed();
  // The affixes the variant tables name by number.
  const uint32_t n_affixes = m.Varint32();
  if (!m.ok() || n_affixes > m.remaining()) return corrupt("meta section truncated");
  affixes_.clear();
  for (uint32_t i = 0; i < n_affixes && m.ok(); ++i) affixes_.push_back(m.LengthPrefixed());
  if (!m.ok()) return corrupt("meta section truncated");
  if (title_weight != kTitleWeight || title_gap != kTitleGap || signature != kAnalysisSignature) {
    return Status::Unsupported(path_ + ": written with other analysis settings (" + std::string(signature) +
                               "); re-index the collection");
  }
  // Values.
  // Values: five varints per document (docs/format/segment.md), at least
  // five bytes each.
  if (values_sec_.size() / 5 < doc_count_) return corrupt("values section truncated");
  Decoder v(values_sec_);
  auto* vals = new DocValues[doc_count_ ? doc_count_ : 1];
  values_ = vals;
  owned_values_.reset(vals);
  int64_t prev_date = 0;
  for (uint32_t i = 0; i < doc_count_; ++i) {
    // The date: 0 for none, else 1 + zigzag of the difference from the
    // previous dated document's.
    const uint64_t date = v.Varint();
    if (date == 0) {
      vals[i].date_days = kNoDate;
    } else {
      const uint64_t z = date - 1;
      const int64_t day = prev_date + static_cast<int64_t>(z >> 1) * ((z & 1) ? -1 : 1) - ((z & 1) ? 1 : 0);
      if (day <= kNoDate || day > INT32_MAX) return corrupt("values section damaged");
      vals[i].date_days = static_cast<int32_t>(day);
      prev_date = day;
    }
    const uint64_t source = v.Varint(), category = v.Varint(), length = v.Varint(), title = v.Varint();
    if (source > 0xFFFF || category > 0xFFFF || length > 0xFFFFFFFFu || title > 0xFFFF)
      return corrupt("values section damaged");
    vals[i].source = static_cast<uint16_t>(source);
    vals[i].category = static_cast<uint16_t>(category);
    vals[i].length = static_cast<uint32_t>(length);
    vals[i].title_positions = static_cast<uint16_t>(title);
  }
  for (auto* names : {&sources_, &categories_}) {
    uint64_t n = v.Varint();
    if (n > 0x10000) return corrupt("values section: too many names");
    for (uint64_t i = 0; i < n && v.ok(); ++i) names->emplace_back(v.LengthPrefixed());
  }
  if (!v.ok()) return corrupt("values section truncated");
  if (sources_.empty() || categories_.empty()) return corrupt("values section damaged");
  for (uint32_t i = 0; i < doc_count_; ++i) {
    if (vals[i].source >= sources_.size() || vals[i].category >= categories_.size())
      return corrupt("values section: source or category out of range");
  }
  // Dictionary block index.
  Decoder d(dict_);
  n_terms_ = d.Fixed32();
  uint32_t n_blocks = d.Fixed32();
  if (!d.ok() || static_cast<uint64_t>(n_blocks) * 4 > d.remaining())
    return corrupt("dictionary header damaged");
  const char* offs = d.pos();
  d.Skip(n_blocks * 4);
  dict_blocks_ = std::string_view(d.pos(), d.remaining());
  for (uint32_t b = 0; b < n_blocks; ++b) {
    uint32_t o = DecodeFixed32(offs + 4 * b);
    if (o >= dict_blocks_.size()) return corrupt("dictionary block offset out of bounds");
    block_offsets_.push_back(o);
    Decoder e(dict_blocks_.substr(o));
    e.Varint();
    block_heads_.emplace_back(e.LengthPrefixed());
    if (!e.ok()) return corrupt("dictionary block damaged");
  }
  // Ids: sorted, front-coded (shared prefix with the previous id, suffix,
  // local document), expanded here for FindId and IdOf.
  Decoder ids(ids_);
  n_ids_ = ids.Fixed32();
  // Each entry takes at least three bytes.
  if (!ids.ok() || n_ids_ != doc_count_ || ids.remaining() / 3 < n_ids_) return corrupt("ids section damaged");
  id_offsets_.assign(1, 0);
  id_offsets_.reserve(n_ids_ + 1);
  id_docs_.reserve(n_ids_);
  id_pool_.clear();
  doc_to_id_.assign(doc_count_, 0);
  std::string prev, cur;
  for (uint32_t i = 0; i < n_ids_; ++i) {
    uint64_t shared = ids.Varint();
    std::string_view suffix = ids.LengthPrefixed();
    uint32_t doc = ids.Varint32();
    if (!ids.ok() || shared > prev.size() || doc >= doc_count_) return corrupt("ids section damaged");
    cur.assign(prev, 0, shared);
    cur.append(suffix);
    if (cur < prev) return corrupt("ids section not sorted");
    // Front coding shrinks real ids a few times, not hundreds: more is
    // damage that would otherwise expand into gigabytes.
    if (id_pool_.size() + cur.size() > 256 * ids_.size() + (size_t{1} << 20)) return corrupt("ids section damaged");
    id_pool_ += cur;
    prev.swap(cur);
    id_offsets_.push_back(static_cast<uint32_t>(id_pool_.size()));
    id_docs_.push_back(doc);
    doc_to_id_[doc] = i;
  }
  if (!ids.empty()) return corrupt("ids section damaged");
  // Stored chunks.
  Decoder s(stored_);
  uint32_t n_chunks = s.Fixed32();
  if (!s.ok() || static_cast<uint64_t>(n_chunks) * 20 > s.remaining())
    return corrupt("stored section damaged");
  for (uint32_t c = 0; c < n_chunks; ++c) {
    Chunk ch{s.Fixed32(), s.Fixed64(), s.Fixed32(), s.Fixed32()};
    chunks_.push_back(ch);
  }
  stored_data_ = std::string_view(s.pos(), s.remaining());
  for (const Chunk& ch : chunks_) {
    if (ch.offset > stored_data_.size() || ch.comp_len > stored_data_.size() - ch.offset) {
      return corrupt("stored chunk out of bounds");
    }
  }
  return Status::Ok();
}

std::string_view SegmentReader::IdOf(uint32_t doc) const {
  uint32_t i = doc_to_id_[doc];
  return std::string_view(id_pool_).substr(id_offsets_[i], id_offsets_[i + 1] - id_offsets_[i]);
}

uint32_t SegmentReader::FindId(std::string_view id) const {
  auto key = [&](uint32_t i) {
    return std::string_view(id_pool_).substr(id_offsets_[i], id_offsets_[i + 1] - id_offsets_[i]);
  };
  uint32_t lo = 0, hi = n_ids_;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (key(mid) < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  // Several documents may share an id inside a segment (replaced ones);
  // return the last of them, the live one unless deleted.
  uint32_t found = kNoMoreDocs;
  for (uint32_t i = lo; i < n_ids_ && key(i) == id; ++i) {
    found = std::max(found == kNoMoreDocs ? 0 : found, id_docs_[i]);
  }
  return found;
}

namespace {

// Reads the entries of one dictionary block in order (docs/format/segment.md:
// front-coded keys, offsets as differences from the previous entry).
class DictBlockReader {
 public:
  explicit DictBlockReader(std::string_view block) : d_(block) {}
  // The next entry into *key and *info; false at the end of the block or on
  // damage (then damaged()).
  bool Next(std::string* key, TermInfo* info) {
    if (d_.empty()) return false;
    uint64_t shared = d_.Varint();
    std::string_view suffix = d_.LengthPrefixed();
    const uint64_t df = d_.Varint();
    info->df = static_cast<uint32_t>(df >> 1);
    info->positionless = (df & 1) != 0;
    info->postings_offset = postings_ += d_.Varint();
    info->positions_offset = positions_ += d_.Varint();
    info->variant = info->variant_df = 0;
    if (!d_.ok() || shared > key->size()) {
      damaged_ = true;
      return false;
    }
    key->resize(shared);
    key->append(suffix);
    return true;
  }
  bool damaged() const { return damaged_; }

 private:
  Decoder d_;
  uint64_t postings_ = 0, positions_ = 0;
  bool damaged_ = false;
};

}  // namespace

std::string_view SegmentReader::DictBlock(size_t b) const {
  size_t end = b + 1 < block_offsets_.size() ? block_offsets_[b + 1] : dict_blocks_.size();
  return dict_blocks_.substr(block_offsets_[b], end - block_offsets_[b]);
}

bool SegmentReader::ForEachTermImpl(const std::function<bool(std::string_view, const TermInfo&)>& fn) const {
  std::string key;
  TermInfo info;
  for (size_t b = 0; b < block_offsets_.size(); ++b) {
    DictBlockReader r(DictBlock(b));
    while (r.Next(&key, &info)) {
      if (!fn(key, info)) return false;
    }
    if (r.damaged()) return false;
  }
  return true;
}

bool SegmentReader::LookupTerm(std::string_view target, TermInfo* info) const {
  if (!target.empty() && target[0] == kVariantSpace) {
    size_t zero = target.find('\0');
    if (zero == std::string_view::npos) return false;
    return FindVariant(target.substr(1, zero - 1), target.substr(zero + 1), info);
  }
  // Last block whose head <= target.
  auto it = std::upper_bound(block_heads_.begin(), block_heads_.end(), target,
                             [](std::string_view t, const std::string& h) { return t < h; });
  if (it == block_heads_.begin()) return false;
  DictBlockReader r(DictBlock(static_cast<size_t>(it - block_heads_.begin()) - 1));
  std::string key;
  TermInfo found;
  while (r.Next(&key, &found)) {
    if (key == target) {
      *info = found;
      return found.postings_offset < postings_.size() && found.positions_offset < positions_.size();
    }
    if (key > target) return false;
  }
  return false;
}

// The variant table at the start of a stem's positions (docs/format/segment.md).
bool SegmentReader::FindVariant(std::string_view stem, std::string_view norm, TermInfo* info) const {
  std::string key(1, kStemSpace);
  key.append(stem);
  TermInfo s;
  if (!LookupTerm(key, &s)) return false;
  if (s.positionless) {
    // A stop word's forms are not told apart: the whole list.
    *info = s;
    return true;
  }
  Decoder d(positions_.substr(s.positions_offset));
  uint64_t table_bytes = d.Varint();
  if (!d.ok() || table_bytes > d.remaining()) return false;
  Decoder t(d.pos(), d.pos() + table_bytes);
  const uint32_t n = t.Varint32();
  for (uint32_t code = 0; code < n && t.ok(); ++code) {
    uint32_t df = t.Varint32();
    uint64_t pre = t.Varint();
    bool match;
    if (pre == 0) {
      match = t.LengthPrefixed() == norm;
    } else {
      uint64_t suf = t.Varint();
      if (pre > affixes_.size() || suf >= affixes_.size()) return false;  // damaged
      std::string_view prefix = affixes_[pre - 1];
      std::string_view suffix = affixes_[suf];
      match = norm.size() == prefix.size() + stem.size() + suffix.size() &&
              norm.substr(0, prefix.size()) == prefix && norm.substr(prefix.size(), stem.size()) == stem &&
              norm.substr(prefix.size() + stem.size()) == suffix;
    }
    if (match && t.ok()) {
      *info = s;
      info->variant = static_cast<uint32_t>(code + 1);
      info->variant_df = df;
      return true;
    }
  }
  return false;
}

void SegmentReader::TermsWithPrefix(std::string_view prefix,
                                    std::vector<std::pair<std::string, TermInfo>>* out, size_t limit) const {
  auto it = std::upper_bound(block_heads_.begin(), block_heads_.end(), prefix,
                             [](std::string_view t, const std::string& h) { return t < h; });
  size_t b = it == block_heads_.begin() ? 0 : static_cast<size_t>(it - block_heads_.begin()) - 1;
  std::string key;
  TermInfo info;
  for (; b < block_offsets_.size(); ++b) {
    DictBlockReader r(DictBlock(b));
    key.clear();
    while (r.Next(&key, &info)) {
      if (key.compare(0, prefix.size(), prefix) < 0) continue;
      if (key.compare(0, prefix.size(), prefix) > 0) return;
      out->emplace_back(key, info);
      if (out->size() >= limit) return;
    }
    if (r.damaged()) return;
  }
}

Status SegmentReader::ReadDocument(uint32_t doc, Document* out) const {
  if (doc >= doc_count_) return Status::NotFound(path_ + ": no document " + std::to_string(doc));
  auto it = std::upper_bound(chunks_.begin(), chunks_.end(), doc,
                             [](uint32_t d, const Chunk& c) { return d < c.first_doc; });
  if (it == chunks_.begin()) return Status::Corruption(path_ + ": stored chunk table damaged");
  const Chunk& ch = *(it - 1);
  const auto chunk_no = static_cast<uint32_t>(it - 1 - chunks_.begin());
  std::shared_ptr<const std::string> raw_ptr;
  {
    std::lock_guard<std::mutex> lock(chunk_cache_mu_);
    for (CachedChunk& c : chunk_cache_) {
      if (c.data != nullptr && c.chunk == chunk_no) {
        c.last_use = ++chunk_cache_tick_;
        raw_ptr = c.data;
        break;
      }
    }
  }
  if (raw_ptr == nullptr) {
    auto fresh = std::make_shared<std::string>(ch.raw_len, '\0');
    size_t n = ZSTD_decompress(fresh->data(), fresh->size(), stored_data_.data() + ch.offset, ch.comp_len);
    if (ZSTD_isError(n) || n != ch.raw_len)
      return Status::Corruption(path_ + ": stored chunk does not decompress");
    raw_ptr = fresh;
    std::lock_guard<std::mutex> lock(chunk_cache_mu_);
    CachedChunk* victim = &chunk_cache_[0];
    for (CachedChunk& c : chunk_cache_) {
      if (c.last_use < victim->last_use) victim = &c;
    }
    *victim = CachedChunk{chunk_no, ++chunk_cache_tick_, raw_ptr};
  }
  const std::string& raw = *raw_ptr;
  Decoder d(raw);
  for (uint32_t i = ch.first_doc; i < doc && d.ok(); ++i) d.Skip(d.Fixed32());
  uint32_t len = d.Fixed32();
  Decoder r(d.Bytes(len));
  *out = Document();
  for (std::string* f : {&out->id, &out->title, &out->text, &out->date, &out->source, &out->url,
                         &out->category, &out->author}) {
    f->assign(r.LengthPrefixed());
  }
  out->indexed_text_bytes = r.Varint();
  uint64_t n_extra = r.Varint();
  for (uint64_t i = 0; i < n_extra && r.ok(); ++i) {
    std::string k(r.LengthPrefixed());
    std::string v(r.LengthPrefixed());
    out->extra.emplace_back(std::move(k), std::move(v));
  }
  uint64_t n_keywords = r.Varint();
  for (uint64_t i = 0; i < n_keywords && r.ok(); ++i) out->keywords.emplace_back(r.LengthPrefixed());
  if (!d.ok() || !r.ok())
    return Status::Corruption(path_ + ": stored document " + std::to_string(doc) + " damaged");
  return Status::Ok();
}

const SegmentReader::FacetTerms& SegmentReader::facet_terms() const {
  std::call_once(facet_once_, [this] {
    FacetTerms& f = facet_terms_;
    std::vector<std::pair<std::string, TermInfo>> terms;
    const std::string months(1, kKeywordSpace);
    TermsWithPrefix(months + "D:", &terms, SIZE_MAX);
    // Mentioned months only (kD:YYYY-MM), not years or days.
    terms.erase(
        std::remove_if(terms.begin(), terms.end(), [](const auto& t) { return t.first.size() != 3 + 7; }),
        terms.end());
    TermsWithPrefix(months + "E:", &terms, SIZE_MAX);
    std::vector<uint32_t> count(doc_count_ + 1, 0);
    for (const auto& [key, info] : terms) {
      for (PostingsIterator it(this, info); it.doc() != kNoMoreDocs; it.Next()) ++count[it.doc()];
    }
    f.doc_begin.assign(doc_count_ + 1, 0);
    for (uint32_t d = 0; d < doc_count_; ++d) f.doc_begin[d + 1] = f.doc_begin[d] + count[d];
    f.terms.assign(f.doc_begin[doc_count_], 0);
    std::vector<uint32_t> fill(f.doc_begin.begin(), f.doc_begin.end() - 1);
    for (uint32_t t = 0; t < terms.size(); ++t) {
      for (PostingsIterator it(this, terms[t].second); it.doc() != kNoMoreDocs; it.Next()) {
        f.terms[fill[it.doc()]++] = t;
      }
    }
    f.keys.reserve(terms.size());
    for (auto& t : terms) f.keys.push_back(std::move(t.first));
  });
  return facet_terms_;
}

std::unique_ptr<PostingsIterator> SegmentReader::Postings(const TermInfo& info) const {
  return std::make_unique<PostingsIterator>(this, info);
}

// ---------------------------------------------------------------------------

PostingsIterator::PostingsIterator(const SegmentReader* segment, const TermInfo& info)
    : seg_(segment), info_(info) {
  std::string_view post = seg_->postings_section();
  Decoder d(post.substr(std::min<uint64_t>(info.postings_offset, post.size())));
  n_blocks_ = d.Varint32();
  single_ = n_blocks_ == 1;
  auto fail = [&] {
    corrupt_ = true;
    doc_ = kNoMoreDocs;
    n_blocks_ = 0;
  };
  if (!d.ok() || n_blocks_ != (info.df + kBlockSize - 1) / kBlockSize) {
    fail();
    return;
  }
  if (!single_) {
    // The skip table: two bytes of field widths, then the entries.
    std::string_view desc = d.Bytes(2);
    if (desc.size() != 2) {
      fail();
      return;
    }
    const uint32_t widths = static_cast<unsigned char>(desc[0]) | static_cast<unsigned char>(desc[1]) << 8;
    for (size_t f = 0; f < kSkipFields; ++f) {
      skip_width_[f] = static_cast<uint8_t>(((widths >> (2 * f)) & 3) + 1);
      skip_off_[f] = static_cast<uint8_t>(skip_entry_);
      skip_entry_ += skip_width_[f];
    }
    if ((widths >> (2 * kSkipFields)) != 0 || static_cast<uint64_t>(n_blocks_) * skip_entry_ > d.remaining()) {
      fail();
      return;
    }
  }
  skip_ = d.pos();
  if (!single_) d.Skip(n_blocks_ * skip_entry_);
  uint64_t data_len = d.Varint();
  if (!d.ok() || data_len > d.remaining()) {
    fail();
    return;
  }
  data_ = d.pos();
  data_end_ = data_ + data_len;
  // The positions: a variant table (its size first), then the blocks.
  std::string_view pos = seg_->positions_section();
  Decoder p(pos.substr(std::min<uint64_t>(info.positions_offset, pos.size())));
  uint64_t table_bytes = p.Varint();
  if (!p.ok() || table_bytes > p.remaining()) {
    fail();
    return;
  }
  if (table_bytes > 0) {
    Decoder t(p.pos(), p.pos() + table_bytes);
    n_variants_ = t.Varint32();
    if (!t.ok() || n_variants_ == 0 || info.variant > n_variants_) {
      fail();
      return;
    }
  } else if (info.variant != 0) {
    fail();
    return;
  }
  pos_base_ = static_cast<uint64_t>(p.pos() - pos.data()) + table_bytes;
  // A stem with one variant: that variant is the whole list.
  filter_ = info.variant != 0 && n_variants_ > 1;
  if (!single_) {
    for (uint32_t b = 0; b < n_blocks_; ++b) {
      max_freq_ = std::max(max_freq_, BlockMaxFreq(b));
      min_len_ = std::min(min_len_, BlockMinLen(b));
    }
  }
  if (n_blocks_ == 0 || !LoadBlock(0)) {
    doc_ = kNoMoreDocs;
    return;
  }
  if (single_) {
    LoadFreqs();
    for (uint32_t i = 0; i < count_; ++i) {
      max_freq_ = std::max(max_freq_, freqs_[i]);
      min_len_ = std::min(min_len_, seg_->values(docs_[i]).length);
    }
    single_last_ = docs_[count_ - 1];
  }
}

uint32_t PostingsIterator::SkipField(uint32_t b, int field) const {
  if (single_) {  // no skip table: the one block's figures
    switch (field) {
      case 0:
        return single_last_;
      case 3:
        return max_freq_;
      case 4:
        return min_len_;
      default:
        return 0;  // data and positions offsets
    }
  }
  const auto* p = reinterpret_cast<const unsigned char*>(skip_) + size_t{b} * skip_entry_ + skip_off_[field];
  uint32_t v = 0;
  for (int i = skip_width_[field] - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

bool PostingsIterator::LoadBlock(uint32_t b) {
  for (;; ++b) {
    if (b >= n_blocks_) {
      doc_ = kNoMoreDocs;
      cur_block_ = n_blocks_;
      return false;
    }
    uint32_t off = BlockDataOff(b);
    uint32_t end = b + 1 < n_blocks_ ? BlockDataOff(b + 1) : static_cast<uint32_t>(data_end_ - data_);
    if (off > end || end > static_cast<uint32_t>(data_end_ - data_)) {
      corrupt_ = true;
      doc_ = kNoMoreDocs;
      return false;
    }
    Decoder d(data_ + off, data_ + end);
    count_ = b + 1 < n_blocks_ ? kBlockSize : info_.df - b * kBlockSize;
    uint32_t prev = b == 0 ? kNoMoreDocs : BlockLast(b - 1);
    const uint32_t max_doc = seg_->doc_count();
    // Runs of gaps and of frequencies - 1; the frequencies are decoded on
    // first use (many blocks are only skipped through).
    bool bad = !GetPackedRun(&d, docs_, count_);
    freq_run_ = d.pos();
    freq_end_ = data_ + end;
    freqs_ready_ = false;
    bad |= !SkipPackedRun(&d, count_);
    for (uint32_t i = 0; i < count_ && !bad; ++i) {
      uint64_t next = prev == kNoMoreDocs ? uint64_t{docs_[i]} : uint64_t{prev} + docs_[i] + 1;
      bad |= next >= max_doc;
      prev = static_cast<uint32_t>(next);
      docs_[i] = prev;
    }
    if (bad || !d.ok() || (!single_ && docs_[count_ - 1] != BlockLast(b))) {
      corrupt_ = true;
      doc_ = kNoMoreDocs;
      return false;
    }
    loaded_block_ = cur_block_ = b;
    idx_ = 0;
    block_count_ = count_;
    std::string_view pos = seg_->positions_section();
    uint64_t p = pos_base_ + BlockPosOff(b);
    pos_cursor_ = p <= pos.size() ? pos.data() + p : pos.data() + pos.size();
    counts_ready_ = false;
    if (filter_) {
      if (!LoadFreqs() || !LoadCounts()) {
        corrupt_ = true;
        doc_ = kNoMoreDocs;
        return false;
      }
      if (!FilterVariant()) {
        if (corrupt_) {
          doc_ = kNoMoreDocs;
          return false;
        }
        continue;  // no document of this block holds the form
      }
    }
    doc_ = docs_[0];
    return true;
  }
}

bool PostingsIterator::LoadFreqs() {
  if (freqs_ready_) return true;
  Decoder d(freq_run_, freq_end_);
  if (!GetPackedRun(&d, freqs_, block_count_)) {
    corrupt_ = true;
    std::fill(freqs_, freqs_ + block_count_, 1u);
    return false;
  }
  for (uint32_t i = 0; i < block_count_; ++i) {
    if (freqs_[i] == 0xFFFFFFFFu) corrupt_ = true;
    ++freqs_[i];
  }
  freqs_ready_ = true;
  return !corrupt_;
}

bool PostingsIterator::LoadCounts() {
  if (!LoadFreqs()) return false;
  // The block's position counts, stored as freq - npos (the title
  // occurrences); then, for a stem with several variants, runs of the codes
  // of all the block's positions; then runs of their deltas. Runs are
  // located here (codes) or as needed (deltas) and decoded only when a
  // document's positions or codes are asked for (DecodeRuns): the rerank
  // reads one document of a block. Reads freqs_ as loaded (before a
  // variant's filter).
  std::string_view pos = seg_->positions_section();
  Decoder d(pos_cursor_, pos.data() + pos.size());
  if (!GetPackedRun(&d, title_, block_count_)) return false;
  uint64_t total = 0;
  pos_begin_[0] = 0;
  for (uint32_t i = 0; i < block_count_; ++i) {
    if (title_[i] > freqs_[i]) return false;
    if (!info_.positionless) total += freqs_[i] - title_[i];
    pos_begin_[i + 1] = static_cast<uint32_t>(std::min<uint64_t>(total, 0xFFFFFFFFu));
  }
  // A run of up to 128 values takes at least a byte: more than the section
  // holds is damage.
  if (total > uint64_t{d.remaining()} * kMaxPackedRun) return false;
  const uint32_t n_runs = static_cast<uint32_t>((total + kMaxPackedRun - 1) / kMaxPackedRun);
  code_runs_.clear();
  if (n_variants_ > 1) {
    codes_.resize(total);
    for (uint32_t r = 0; r < n_runs; ++r) {
      code_runs_.push_back({d.pos(), false});
      if (!SkipPackedRun(&d, RunLength(r))) return false;
    }
  }
  pos_flat_.resize(total);
  delta_runs_.assign(n_runs, {nullptr, false});
  if (n_runs > 0) delta_runs_[0].at = d.pos();
  counts_ready_ = true;
  return !filter_ || DecodeRuns(&code_runs_, &codes_, 0, n_runs);
}

uint32_t PostingsIterator::RunLength(uint32_t r) const {
  const uint32_t total = pos_begin_[block_count_];
  return std::min<uint32_t>(kMaxPackedRun, total - r * static_cast<uint32_t>(kMaxPackedRun));
}

bool PostingsIterator::DecodeRuns(std::vector<Run>* runs, std::vector<uint32_t>* out, uint32_t lo, uint32_t hi) {
  std::string_view pos = seg_->positions_section();
  // The start of run r is known once run r - 1 was read or skipped.
  uint32_t r = lo;
  while (r > 0 && (*runs)[r].at == nullptr) --r;
  for (; r < hi; ++r) {
    Run& run = (*runs)[r];
    const bool want = r >= lo;
    const bool next_known = r + 1 >= runs->size() || (*runs)[r + 1].at != nullptr;
    if ((run.decoded || !want) && next_known) continue;
    Decoder d(run.at, pos.data() + pos.size());
    if (want && !run.decoded) {
      if (!GetPackedRun(&d, out->data() + size_t{r} * kMaxPackedRun, RunLength(r))) return false;
      run.decoded = true;
    } else if (!SkipPackedRun(&d, RunLength(r))) {
      return false;
    }
    if (r + 1 < runs->size()) (*runs)[r + 1].at = d.pos();
  }
  return true;
}

// The runs holding values [begin, end) of the block's positions, decoded.
bool PostingsIterator::DecodeRange(std::vector<Run>* runs, std::vector<uint32_t>* out, uint32_t begin,
                                   uint32_t end) {
  if (begin >= end) return true;
  return DecodeRuns(runs, out, begin / kMaxPackedRun, (end - 1) / kMaxPackedRun + 1);
}

bool PostingsIterator::FilterVariant() {
  const uint32_t want = info_.variant - 1;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < block_count_; ++i) {
    // The first title_[i] positions of a document are its title's.
    uint32_t title = 0, body = 0;
    const uint32_t begin = pos_begin_[i], end = pos_begin_[i + 1], title_end = begin + title_[i];
    for (uint32_t k = begin; k < end; ++k) {
      if (codes_[k] >= n_variants_) {
        corrupt_ = true;
        return false;
      }
      if (codes_[k] == want) ++(k < title_end ? title : body);
    }
    if (title + body == 0) continue;
    docs_[kept] = docs_[i];
    freqs_[kept] = kTitleWeight * title + body;
    orig_[kept] = i;
    ++kept;
  }
  count_ = kept;
  return kept > 0;
}

uint32_t PostingsIterator::Next() {
  if (doc_ == kNoMoreDocs) return doc_;
  if (++idx_ < count_) return doc_ = docs_[idx_];
  LoadBlock(loaded_block_ + 1);
  return doc_;
}

uint32_t PostingsIterator::Advance(uint32_t target) {
  if (doc_ == kNoMoreDocs || doc_ >= target) return doc_;
  if (target > BlockLast(loaded_block_)) {
    uint32_t b = loaded_block_ + 1;
    while (b < n_blocks_ && BlockLast(b) < target) ++b;
    if (!LoadBlock(b)) return doc_;
  }
  while (idx_ < count_ && docs_[idx_] < target) ++idx_;
  if (idx_ >= count_) {
    // A variant's block may end before the block's last document.
    if (filter_) {
      LoadBlock(loaded_block_ + 1);
      return doc_;
    }
    corrupt_ = true;  // cannot happen: the block's last doc is >= target
    return doc_ = kNoMoreDocs;
  }
  return doc_ = docs_[idx_];
}

bool PostingsIterator::ShallowAdvance(uint32_t target) {
  while (cur_block_ < n_blocks_ && BlockLast(cur_block_) < target) ++cur_block_;
  return cur_block_ < n_blocks_;
}

uint32_t PostingsIterator::VariantFreq(uint32_t variant) {
  if (doc_ == kNoMoreDocs || variant == 0 || filter_) return 0;
  if (n_variants_ <= 1) return variant == 1 ? freq() : 0;
  if (!counts_ready_ && !LoadCounts()) {
    corrupt_ = true;
    return 0;
  }
  const uint32_t want = variant - 1, begin = pos_begin_[idx_], end = pos_begin_[idx_ + 1];
  if (!DecodeRange(&code_runs_, &codes_, begin, end)) {
    corrupt_ = true;
    return 0;
  }
  const uint32_t title_end = begin + title_[idx_];
  uint32_t freq = 0;
  for (uint32_t k = begin; k < end; ++k) {
    if (codes_[k] >= n_variants_) {
      corrupt_ = true;
      return 0;
    }
    if (codes_[k] == want) freq += k < title_end ? kTitleWeight : 1;
  }
  return freq;
}

uint32_t PostingsIterator::TitleOccurrences() {
  if (doc_ == kNoMoreDocs) return 0;
  if (!counts_ready_ && !LoadCounts()) {
    corrupt_ = true;
    return 0;
  }
  return title_[filter_ ? orig_[idx_] : idx_];
}

void PostingsIterator::Positions(std::vector<uint32_t>* out) {
  out->clear();
  if (doc_ == kNoMoreDocs) return;
  if (!counts_ready_ && !LoadCounts()) {
    corrupt_ = true;
    return;
  }
  const uint32_t i = filter_ ? orig_[idx_] : idx_;
  if (!DecodeRange(&delta_runs_, &pos_flat_, pos_begin_[i], pos_begin_[i + 1])) {
    corrupt_ = true;
    return;
  }
  uint32_t p = 0;
  if (filter_) {
    const uint32_t want = info_.variant - 1;
    for (uint32_t k = pos_begin_[i]; k < pos_begin_[i + 1]; ++k) {
      p += pos_flat_[k];
      if (codes_[k] == want) out->push_back(p);
    }
    return;
  }
  for (uint32_t k = pos_begin_[i]; k < pos_begin_[i + 1]; ++k) {
    p += pos_flat_[k];
    out->push_back(p);
  }
}

}  // namespace rasid::index
