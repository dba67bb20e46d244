// IndexWriter and IndexReader: the manifest, deletions, the writer lock,
// commits and background merges.
#include "rasid/index/index.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <map>
#include <unordered_map>

#include "rasid/base/file.h"
#include "rasid/index/coding.h"
#include "segment_format.h"

namespace rasid::index {

namespace {

constexpr char kManifestMagic[9] = "RASIDMAN";
constexpr char kDelMagic[9] = "RASIDDEL";
constexpr uint32_t kManifestVersion = 1;
constexpr uint32_t kDelVersion = 1;

struct ManifestEntry {
  uint64_t id = 0;
  uint32_t doc_count = 0;
  uint32_t del_gen = 0;
  uint32_t live_count = 0;
};

struct Manifest {
  uint64_t generation = 0;
  uint64_t next_segment_id = 1;
  std::vector<ManifestEntry> segments;
};

std::string SegName(uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg_%06llu.rsg", static_cast<unsigned long long>(id));
  return buf;
}
std::string DelName(uint64_t id, uint32_t gen) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "seg_%06llu.del%u", static_cast<unsigned long long>(id), gen);
  return buf;
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(dir + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::IOError(dir + ": fsync failed: " + std::strerror(errno));
  return Status::Ok();
}

Result<Manifest> ReadManifest(const std::string& dir) {
  std::string path = dir + "/MANIFEST";
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) {
    if (data.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("no index at " + dir + " (no MANIFEST; create one with rasid ingest)");
    }
    return data.status();
  }
  const std::string& s = *data;
  if (s.size() < 8 + 4 + 8 + 8 + 4 + 4 || s.compare(0, 8, kManifestMagic) != 0) {
    return Status::Corruption(path + ": not a rasid manifest (bad magic or too short)");
  }
  uint32_t crc = DecodeFixed32(s.data() + s.size() - 4);
  if (Crc32(std::string_view(s).substr(0, s.size() - 4)) != crc) return Status::Corruption(path + ": checksum mismatch");
  Decoder d(std::string_view(s).substr(8, s.size() - 12));
  uint32_t version = d.Fixed32();
  if (version != kManifestVersion) {
    return Status::Unsupported(path + ": manifest version " + std::to_string(version) + " (this rasid reads " +
                               std::to_string(kManifestVersion) + ")");
  }
  Manifest m;
  m.generation = d.Fixed64();
  m.next_segment_id = d.Fixed64();
  uint32_t n = d.Fixed32();
  if (!d.ok() || static_cast<uint64_t>(n) * 20 > d.remaining()) return Status::Corruption(path + ": damaged");
  for (uint32_t i = 0; i < n; ++i) {
    ManifestEntry e;
    e.id = d.Fixed64();
    e.doc_count = d.Fixed32();
    e.del_gen = d.Fixed32();
    e.live_count = d.Fixed32();
    m.segments.push_back(e);
  }
  if (!d.ok()) return Status::Corruption(path + ": damaged");
  return m;
}

Status WriteManifest(const std::string& dir, const Manifest& m) {
  std::string s(kManifestMagic, 8);
  PutFixed32(&s, kManifestVersion);
  PutFixed64(&s, m.generation);
  PutFixed64(&s, m.next_segment_id);
  PutFixed32(&s, static_cast<uint32_t>(m.segments.size()));
  for (const ManifestEntry& e : m.segments) {
    PutFixed64(&s, e.id);
    PutFixed32(&s, e.doc_count);
    PutFixed32(&s, e.del_gen);
    PutFixed32(&s, e.live_count);
  }
  PutFixed32(&s, Crc32(s));
  std::string tmp = dir + "/MANIFEST.tmp";
  RASID_RETURN_IF_ERROR(WriteFileDurably(tmp, {s}));
  if (::rename(tmp.c_str(), (dir + "/MANIFEST").c_str()) != 0) {
    return Status::IOError(dir + "/MANIFEST: rename failed: " + std::strerror(errno));
  }
  return SyncDir(dir);
}

Status WriteDeletions(const std::string& path, uint64_t seg_id, const std::vector<bool>& del) {
  std::string s(kDelMagic, 8);
  PutFixed32(&s, kDelVersion);
  PutFixed64(&s, seg_id);
  PutFixed32(&s, static_cast<uint32_t>(del.size()));
  std::string bits((del.size() + 7) / 8, '\0');
  for (size_t i = 0; i < del.size(); ++i) {
    if (del[i]) bits[i / 8] = static_cast<char>(bits[i / 8] | (1 << (i % 8)));
  }
  s += bits;
  PutFixed32(&s, Crc32(s));
  return WriteFileDurably(path, {s});
}

Result<std::shared_ptr<const std::vector<bool>>> ReadDeletions(const std::string& path, uint64_t seg_id,
                                                               uint32_t doc_count) {
  Result<std::string> data = ReadFile(path);
  if (!data.ok()) return data.status();
  const std::string& s = *data;
  size_t want = 8 + 4 + 8 + 4 + (doc_count + 7) / 8 + 4;
  if (s.size() < 12 || s.compare(0, 8, kDelMagic) != 0) return Status::Corruption(path + ": not a deletion file");
  if (DecodeFixed32(s.data() + 8) != kDelVersion) {
    return Status::Unsupported(path + ": deletion file version " + std::to_string(DecodeFixed32(s.data() + 8)));
  }
  if (s.size() != want) return Status::Corruption(path + ": damaged deletion file");
  if (Crc32(std::string_view(s).substr(0, s.size() - 4)) != DecodeFixed32(s.data() + s.size() - 4)) {
    return Status::Corruption(path + ": checksum mismatch");
  }
  if (DecodeFixed32(s.data() + 8) != kDelVersion || DecodeFixed64(s.data() + 12) != seg_id ||
      DecodeFixed32(s.data() + 20) != doc_count) {
    return Status::Corruption(path + ": deletion file does not match its segment");
  }
  auto del = std::make_shared<std::vector<bool>>(doc_count);
  for (uint32_t i = 0; i < doc_count; ++i) (*del)[i] = (s[24 + i / 8] >> (i % 8)) & 1;
  return std::shared_ptr<const std::vector<bool>>(del);
}

uint32_t CountLive(const std::vector<bool>* del, uint32_t n) {
  if (del == nullptr) return n;
  return static_cast<uint32_t>(std::count(del->begin(), del->end(), false));
}

}  // namespace

// ---------------------------------------------------------------------------
// IndexReader

Result<std::shared_ptr<IndexReader>> IndexReader::Open(const std::string& dir) {
  Status last;
  uint64_t last_generation = 0;
  // A writer may commit (and remove merged-away files) between our reading
  // the manifest and opening its files: then read the new manifest. A file
  // still missing under the same manifest generation is damage.
  for (int attempt = 0; attempt < 10; ++attempt) {
    Result<Manifest> m = ReadManifest(dir);
    if (!m.ok()) return m.status();
    if (attempt > 0 && m->generation == last_generation) {
      return Status::Corruption(last.message() + " (named by MANIFEST generation " +
                                std::to_string(m->generation) + ")");
    }
    last_generation = m->generation;
    auto r = std::shared_ptr<IndexReader>(new IndexReader());
    r->dir_ = dir;
    r->stats_.generation = m->generation;
    uint64_t sum_len = 0;
    bool retry = false;
    for (const ManifestEntry& e : m->segments) {
      LiveSegment ls;
      auto seg = SegmentReader::Open(dir + "/" + SegName(e.id), e.id);
      if (!seg.ok()) {
        if (seg.status().code() == Status::Code::kNotFound) { retry = true; last = seg.status(); break; }
        return seg.status();
      }
      ls.reader = *seg;
      if (ls.reader->doc_count() != e.doc_count) {
        return Status::Corruption(ls.reader->path() + ": document count differs from the manifest");
      }
      if (e.del_gen > 0) {
        auto del = ReadDeletions(dir + "/" + DelName(e.id, e.del_gen), e.id, e.doc_count);
        if (!del.ok()) {
          if (del.status().code() == Status::Code::kNotFound) { retry = true; last = del.status(); break; }
          return del.status();
        }
        ls.deleted = *del;
      }
      ls.del_gen = e.del_gen;
      ls.live_count = CountLive(ls.deleted.get(), e.doc_count);
      r->stats_.documents += ls.live_count;
      r->stats_.max_docs += e.doc_count;
      r->stats_.bytes += ls.reader->file_bytes();
      sum_len += ls.reader->sum_length();
      r->segments_.push_back(std::move(ls));
    }
    if (retry) continue;
    r->stats_.segments = r->segments_.size();
    r->stats_.avg_length = r->stats_.max_docs ? static_cast<double>(sum_len) / r->stats_.max_docs : 0;
    return r;
  }
  return last;
}

uint64_t IndexReader::DocFreq(std::string_view key) const {
  uint64_t df = 0;
  TermInfo info;
  for (const LiveSegment& s : segments_) {
    if (s.reader->LookupTerm(key, &info)) df += info.match_df();
  }
  return df;
}

Status IndexReader::GetDocument(std::string_view id, Document* out) const {
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    uint32_t doc = it->reader->FindId(id);
    if (doc != kNoMoreDocs && !it->IsDeleted(doc)) return it->reader->ReadDocument(doc, out);
  }
  return Status::NotFound("no document with id '" + std::string(id) + "'");
}

// ---------------------------------------------------------------------------
// IndexWriter

struct IndexWriter::Seg {
  uint64_t id = 0;
  std::shared_ptr<SegmentReader> reader;
  std::shared_ptr<const std::vector<bool>> deleted;
  uint32_t del_gen = 0;
  bool dirty = false;           // deletions changed since the last commit
  std::vector<uint64_t> seqs;   // pending segments only
  uint32_t live() const { return CountLive(deleted.get(), reader->doc_count()); }
  // Marks `doc` deleted (copy on write, so readers' snapshots stay intact).
  void Delete(uint32_t doc) {
    if (deleted && (*deleted)[doc]) return;
    auto copy = deleted ? std::make_shared<std::vector<bool>>(*deleted)
                        : std::make_shared<std::vector<bool>>(reader->doc_count());
    (*copy)[doc] = true;
    deleted = copy;
    dirty = true;
  }
  bool IsDeleted(uint32_t doc) const { return deleted && (*deleted)[doc]; }
};

std::string IndexWriter::SegPath(uint64_t id) const { return dir_ + "/" + SegName(id); }
std::string IndexWriter::DelPath(uint64_t id, uint32_t gen) const { return dir_ + "/" + DelName(id, gen); }

Result<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& dir, const WriterOptions& options) {
  // Create the folder and its parents (mkdir -p).
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    std::string part = dir.substr(0, slash);
    if (!part.empty() && ::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
      return Status::IOError(part + ": cannot create: " + std::strerror(errno));
    }
    if (slash == std::string::npos) break;
  }
  std::unique_ptr<IndexWriter> w(new IndexWriter());
  w->dir_ = dir;
  w->options_ = options;
  std::string lock_path = dir + "/LOCK";
  w->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (w->lock_fd_ < 0) return Status::IOError(lock_path + ": " + std::strerror(errno));
  if (::flock(w->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[512] = {0};
    ssize_t n = ::pread(w->lock_fd_, buf, sizeof buf - 1, 0);
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "another process";
    while (!holder.empty() && holder.back() == '\n') holder.pop_back();
    ::close(w->lock_fd_);
    w->lock_fd_ = -1;
    return Status::IOError("index " + dir + " is locked by " + holder);
  }
  char info[256];
  std::time_t now = std::time(nullptr);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  int len = std::snprintf(info, sizeof info, "pid %d (rasid, since %s)\n", static_cast<int>(::getpid()), when);
  if (::ftruncate(w->lock_fd_, 0) != 0 || ::pwrite(w->lock_fd_, info, static_cast<size_t>(len), 0) != len) {
    // The lock is held; failing to describe it is not fatal.
  }
  {
    std::lock_guard<std::mutex> lock(w->mu_);
    RASID_RETURN_IF_ERROR(w->LoadLocked());
    w->RemoveUnreferencedLocked();
  }
  if (options.background_merges) w->merger_ = std::thread([p = w.get()] { p->MergeLoop(); });
  return w;
}

IndexWriter::~IndexWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (merger_.joinable()) merger_.join();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

Status IndexWriter::LoadLocked() {
  Result<Manifest> m = ReadManifest(dir_);
  if (!m.ok()) {
    if (m.status().code() != Status::Code::kNotFound) return m.status();
    // No manifest: a new index, unless segment files say one was lost.
    if (DIR* d = ::opendir(dir_.c_str())) {
      bool has_segments = false;
      while (dirent* e = ::readdir(d)) has_segments |= std::string(e->d_name).rfind("seg_", 0) == 0;
      ::closedir(d);
      if (has_segments) {
        return Status::Corruption(dir_ + ": segment files but no MANIFEST; refusing to treat it as a new index");
      }
    }
    return WriteManifestLocked();
  }
  generation_ = m->generation;
  next_segment_id_ = m->next_segment_id;
  for (const ManifestEntry& e : m->segments) {
    auto s = std::make_shared<Seg>();
    s->id = e.id;
    // The writer holds the lock: a file the manifest names cannot be
    // missing for any reason but damage.
    auto missing_is_damage = [&](const Status& st) {
      return st.code() == Status::Code::kNotFound
                 ? Status::Corruption(st.message() + " (named by MANIFEST generation " + std::to_string(generation_) + ")")
                 : st;
    };
    auto r = SegmentReader::Open(SegPath(e.id), e.id);
    if (!r.ok()) return missing_is_damage(r.status());
    s->reader = *r;
    if (e.del_gen > 0) {
      auto del = ReadDeletions(DelPath(e.id, e.del_gen), e.id, e.doc_count);
      if (!del.ok()) return missing_is_damage(del.status());
      s->deleted = *del;
    }
    s->del_gen = e.del_gen;
    segs_.push_back(s);
  }
  return Status::Ok();
}

void IndexWriter::RemoveUnreferencedLocked() {
  DIR* d = ::opendir(dir_.c_str());
  if (d == nullptr) return;
  std::vector<std::string> keep = {"MANIFEST", "LOCK"};
  for (const auto& s : segs_) {
    keep.push_back(SegName(s->id));
    if (s->del_gen > 0) keep.push_back(DelName(s->id, s->del_gen));
  }
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    bool ours = name.rfind("seg_", 0) == 0 || name == "MANIFEST.tmp";
    if (ours && std::find(keep.begin(), keep.end(), name) == keep.end()) ::unlink((dir_ + "/" + name).c_str());
  }
  ::closedir(d);
}

Status IndexWriter::WriteManifestLocked() {
  Manifest m;
  m.generation = generation_ + 1;
  m.next_segment_id = next_segment_id_;
  for (const auto& s : segs_) {
    m.segments.push_back({s->id, s->reader->doc_count(), s->del_gen, s->live()});
  }
  RASID_RETURN_IF_ERROR(WriteManifest(dir_, m));
  generation_ = m.generation;
  return Status::Ok();
}

Status IndexWriter::AddSegment(SegmentBuilder* builder) {
  if (builder->doc_count() == 0) return Status::Ok();
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_segment_id_++;
  }
  RASID_RETURN_IF_ERROR(builder->Write(SegPath(id), id));
  auto r = SegmentReader::Open(SegPath(id), id, /*verify_sections=*/false);  // just written
  if (!r.ok()) return r.status();
  auto s = std::make_shared<Seg>();
  s->id = id;
  s->reader = *r;
  s->seqs = builder->seqs();
  const std::vector<bool>& del = builder->deleted();
  if (std::find(del.begin(), del.end(), true) != del.end()) {
    s->deleted = std::make_shared<std::vector<bool>>(del);
    s->dirty = true;
  }
  std::lock_guard<std::mutex> lock(mu_);
  pending_.push_back(s);
  return Status::Ok();
}

Status IndexWriter::DeleteById(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_deletes_.emplace_back(id);
  return Status::Ok();
}

Status IndexWriter::Commit() {
  std::unique_lock<std::mutex> lock(mu_);
  // Newer documents replace older ones with the same id: committed segments
  // are older than pending ones; among pending ones the input order (seq) decides.
  std::unordered_map<std::string_view, std::pair<Seg*, uint32_t>> newest;
  for (const auto& p : pending_) {
    const SegmentReader& r = *p->reader;
    for (uint32_t d = 0; d < r.doc_count(); ++d) {
      if (p->IsDeleted(d)) continue;
      std::string_view id = r.IdOf(d);
      auto [it, inserted] = newest.emplace(id, std::make_pair(p.get(), d));
      if (!inserted) {
        auto [q, qd] = it->second;
        if (q->seqs[qd] < p->seqs[d]) {
          q->Delete(qd);
          it->second = {p.get(), d};
        } else {
          p->Delete(d);
        }
      }
    }
  }
  if (!segs_.empty()) {
    for (const auto& [id, where] : newest) {
      for (const auto& s : segs_) {
        uint32_t d = s->reader->FindId(id);
        if (d != kNoMoreDocs) s->Delete(d);
      }
    }
  }
  for (const std::string& id : pending_deletes_) {
    for (const auto* list : {&segs_, &pending_}) {
      for (const auto& s : *list) {
        uint32_t d = s->reader->FindId(id);
        if (d != kNoMoreDocs) s->Delete(d);
      }
    }
  }
  // New deletion files, then the manifest.
  std::vector<std::string> obsolete;
  for (const auto* list : {&segs_, &pending_}) {
    for (const auto& s : *list) {
      if (!s->dirty) continue;
      uint32_t gen = s->del_gen + 1;
      RASID_RETURN_IF_ERROR(WriteDeletions(DelPath(s->id, gen), s->id, *s->deleted));
      if (s->del_gen > 0) obsolete.push_back(DelPath(s->id, s->del_gen));
      s->del_gen = gen;
      s->dirty = false;
    }
  }
  RASID_RETURN_IF_ERROR(SyncDir(dir_));
  std::vector<std::shared_ptr<Seg>> before = segs_;
  for (auto& p : pending_) {
    p->seqs.clear();
    p->seqs.shrink_to_fit();
    segs_.push_back(p);
  }
  Status st = WriteManifestLocked();
  if (!st.ok()) {
    segs_ = before;
    return st;
  }
  pending_.clear();
  pending_deletes_.clear();
  for (const std::string& f : obsolete) ::unlink(f.c_str());
  lock.unlock();
  cv_.notify_all();
  return Status::Ok();
}

IndexStats IndexWriter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  IndexStats st;
  uint64_t sum = 0;
  for (const auto& s : segs_) {
    st.documents += s->live();
    st.max_docs += s->reader->doc_count();
    st.bytes += s->reader->file_bytes();
    sum += s->reader->sum_length();
  }
  st.segments = segs_.size();
  st.avg_length = st.max_docs ? static_cast<double>(sum) / st.max_docs : 0;
  st.generation = generation_;
  return st;
}

// Tiered merging: segments are grouped in tiers of document count (powers of
// merge_factor); when a tier holds more than merge_factor segments, its
// smallest merge_factor segments are merged into one.
std::vector<uint64_t> IndexWriter::PickMergeLocked() const {
  const size_t f = std::max<size_t>(2, options_.merge_factor);
  std::map<int, std::vector<std::pair<uint32_t, uint64_t>>> tiers;
  for (const auto& s : segs_) {
    uint32_t live = s->live();
    int tier = 0;
    for (uint64_t x = live; x >= f; x /= f) ++tier;
    tiers[tier].emplace_back(live, s->id);
  }
  for (auto& [tier, v] : tiers) {
    if (v.size() <= f) continue;
    std::sort(v.begin(), v.end());
    std::vector<uint64_t> ids;
    for (size_t i = 0; i < f; ++i) ids.push_back(v[i].second);
    return ids;
  }
  return {};
}

void IndexWriter::MergeLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    std::vector<uint64_t> pick = PickMergeLocked();
    if (pick.empty() || !merge_status_.ok()) {
      cv_.wait(lock);
      continue;
    }
    merging_ = true;
    lock.unlock();
    Status st = MergeSegments(pick);
    lock.lock();
    merging_ = false;
    if (!st.ok()) merge_status_ = st;
    cv_.notify_all();
  }
}

Status IndexWriter::WaitForMerges() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!options_.background_merges) {
    for (;;) {
      std::vector<uint64_t> pick = PickMergeLocked();
      if (pick.empty()) break;
      lock.unlock();
      RASID_RETURN_IF_ERROR(MergeSegments(pick));
      lock.lock();
    }
    return Status::Ok();
  }
  cv_.notify_all();
  cv_.wait(lock, [&] { return (!merging_ && PickMergeLocked().empty()) || !merge_status_.ok(); });
  return merge_status_;
}

Status IndexWriter::ForceMerge() {
  std::vector<uint64_t> ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& s : segs_) ids.push_back(s->id);
  }
  if (ids.size() <= 1) return Status::Ok();
  RASID_RETURN_IF_ERROR(WaitForMerges());
  {
    std::lock_guard<std::mutex> lock(mu_);
    ids.clear();
    for (const auto& s : segs_) ids.push_back(s->id);
  }
  return ids.size() <= 1 ? Status::Ok() : MergeSegments(ids);
}

}  // namespace rasid::index

namespace rasid::index {

// Merging rebuilds the postings by re-analysing the stored documents of the
// merged segments: simple and always consistent with the current analysis;
// a postings-level merge would save the analysis time (about half of it).
Status IndexWriter::MergeSegments(const std::vector<uint64_t>& ids) {
  std::vector<std::shared_ptr<Seg>> src;
  std::vector<std::shared_ptr<const std::vector<bool>>> snapshot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (uint64_t id : ids) {
      auto it = std::find_if(segs_.begin(), segs_.end(), [&](const auto& s) { return s->id == id; });
      if (it == segs_.end()) return Status::Ok();  // the set changed; pick again
      src.push_back(*it);
      snapshot.push_back((*it)->deleted);
    }
  }
  auto analyzer = analysis::Analyzer::Create(IndexAnalyzerOptions());
  if (!analyzer.ok()) return analyzer.status();
  SegmentBuilder builder;
  std::vector<std::pair<uint32_t, uint32_t>> origin;  // merged doc -> (source, doc)
  Document doc;
  for (uint32_t i = 0; i < src.size(); ++i) {
    const SegmentReader& r = *src[i]->reader;
    for (uint32_t d = 0; d < r.doc_count(); ++d) {
      if (snapshot[i] && (*snapshot[i])[d]) continue;
      RASID_RETURN_IF_ERROR(r.ReadDocument(d, &doc));
      builder.Add(doc, 0, analyzer->get());
      origin.emplace_back(i, d);
    }
  }
  uint64_t new_id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    new_id = next_segment_id_++;
  }
  auto merged = std::make_shared<Seg>();
  merged->id = new_id;
  if (builder.doc_count() > 0) {
    RASID_RETURN_IF_ERROR(builder.Write(SegPath(new_id), new_id));
    auto r = SegmentReader::Open(SegPath(new_id), new_id, /*verify_sections=*/false);  // just written
    if (!r.ok()) return r.status();
    merged->reader = *r;
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : src) {
    if (std::find(segs_.begin(), segs_.end(), s) == segs_.end()) {
      ::unlink(SegPath(new_id).c_str());
      return Status::Ok();
    }
  }
  // Deletions made while merging carry over to the merged segment.
  for (uint32_t k = 0; k < origin.size(); ++k) {
    auto [i, d] = origin[k];
    if (src[i]->IsDeleted(d)) merged->Delete(k);
  }
  if (merged->dirty) {
    merged->del_gen = 1;
    merged->dirty = false;
    RASID_RETURN_IF_ERROR(WriteDeletions(DelPath(new_id, 1), new_id, *merged->deleted));
  }
  RASID_RETURN_IF_ERROR(SyncDir(dir_));
  std::vector<std::shared_ptr<Seg>> before = segs_;
  auto first = std::find(segs_.begin(), segs_.end(), src[0]);
  size_t at = static_cast<size_t>(first - segs_.begin());
  std::vector<std::shared_ptr<Seg>> next;
  for (size_t i = 0; i < segs_.size(); ++i) {
    if (i == at && merged->reader) next.push_back(merged);
    if (std::find(src.begin(), src.end(), segs_[i]) == src.end()) next.push_back(segs_[i]);
  }
  segs_ = next;
  Status st = WriteManifestLocked();
  if (!st.ok()) {
    segs_ = before;
    return st;
  }
  for (const auto& s : src) {
    ::unlink(SegPath(s->id).c_str());
    if (s->del_gen > 0) ::unlink(DelPath(s->id, s->del_gen).c_str());
  }
  return Status::Ok();
}

}  // namespace rasid::index
