// What one run of the checks on one translation unit produced, in a form
// that outlives the compiler: plain strings and numbers, no SourceLocation.
// The CLI writes it as text, SARIF, JSON or Code Climate; the language
// server turns it into LSP diagnostics; the cache stores it.
#pragma once

#include <string>
#include <vector>

namespace chanlint::driver {

/// A point in a file. Line and Column are 1-based; Column counts bytes, as
/// clang's diagnostics do; Utf16Column counts UTF-16 code units (SARIF's
/// default columnKind and LSP's default position encoding), also 1-based.
struct Position {
  unsigned Offset = 0;
  unsigned Line = 0;
  unsigned Column = 0;
  unsigned Utf16Column = 0;

  friend bool operator==(const Position &, const Position &) = default;
};

/// A range in one file; End is exclusive. File is absolute and normalized;
/// empty for diagnostics without a location (e.g. a bad compiler flag).
struct Location {
  std::string File;
  Position Begin;
  Position End;

  friend bool operator==(const Location &, const Location &) = default;
};

struct Note {
  Location Loc;
  std::string Message;
  /// A step of the path the finding describes (see docs/driver.md, "Paths"):
  /// becomes a SARIF codeFlow location.
  bool OnPath = false;
  std::vector<Location> Ranges; ///< marked in the text, as Diagnostic::Ranges

  friend bool operator==(const Note &, const Note &) = default;
};

/// One edit of a fix-it: replace [Begin, End) of File with Text.
struct Replacement {
  std::string File;
  Position Begin;
  Position End;
  std::string Text;

  unsigned offset() const { return Begin.Offset; }
  unsigned length() const { return End.Offset - Begin.Offset; }

  friend bool operator==(const Replacement &, const Replacement &) = default;
};

enum class Level { Remark, Warning, Error };

struct Diagnostic {
  std::string Check; ///< "chan-receiver-close"; "clang-diagnostic-error" for compiler errors
  Level Severity = Level::Warning;
  std::string Message;
  /// Begin is the anchor (clang's file:line:col, where the caret points);
  /// End the end of the highlighted range (highlight()).
  Location Loc;
  /// The ranges clang-tidy reported with the message, which its text marks
  /// with tildes: a check may mark a whole construct and point at one
  /// token of it (a ticker's declaration, the caret at its name).
  std::vector<Location> Ranges;
  std::vector<Note> Notes;
  /// The fix-it of the diagnostic (all edits belong together). Empty when
  /// the check offers none, or when an edit would touch a macro expansion
  /// or a system header (the driver refuses those).
  std::vector<Replacement> Fixes;
  /// The named function (or method) around the anchor, "" at namespace
  /// scope; part of the fingerprint, so that it survives line shifts.
  std::string Context;
  /// The anchor's line, without the line break.
  std::string LineText;

  /// The region of the finding in SARIF, JSON and LSP: the first of Ranges
  /// that holds the anchor (as clangd picks it), else Loc (the anchor's
  /// token).
  Location highlight() const {
    for (const Location &R : Ranges)
      if (R.File == Loc.File && R.Begin.Offset <= Loc.Begin.Offset &&
          Loc.Begin.Offset < R.End.Offset)
        return R;
    return Loc;
  }

  friend bool operator==(const Diagnostic &, const Diagnostic &) = default;
};

/// Warnings that clang-tidy's diagnostic consumer dropped, by its reasons:
/// what clang-tidy sums up as "Suppressed N warnings (N NOLINT, ...)".
struct SuppressedWarnings {
  unsigned Nolint = 0;      ///< NOLINT, NOLINTNEXTLINE, NOLINTBEGIN/END
  unsigned NonUserCode = 0; ///< in headers outside the header filter
  unsigned LineFilter = 0;
  unsigned CheckFilter = 0; ///< compiler warnings of checks not enabled

  unsigned total() const { return Nolint + NonUserCode + LineFilter + CheckFilter; }
  SuppressedWarnings &operator+=(const SuppressedWarnings &O) {
    Nolint += O.Nolint;
    NonUserCode += O.NonUserCode;
    LineFilter += O.LineFilter;
    CheckFilter += O.CheckFilter;
    return *this;
  }

  friend bool operator==(const SuppressedWarnings &, const SuppressedWarnings &) = default;
};

/// Where a bound of the analysis cut it short (chanlint::BoundHit): findings
/// past it are missing. Not a finding: it changes no exit code, and no
/// baseline, diff or fix applies to it.
struct BoundNotice {
  std::string Bound;   ///< "call-depth", "tasks", "frames", "dataflow"
  unsigned Limit = 0;  ///< the bound's value
  std::string Root;    ///< the root (function or class) cut short
  std::string Message; ///< one line
  Location Loc;        ///< the token of the call, task start or function

  friend bool operator==(const BoundNotice &, const BoundNotice &) = default;
};

/// The outcome of analysing one source file (under every compile command
/// the database has for it).
struct TUResult {
  std::string File;           ///< absolute, normalized
  std::string BuildDirectory; ///< the compile command's directory
  std::vector<Diagnostic> Diagnostics;    ///< findings, in source order
  std::vector<Diagnostic> CompilerErrors; ///< clang's errors, if any
  std::vector<BoundNotice> Bounds;        ///< where bounds cut the analysis short
  SuppressedWarnings Suppressed;
  /// The TU could not be analysed completely: compiler errors, a missing
  /// file, no compile command. Findings of what did parse are still in
  /// Diagnostics.
  bool Failed = false;
  std::string FailureReason; ///< one line, when Failed
  /// Given up on at the time limit (--tu-time-limit): Failed, with nothing
  /// else known of it.
  bool TimedOut = false;
  bool FromCache = false;
  double Seconds = 0; ///< wall time spent on it (0 for a cache hit)
};

const char *levelName(Level L); ///< "warning", "error", "remark"

/// Orders diagnostics by file, position, check and message; used wherever
/// output must not depend on scheduling.
bool diagnosticLess(const Diagnostic &A, const Diagnostic &B);
/// The same order for bound notices: file, position, bound, message.
bool boundNoticeLess(const BoundNotice &A, const BoundNotice &B);

} // namespace chanlint::driver
