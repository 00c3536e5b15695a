// The analyzer's own facts of each chan-* finding, kept while clang-tidy
// runs the checks on a TU: which notes are steps of the finding's path,
// the function around it, and its fix-its (already limited by the
// analyzer to the user's own text). The runner converts clang-tidy's
// diagnostics with these instead of guessing them from lines and spans.
// Also where bounds cut the analyses short, which clang-tidy never sees.
#pragma once

#include "TUAnalysis.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace chanlint::driver {

class AnalyzerFacts {
public:
  struct Facts {
    std::string Function;
    struct Note {
      std::string Message;
      bool OnPath = false;
    };
    std::vector<Note> Notes; ///< in the finding's order
    /// Whether the I-th of the notes clang-tidy reports (which adds notes
    /// of its own, such as "expanded from macro") is a step of the path.
    std::vector<bool> onPath(llvm::ArrayRef<std::string> Reported) const;
  };

  /// Observes the analyses run on this thread while alive.
  AnalyzerFacts();
  ~AnalyzerFacts();
  AnalyzerFacts(const AnalyzerFacts &) = delete;
  AnalyzerFacts &operator=(const AnalyzerFacts &) = delete;

  /// The facts of the finding of Check anchored at Offset of File (absolute,
  /// normalized; clang-tidy's file location of the anchor), or null.
  const Facts *lookup(llvm::StringRef Check, llvm::StringRef File,
                      unsigned Offset) const;

  /// A bound hit at Offset of File (absolute, normalized; "" when it has
  /// no file location).
  struct Bound {
    BoundHit Hit; ///< its Loc is not valid beyond the analysis
    std::string File;
    unsigned Offset = 0;
  };
  /// Of every analysis observed, in their order.
  const std::vector<Bound> &bounds() const { return Bounds; }

private:
  void record(const TUAnalysis &A, clang::ASTContext &Ctx);

  TUAnalysis::Observer Observer;
  const TUAnalysis::Observer *Previous = nullptr;
  std::map<std::tuple<std::string, std::string, unsigned>, Facts> ByAnchor;
  std::vector<Bound> Bounds;
};

} // namespace chanlint::driver
