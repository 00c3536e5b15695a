// Writing a file so that readers see the old contents or the new, never a
// mix: write a temporary file next to it, then rename it over the target.
// Used for --fix, for -o outputs (OutputTarget.h) and for cache entries.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace chanlint::driver {

/// The path Path finally names once its symlinks are followed, link after
/// link. The last one may not exist yet: a dangling symlink names the file
/// it would create, as a shell's `>` does. A path that is no symlink is
/// returned as it is.
llvm::Expected<std::string> followSymlinks(llvm::StringRef Path);

/// Replaces the file Path names (through symlinks: the link is kept, its
/// target replaced). Keeps the permissions of an existing file; a new one
/// gets 0666 less the umask, as open(2) would give it.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents);

} // namespace chanlint::driver
