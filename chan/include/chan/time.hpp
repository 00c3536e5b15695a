// Tickers, timers and after(), as in Go's time package. All of them run on
// the one shared timer thread (detail::TimerService); none has a thread of
// its own, so thousands of them are cheap.
//
// Ticker and Timer are copyable handles (copies refer to the same ticker),
// like Go's *time.Ticker. The timer service keeps a ticker running until
// stop(): dropping the last handle does NOT stop it, and a running ticker or
// pending timer shows up in chan::testing leak reports.
//
// Channels behave as in Go 1.23+: capacity 1, a value is sent with try_send
// (a slow reader misses ticks instead of queueing them), and once stop() or
// reset() returns no stale value from before it can be received.
#pragma once

#include <chan/channel.hpp>
#include <chan/clock.hpp>
#include <chan/detail/live_registry.hpp>
#include <chan/detail/timer_service.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <source_location>
#include <stdexcept>

namespace chan {

namespace detail {

// State shared by a ticker's or timer's handles and, while armed, the timer
// service. mutex_ orders firings against stop()/reset(): fire() only sends
// for the current arming, and stop()/reset() drain the channel.
class ClockState : public TimerNode, public std::enable_shared_from_this<ClockState> {
 public:
  ClockState(LiveKind kind, const std::source_location& where) : kind_(kind), where_(where) {}

  [[nodiscard]] RecvChan<TimePoint> channel() const noexcept { return ch_.receiver(); }

  // Starts (or restarts) the clock: first value after d, then every period
  // (zero: one-shot). True if it was running or held an undelivered value.
  bool arm(Duration d, Duration period) {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool was_active = deactivate_locked();
    if (live_id_ == 0) live_id_ = LiveRegistry::instance().add(kind_, where_);
    seq_ = TimerService::instance().arm(shared_from_this(), Clock::now() + d, period);
    return was_active;
  }

  // True if it was running or held an undelivered value.
  bool stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    return deactivate_locked();
  }

  void fire(TimePoint now, std::uint64_t seq) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (seq != seq_) return;  // stopped or re-armed since the service picked it
    if (kind_ == LiveKind::timer) {
      seq_ = 0;
      unregister_locked();
    }
    (void)ch_.try_send(now);
  }

 private:
  bool deactivate_locked() {
    bool was_active = seq_ != 0;
    if (was_active) TimerService::instance().disarm(*this);
    seq_ = 0;
    if (ch_.try_recv().has_value()) was_active = true;
    unregister_locked();
    return was_active;
  }

  void unregister_locked() {
    if (live_id_ != 0) LiveRegistry::instance().remove(live_id_);
    live_id_ = 0;
  }

  const LiveKind kind_;
  const std::source_location where_;
  const Chan<TimePoint> ch_{1};
  std::mutex mutex_;
  std::uint64_t seq_ = 0;      // the live arming; 0: stopped (or fired, for a timer)
  std::uint64_t live_id_ = 0;  // registration with the leak checker; 0: none
};

// after(d): one-shot, untracked; the service drops it once it fires.
class AfterNode final : public TimerNode {
 public:
  [[nodiscard]] RecvChan<TimePoint> channel() const noexcept { return ch_.receiver(); }
  void fire(TimePoint now, std::uint64_t /*seq*/) noexcept override { (void)ch_.try_send(now); }

 private:
  const Chan<TimePoint> ch_{1};
};

}  // namespace detail

// Sends the time on c() every period until stop().
class Ticker {
 public:
  // Ticks arrive here; capacity 1, so a slow reader drops ticks.
  [[nodiscard]] RecvChan<TimePoint> c() const noexcept { return state_->channel(); }

  // Stops the ticker; no more ticks arrive. Safe to call more than once.
  void stop() const { (void)state_->stop(); }

  // Stops the ticker and restarts it with period d (also after stop()).
  void reset(Duration d) const {
    if (d <= Duration::zero()) throw std::invalid_argument("non-positive interval for Ticker.reset");
    (void)state_->arm(d, d);
  }

  friend bool operator==(const Ticker& a, const Ticker& b) noexcept { return a.state_ == b.state_; }

 private:
  friend Ticker new_ticker(Duration, const std::source_location&);
  explicit Ticker(std::shared_ptr<detail::ClockState> state) noexcept : state_(std::move(state)) {}

  std::shared_ptr<detail::ClockState> state_;
};

// Sends the time on c() once, after a duration, unless stopped first.
class Timer {
 public:
  [[nodiscard]] RecvChan<TimePoint> c() const noexcept { return state_->channel(); }

  // True if this call prevented the timer's value from being received: it
  // was pending, or had fired into c() but nobody had received it yet (that
  // value is discarded). False if it had already been received or stopped.
  bool stop() const { return state_->stop(); }

  // Re-arms the timer to fire after d (d <= 0: at once). Returns what
  // stop() would have returned.
  bool reset(Duration d) const { return state_->arm(d, Duration::zero()); }

  friend bool operator==(const Timer& a, const Timer& b) noexcept { return a.state_ == b.state_; }

 private:
  friend Timer new_timer(Duration, const std::source_location&);
  explicit Timer(std::shared_ptr<detail::ClockState> state) noexcept : state_(std::move(state)) {}

  std::shared_ptr<detail::ClockState> state_;
};

// Go's time.NewTicker: first tick after d, then every d. d must be positive.
[[nodiscard]] inline Ticker new_ticker(Duration d, const std::source_location& where = std::source_location::current()) {
  if (d <= Duration::zero()) throw std::invalid_argument("non-positive interval for new_ticker");
  auto state = std::make_shared<detail::ClockState>(detail::LiveKind::ticker, where);
  (void)state->arm(d, d);
  return Ticker(std::move(state));
}

// Go's time.NewTimer: the time is sent on c() after d (d <= 0: at once).
[[nodiscard]] inline Timer new_timer(Duration d, const std::source_location& where = std::source_location::current()) {
  auto state = std::make_shared<detail::ClockState>(detail::LiveKind::timer, where);
  (void)state->arm(d, Duration::zero());
  return Timer(std::move(state));
}

// Go's time.After: a channel that receives the time once, after d. It cannot
// be stopped; for long durations in a loop, prefer new_timer and stop().
[[nodiscard]] inline RecvChan<TimePoint> after(Duration d) {
  auto node = std::make_shared<detail::AfterNode>();
  RecvChan<TimePoint> ch = node->channel();
  (void)detail::TimerService::instance().arm(node, Clock::now() + d);
  return ch;
}

}  // namespace chan
