// A finding's identity across runs, for SARIF partialFingerprints, Code
// Climate fingerprints and --baseline. Made of what a reader would call
// "the same finding": the check, the file (relative to the source root, so
// that checkouts elsewhere agree), the anchor line's text with whitespace
// normalized, the enclosing function, and which occurrence of that
// combination it is. Not the line number: inserting code above a finding
// must not make it new.
#pragma once

#include "Diagnostic.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace chanlint::driver {

/// The key under SARIF's partialFingerprints. Bump the version when the
/// recipe changes: old baselines then simply stop matching.
inline constexpr const char *FingerprintKey = "chanlintFingerprint/v1";

/// Trimmed, with every run of whitespace reduced to one space.
std::string normalizeLineText(llvm::StringRef Line);

/// Path relative to Root if it lies under it (with '/' separators), else "".
std::string relativePath(llvm::StringRef Path, llvm::StringRef Root);

/// One fingerprint per diagnostic. Sorted must be in diagnosticLess order:
/// the occurrence index counts in source order.
std::vector<std::string> computeFingerprints(llvm::ArrayRef<Diagnostic> Sorted,
                                             llvm::StringRef SrcRoot);

} // namespace chanlint::driver
