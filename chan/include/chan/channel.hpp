// Channels: Chan<T> and its directional views SendChan<T> and RecvChan<T>.
// All three are cheap handles to one shared channel, like Go's chan values:
// copies refer to the same channel and operator== compares identity. Every
// operation is const (the state is shared), so handles captured by value in
// a lambda can be used without `mutable`.
#pragma once

#include <chan/detail/chan_state.hpp>
#include <chan/errors.hpp>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

namespace chan {

// The element of signal channels, Go's struct{}.
struct Unit {
  friend constexpr auto operator<=>(Unit, Unit) noexcept = default;
};

// What try_recv() found.
enum class RecvStatus : std::uint8_t { value, would_block, closed };

// The result of a non-blocking receive: a value, "would block" or "closed".
template <class T>
class TryRecv {
 public:
  TryRecv(RecvStatus status, std::optional<T> value) : status_(status), value_(std::move(value)) {}

  [[nodiscard]] RecvStatus status() const noexcept { return status_; }
  [[nodiscard]] bool has_value() const noexcept { return status_ == RecvStatus::value; }
  [[nodiscard]] bool would_block() const noexcept { return status_ == RecvStatus::would_block; }
  [[nodiscard]] bool closed() const noexcept { return status_ == RecvStatus::closed; }
  explicit operator bool() const noexcept { return has_value(); }

  // Precondition for * and -> (as for std::optional's): has_value().
  // value() checks, and throws std::bad_optional_access.
  // NOLINTBEGIN(bugprone-unchecked-optional-access): unchecked by design, like std::optional
  T& operator*() & noexcept { return *value_; }
  const T& operator*() const& noexcept { return *value_; }
  T&& operator*() && noexcept { return std::move(*value_); }
  T* operator->() noexcept { return &*value_; }
  const T* operator->() const noexcept { return &*value_; }
  T& value() & { return value_.value(); }
  const T& value() const& { return value_.value(); }
  T&& value() && { return std::move(value_.value()); }
  // NOLINTEND(bugprone-unchecked-optional-access)

 private:
  RecvStatus status_;
  std::optional<T> value_;
};

template <class T>
class Chan;
template <class T>
class SendChan;
template <class T>
class RecvChan;

namespace detail {

// The library's own access to a handle's state (select, timers, contexts).
struct ChanAccess {
  template <class H>
  static const auto& state(const H& handle) noexcept {
    return handle.state_;
  }
  template <class H, class S>
  static H make(S state) {
    return H(std::move(state));
  }
};

template <class T>
using ChanStatePtr = std::shared_ptr<ChanState<T>>;

template <class T>
TryRecv<T> try_recv(const ChanStatePtr<T>& s) {
  std::optional<T> out;
  switch (s->try_recv(out)) {
    case Outcome::done:
      return {RecvStatus::value, std::move(out)};
    case Outcome::closed:
      return {RecvStatus::closed, std::nullopt};
    case Outcome::would_block:
      break;
  }
  return {RecvStatus::would_block, std::nullopt};
}

}  // namespace detail

// Input iterator of range-for over a channel: each step is a recv(); the
// range ends once the channel is closed and drained.
template <class T>
class RecvIterator {
 public:
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using iterator_concept = std::input_iterator_tag;

  RecvIterator() = default;
  explicit RecvIterator(detail::ChanStatePtr<T> state) : state_(std::move(state)) { advance(); }

  // Precondition: not at the end (as for any iterator).
  T& operator*() const noexcept { return *current_; }  // NOLINT(bugprone-unchecked-optional-access)
  T* operator->() const noexcept { return &*current_; }  // NOLINT(bugprone-unchecked-optional-access)

  RecvIterator& operator++() {
    advance();
    return *this;
  }
  void operator++(int) { advance(); }

  friend bool operator==(const RecvIterator& it, std::default_sentinel_t) noexcept {
    return !it.current_.has_value();
  }

 private:
  void advance() { current_ = state_->recv(); }

  detail::ChanStatePtr<T> state_;
  mutable std::optional<T> current_;  // mutable: *it on a const iterator yields T&
};

// The send side of a channel (Go's chan<- T): send, try_send, close.
template <class T>
class SendChan {
 public:
  using value_type = T;

  void send(const T& value) const {
    T copy(value);
    state_->send(copy);
  }
  // value is moved from only if it is delivered.
  void send(T&& value) const { state_->send(value); }

  bool try_send(const T& value) const {
    T copy(value);
    return state_->try_send(copy);
  }
  bool try_send(T&& value) const { return state_->try_send(value); }

  void close() const { state_->close(); }

  [[nodiscard]] std::size_t size() const { return state_->size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return state_->capacity(); }

  friend bool operator==(const SendChan& a, const SendChan& b) noexcept { return a.state_ == b.state_; }

 private:
  friend struct detail::ChanAccess;
  friend class Chan<T>;
  explicit SendChan(detail::ChanStatePtr<T> state) noexcept : state_(std::move(state)) {}

  detail::ChanStatePtr<T> state_;
};

// The receive side of a channel (Go's <-chan T): recv, try_recv, range-for.
// It has no close(): closing is the sender's job.
template <class T>
class RecvChan {
 public:
  using value_type = T;

  std::optional<T> recv() const { return state_->recv(); }
  TryRecv<T> try_recv() const { return detail::try_recv(state_); }

  [[nodiscard]] RecvIterator<T> begin() const { return RecvIterator<T>(state_); }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  [[nodiscard]] std::size_t size() const { return state_->size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return state_->capacity(); }

  friend bool operator==(const RecvChan& a, const RecvChan& b) noexcept { return a.state_ == b.state_; }

 private:
  friend struct detail::ChanAccess;
  friend class Chan<T>;
  explicit RecvChan(detail::ChanStatePtr<T> state) noexcept : state_(std::move(state)) {}

  detail::ChanStatePtr<T> state_;
};

// A bidirectional channel. Chan<T>() is an unbuffered channel (a send
// completes only when a receiver takes the value); Chan<T>(n) buffers n values.
template <class T>
class Chan {
 public:
  using value_type = T;

  Chan() : Chan(0) {}
  explicit Chan(std::size_t capacity) : state_(std::make_shared<detail::ChanState<T>>(capacity)) {}

  // Blocks until a receiver takes the value (or, if buffered, until there is
  // room). Throws closed_channel_error if the channel is closed, also if it is
  // closed while this sender is blocked.
  void send(const T& value) const {
    T copy(value);
    state_->send(copy);
  }
  // value is moved from only if it is delivered.
  void send(T&& value) const { state_->send(value); }

  // false if the send would block; throws closed_channel_error if closed.
  bool try_send(const T& value) const {
    T copy(value);
    return state_->try_send(copy);
  }
  bool try_send(T&& value) const { return state_->try_send(value); }

  // Blocks until a value arrives; nullopt once the channel is closed and drained.
  std::optional<T> recv() const { return state_->recv(); }
  TryRecv<T> try_recv() const { return detail::try_recv(state_); }

  // Wakes every blocked receiver (they get nullopt once the buffer is drained)
  // and fails every blocked sender. Throws double_close_error the second time.
  void close() const { state_->close(); }

  [[nodiscard]] std::size_t size() const { return state_->size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return state_->capacity(); }

  [[nodiscard]] RecvIterator<T> begin() const { return RecvIterator<T>(state_); }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  [[nodiscard]] SendChan<T> sender() const noexcept { return SendChan<T>(state_); }
  [[nodiscard]] RecvChan<T> receiver() const noexcept { return RecvChan<T>(state_); }
  operator SendChan<T>() const noexcept { return sender(); }  // NOLINT(google-explicit-constructor): Go converts implicitly
  operator RecvChan<T>() const noexcept { return receiver(); }  // NOLINT(google-explicit-constructor): Go converts implicitly

  friend bool operator==(const Chan& a, const Chan& b) noexcept { return a.state_ == b.state_; }
  friend bool operator==(const Chan& a, const SendChan<T>& b) noexcept { return a.sender() == b; }
  friend bool operator==(const Chan& a, const RecvChan<T>& b) noexcept { return a.receiver() == b; }

 private:
  friend struct detail::ChanAccess;
  explicit Chan(detail::ChanStatePtr<T> state) noexcept : state_(std::move(state)) {}

  detail::ChanStatePtr<T> state_;
};

// Go's make(chan T, n).
template <class T>
[[nodiscard]] Chan<T> make_chan(std::size_t capacity = 0) {
  return Chan<T>(capacity);
}

}  // namespace chan

// Channels can key unordered containers, by identity.
template <class T>
struct std::hash<chan::Chan<T>> {
  std::size_t operator()(const chan::Chan<T>& c) const noexcept {
    return std::hash<const void*>{}(chan::detail::ChanAccess::state(c).get());
  }
};
template <class T>
struct std::hash<chan::SendChan<T>> {
  std::size_t operator()(const chan::SendChan<T>& c) const noexcept {
    return std::hash<const void*>{}(chan::detail::ChanAccess::state(c).get());
  }
};
template <class T>
struct std::hash<chan::RecvChan<T>> {
  std::size_t operator()(const chan::RecvChan<T>& c) const noexcept {
    return std::hash<const void*>{}(chan::detail::ChanAccess::state(c).get());
  }
};
