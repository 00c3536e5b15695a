// chanlint's version and home, for --version, SARIF and cache keys.
#pragma once

namespace chanlint {
inline constexpr const char *ChanlintVersion = "0.1.0";
inline constexpr const char *ChanlintRepositoryUrl =
    "https://github.com/chanlint/chanlint";
} // namespace chanlint
