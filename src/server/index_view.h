// The server's view of an index: the current snapshot, reopened when a
// commit has replaced the manifest, and a pool of Searchers over it.
//
// Thread safety: every method may be called from any thread.
#ifndef RASID_SERVER_INDEX_VIEW_H_
#define RASID_SERVER_INDEX_VIEW_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rasid/base/status.h"
#include "rasid/index/index.h"
#include "rasid/index/searcher.h"

namespace rasid::server {

class IndexView {
 public:
  // Opens the committed state of the index at `dir` (NotFound when there is
  // none). A new commit is looked for at most once per `check_interval`.
  static Result<std::unique_ptr<IndexView>> Open(const std::string& dir, std::chrono::milliseconds check_interval);

  // The current snapshot (after a look for a new commit when one is due).
  std::shared_ptr<const index::IndexReader> Current();
  // Looks for a new commit now and opens it. Errors of the open are
  // returned; the old snapshot stays current then.
  Status Refresh();

  // A Searcher on the current snapshot, returned to the pool when the lease
  // ends. Not shared: one lease, one thread.
  class Lease {
   public:
    Lease(IndexView* view, std::unique_ptr<index::Searcher> s) : view_(view), s_(std::move(s)) {}
    Lease(Lease&&) = default;
    ~Lease();
    index::Searcher& operator*() { return *s_; }
    index::Searcher* operator->() { return s_.get(); }

   private:
    IndexView* view_;
    std::unique_ptr<index::Searcher> s_;
  };
  Lease AcquireSearcher();

  const std::string& dir() const { return dir_; }
  uint64_t reopens() const { return reopens_.load(); }

 private:
  struct FileStamp {
    ino_t ino = 0;
    int64_t mtime_ns = 0;
    int64_t size = -1;
    bool operator==(const FileStamp& o) const { return ino == o.ino && mtime_ns == o.mtime_ns && size == o.size; }
  };
  IndexView() = default;
  FileStamp Stamp() const;
  void MaybeRefresh();

  std::string dir_;
  std::chrono::milliseconds interval_{1000};
  std::atomic<int64_t> next_check_ns_{0};
  std::mutex reopen_mu_;  // one reopen at a time
  mutable std::mutex mu_;  // guards reader_, stamp_, pool_
  std::shared_ptr<const index::IndexReader> reader_;
  FileStamp stamp_;
  std::vector<std::unique_ptr<index::Searcher>> pool_;
  std::atomic<uint64_t> reopens_{0};
};

}  // namespace rasid::server

#endif  // RASID_SERVER_INDEX_VIEW_H_
