// Findings as clang prints diagnostics: "file:line:col: warning: message
// [check]", the source line with a caret and the highlighted range, fix-it
// hints, then the notes. Rendered by clang's own TextDiagnosticPrinter, as
// clang-tidy's reporter does, so the text (and its colours) match.
#pragma once

#include "Report.h"

#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace chanlint::driver {

/// Writes compiler errors and findings, in source order.
void writeText(llvm::raw_ostream &OS, const Report &R, bool Color,
               llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS);

/// clang-tidy's account of what its filters dropped, word for word:
/// "Suppressed 3 warnings (2 NOLINT, 1 with check filters).\n", plus its
/// hint when warnings in headers were dropped; "" when nothing was.
std::string suppressedWarningsText(const SuppressedWarnings &S);

} // namespace chanlint::driver
