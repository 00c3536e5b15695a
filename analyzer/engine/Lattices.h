// Small lattices that many questions share. A yes/no fact along paths, with
// "no path reached here yet" as the bottom: joined as "on some path" (a
// may-question) or "on every path" (a must-question).
#pragma once

#include <algorithm>
#include <cstdint>

namespace chanlint::engine {

enum class OnPaths : uint8_t { Some, Every };

struct PathFlag {
  using State = int8_t; ///< -1 not reached, 0 no, 1 yes
  static constexpr State Unreached = -1;

  /// Joins From into Into; true if Into changed.
  static bool join(OnPaths Mode, State &Into, State From) {
    if (From == Unreached)
      return false;
    State Joined = Into == Unreached            ? From
                   : Mode == OnPaths::Every ? std::min(Into, From)
                                            : std::max(Into, From);
    bool Changed = Joined != Into;
    Into = Joined;
    return Changed;
  }
};

} // namespace chanlint::engine
