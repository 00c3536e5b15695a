// A finding: what a check reports, independent of how it is reported
// (clang-tidy diagnostics, SARIF, LSP).
#pragma once

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceLocation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace chanlint {

/// A check: its place in the catalogue (CheckCatalog.h), which names it.
/// A new check adds a catalogue entry, not a value here.
struct CheckId {
  uint8_t Index = 0;
  friend bool operator==(CheckId, CheckId) = default;
  friend auto operator<=>(CheckId, CheckId) = default;
};

struct FindingNote {
  clang::SourceLocation Loc;
  std::string Message;
  /// Part of the path the finding describes (a close, then the send it
  /// breaks): becomes a SARIF codeFlow step. Otherwise context (where a
  /// task was started, what the fix-it follows). Set by the rule; outputs
  /// use it as it is.
  bool OnPath = false;
};

struct Finding {
  /// Stamped by the engine with the check of the rule that reported it.
  CheckId Check;
  clang::SourceLocation Loc; ///< the anchor
  clang::SourceRange Range;
  std::string Message;
  std::vector<FindingNote> Notes;
  /// Only edits of the user's own text: fix-its that would touch a macro
  /// expansion or a system header are dropped by the engine.
  std::vector<clang::FixItHint> Fixes;
  /// The qualified name of the named function (not a lambda) around the
  /// anchor, "" at namespace scope: a fingerprint that survives line shifts.
  std::string Function;
};

} // namespace chanlint
