// Runs the chan-* checks on translation units through clang-tidy's own
// machinery (ClangTidyContext, its diagnostic consumer, its check
// factories), so that configuration, NOLINT and header filtering behave as
// in clang-tidy, and returns structured results.
//
// This is the reusable core: the CLI analyses a compilation database with
// it, the language server analyses one file with unsaved buffers.
//
//   auto DB = loadCompilationDatabase("build", nullptr, {});
//   auto R = Runner::create(DB->DB, RunnerOptions{});
//   TUResult T = (*R)->analyze("/src/a.cpp", {{"/src/a.cpp", Unsaved}});
#pragma once

#include "Diagnostic.h"
#include "OptionsProvider.h"

#include "clang/Tooling/CompilationDatabase.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clang {
class CompilerInvocation;
}
namespace llvm::vfs {
class FileSystem;
}

namespace chanlint::driver {

class ResultCache;

/// Changes how a TU is compiled just before it is: the language server
/// puts a precompiled preamble in here. Called on the analysing thread,
/// once per compile command, with the invocation as it will run (every
/// argument adjuster applied) and the files it reads; it may change both
/// (e.g. lay an overlay over FS).
class InvocationHook {
public:
  virtual ~InvocationHook() = default;
  virtual void prepare(clang::CompilerInvocation &Invocation,
                       llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &FS) = 0;
};

struct RunnerOptions {
  TidyOptionsSpec Tidy;
  /// clang's resource directory (its builtin headers); "" for the one of
  /// the clang that chanlint was built with. A compile command's own
  /// -resource-dir wins.
  std::string ResourceDir;
  /// Keeps results between runs; null for none.
  std::shared_ptr<const ResultCache> Cache;
  /// analyzeAll gives up on a TU still running after this many seconds
  /// (0: never); see analyzeAll.
  unsigned TUTimeLimit = 0;
};

/// Unsaved buffers: absolute path -> contents. They replace the files on
/// disk for the analysis (sources, headers and .clang-tidy files alike).
using FileOverlays = std::map<std::string, std::string>;

struct ProgressEvent {
  enum Kind { Started, Finished, TimedOut } What;
  llvm::StringRef File;
  unsigned Done;  ///< TUs finished so far (including this one if Finished)
  unsigned Total;
};
using ProgressCallback = std::function<void(const ProgressEvent &)>;

struct RunnerStats {
  std::atomic<unsigned> Analysed{0};    ///< TUs run through the checks
  std::atomic<unsigned> CacheHits{0};   ///< TUs answered by the cache
  std::atomic<unsigned> CacheMisses{0}; ///< looked up, not found
  std::atomic<unsigned> CacheSkipped{0}; ///< not cacheable (did not preprocess)
  /// Of the hits, those whose key was known without preprocessing (CacheManifest.h).
  std::atomic<unsigned> CacheHitsUnpreprocessed{0};
};

class Runner {
public:
  static llvm::Expected<std::unique_ptr<Runner>>
  create(std::shared_ptr<const clang::tooling::CompilationDatabase> DB,
         RunnerOptions Options);

  /// Analyses one source file under every compile command the database
  /// has for it. Thread-safe: calls may run concurrently. Hook, if any,
  /// sees each compilation before it runs.
  TUResult analyze(llvm::StringRef File, const FileOverlays &Overlays = {},
                   InvocationHook *Hook = nullptr) const;

  /// Analyses Files on Jobs threads (0: one per core). Results come in the
  /// order of Files, whatever the scheduling. Progress is called from the
  /// workers, one call at a time. A TU past Options.TUTimeLimit is given up
  /// on at once (Progress: TimedOut; its result: Failed and TimedOut) while
  /// the others go on; its thread cannot be stopped and is left running, so
  /// this Runner must then outlive the process: end it with std::_Exit.
  std::vector<TUResult> analyzeAll(llvm::ArrayRef<std::string> Files, unsigned Jobs,
                                   const ProgressCallback &Progress = nullptr,
                                   const FileOverlays &Overlays = {}) const;

  /// The checks enabled for File once its configuration is applied.
  std::vector<std::string> enabledChecks(llvm::StringRef File) const;
  /// The effective clang-tidy configuration for File.
  clang::tidy::ClangTidyOptions effectiveOptions(llvm::StringRef File) const;

  const OptionsFactory &options() const { return Options; }
  const clang::tooling::CompilationDatabase &database() const { return *DB; }
  const RunnerStats &stats() const { return Stats; }

private:
  Runner(std::shared_ptr<const clang::tooling::CompilationDatabase> DB,
         OptionsFactory Options, RunnerOptions Settings);

  std::shared_ptr<const clang::tooling::CompilationDatabase> DB;
  OptionsFactory Options;
  RunnerOptions Settings;
  mutable RunnerStats Stats;
};

/// The resource directory of the clang chanlint was built with.
std::string defaultResourceDir();

} // namespace chanlint::driver
