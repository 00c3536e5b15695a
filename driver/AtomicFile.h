// Writing a file so that readers see the old contents or the new, never a
// mix: write a temporary file next to it, then rename it over the target.
// Used for --fix, for -o outputs and for cache entries.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace chanlint::driver {

/// Keeps the permissions of an existing target.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents);

} // namespace chanlint::driver
