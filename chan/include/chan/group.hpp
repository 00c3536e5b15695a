// chan::Group: errgroup.WithContext. Tasks share a context that is cancelled
// as soon as one of them throws; wait() waits for all and rethrows the first
// exception.
//
//   chan::Group g(ctx);
//   for (auto& url : urls) g.go([=](const chan::Context& c) { fetch(c, url); });
//   g.wait();  // rethrows the first failure
#pragma once

#include <chan/context.hpp>
#include <chan/detail/live_registry.hpp>
#include <chan/go.hpp>
#include <chan/sync.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <source_location>
#include <type_traits>
#include <utility>

namespace chan {

// A shared handle, like WaitGroup: copies refer to the same group.
class Group {
 public:
  // Parent: background().
  Group() : Group(background()) {}

  explicit Group(const Context& parent) : state_(std::make_shared<State>(with_cancel(parent))) {}

  // Runs f(context()) (or f()) on a new task. If f throws, the first such
  // exception is kept for wait() and the group's context is cancelled.
  template <class F>
    requires std::is_invocable_v<std::decay_t<F>&, const Context&> || std::is_invocable_v<std::decay_t<F>&>
  void go(F&& f, const std::source_location& where = std::source_location::current()) const {
    state_->pending.add(1);
    try {
      detail::spawn(detail::LiveKind::group_task, where, [state = state_, fn = std::forward<F>(f)]() mutable {
        try {
          if constexpr (std::is_invocable_v<std::decay_t<F>&, const Context&>) {
            std::invoke(fn, std::as_const(state->ctx));
          } else {
            std::invoke(fn);
          }
        } catch (...) {
          state->fail(std::current_exception());
        }
        state->pending.done();
      });
    } catch (...) {
      state_->pending.done();
      throw;
    }
  }

  // Cancelled when a task throws, or when wait() returns.
  [[nodiscard]] Context context() const noexcept { return state_->ctx; }

  // Waits for every task, cancels the context, and rethrows the first
  // exception a task threw (again on every later call).
  void wait() const {
    state_->pending.wait();
    state_->cancel();
    std::exception_ptr first;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      first = state_->first;
    }
    if (first) std::rethrow_exception(first);
  }

  friend bool operator==(const Group& a, const Group& b) noexcept { return a.state_ == b.state_; }

 private:
  struct State {
    explicit State(std::pair<Context, CancelFunc> ctx_cancel)
        : ctx(std::move(ctx_cancel.first)), cancel(std::move(ctx_cancel.second)) {}

    void fail(std::exception_ptr e) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (first) return;
        first = std::move(e);
      }
      cancel();
    }

    const Context ctx;
    const CancelFunc cancel;
    const WaitGroup pending;
    std::mutex mutex;
    std::exception_ptr first;
  };

  std::shared_ptr<State> state_;
};

}  // namespace chan
