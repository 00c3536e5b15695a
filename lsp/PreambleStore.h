// Precompiled preambles of the open documents, as clangd keeps them.
//
// A file's preamble is its leading run of #include lines, other directives
// and comments (clang's ComputePreambleBounds). Precompiling what it pulls
// in once (clang's PrecompiledPreamble, the PCH kept in memory) lets every
// later analysis of the document parse only the rest of the file. A
// document keeps one preamble per compile command, rebuilt when
//   - the preamble's text changes (an #include added, removed or edited),
//   - the compile command changes (its cc1 command line, adjusters applied),
//   - a file it read changed on disk, or a header it looked for and missed
//     appeared (PrecompiledPreamble::CanReuse, through the analysis' files),
//   - a file it read is an open buffer whose text changed, or was opened or
//     closed since (CanReuse cannot see that: unsaved buffers carry no
//     modification time, only a size).
// A preamble whose build reported any diagnostic (a missing header, a
// warning in one) is kept but not applied: an analysis reusing it would
// lack those diagnostics, so the file is analysed whole until the preamble
// changes. With or without a preamble the findings are the same.
//
//   PreambleStore Store;
//   auto Use = Store.use(Path, Overlays);
//   TUResult R = Runner.analyze(Path, Overlays, Use.get());
//   log(Use->summary());   // "reused", "built in 0.82 s (...)", ...
//
// Thread-safe: analyses may run concurrently with each other and with
// forget().
#pragma once

#include "Runner.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chanlint::lsp {

class PreambleStore {
  struct Entry;

public:
  /// Totals since the store was made, for the log and the tests.
  struct Counts {
    unsigned Built = 0;   ///< preambles precompiled
    unsigned Reused = 0;  ///< analyses that reused a kept preamble
    unsigned Applied = 0; ///< analyses that parsed with a preamble (built or reused)
  };

  /// The preamble side of one analysis of one document: the hook that
  /// Runner::analyze calls for each compile command. When it is destroyed
  /// the document keeps the preambles this analysis used, and only those
  /// (a command no longer in use drops its preamble).
  class Use : public driver::InvocationHook {
  public:
    ~Use() override;
    void prepare(clang::CompilerInvocation &Invocation,
                 llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &FS) override;
    /// What happened, one clause per compile command: "reused", "built in
    /// 0.84 s (the includes changed), 31.2 MB", "none: ...", "not used: ...".
    std::string summary() const;

  private:
    friend class PreambleStore;
    Use(PreambleStore &Store, std::string Path, driver::FileOverlays Overlays,
        std::vector<std::shared_ptr<const Entry>> Kept, std::uint64_t Generation);

    /// The entry kept for Command, or null.
    std::shared_ptr<const Entry> kept(const std::vector<std::string> &Command) const;
    /// Why Kept cannot serve this compilation; "" if it can.
    std::string staleness(const Entry &Kept, const clang::CompilerInvocation &Invocation,
                          const llvm::MemoryBuffer &Main, unsigned PreambleSize,
                          bool EndsAtStartOfLine, llvm::vfs::FileSystem &FS) const;

    PreambleStore &Store;
    std::string Path;
    driver::FileOverlays Overlays;
    std::vector<std::shared_ptr<const Entry>> Kept; ///< the document's, when the analysis began
    std::uint64_t Generation;
    std::vector<std::shared_ptr<const Entry>> Used;
    std::vector<std::string> Outcomes;
  };

  PreambleStore();
  ~PreambleStore();

  /// The hook for analysing Path (a normalized path) with these unsaved
  /// buffers (those the analysis sees, Path's own included).
  std::unique_ptr<Use> use(const std::string &Path, const driver::FileOverlays &Overlays);
  /// Drops Path's preambles (the document was closed). An analysis of it
  /// running meanwhile keeps nothing.
  void forget(const std::string &Path);
  Counts counts() const;

private:
  struct Document {
    std::uint64_t Generation = 0; ///< bumped by forget()
    std::vector<std::shared_ptr<const Entry>> Entries;
  };

  void keep(const std::string &Path, std::uint64_t Generation,
            std::vector<std::shared_ptr<const Entry>> Entries);

  mutable std::mutex Mutex;
  std::map<std::string, Document> Documents; ///< by path
  Counts Totals;
};

} // namespace chanlint::lsp
