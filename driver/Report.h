// What a run reports: the findings of every TU, deduplicated (a header's
// finding comes once, however many TUs include it), in a fixed order, with
// fingerprints; then narrowed by --baseline and --diff. Every writer takes
// a Report, so every format says the same thing.
#pragma once

#include "Diagnostic.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace chanlint::driver {

struct Reported {
  Diagnostic Diag;
  std::string Fingerprint;
  std::string BuildDirectory; ///< of the (first) TU that reported it
  std::string TU;             ///< that TU's main file
};

struct Report {
  std::string SrcRoot;            ///< absolute; URIs and fingerprints are relative to it
  std::vector<TUResult> TUs;      ///< by file
  std::vector<Reported> Findings; ///< by file, position, check, message
  unsigned SuppressedByBaseline = 0;
  unsigned OutsideDiff = 0;
  int ExitCode = 0;

  std::vector<const TUResult *> failedTUs() const;
  std::vector<const Diagnostic *> compilerErrors() const; ///< deduplicated, sorted
  /// Where bounds cut the analysis short, over every TU: deduplicated (a
  /// header's once, whatever the TUs that include it), sorted.
  std::vector<BoundNotice> bounds() const;
  /// What clang-tidy's filters dropped, summed over the TUs (as clang-tidy
  /// sums them over its files).
  SuppressedWarnings suppressed() const;
};

Report buildReport(std::vector<TUResult> TUs, std::string SrcRoot);

/// Keeps the findings Keep accepts; returns how many it dropped.
unsigned filterFindings(Report &R, llvm::function_ref<bool(const Reported &)> Keep);

/// File relative to the source root when it lies under it, else absolute:
/// how paths appear in reports meant for people and CI systems.
std::string displayPath(llvm::StringRef File, llvm::StringRef SrcRoot);

} // namespace chanlint::driver
