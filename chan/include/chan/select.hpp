// select over channel operations, after Go's runtime/select.go.
//
//   std::size_t i = chan::select(
//       chan::recv_case(in, [&](std::optional<Job> j) { ... }),  // nullopt: closed
//       chan::send_case(out, v, [&] { ... }),
//       chan::recv_case(ctx.done()),
//       chan::default_case([&] { ... }));                      // optional
//
// Returns the index of the case that ran. Among ready cases one is picked
// uniformly at random; with none ready the default case runs if there is
// one, otherwise select blocks (no polling) until a case can proceed. The
// chosen case's callback runs after the operation, outside channel locks.
#pragma once

#include <chan/channel.hpp>
#include <chan/detail/chan_state.hpp>
#include <chan/detail/random.hpp>
#include <chan/detail/waiter.hpp>
#include <chan/errors.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace chan {

namespace detail {
// The callback of a case made without one.
struct NoCallback {
  void operator()() const noexcept {}
};
}  // namespace detail

// A receive from ch. fn is called with std::optional<T> (nullopt: ch is
// closed and drained) or, if it takes no arguments, with nothing.
template <class T, class F = detail::NoCallback>
struct RecvCase {
  RecvChan<T> ch;
  F fn;
};

// A send of value on ch; fn() runs once the value is delivered.
template <class T, class F = detail::NoCallback>
struct SendCase {
  SendChan<T> ch;
  T value;
  F fn;
};

// Runs when no other case is ready, making the select non-blocking.
template <class F = detail::NoCallback>
struct DefaultCase {
  F fn;
};

// The views are taken by value and moved into the case: one handle copy per case.
template <class T>
[[nodiscard]] RecvCase<T> recv_case(RecvChan<T> ch) {
  return {std::move(ch), {}};
}
template <class T>
[[nodiscard]] RecvCase<T> recv_case(const Chan<T>& ch) {
  return {ch.receiver(), {}};
}
template <class T, class F>
[[nodiscard]] RecvCase<T, std::decay_t<F>> recv_case(RecvChan<T> ch, F&& fn) {
  static_assert(std::is_invocable_v<std::decay_t<F>&, std::optional<T>> ||
                    std::is_invocable_v<std::decay_t<F>&>,
                "recv_case callback must take std::optional<T> or nothing");
  return {std::move(ch), std::forward<F>(fn)};
}
template <class T, class F>
[[nodiscard]] RecvCase<T, std::decay_t<F>> recv_case(const Chan<T>& ch, F&& fn) {
  return recv_case(ch.receiver(), std::forward<F>(fn));
}

template <class T>
[[nodiscard]] SendCase<T> send_case(SendChan<T> ch, std::type_identity_t<T> value) {
  return {std::move(ch), std::move(value), {}};
}
template <class T>
[[nodiscard]] SendCase<T> send_case(const Chan<T>& ch, std::type_identity_t<T> value) {
  return {ch.sender(), std::move(value), {}};
}
template <class T, class F>
[[nodiscard]] SendCase<T, std::decay_t<F>> send_case(SendChan<T> ch, std::type_identity_t<T> value, F&& fn) {
  static_assert(std::is_invocable_v<std::decay_t<F>&>, "send_case callback must take no arguments");
  return {std::move(ch), std::move(value), std::forward<F>(fn)};
}
template <class T, class F>
[[nodiscard]] SendCase<T, std::decay_t<F>> send_case(const Chan<T>& ch, std::type_identity_t<T> value, F&& fn) {
  return send_case(ch.sender(), std::move(value), std::forward<F>(fn));
}

[[nodiscard]] inline DefaultCase<> default_case() { return {}; }
template <class F>
[[nodiscard]] DefaultCase<std::decay_t<F>> default_case(F&& fn) {
  static_assert(std::is_invocable_v<std::decay_t<F>&>, "default_case callback must take no arguments");
  return {std::forward<F>(fn)};
}

namespace detail {

// Per-case machinery of one select call: the case's operation in locked
// form, its waiter, and its callback.
template <class Case>
class CaseDriver;

template <class T, class F>
class CaseDriver<RecvCase<T, F>> {
 public:
  static constexpr bool is_default = false;

  explicit CaseDriver(RecvCase<T, F> c) : case_(std::move(c)) {}

  std::mutex* mutex() const noexcept { return &state().mutex(); }
  Outcome poll_locked(Parker*& to_wake) { return state().recv_locked(value_, to_wake); }
  void enqueue_locked(Parker& parker, std::size_t index) noexcept {
    waiter_.parker = &parker;
    waiter_.case_index = index;
    waiter_.dst = &value_;
    state().enqueue_receiver_locked(waiter_);
  }
  void remove_locked() noexcept { state().remove_receiver_locked(waiter_); }

  // ok is false when the channel was closed; value_ is then empty.
  void complete(bool /*ok*/) {
    if constexpr (std::is_invocable_v<F&, std::optional<T>>) {
      std::invoke(case_.fn, std::move(value_));
    } else {
      std::invoke(case_.fn);
    }
  }

 private:
  ChanState<T>& state() const noexcept { return *ChanAccess::state(case_.ch); }

  RecvCase<T, F> case_;
  std::optional<T> value_;
  Waiter<T> waiter_;
};

template <class T, class F>
class CaseDriver<SendCase<T, F>> {
 public:
  static constexpr bool is_default = false;

  explicit CaseDriver(SendCase<T, F> c) : case_(std::move(c)) {}

  std::mutex* mutex() const noexcept { return &state().mutex(); }
  Outcome poll_locked(Parker*& to_wake) { return state().send_locked(case_.value, to_wake); }
  void enqueue_locked(Parker& parker, std::size_t index) noexcept {
    waiter_.parker = &parker;
    waiter_.case_index = index;
    waiter_.src = &case_.value;
    state().enqueue_sender_locked(waiter_);
  }
  void remove_locked() noexcept { state().remove_sender_locked(waiter_); }

  // ok is false when the channel was (or got) closed: Go panics, we throw.
  void complete(bool ok) {
    if (!ok) throw closed_channel_error();
    std::invoke(case_.fn);
  }

 private:
  ChanState<T>& state() const noexcept { return *ChanAccess::state(case_.ch); }

  SendCase<T, F> case_;
  Waiter<T> waiter_;
};

template <class F>
class CaseDriver<DefaultCase<F>> {
 public:
  static constexpr bool is_default = true;

  explicit CaseDriver(DefaultCase<F> c) : case_(std::move(c)) {}

  void complete(bool /*ok*/) { std::invoke(case_.fn); }

 private:
  DefaultCase<F> case_;
};

template <std::size_t I = 0, class Tuple, class Fn>
void visit_at(Tuple& tuple, std::size_t index, Fn& fn) {
  if constexpr (I < std::tuple_size_v<Tuple>) {
    if (index == I) {
      fn(std::get<I>(tuple));
    } else {
      visit_at<I + 1>(tuple, index, fn);
    }
  }
}

// The mutexes of every channel in a select, deduplicated and locked in
// address order so that two selects over the same channels cannot deadlock.
template <std::size_t N>
class LockSet {
 public:
  explicit LockSet(std::array<std::mutex*, N> mutexes) noexcept : mutexes_(mutexes) {
    std::sort(mutexes_.begin(), mutexes_.end(), std::less<>());
    count_ = static_cast<std::size_t>(std::unique(mutexes_.begin(), mutexes_.end()) - mutexes_.begin());
  }
  LockSet(const LockSet&) = delete;
  LockSet& operator=(const LockSet&) = delete;
  LockSet(LockSet&&) = delete;
  LockSet& operator=(LockSet&&) = delete;
  ~LockSet() {
    if (locked_) unlock();
  }

  void lock() {
    for (std::size_t i = 0; i < count_; ++i) mutexes_[i]->lock();
    locked_ = true;
  }
  void unlock() noexcept {
    for (std::size_t i = count_; i-- > 0;) mutexes_[i]->unlock();
    locked_ = false;
  }

 private:
  std::array<std::mutex*, N> mutexes_;
  std::size_t count_ = 0;
  bool locked_ = false;
};

template <class... Cases>
constexpr std::array<bool, sizeof...(Cases)> default_flags() {
  return {CaseDriver<Cases>::is_default...};
}

}  // namespace detail

template <class... Cases>
std::size_t select(Cases&&... cases) {
  using Drivers = std::tuple<detail::CaseDriver<std::remove_cvref_t<Cases>>...>;
  constexpr std::size_t n = sizeof...(Cases);
  static_assert(n > 0, "select needs at least one case");
  constexpr auto is_default = detail::default_flags<std::remove_cvref_t<Cases>...>();
  constexpr auto defaults = static_cast<std::size_t>(std::count(is_default.begin(), is_default.end(), true));
  static_assert(defaults <= 1, "select takes at most one default_case");
  constexpr std::size_t nchan = n - defaults;
  constexpr std::size_t default_index =
      static_cast<std::size_t>(std::find(is_default.begin(), is_default.end(), true) - is_default.begin());

  // Cases are copied or moved in, so a case object may be reused across selects.
  Drivers drivers(std::forward<Cases>(cases)...);

  if constexpr (nchan == 0) {
    std::get<0>(drivers).complete(true);
    return 0;
  } else {
    std::array<std::size_t, nchan> order{};
    for (std::size_t i = 0, k = 0; i < n; ++i) {
      if (!is_default[i]) order[k++] = i;
    }
    // A random poll order makes the first ready case a uniform pick.
    for (std::size_t k = nchan; k > 1; --k) std::swap(order[k - 1], order[detail::random_below(k)]);

    auto complete = [&](std::size_t index, bool ok) {
      auto fn = [ok](auto& d) { d.complete(ok); };
      detail::visit_at(drivers, index, fn);
      return index;
    };
    // Tries case `index` with its channel locked by the caller.
    auto poll = [&](std::size_t index, detail::Parker*& to_wake) {
      detail::Outcome outcome = detail::Outcome::would_block;
      auto fn = [&](auto& d) {
        if constexpr (!std::remove_reference_t<decltype(d)>::is_default) outcome = d.poll_locked(to_wake);
      };
      detail::visit_at(drivers, index, fn);
      return outcome;
    };
    auto mutex_of = [&](std::size_t index) {
      std::mutex* m = nullptr;
      auto fn = [&](auto& d) {
        if constexpr (!std::remove_reference_t<decltype(d)>::is_default) m = d.mutex();
      };
      detail::visit_at(drivers, index, fn);
      return m;
    };

    // Fast path: one channel locked at a time, in the random order. Each
    // check is atomic on its own channel, which is all a non-blocking select
    // promises, and a ready case costs one lock instead of all of them.
    for (std::size_t index : order) {
      detail::Parker* to_wake = nullptr;
      std::unique_lock<std::mutex> lock(*mutex_of(index));
      const detail::Outcome outcome = poll(index, to_wake);
      if (outcome != detail::Outcome::would_block) {
        lock.unlock();
        detail::wake(to_wake);
        return complete(index, outcome == detail::Outcome::done);
      }
    }
    if constexpr (defaults == 1) {
      return complete(default_index, true);
    } else {
      // Nothing was ready: lock every channel (in address order, so selects
      // cannot deadlock each other), check again, then wait on all of them
      // at once; the first counterpart to claim the parker picks the case.
      std::array<std::mutex*, nchan> mutexes{};
      for (std::size_t k = 0; k < nchan; ++k) mutexes[k] = mutex_of(order[k]);
      detail::LockSet<nchan> locks(mutexes);
      locks.lock();
      for (std::size_t index : order) {
        detail::Parker* to_wake = nullptr;
        const detail::Outcome outcome = poll(index, to_wake);
        if (outcome != detail::Outcome::would_block) {
          locks.unlock();
          detail::wake(to_wake);
          return complete(index, outcome == detail::Outcome::done);
        }
      }
      detail::Parker parker;
      for (std::size_t index : order) {
        auto enqueue = [&](auto& d) {
          if constexpr (!std::remove_reference_t<decltype(d)>::is_default) d.enqueue_locked(parker, index);
        };
        detail::visit_at(drivers, index, enqueue);
      }
      locks.unlock();
      parker.park();
      locks.lock();
      for (std::size_t index : order) {
        auto remove = [](auto& d) {
          if constexpr (!std::remove_reference_t<decltype(d)>::is_default) d.remove_locked();
        };
        detail::visit_at(drivers, index, remove);
      }
      locks.unlock();
      return complete(parker.fired(), parker.ok());
    }
  }
}

}  // namespace chan
