// Where a report is written: -o, --export-fixes and `merge -o`. Checked
// before the analysis, so that an output that cannot be written fails the
// run in a moment instead of after it. Three kinds of target:
// - standard output: "-", or a path that is the very file standard output
//   is (/dev/stdout, /proc/self/fd/1);
// - a character device or a FIFO (/dev/null, /dev/stderr, a named pipe a
//   reader waits on): written through, as a shell's `>` would;
// - a regular file, existing or not: replaced atomically (a temporary file
//   renamed over it), through symlinks: the link stays, its target gets the
//   contents.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace chanlint::driver {

class OutputTarget {
public:
  /// The target Path names, or why it cannot be written: a missing
  /// directory, a directory, no permission, a block device or a socket.
  static llvm::Expected<OutputTarget> check(llvm::StringRef Path);

  bool isStdout() const { return Where == Kind::Stdout; }
  /// As the user gave it.
  llvm::StringRef path() const { return Given; }

  llvm::Error write(llvm::StringRef Contents) const;

private:
  enum class Kind { Stdout, Stream, File };
  OutputTarget(Kind K, std::string Given, std::string Resolved)
      : Where(K), Given(std::move(Given)), Resolved(std::move(Resolved)) {}

  Kind Where;
  std::string Given;
  std::string Resolved; ///< File: the file a symlink leads to
};

} // namespace chanlint::driver
