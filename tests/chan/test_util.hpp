// Helpers shared by the chan tests.
#pragma once

#include <chan/chan.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace chan_test {

using namespace std::chrono_literals;

template <class Handle>
std::size_t waiting_senders(const Handle& h) {
  return chan::detail::ChanAccess::state(h)->waiting_senders();
}

template <class Handle>
std::size_t waiting_receivers(const Handle& h) {
  return chan::detail::ChanAccess::state(h)->waiting_receivers();
}

// Waits (yielding, not sleeping) until pred() holds, e.g. until another
// thread is really blocked on a channel. Fails after a generous limit.
template <class Pred>
::testing::AssertionResult eventually(Pred pred, std::chrono::milliseconds limit = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return ::testing::AssertionFailure() << "condition never held";
    std::this_thread::yield();
  }
  return ::testing::AssertionSuccess();
}

// Threads of this process, from /proc/self/status.
inline int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

inline double millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace chan_test
