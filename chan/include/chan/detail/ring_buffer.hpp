// Fixed-capacity FIFO storage of a buffered channel.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace chan::detail {

// Slots are optionals so that T needs no default constructor.
template <class T>
class RingBuffer {
 public:
  explicit RingBuffer(std::size_t capacity) : slots_(capacity) {}

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return slots_.size(); }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] bool full() const noexcept { return size_ == slots_.size(); }

  // Precondition: !full().
  void push(T&& value) {
    std::size_t tail = head_ + size_;
    if (tail >= slots_.size()) tail -= slots_.size();
    slots_[tail].emplace(std::move(value));
    ++size_;
  }

  // Precondition: !empty().
  T pop() {
    std::optional<T>& slot = slots_[head_];
    T value = std::move(*slot);  // NOLINT(bugprone-unchecked-optional-access): slots [head, head + size) hold values
    slot.reset();
    if (++head_ == slots_.size()) head_ = 0;
    --size_;
    return value;
  }

 private:
  std::vector<std::optional<T>> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace chan::detail
