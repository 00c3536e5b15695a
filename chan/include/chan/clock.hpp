// The library's clock: every deadline, tick and timeout is on steady_clock.
#pragma once

#include <chrono>

namespace chan {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

}  // namespace chan
