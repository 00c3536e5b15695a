// What the client can set in initializationOptions (docs/editors.md):
//
//   compilationDatabasePath  directory of compile_commands.json (or the
//                            file); relative to the workspace root
//   fallbackFlags            compile flags for files no database knows,
//                            after the default -std=c++20
//   debounceMs               quiet time after an edit before analysing
//                            (default 300)
//   checks                   clang-tidy check globs, as --checks
//   modelFiles               library model files (docs/models.md), as
//                            --model; relative to the workspace root
//   preamble                 keep a precompiled preamble per document
//                            (default true; PreambleStore.h)
//
// The command line (-p, --checks) gives the defaults. A setting of the
// wrong type is ignored with a warning, never fatal.
#pragma once

#include "Protocol.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace chanlint::lsp {

struct ServerSettings {
  std::string CompilationDatabasePath;
  std::vector<std::string> FallbackFlags;
  std::chrono::milliseconds Debounce{300};
  std::optional<std::string> Checks;
  std::optional<std::vector<std::string>> ModelFiles;
  bool Preamble = true;
};

/// Settings with Options (initializationOptions; null or an object)
/// applied over Defaults. Warnings says what was ignored and why.
ServerSettings applyInitializationOptions(ServerSettings Defaults, const json &Options,
                                          std::vector<std::string> &Warnings);

} // namespace chanlint::lsp
