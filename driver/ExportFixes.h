// --export-fixes FILE: the YAML clang-tidy writes and clang-apply-replacements
// reads (clang::tooling::TranslationUnitDiagnostics), for the reported
// findings. Lets a review bot or a later job apply the fixes. The driver
// writes it to its OutputTarget.
#pragma once

#include "Report.h"

#include "llvm/Support/Error.h"

namespace chanlint::driver {

/// MainSourceFile: the TU when there is exactly one, else "" (as clang-tidy).
std::string exportFixesYaml(const Report &R, llvm::StringRef MainSourceFile);

} // namespace chanlint::driver
