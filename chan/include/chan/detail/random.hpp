// A per-thread fast PRNG for select's uniform choice among ready cases.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace chan::detail {

inline std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

// xorshift64*, seeded differently in every thread.
inline std::uint64_t next_random() noexcept {
  static std::atomic<std::uint64_t> streams{0};
  thread_local std::uint64_t state = [] {
    const auto now = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    const std::uint64_t seed =
        splitmix64(now ^ splitmix64(streams.fetch_add(1, std::memory_order_relaxed)));
    return seed != 0 ? seed : 0x2545f4914f6cdd1dULL;
  }();
  state ^= state >> 12U;
  state ^= state << 25U;
  state ^= state >> 27U;
  return state * 0x2545f4914f6cdd1dULL;
}

// Uniform in [0, n) for the small n of a select.
inline std::size_t random_below(std::size_t n) noexcept {
  const std::uint64_t high = next_random() >> 32U;
  return static_cast<std::size_t>((high * static_cast<std::uint64_t>(n)) >> 32U);
}

}  // namespace chan::detail
