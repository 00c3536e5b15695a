// Resources a function body must release before they go out of scope: a
// ticker to stop, a cancel function to call. The engine's question for
// rules of that shape: "which obligations may still be pending here?", a
// forward may-dataflow. An obligation starts at a step (its declaration),
// is discharged by a step (a stop, a call, a hand-off to an owner), and
// leaks where a scope exit of its variable runs while it may be pending:
// at a return, at the end of its block, or where a throw leaves the scope.
// The rule says what starts and discharges; the engine walks the paths.
#pragma once

#include "Dataflow.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <vector>

namespace chanlint::engine {

struct Obligation {
  /// The local whose scope exit ends the obligation.
  const clang::VarDecl *ScopeVar = nullptr;

  // Outcome, filled by checkObligations:
  bool Discharged = false;      ///< some step discharges it
  bool ScopeEndReached = false; ///< its scope ends on some path
  bool Leaks = false;           ///< ...on a path where it is still pending
  const clang::Stmt *LeakAt = nullptr; ///< what leaves the scope there
  /// Neither discharged nor out of scope anywhere: pending forever.
  bool neverEnds() const { return !Discharged && !ScopeEndReached; }
};

struct ObligationHooks {
  /// Obligation I starts at this step.
  llvm::function_ref<bool(const FlowStep &, unsigned I)> Starts;
  /// This step discharges obligation I.
  llvm::function_ref<bool(const FlowStep &, unsigned I)> Discharges;
};

/// Runs the analysis over the graph and fills each obligation's outcome.
SolveStatus checkObligations(const FlowGraph &G, std::vector<Obligation> &Os,
                             const ObligationHooks &Hooks,
                             SolverOptions Opts = {});

/// The usual case: each obligation starts where its ScopeVar is declared;
/// explicit throws are ways out; `while (running)` loops run once at least.
SolveStatus checkDeclaredObligations(
    const FunctionIR &IR, std::vector<Obligation> &Os,
    llvm::function_ref<bool(const FlowStep &, unsigned I)> Discharges);

} // namespace chanlint::engine
