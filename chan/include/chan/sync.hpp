// WaitGroup and Once, as in Go's sync package, but as shared handles: a copy
// refers to the same counter / the same once, so `[=] { wg.wait(); ch.close(); }`
// does what it says. (In Go these must not be copied; here copying is the
// way to share them.)
#pragma once

#include <chan/defer.hpp>
#include <chan/detail/live_registry.hpp>
#include <chan/errors.hpp>
#include <chan/go.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <source_location>
#include <type_traits>
#include <utility>

namespace chan {

class WaitGroup {
 public:
  WaitGroup() : state_(std::make_shared<State>()) {}

  // Adds delta (may be negative) to the counter; throws
  // negative_waitgroup_error if it would drop below zero.
  void add(std::ptrdiff_t delta = 1) const {
    // The last done() may release a wait() whose caller then destroys the
    // WaitGroup this task holds by reference (Go's `&wg`): keep the state
    // alive through the notify, which runs after the lock is released.
    std::shared_ptr<State> state = state_;
    bool zero = false;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      if (state->count + delta < 0) throw negative_waitgroup_error();
      state->count += delta;
      zero = state->count == 0;
    }
    if (zero) state->zero.notify_all();
  }

  void done() const { add(-1); }

  // Blocks until the counter is zero.
  void wait() const {
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->zero.wait(lock, [this] { return state_->count == 0; });
  }

  // Go 1.25's wg.Go(f): add(1), then run f on a new task that calls done().
  template <class F>
    requires std::is_invocable_v<std::decay_t<F>&>
  void go(F&& f, const std::source_location& where = std::source_location::current()) const {
    add(1);
    try {
      detail::spawn(detail::LiveKind::task, where, [wg = *this, fn = std::forward<F>(f)]() mutable {
        std::invoke(fn);
        wg.done();
      });
    } catch (...) {
      done();
      throw;
    }
  }

  friend bool operator==(const WaitGroup& a, const WaitGroup& b) noexcept { return a.state_ == b.state_; }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable zero;
    std::ptrdiff_t count = 0;
  };
  std::shared_ptr<State> state_;
};

class Once {
 public:
  Once() : state_(std::make_shared<State>()) {}

  // Runs f the first time call() is called on this once (or a copy); every
  // other call waits until that first f has finished, then returns. As in Go,
  // an f that throws still counts as done; the exception goes to its caller.
  template <class F>
  void call(F&& f) const {
    if (state_->done.load(std::memory_order_acquire)) return;
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (state_->done.load(std::memory_order_relaxed)) return;
    const Defer mark_done([this] { state_->done.store(true, std::memory_order_release); });
    std::invoke(std::forward<F>(f));
  }

  friend bool operator==(const Once& a, const Once& b) noexcept { return a.state_ == b.state_; }

 private:
  struct State {
    std::mutex mutex;
    std::atomic<bool> done{false};
  };
  std::shared_ptr<State> state_;
};

}  // namespace chan
