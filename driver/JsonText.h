// JSON as text, for every output and file the driver writes. Source text is
// not always UTF-8 (a Latin-1 comment on a reported line, a fix-it that
// copies a string literal, a file name), and nlohmann::json's dump() throws
// on such bytes, which aborted the whole run (found by chanlint_fuzz).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace chanlint::driver {

/// For reports: bytes that are not UTF-8 become U+FFFD, so a report is
/// always written and always valid JSON.
inline std::string jsonText(const nlohmann::json &J, int Indent = -1) {
  return J.dump(Indent, ' ', /*ensure_ascii=*/false,
                nlohmann::json::error_handler_t::replace);
}

/// For what is read back (the cache): the exact text, or nothing when it
/// cannot be JSON, since a replaced byte would read back as another result.
inline std::optional<std::string> exactJsonText(const nlohmann::json &J) {
  try {
    return J.dump();
  } catch (const nlohmann::json::type_error &) {
    return std::nullopt;
  }
}

} // namespace chanlint::driver
