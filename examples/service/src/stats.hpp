// Periodic reports while the service runs.
#pragma once

#include <chan/chan.hpp>

#include <atomic>
#include <chrono>

namespace service {

struct Counters {
  std::atomic<int> submitted{0};
  std::atomic<int> finished{0};
};

// Prints the counters every interval until ctx ends.
void report_stats(const chan::Context& ctx, const Counters& counters,
                  chan::Duration interval);

// Cancels the service when no job finished for `limit`.
void watchdog(const chan::Context& ctx, const Counters& counters, chan::CancelFunc cancel,
              chan::Duration limit);

}  // namespace service
