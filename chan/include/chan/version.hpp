// The library's version; chan/CMakeLists.txt reads the package version from here.
#pragma once

#define CHAN_VERSION_MAJOR 0
#define CHAN_VERSION_MINOR 1
#define CHAN_VERSION_PATCH 0

namespace chan {
inline constexpr int version_major = CHAN_VERSION_MAJOR;
inline constexpr int version_minor = CHAN_VERSION_MINOR;
inline constexpr int version_patch = CHAN_VERSION_PATCH;
}  // namespace chan
