// Contexts, after Go's context package: cancellation that flows from a
// parent to all its descendants, with optional deadlines.
//
//   auto [ctx, cancel] = chan::with_timeout(parent, 200ms);
//   chan::Defer release([=] { cancel(); });
//   chan::select(chan::send_case(out, v), chan::recv_case(ctx.done()));
#pragma once

#include <chan/channel.hpp>
#include <chan/clock.hpp>
#include <chan/detail/timer_service.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <unordered_map>
#include <utility>

namespace chan {

// Why a context ended (Go's ctx.Err()): none while it is live.
enum class ContextError : std::uint8_t { none, cancelled, deadline_exceeded };

// Go's messages: "context canceled", "context deadline exceeded"; "" for none.
constexpr const char* to_string(ContextError e) noexcept {
  switch (e) {
    case ContextError::cancelled:
      return "context canceled";
    case ContextError::deadline_exceeded:
      return "context deadline exceeded";
    case ContextError::none:
      break;
  }
  return "";
}

inline std::ostream& operator<<(std::ostream& os, ContextError e) { return os << to_string(e); }

namespace detail {

class ContextState;

// Cancels its context when the deadline passes. Holds the context weakly:
// a context nobody refers to any more need not be cancelled.
class DeadlineNode final : public TimerNode {
 public:
  explicit DeadlineNode(std::weak_ptr<ContextState> ctx) noexcept : ctx_(std::move(ctx)) {}
  void fire(TimePoint now, std::uint64_t seq) noexcept override;

 private:
  std::weak_ptr<ContextState> ctx_;
};

class ContextState {
 public:
  // The background context: never cancelled, no deadline.
  ContextState() = default;

  ContextState(std::shared_ptr<ContextState> parent, std::optional<TimePoint> deadline)
      : cancellable_(true), parent_(std::move(parent)), deadline_(deadline) {}

  ContextState(const ContextState&) = delete;
  ContextState& operator=(const ContextState&) = delete;
  ContextState(ContextState&&) = delete;
  ContextState& operator=(ContextState&&) = delete;

  ~ContextState() {
    if (parent_ != nullptr) parent_->remove_child(this);
    if (timer_ != nullptr) TimerService::instance().disarm(*timer_);
  }

  static const std::shared_ptr<ContextState>& background() {
    // Never destroyed: detached tasks may hold it while statics die.
    static const auto* state = new std::shared_ptr<ContextState>(std::make_shared<ContextState>());
    return *state;
  }

  // A child of parent: cancelled with the parent, by its own cancel, or at
  // its own deadline (when one is given, it is earlier than the parent's).
  static std::shared_ptr<ContextState> make_child(const std::shared_ptr<ContextState>& parent,
                                                  std::optional<TimePoint> own_deadline) {
    auto child = std::make_shared<ContextState>(parent, own_deadline ? own_deadline : parent->deadline_);
    parent->adopt(child);
    if (own_deadline) {
      if (*own_deadline <= Clock::now()) {
        child->cancel(ContextError::deadline_exceeded, true);
      } else {
        child->arm_deadline(child, *own_deadline);
      }
    }
    return child;
  }

  [[nodiscard]] RecvChan<Unit> done() const noexcept { return done_.receiver(); }
  [[nodiscard]] ContextError err() const noexcept { return err_.load(std::memory_order_acquire); }
  [[nodiscard]] std::optional<TimePoint> deadline() const noexcept { return deadline_; }

  // Children still registered for cancellation (for tests and diagnostics).
  [[nodiscard]] std::size_t child_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return children_.size();
  }

  // Ends this context and all its descendants with reason why. Only the
  // first cancel counts. remove_from_parent is false when the parent itself
  // is cancelling its children (it has already let go of them).
  void cancel(ContextError why, bool remove_from_parent) {
    if (!cancellable_) return;
    std::unordered_map<ContextState*, std::weak_ptr<ContextState>> children;
    std::shared_ptr<DeadlineNode> timer;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (err_.load(std::memory_order_relaxed) != ContextError::none) return;
      err_.store(why, std::memory_order_release);  // before done closes: done() closed => err() set
      children.swap(children_);
      timer.swap(timer_);
    }
    done_.close();
    if (timer != nullptr) TimerService::instance().disarm(*timer);
    for (auto& entry : children) {
      if (auto child = entry.second.lock()) child->cancel(why, false);
    }
    if (remove_from_parent && parent_ != nullptr) parent_->remove_child(this);
  }

 private:
  void adopt(const std::shared_ptr<ContextState>& child) {
    if (!cancellable_) return;  // the background is never cancelled: nothing to propagate
    ContextError why = ContextError::none;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      why = err_.load(std::memory_order_relaxed);
      if (why == ContextError::none) children_.emplace(child.get(), child);
    }
    if (why != ContextError::none) child->cancel(why, false);
  }

  void remove_child(ContextState* child) {
    if (!cancellable_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    children_.erase(child);
  }

  void arm_deadline(const std::shared_ptr<ContextState>& self, TimePoint when) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (err_.load(std::memory_order_relaxed) != ContextError::none) return;  // the parent beat us to it
    timer_ = std::make_shared<DeadlineNode>(self);
    (void)TimerService::instance().arm(timer_, when);
  }

  const bool cancellable_ = false;
  const std::shared_ptr<ContextState> parent_;
  const std::optional<TimePoint> deadline_;
  const Chan<Unit> done_;
  std::atomic<ContextError> err_{ContextError::none};
  mutable std::mutex mutex_;
  std::unordered_map<ContextState*, std::weak_ptr<ContextState>> children_;
  std::shared_ptr<DeadlineNode> timer_;
};

inline void DeadlineNode::fire(TimePoint /*now*/, std::uint64_t /*seq*/) noexcept {
  if (auto ctx = ctx_.lock()) ctx->cancel(ContextError::deadline_exceeded, true);
}

// The library's (and its tests') access to a context's state.
struct ContextAccess {
  template <class C>
  static const std::shared_ptr<ContextState>& state(const C& ctx) noexcept {
    return ctx.state_;
  }
};

}  // namespace detail

class CancelFunc;

// A cheap copyable handle; copies refer to the same context. A
// default-constructed Context is the background context.
class Context {
 public:
  Context() noexcept : state_(detail::ContextState::background()) {}

  // Closed when the context is cancelled or its deadline passes; the
  // background's never closes.
  [[nodiscard]] RecvChan<Unit> done() const noexcept { return state_->done(); }

  // none while live; otherwise why it ended. Set before done() closes.
  [[nodiscard]] ContextError err() const noexcept { return state_->err(); }

  // The deadline inherited or set by with_timeout/with_deadline, if any.
  [[nodiscard]] std::optional<TimePoint> deadline() const noexcept { return state_->deadline(); }

  friend bool operator==(const Context& a, const Context& b) noexcept { return a.state_ == b.state_; }

 private:
  friend struct detail::ContextAccess;
  friend std::pair<Context, CancelFunc> with_cancel(const Context&);
  friend std::pair<Context, CancelFunc> with_deadline(const Context&, TimePoint);
  explicit Context(std::shared_ptr<detail::ContextState> state) noexcept : state_(std::move(state)) {}

  std::shared_ptr<detail::ContextState> state_;
};

// Cancels its context (with ContextError::cancelled) and its descendants.
// Copyable, callable any number of times (only the first call counts); a
// default-constructed CancelFunc does nothing, so one can be kept as a
// member and assigned later.
class CancelFunc {
 public:
  CancelFunc() noexcept = default;

  void operator()() const {
    if (state_ != nullptr) state_->cancel(ContextError::cancelled, true);
  }

  // False for a default-constructed CancelFunc.
  explicit operator bool() const noexcept { return state_ != nullptr; }

 private:
  friend std::pair<Context, CancelFunc> with_cancel(const Context&);
  friend std::pair<Context, CancelFunc> with_deadline(const Context&, TimePoint);
  explicit CancelFunc(std::shared_ptr<detail::ContextState> state) noexcept : state_(std::move(state)) {}

  std::shared_ptr<detail::ContextState> state_;
};

// Go's context.Background().
[[nodiscard]] inline Context background() noexcept { return {}; }

// Go's context.WithCancel(parent).
[[nodiscard]] inline std::pair<Context, CancelFunc> with_cancel(const Context& parent) {
  auto child = detail::ContextState::make_child(parent.state_, std::nullopt);
  return {Context(child), CancelFunc(child)};
}

// Go's context.WithDeadline(parent, deadline): also ends, with
// deadline_exceeded, at the deadline (or at the parent's, if that is earlier).
[[nodiscard]] inline std::pair<Context, CancelFunc> with_deadline(const Context& parent, TimePoint deadline) {
  const std::optional<TimePoint> inherited = parent.deadline();
  if (inherited && *inherited <= deadline) return with_cancel(parent);  // the parent ends it first
  auto child = detail::ContextState::make_child(parent.state_, deadline);
  return {Context(child), CancelFunc(child)};
}

// Go's context.WithTimeout(parent, timeout).
[[nodiscard]] inline std::pair<Context, CancelFunc> with_timeout(const Context& parent, Duration timeout) {
  return with_deadline(parent, Clock::now() + timeout);
}

}  // namespace chan
