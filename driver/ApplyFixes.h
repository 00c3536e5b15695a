// --fix: applies the fix-its of the reported findings to the files.
//
// - All edits of one finding, or none: a finding whose edits overlap an
//   earlier finding's, or whose file changed since it was analysed (its
//   positions no longer match), is skipped whole.
// - One atomic write per file (temporary file + rename).
// - clang-format's cleanup around the edits, and formatting when the
//   configuration's FormatStyle asks for it, as clang-tidy --fix does.
// - Idempotent: a finding that came from several TUs is applied once; the
//   fixes silence their checks, so a second run finds nothing to fix.
// Fix-its in macro expansions or system headers never reach this point
// (FixItGuard.h).
#pragma once

#include "Report.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>
#include <vector>

namespace chanlint::driver {

struct FixOutcome {
  unsigned Applied = 0; ///< findings whose fix-it was applied
  unsigned Skipped = 0; ///< findings whose fix-it was not (see Problems)
  std::vector<std::string> ChangedFiles;
  std::vector<std::string> Problems; ///< one line each
};

/// StyleFor: the FormatStyle of a file's configuration ("none", "file", ...).
FixOutcome applyFixes(llvm::ArrayRef<Reported> Findings,
                      llvm::function_ref<std::string(llvm::StringRef File)> StyleFor);

} // namespace chanlint::driver
