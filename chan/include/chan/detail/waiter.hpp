// Blocked operations, in the style of Go's runtime: a thread that must wait
// puts a Waiter (Go's sudog) on each channel queue involved and parks on one
// Parker. Whoever completes the operation first claims the Parker, so exactly
// one of a select's cases fires; stale waiters are skipped and later removed
// by their owner.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>

namespace chan::detail {

// A hint to the CPU that we are spin-waiting. (Not named cpu_relax:
// Boost.Fiber defines a function-like macro of that name, and chan must
// compile after <boost/fiber/...> too.)
inline void spin_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield");
#endif
}

class Parker {
 public:
  Parker() = default;
  Parker(const Parker&) = delete;
  Parker& operator=(const Parker&) = delete;
  Parker(Parker&&) = delete;
  Parker& operator=(Parker&&) = delete;
  ~Parker() = default;

  // The one counterpart that gets true completes the operation.
  bool try_claim() noexcept { return !claimed_.exchange(true, std::memory_order_acq_rel); }

  // Called by the claimer (under the channel lock) before wake().
  void set_result(std::size_t case_index, bool ok) noexcept {
    fired_ = case_index;
    ok_ = ok;
  }

  // Once park() returns, the owner may destroy this Parker, so wake() must
  // be done with it by then. If the owner is still spinning, one CAS is the
  // whole wake-up (and its last touch). If it sleeps, we set notified only
  // under the mutex, which the owner needs back before it can return.
  void wake() {
    int expected = running;
    if (state_.compare_exchange_strong(expected, notified, std::memory_order_acq_rel)) return;
    std::lock_guard<std::mutex> lock(mutex_);  // expected == sleeping
    state_.store(notified, std::memory_order_release);
    cv_.notify_one();
  }

  void park() {
    // A blocked channel operation is often completed within microseconds
    // (ping-pong, a consumer keeping up): spin briefly before sleeping.
    for (int i = 0; i < spin_limit; ++i) {
      if (state_.load(std::memory_order_acquire) == notified) return;
      if (i < pause_spins) {
        spin_pause();
      } else {
        std::this_thread::yield();
      }
    }
    std::unique_lock<std::mutex> lock(mutex_);
    int expected = running;
    if (!state_.compare_exchange_strong(expected, sleeping, std::memory_order_acq_rel)) return;  // notified
    cv_.wait(lock, [this] { return state_.load(std::memory_order_acquire) == notified; });
  }

  // Valid after park() returns.
  [[nodiscard]] std::size_t fired() const noexcept { return fired_; }
  [[nodiscard]] bool ok() const noexcept { return ok_; }

 private:
  static constexpr int running = 0;
  static constexpr int sleeping = 1;
  static constexpr int notified = 2;
  static constexpr int pause_spins = 64;
  static constexpr int spin_limit = 80;

  std::atomic<bool> claimed_{false};
  std::atomic<int> state_{running};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t fired_ = 0;
  bool ok_ = false;
};

// Wakes p if there is one; called with no channel lock held.
inline void wake(Parker* p) {
  if (p != nullptr) p->wake();
}

// One thread's pending send or receive on one channel. Lives in the blocked
// thread's frame; queue links are guarded by the channel's mutex.
template <class T>
struct Waiter {
  Parker* parker = nullptr;
  std::size_t case_index = 0;
  T* src = nullptr;                 // sender: moved from when a receiver takes it
  std::optional<T>* dst = nullptr;  // receiver: filled by the sender
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  bool queued = false;
};

// Intrusive FIFO of waiters.
template <class T>
class WaitQueue {
 public:
  void push_back(Waiter<T>& w) noexcept {
    w.prev = tail_;
    w.next = nullptr;
    if (tail_ != nullptr) {
      tail_->next = &w;
    } else {
      head_ = &w;
    }
    tail_ = &w;
    w.queued = true;
    ++size_;
  }

  void remove(Waiter<T>& w) noexcept {
    if (!w.queued) return;
    if (w.prev != nullptr) {
      w.prev->next = w.next;
    } else {
      head_ = w.next;
    }
    if (w.next != nullptr) {
      w.next->prev = w.prev;
    } else {
      tail_ = w.prev;
    }
    w.prev = w.next = nullptr;
    w.queued = false;
    --size_;
  }

  // The first waiter whose parker this call claims; waiters of selects that
  // already fired elsewhere are dropped on the way.
  Waiter<T>* pop_claimed() noexcept {
    while (head_ != nullptr) {
      Waiter<T>* w = head_;
      remove(*w);
      if (w->parker->try_claim()) return w;
    }
    return nullptr;
  }

  [[nodiscard]] bool empty() const noexcept { return head_ == nullptr; }
  // Includes waiters of selects that already fired elsewhere but are not yet removed.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  Waiter<T>* head_ = nullptr;
  Waiter<T>* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace chan::detail
