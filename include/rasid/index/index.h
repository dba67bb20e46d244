// An index: a directory of immutable segments, deletion files and a
// manifest naming the committed state (docs/format/index.md).
//
//   INDEX/MANIFEST            the committed state; replaced atomically
//   INDEX/seg_<id>.rsg        segments (segment.h)
//   INDEX/seg_<id>.del<gen>   deleted documents of a segment, one file per generation
//   INDEX/LOCK                held (flock) by the one writer; says who holds it
//
// A commit writes and fsyncs new files, then writes MANIFEST.tmp, fsyncs it,
// renames it over MANIFEST and fsyncs the directory: after a crash at any
// instant the last committed state is read back complete. Files that no
// manifest names are removed when a writer opens the index.
//
// Readers (IndexReader) see the snapshot of the manifest they opened, for as
// long as they live, while a writer goes on. Any number of readers, one writer.
#ifndef RASID_INDEX_INDEX_H_
#define RASID_INDEX_INDEX_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rasid/base/status.h"
#include "rasid/index/segment.h"

namespace rasid::index {

// One committed segment as a reader sees it.
struct LiveSegment {
  std::shared_ptr<SegmentReader> reader;
  std::shared_ptr<const std::vector<bool>> deleted;  // may be null: none deleted
  uint32_t del_gen = 0;
  uint32_t live_count = 0;
  bool IsDeleted(uint32_t doc) const { return deleted && (*deleted)[doc]; }
};

struct IndexStats {
  uint64_t documents = 0;      // live documents
  uint64_t max_docs = 0;       // including deleted ones not yet merged away
  uint64_t segments = 0;
  uint64_t bytes = 0;          // size of the files of the snapshot
  double avg_length = 0;       // mean weighted document length (BM25)
  uint64_t generation = 0;
};

class IndexReader {
 public:
  // Opens the committed state of the index at `dir`.
  static Result<std::shared_ptr<IndexReader>> Open(const std::string& dir);

  const std::vector<LiveSegment>& segments() const { return segments_; }
  const IndexStats& stats() const { return stats_; }
  const std::string& dir() const { return dir_; }
  // Sum of document frequencies of `key` over segments (deleted documents
  // included, as in Lucene).
  uint64_t DocFreq(std::string_view key) const;
  // The live document with external id `id`.
  Status GetDocument(std::string_view id, Document* out) const;

 private:
  std::string dir_;
  std::vector<LiveSegment> segments_;
  IndexStats stats_;
};

struct WriterOptions {
  bool background_merges = true;
  size_t merge_factor = 10;  // merge when more than this many segments of a tier
};

class IndexWriter {
 public:
  // Opens (creating if needed) the index at `dir` for writing. Fails with
  // IOError "index is locked by pid N (rasid ingest, since ...)" when another
  // writer holds it.
  static Result<std::unique_ptr<IndexWriter>> Open(const std::string& dir, const WriterOptions& options);
  ~IndexWriter();

  // Writes `builder` as a new segment file (callable from several threads
  // at once). The segment becomes visible at the next Commit, where its
  // documents replace older ones with the same ids.
  Status AddSegment(SegmentBuilder* builder);
  // Deletes the document with external id `id` at the next Commit.
  Status DeleteById(std::string_view id);
  // Makes everything added so far durable and visible.
  Status Commit();
  // Waits for background merges to finish (and commits them).
  Status WaitForMerges();
  // Merges every segment into one (after Commit).
  Status ForceMerge();

  IndexStats stats() const;
  const std::string& dir() const { return dir_; }

 private:
  struct Seg;
  IndexWriter() = default;
  Status WriteManifestLocked();
  Status LoadLocked();
  void RemoveUnreferencedLocked();
  void MergeLoop();
  Status MergeSegments(const std::vector<uint64_t>& ids);
  std::vector<uint64_t> PickMergeLocked() const;
  std::string SegPath(uint64_t id) const;
  std::string DelPath(uint64_t id, uint32_t gen) const;

  std::string dir_;
  WriterOptions options_;
  int lock_fd_ = -1;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<Seg>> segs_;     // committed
  std::vector<std::shared_ptr<Seg>> pending_;  // added, not committed
  std::vector<std::string> pending_deletes_;
  uint64_t next_segment_id_ = 1;
  uint64_t generation_ = 0;
  std::thread merger_;
  bool stop_ = false;
  bool merging_ = false;
  Status merge_status_;
};

}  // namespace rasid::index

#endif  // RASID_INDEX_INDEX_H_
