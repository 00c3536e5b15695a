// Which compile command analyses a file, and the Runner that applies it.
//
// In order: the database named by initializationOptions.
// compilationDatabasePath (or -p); else the first database found upward
// from the file, looking in each directory as clangd does (its
// compile_commands.json, then build/compile_commands.json, then
// compile_flags.txt); else the fallback flags (FallbackDatabase, or the
// flags given after `--` on the command line). A database that has no entry for
// the file interpolates one from a neighbour (as clangd does), so the
// fallback is for files outside any database. Databases are reloaded when
// their file changes on disk.
#pragma once

#include "Runner.h"

#include "llvm/Support/Chrono.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chanlint::lsp {

/// The database of one directory, as clangd looks for it:
/// Dir/compile_commands.json, Dir/build/compile_commands.json (CMake's
/// usual build directory), Dir/compile_flags.txt; "" if none.
std::string compilationDatabaseIn(llvm::StringRef Dir);
/// The database of the nearest directory above File that has one.
std::string findCompilationDatabase(llvm::StringRef File);

struct ResolverSettings {
  /// A directory holding a database (as compilationDatabaseIn), or the
  /// file itself; "" to search upward from each file.
  std::string DatabasePath;
  /// Where fallback commands run; "" for each file's own directory.
  std::string FallbackDirectory;
  std::vector<std::string> FallbackFlags;
  /// Replaces FallbackDatabase when set (flags after `--` on the command
  /// line).
  std::shared_ptr<const clang::tooling::CompilationDatabase> FallbackOverride;
  driver::RunnerOptions Runner;
};

class CompileCommandResolver {
public:
  /// Warn hears of databases that cannot be read, once per file version.
  CompileCommandResolver(ResolverSettings Settings, std::function<void(const std::string &)> Warn);

  struct Choice {
    std::shared_ptr<const driver::Runner> Runner; ///< null when Error is set
    /// Where the command comes from, for the log: "/b/compile_commands.json",
    /// "/b/compile_commands.json (interpolated)", "fallback flags".
    std::string Source;
    std::string Error;
  };

  /// Thread-safe.
  Choice resolve(const std::string &File);

private:
  struct LoadedRunner {
    llvm::sys::TimePoint<> ModificationTime;
    std::shared_ptr<const driver::Runner> Runner; ///< null if unreadable
  };

  /// The runner over DatabaseFile, (re)loaded if it changed; null if it
  /// cannot be read.
  std::shared_ptr<const driver::Runner> runnerFor(const std::string &DatabaseFile);
  Choice fallback();

  ResolverSettings Settings;
  std::function<void(const std::string &)> Warn;
  std::mutex Mutex;
  std::map<std::string, LoadedRunner> Runners; ///< by database file
  std::shared_ptr<const driver::Runner> FallbackRunner;
  std::string FallbackError;
  bool WarnedAboutDatabasePath = false;
};

} // namespace chanlint::lsp
