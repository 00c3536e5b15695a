// A finding: what a check reports, independent of how it is reported
// (clang-tidy diagnostics, SARIF, LSP); and a bound hit: where the analysis
// stopped short, reported alongside.
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

/// Where a bound of the analysis cut it short: what lies past it was not
/// analysed, so findings there are missing. Every output says so next to
/// the findings (stderr, SARIF's toolExecutionNotifications, JSON), but it
/// is not a finding: it changes no exit code, and no baseline applies.
struct BoundHit {
  enum class Kind : uint8_t {
    CallDepth, ///< a call or task start nested too deep was not followed
    Tasks,     ///< a root starts too many tasks: it was not analysed
    Frames,    ///< a root runs too many function bodies: not analysed
    Dataflow,  ///< a dataflow stopped before its fixed point: partial
  };
  Kind Bound = Kind::CallDepth;
  unsigned Limit = 0;        ///< the bound's value
  clang::SourceLocation Loc; ///< the call, task start or function
  std::string Root;          ///< the root (function or class) cut short
  std::string Message;       ///< one line: what was cut, what is missing

  /// "call-depth", "tasks", "frames", "dataflow": the bound's name in every
  /// output (SARIF's descriptor is "chanlint.bound." followed by it).
  static const char *name(Kind K) {
    switch (K) {
    case Kind::CallDepth:
      return "call-depth";
    case Kind::Tasks:
      return "tasks";
    case Kind::Frames:
      return "frames";
    case Kind::Dataflow:
      return "dataflow";
    }
    return "unknown";
  }
};

} // namespace chanlint
