// The one thread behind every Ticker, Timer, after() and context deadline:
// a min-heap of armed timer nodes and a condition variable, started lazily.
// Nodes know their heap index, so stopping a timer removes it at once (the
// heap never fills with stopped timers).
#pragma once

#include <chan/clock.hpp>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace chan::detail {

class TimerService;

class TimerNode {
 public:
  TimerNode() = default;
  TimerNode(const TimerNode&) = delete;
  TimerNode& operator=(const TimerNode&) = delete;
  TimerNode(TimerNode&&) = delete;
  TimerNode& operator=(TimerNode&&) = delete;
  virtual ~TimerNode() = default;

  // Runs on the timer thread, without the service lock. seq is what arm()
  // returned for the arming that fired, so a node can ignore stale firings.
  virtual void fire(TimePoint now, std::uint64_t seq) noexcept = 0;

 private:
  friend class TimerService;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  TimePoint when_{};
  Duration period_{};
  std::size_t heap_index_ = npos;
  std::uint64_t seq_ = 0;
};

class TimerService {
 public:
  // Never destroyed: the thread runs for the life of the process.
  static TimerService& instance() {
    static auto* service = new TimerService();
    return *service;
  }

  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;
  TimerService(TimerService&&) = delete;
  TimerService& operator=(TimerService&&) = delete;
  ~TimerService() = delete;

  // Arms (or re-arms) node to fire at `when`, then every `period` if it is
  // positive. The service holds node until it is disarmed or, if one-shot,
  // fired. Returns a sequence number (never 0) naming this arming.
  std::uint64_t arm(const std::shared_ptr<TimerNode>& node, TimePoint when, Duration period = Duration::zero()) {
    std::lock_guard<std::mutex> lock(mutex_);
    TimerNode& n = *node;
    n.when_ = when;
    n.period_ = period;
    n.seq_ = next_seq_++;
    if (n.heap_index_ == TimerNode::npos) {
      heap_.push_back(node);
      n.heap_index_ = heap_.size() - 1;
    }
    sift_down(n.heap_index_);
    sift_up(n.heap_index_);
    if (n.heap_index_ == 0) wakeup_.notify_one();
    return n.seq_;
  }

  // True if node was armed.
  bool disarm(TimerNode& node) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (node.heap_index_ == TimerNode::npos) return false;
    remove_at(node.heap_index_);
    return true;
  }

  // Armed nodes right now (for tests and diagnostics).
  std::size_t armed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return heap_.size();
  }

 private:
  TimerService() { std::thread([this] { run(); }).detach(); }

  [[noreturn]] void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (heap_.empty()) {
        wakeup_.wait(lock);
        continue;
      }
      const TimePoint now = Clock::now();
      const TimePoint due = heap_.front()->when_;  // a copy: the node may go while we wait
      if (due > now) {
        wakeup_.wait_until(lock, due);
        continue;
      }
      std::shared_ptr<TimerNode> node = heap_.front();
      const std::uint64_t seq = node->seq_;
      if (node->period_ > Duration::zero()) {
        // Like Go's tickers: ticks missed entirely are skipped, not bunched.
        node->when_ += node->period_ * (1 + (now - node->when_) / node->period_);
        sift_down(0);
      } else {
        remove_at(0);
      }
      lock.unlock();
      node->fire(now, seq);
      node.reset();
      lock.lock();
    }
  }

  bool before(std::size_t a, std::size_t b) const noexcept {
    const TimerNode& x = *heap_[a];
    const TimerNode& y = *heap_[b];
    return x.when_ < y.when_ || (x.when_ == y.when_ && x.seq_ < y.seq_);
  }

  void swap_at(std::size_t a, std::size_t b) noexcept {
    std::swap(heap_[a], heap_[b]);
    heap_[a]->heap_index_ = a;
    heap_[b]->heap_index_ = b;
  }

  void sift_up(std::size_t i) noexcept {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(i, parent)) break;
      swap_at(i, parent);
      i = parent;
    }
  }

  void sift_down(std::size_t i) noexcept {
    for (;;) {
      const std::size_t left = 2 * i + 1;
      if (left >= heap_.size()) break;
      std::size_t child = left;
      if (left + 1 < heap_.size() && before(left + 1, left)) child = left + 1;
      if (!before(child, i)) break;
      swap_at(i, child);
      i = child;
    }
  }

  void remove_at(std::size_t i) noexcept {
    const std::size_t last = heap_.size() - 1;
    if (i != last) swap_at(i, last);
    heap_.back()->heap_index_ = TimerNode::npos;
    heap_.pop_back();
    if (i < heap_.size()) {
      sift_down(i);
      sift_up(i);
    }
  }

  mutable std::mutex mutex_;
  std::condition_variable wakeup_;
  std::vector<std::shared_ptr<TimerNode>> heap_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace chan::detail
