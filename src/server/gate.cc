#include "gate.h"

namespace rasid::server {

Gate::Outcome Gate::Enter() {
  std::unique_lock<std::mutex> l(mu_);
  if (active_ < max_active_ && waiting_ == 0) {
    ++active_;
    return Outcome::kAdmitted;
  }
  if (waiting_ >= max_waiting_) {
    ++rejected_;
    return Outcome::kQueueFull;
  }
  ++waiting_;
  bool got = cv_.wait_for(l, timeout_, [&] { return active_ < max_active_; });
  --waiting_;
  if (!got) {
    ++rejected_;
    return Outcome::kTimedOut;
  }
  ++active_;
  return Outcome::kAdmitted;
}

void Gate::Leave() {
  {
    std::lock_guard<std::mutex> l(mu_);
    --active_;
  }
  cv_.notify_one();
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
