// The baselines: what one writes without chan, with std::mutex and
// std::condition_variable. A bounded FIFO queue with close, and a set of
// such queues behind one mutex/condition variable (to wait on any of them,
// the equivalent of a select over receives).
//
// Spin = true gives them chan's waiting policy (spin briefly, then sleep),
// to tell that policy apart from the rest of chan's costs.
#pragma once

#include <chan/detail/waiter.hpp>

#include <thread>

#include <array>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace bench {

// cv.wait(lock, pred), after the same bounded spin as chan::detail::Parker when Spin.
template <bool Spin, class Pred>
void wait(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Pred pred) {
  if constexpr (Spin) {
    for (int i = 0; i < 80 && !pred(); ++i) {
      lock.unlock();
      if (i < 64) {
        chan::detail::spin_pause();
      } else {
        std::this_thread::yield();
      }
      lock.lock();
    }
  }
  cv.wait(lock, pred);
}

template <class T, bool Spin = false>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  // false once closed.
  bool push(T value) {
    std::unique_lock<std::mutex> lock(mutex_);
    wait<Spin>(lock, not_full_, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(value));
    lock.unlock();
    not_empty_.notify_one();
    return true;
  }

  // nullopt once closed and drained.
  std::optional<T> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    wait<Spin>(lock, not_empty_, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T value = std::move(items_.front());
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return value;
  }

  void close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<T> items_;
  std::size_t capacity_;
  bool closed_ = false;
};

// N bounded queues sharing one mutex, so a consumer can wait for any of them.
template <class T, std::size_t N, bool Spin = false>
class QueueSet {
 public:
  explicit QueueSet(std::size_t capacity) : capacity_(capacity) {}

  bool push(std::size_t i, T value) {
    std::unique_lock<std::mutex> lock(mutex_);
    wait<Spin>(lock, not_full_, [&] { return closed_ || queues_[i].size() < capacity_; });
    if (closed_) return false;
    queues_[i].push_back(std::move(value));
    lock.unlock();
    not_empty_.notify_one();
    return true;
  }

  // Takes from the first non-empty queue after a rotating start (fair
  // enough, and cheaper than random); returns its index.
  std::size_t pop_any(T& out) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::size_t i = 0;
    wait<Spin>(lock, not_empty_, [&] {
      for (std::size_t k = 0; k < N; ++k) {
        i = (start_ + k) % N;
        if (!queues_[i].empty()) return true;
      }
      return false;
    });
    start_ = (i + 1) % N;
    out = std::move(queues_[i].front());
    queues_[i].pop_front();
    lock.unlock();
    not_full_.notify_all();  // producers wait on different queues
    return i;
  }

  void close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::array<std::deque<T>, N> queues_;
  std::size_t capacity_;
  std::size_t start_ = 0;
  bool closed_ = false;
};

}  // namespace bench
