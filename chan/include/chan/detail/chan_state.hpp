// The shared state behind every channel handle, after Go's runtime/chan.go:
// one mutex, a ring buffer, and FIFO queues of blocked senders and receivers.
// Values pass directly between a sender and a blocked receiver (and the
// other way round) without touching the buffer.
#pragma once

#include <chan/detail/ring_buffer.hpp>
#include <chan/detail/waiter.hpp>
#include <chan/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

namespace chan::detail {

enum class Outcome : std::uint8_t { done, closed, would_block };

template <class T>
class ChanState {
 public:
  explicit ChanState(std::size_t capacity) : buf_(checked(capacity)) {}

  ChanState(const ChanState&) = delete;
  ChanState& operator=(const ChanState&) = delete;
  ChanState(ChanState&&) = delete;
  ChanState& operator=(ChanState&&) = delete;
  ~ChanState() = default;

  [[nodiscard]] std::size_t capacity() const noexcept { return buf_.capacity(); }

  [[nodiscard]] std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return buf_.size();
  }

  // Threads blocked in send / recv (or a select case) on this channel. For
  // tests and diagnostics: lets a test wait until a thread is really blocked.
  [[nodiscard]] std::size_t waiting_senders() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sendq_.size();
  }
  [[nodiscard]] std::size_t waiting_receivers() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return recvq_.size();
  }

  // Moves from value once it is delivered; on a throw value is untouched.
  void send(T& value) {
    std::unique_lock<std::mutex> lock(mutex_);
    Parker* to_wake = nullptr;
    switch (send_locked(value, to_wake)) {
      case Outcome::done:
        lock.unlock();
        wake(to_wake);
        return;
      case Outcome::closed:
        throw closed_channel_error();
      case Outcome::would_block:
        break;
    }
    Parker parker;
    Waiter<T> self;
    self.parker = &parker;
    self.src = &value;
    sendq_.push_back(self);
    lock.unlock();
    parker.park();
    if (!parker.ok()) throw closed_channel_error();
  }

  bool try_send(T& value) {
    std::unique_lock<std::mutex> lock(mutex_);
    Parker* to_wake = nullptr;
    switch (send_locked(value, to_wake)) {
      case Outcome::done:
        lock.unlock();
        wake(to_wake);
        return true;
      case Outcome::closed:
        throw closed_channel_error();
      case Outcome::would_block:
        break;
    }
    return false;
  }

  // nullopt once closed and drained.
  std::optional<T> recv() {
    std::optional<T> out;
    std::unique_lock<std::mutex> lock(mutex_);
    Parker* to_wake = nullptr;
    if (recv_locked(out, to_wake) != Outcome::would_block) {
      lock.unlock();
      wake(to_wake);
      return out;
    }
    Parker parker;
    Waiter<T> self;
    self.parker = &parker;
    self.dst = &out;
    recvq_.push_back(self);
    lock.unlock();
    parker.park();
    return out;
  }

  Outcome try_recv(std::optional<T>& out) {
    std::unique_lock<std::mutex> lock(mutex_);
    Parker* to_wake = nullptr;
    const Outcome result = recv_locked(out, to_wake);
    lock.unlock();
    wake(to_wake);
    return result;
  }

  void close() {
    Waiter<T>* woken = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) throw double_close_error();
      closed_ = true;
      // Receivers get nullopt, senders an exception; both learn it from ok() == false.
      for (WaitQueue<T>* q : {&recvq_, &sendq_}) {
        while (Waiter<T>* w = q->pop_claimed()) {
          w->parker->set_result(w->case_index, false);
          w->next = woken;
          woken = w;
        }
      }
    }
    while (woken != nullptr) {
      Waiter<T>* next = woken->next;  // woken may vanish once its parker wakes
      woken->parker->wake();
      woken = next;
    }
  }

  // --- The locked primitives below are what select builds on. ---

  std::mutex& mutex() const noexcept { return mutex_; }

  // With mutex() held. On done, to_wake is the parker to wake once unlocked.
  Outcome send_locked(T& value, Parker*& to_wake) {
    if (closed_) return Outcome::closed;
    if (Waiter<T>* r = recvq_.pop_claimed()) {
      // A receiver waits only while the buffer is empty: hand over directly.
      r->dst->emplace(std::move(value));
      r->parker->set_result(r->case_index, true);
      to_wake = r->parker;
      return Outcome::done;
    }
    if (!buf_.full()) {
      buf_.push(std::move(value));
      return Outcome::done;
    }
    return Outcome::would_block;
  }

  // With mutex() held. done: out holds a value; closed: closed and drained.
  Outcome recv_locked(std::optional<T>& out, Parker*& to_wake) {
    if (Waiter<T>* s = sendq_.pop_claimed()) {
      // A sender waits only while the buffer is full (or there is none):
      // take the oldest value, and the sender's value takes its place.
      if (buf_.capacity() == 0) {
        out.emplace(std::move(*s->src));
      } else {
        out.emplace(buf_.pop());
        buf_.push(std::move(*s->src));
      }
      s->parker->set_result(s->case_index, true);
      to_wake = s->parker;
      return Outcome::done;
    }
    if (!buf_.empty()) {
      out.emplace(buf_.pop());
      return Outcome::done;
    }
    return closed_ ? Outcome::closed : Outcome::would_block;
  }

  void enqueue_sender_locked(Waiter<T>& w) noexcept { sendq_.push_back(w); }
  void enqueue_receiver_locked(Waiter<T>& w) noexcept { recvq_.push_back(w); }
  void remove_sender_locked(Waiter<T>& w) noexcept { sendq_.remove(w); }
  void remove_receiver_locked(Waiter<T>& w) noexcept { recvq_.remove(w); }

 private:
  static std::size_t checked(std::size_t capacity) {
    // Go's makechan limit: a capacity that cannot be allocated is a bug.
    if (capacity > std::numeric_limits<std::size_t>::max() / 2 / sizeof(std::optional<T>)) {
      throw std::length_error("makechan: size out of range");
    }
    return capacity;
  }

  mutable std::mutex mutex_;
  RingBuffer<T> buf_;
  WaitQueue<T> recvq_;
  WaitQueue<T> sendq_;
  bool closed_ = false;
};

}  // namespace chan::detail
