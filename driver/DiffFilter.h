// --diff-base REV and --diff=FILE|-: report only findings whose anchor is
// on a line the diff adds or changes (what a reviewer sees in a pull
// request). Deleted lines leave nothing to anchor on.
#pragma once

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace chanlint::driver {

class ChangedLines {
public:
  /// Parses a unified diff (git's or diff -u's). Paths are resolved against
  /// Root; git's a/ and b/ prefixes are removed.
  static llvm::Expected<ChangedLines> fromUnifiedDiff(llvm::StringRef Diff,
                                                      llvm::StringRef Root);
  /// Runs `git diff -U0 REV` in the repository that contains Dir: changes
  /// from REV to the working tree.
  static llvm::Expected<ChangedLines> fromGit(llvm::StringRef Rev, llvm::StringRef Dir);

  /// The top of the git work tree that contains Dir, or "".
  static std::string gitTopLevel(llvm::StringRef Dir);

  bool contains(llvm::StringRef File, unsigned Line) const;
  bool touches(llvm::StringRef File) const { return Lines.count(File) != 0; }
  size_t fileCount() const { return Lines.size(); }

private:
  /// File -> [first, last] line ranges, both inclusive.
  llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> Lines;
};

} // namespace chanlint::driver
