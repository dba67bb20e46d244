#include "gate.h"

#include <algorithm>

namespace rasid::server {

Gate::Outcome Gate::Enter() {
  std::unique_lock<std::mutex> l(mu_);
  if (active_ < max_active_ && queue_.empty()) {
    ++active_;
    return Outcome::kAdmitted;
  }
  if (waiting_ >= max_waiting_) {
    ++rejected_;
    return Outcome::kQueueFull;
  }
  Waiter me;
  queue_.push_back(&me);
  ++waiting_;
  me.cv.wait_for(l, timeout_, [&] { return me.granted; });
  --waiting_;
  if (me.granted) return Outcome::kAdmitted;  // Leave() handed its slot over
  queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
  ++rejected_;
  return Outcome::kTimedOut;
}

void Gate::Leave() {
  std::lock_guard<std::mutex> l(mu_);
  if (queue_.empty()) {
    --active_;
    return;
  }
  // The slot goes to the oldest waiter; active_ stays the same.
  Waiter* next = queue_.front();
  queue_.pop_front();
  next->granted = true;
  next->cv.notify_one();
}

int Gate::active() const {
  std::lock_guard<std::mutex> l(mu_);
  return active_;
}

int Gate::waiting() const {
  std::lock_guard<std::mutex> l(mu_);
  return waiting_;
}

uint64_t Gate::rejected() const {
  std::lock_guard<std::mutex> l(mu_);
  return rejected_;
}

}  // namespace rasid::server
