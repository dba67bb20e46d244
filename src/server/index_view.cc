#include "index_view.h"

#include <sys/stat.h>

namespace rasid::server {

namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<IndexView>> IndexView::Open(const std::string& dir, std::chrono::milliseconds check_interval) {
  std::unique_ptr<IndexView> v(new IndexView);
  v->dir_ = dir;
  v->interval_ = check_interval;
  v->stamp_ = v->Stamp();
  auto r = index::IndexReader::Open(dir);
  if (!r.ok()) return r.status();
  v->reader_ = std::move(r).value();
  v->next_check_ns_ = NowNs() + std::chrono::duration_cast<std::chrono::nanoseconds>(check_interval).count();
  return v;
}

// The manifest is replaced by a rename at every commit: a new inode and
// modification time tell a new commit without reading it.
IndexView::FileStamp IndexView::Stamp() const {
  struct stat st;
  FileStamp s;
  if (::stat((dir_ + "/MANIFEST").c_str(), &st) != 0) return s;
  s.ino = st.st_ino;
  s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  s.size = st.st_size;
  return s;
}

std::shared_ptr<const index::IndexReader> IndexView::Current() {
  MaybeRefresh();
  std::lock_guard<std::mutex> l(mu_);
  return reader_;
}

void IndexView::MaybeRefresh() {
  int64_t now = NowNs();
  int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  if (now < due) return;
  // One thread looks; the others go on with the snapshot they have.
  int64_t next = now + std::chrono::duration_cast<std::chrono::nanoseconds>(interval_).count();
  if (!next_check_ns_.compare_exchange_strong(due, next)) return;
  (void)Refresh();  // an unreadable new commit leaves the old snapshot in place
}

Status IndexView::Refresh() {
  std::lock_guard<std::mutex> once(reopen_mu_);
  FileStamp now = Stamp();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (now == stamp_) return Status::Ok();
  }
  auto r = index::IndexReader::Open(dir_);
  if (!r.ok()) return r.status();
  std::lock_guard<std::mutex> l(mu_);
  stamp_ = now;
  if ((*r)->stats().generation != reader_->stats().generation) {
    reader_ = std::move(r).value();
    reopens_.fetch_add(1);
  }
  return Status::Ok();
}

IndexView::Lease IndexView::AcquireSearcher() {
  auto reader = Current();
  std::unique_ptr<index::Searcher> s;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!pool_.empty()) {
      s = std::move(pool_.back());
      pool_.pop_back();
    }
  }
  // A Searcher owns an Analyzer (and its cache of analysed words); one made
  // for an older snapshot is replaced.
  if (s == nullptr || &s->reader() != reader.get()) s = std::make_unique<index::Searcher>(reader);
  return Lease(this, std::move(s));
}

IndexView::Lease::~Lease() {
  if (s_ == nullptr) return;
  std::lock_guard<std::mutex> l(view_->mu_);
  if (&s_->reader() == view_->reader_.get() && view_->pool_.size() < 256) view_->pool_.push_back(std::move(s_));
}

}  // namespace rasid::server
