// Admission control for heavy requests: at most `max_active` run at once,
// at most `max_waiting` wait for a slot, none waits longer than `timeout`.
// Waiters get slots in the order they came (first come, first served: a
// condition variable alone wakes them in any order, and under a steady load
// some would wait far longer than others).
//
// Thread safety: every method may be called from any thread.
#ifndef RASID_SERVER_GATE_H_
#define RASID_SERVER_GATE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

namespace rasid::server {

class Gate {
 public:
  enum class Outcome { kAdmitted, kQueueFull, kTimedOut };

  Gate(int max_active, int max_waiting, std::chrono::milliseconds timeout)
      : max_active_(max_active < 1 ? 1 : max_active), max_waiting_(max_waiting < 0 ? 0 : max_waiting),
        timeout_(timeout) {}

  // Takes a slot (kAdmitted: call Leave() once done) or says why not.
  Outcome Enter();
  void Leave();

  int active() const;
  int waiting() const;
  uint64_t rejected() const;
  int max_active() const { return max_active_; }

 private:
  const int max_active_, max_waiting_;
  const std::chrono::milliseconds timeout_;
  struct Waiter {
    std::condition_variable cv;
    bool granted = false;
  };
  mutable std::mutex mu_;
  std::deque<Waiter*> queue_;  // oldest first
  int active_ = 0, waiting_ = 0;
  uint64_t rejected_ = 0;
};

// Holds a slot of a Gate for a scope.
class GateSlot {
 public:
  explicit GateSlot(Gate* gate) : gate_(gate), outcome_(gate->Enter()) {}
  ~GateSlot() {
    if (outcome_ == Gate::Outcome::kAdmitted) gate_->Leave();
  }
  GateSlot(const GateSlot&) = delete;
  GateSlot& operator=(const GateSlot&) = delete;
  Gate::Outcome outcome() const { return outcome_; }

 private:
  Gate* gate_;
  Gate::Outcome outcome_;
};

}  // namespace rasid::server

#endif  // RASID_SERVER_GATE_H_
