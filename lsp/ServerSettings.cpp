#include "ServerSettings.h"

#include <algorithm>
#include <cstdint>

namespace chanlint::lsp {

ServerSettings applyInitializationOptions(ServerSettings S, const json &Options,
                                          std::vector<std::string> &Warnings) {
  if (Options.is_null())
    return S;
  if (!Options.is_object()) {
    Warnings.emplace_back("initializationOptions is not an object; ignored");
    return S;
  }
  auto Wrong = [&](const char *Name, const char *Expected) {
    Warnings.emplace_back(std::string("initializationOptions.") + Name + " must be " + Expected +
                          "; ignored");
  };

  if (auto It = Options.find("compilationDatabasePath"); It != Options.end() && !It->is_null()) {
    if (It->is_string())
      S.CompilationDatabasePath = It->get<std::string>();
    else
      Wrong("compilationDatabasePath", "a string");
  }
  if (auto It = Options.find("fallbackFlags"); It != Options.end() && !It->is_null()) {
    bool AllStrings = It->is_array() && std::all_of(It->begin(), It->end(), [](const json &F) {
                        return F.is_string();
                      });
    if (AllStrings)
      S.FallbackFlags = It->get<std::vector<std::string>>();
    else
      Wrong("fallbackFlags", "an array of strings");
  }
  if (auto It = Options.find("debounceMs"); It != Options.end() && !It->is_null()) {
    if (It->is_number_unsigned() && It->get<std::uint64_t>() <= 60000)
      S.Debounce = std::chrono::milliseconds(It->get<std::uint64_t>());
    else
      Wrong("debounceMs", "an integer from 0 to 60000");
  }
  if (auto It = Options.find("modelFiles"); It != Options.end() && !It->is_null()) {
    if (It->is_array() && std::all_of(It->begin(), It->end(),
                                      [](const json &F) { return F.is_string(); }))
      S.ModelFiles = It->get<std::vector<std::string>>();
    else
      Wrong("modelFiles", "an array of paths");
  }
  if (auto It = Options.find("checks"); It != Options.end() && !It->is_null()) {
    if (It->is_string())
      S.Checks = It->get<std::string>();
    else
      Wrong("checks", "a string of check globs");
  }
  if (auto It = Options.find("preamble"); It != Options.end() && !It->is_null()) {
    if (It->is_boolean())
      S.Preamble = It->get<bool>();
    else
      Wrong("preamble", "true or false");
  }
  return S;
}

} // namespace chanlint::lsp
