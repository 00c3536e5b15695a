// A finding: what a check reports, independent of how it is reported
// (clang-tidy diagnostics, SARIF, LSP).
#pragma once

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceLocation.h"

#include <string>
#include <vector>

namespace chanlint {

enum class CheckId : uint8_t {
  ReceiverClose,
  MultiSenderClose,
  UnguardedSend,
  TickerNotStopped,
};

struct FindingNote {
  clang::SourceLocation Loc;
  std::string Message;
  /// Part of the path the finding describes (a close, then the send it
  /// breaks): becomes a SARIF codeFlow step.
  bool OnPath = false;
};

struct Finding {
  CheckId Check = CheckId::ReceiverClose;
  clang::SourceLocation Loc; ///< the anchor
  clang::SourceRange Range;
  std::string Message;
  std::vector<FindingNote> Notes;
  std::vector<clang::FixItHint> Fixes;
};

} // namespace chanlint
