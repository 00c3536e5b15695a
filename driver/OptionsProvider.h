// The clang-tidy options chanlint runs with. clang-tidy's own layering
// applies (defaults < .clang-tidy files, or --config / --config-file <
// command line), with chanlint's defaults, and one rule of chanlint's own:
// a configuration's `Checks` counts only if it names chan checks.
//
// Why: a project's .clang-tidy is usually written for other checks
// (`-*,bugprone-*`); taken literally its `-*` would switch every chan check
// off. A configuration that mentions `chan` (`-chan-unguarded-send`,
// `-*,chan-receiver-close`) is written for chanlint and applies in full.
// --checks on the command line always applies.
#pragma once

#include "ClangTidyOptions.h"
#include "ModelFiles.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace chanlint::driver {

inline constexpr const char *DefaultChecks = "-*,chan-*";

/// What the command line (or the language server's settings) asks for.
struct TidyOptionsSpec {
  std::optional<std::string> Checks;        ///< --checks: overrides every file
  std::optional<std::string> HeaderFilter;  ///< --header-filter
  std::optional<std::string> ExcludeHeaderFilter;
  std::optional<bool> SystemHeaders;
  std::vector<std::string> ExtraArgs;       ///< appended to each compile command
  std::vector<std::string> ExtraArgsBefore; ///< inserted after the compiler
  std::string Config;     ///< inline YAML (--config); disables .clang-tidy lookup
  std::string ConfigFile; ///< a YAML file (--config-file); likewise
  /// --model: library model files; override chanlint.ModelFiles.
  std::vector<std::string> ModelFiles;
};

/// The library models File's configuration names (chanlint.ModelFiles,
/// or --model), with the built-in ones.
llvm::Expected<chanlint::ModelSet> modelsOf(const clang::tidy::ClangTidyOptions &Options,
                                            llvm::StringRef File);

/// True if a Checks glob list names chan checks (see the file comment).
bool mentionsChanChecks(llvm::StringRef Checks);

class OptionsFactory {
public:
  /// Reads --config / --config-file once; an Error if unreadable or invalid,
  /// or if a regular expression does not compile.
  static llvm::Expected<OptionsFactory> create(const TidyOptionsSpec &Spec);

  /// A fresh provider over FS. clang-tidy's providers cache per directory
  /// and are not thread-safe, so every analysis gets its own.
  std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
  makeProvider(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) const;

  /// Checks that every .clang-tidy that applies to File parses (clang-tidy
  /// itself would only print the error and go on without it). Thread-safe.
  llvm::Error validateFor(llvm::StringRef File, llvm::vfs::FileSystem &FS) const;

private:
  clang::tidy::ClangTidyGlobalOptions Global;
  clang::tidy::ClangTidyOptions Defaults;
  clang::tidy::ClangTidyOptions Overrides;
  std::optional<clang::tidy::ClangTidyOptions> Config;
  /// Directories whose configuration was already validated.
  std::shared_ptr<std::pair<std::mutex, llvm::StringSet<>>> Validated;
};

} // namespace chanlint::driver
