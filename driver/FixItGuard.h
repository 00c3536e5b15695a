// Sits in front of clang-tidy's diagnostic consumer and remembers every
// diagnostic whose fix-it would edit a macro expansion or a system header;
// the runner then drops those fix-its. The checks already avoid macros, but
// --fix rewrites files, so the driver makes sure on its own. Only here,
// with the SourceManager still alive, can a macro location be told apart.
#pragma once

#include "clang/Basic/Diagnostic.h"

#include "llvm/ADT/StringRef.h"

#include <set>
#include <string>
#include <utility>

namespace chanlint::driver {

class FixItGuard : public clang::ForwardingDiagnosticConsumer {
public:
  explicit FixItGuard(clang::DiagnosticConsumer &Target)
      : ForwardingDiagnosticConsumer(Target) {}

  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override;

  /// File (absolute, normalized) and offset of a diagnostic whose fix-its
  /// must not be applied.
  bool isUnsafe(llvm::StringRef File, unsigned Offset) const {
    return Unsafe.count({File.str(), Offset}) != 0;
  }

private:
  std::set<std::pair<std::string, unsigned>> Unsafe;
};

} // namespace chanlint::driver
