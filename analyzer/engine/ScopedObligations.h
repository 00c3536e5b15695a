// Resources a function body must release before they go out of scope: a
// ticker to stop, a cancel function to call. The engine's question for
// rules of that shape: "which obligations may still be pending here?", a
// forward may-dataflow. An obligation starts at a step (its declaration),
// is discharged by a step (a stop, a call, a hand-off to an owner), and
// leaks where a scope exit of its variable runs while it may be pending:
// at a return, at the end of its block, or where a throw leaves the scope.
// The rule says what starts and discharges; the engine walks the paths.
//
// Some obligations are discharged by what a select chooses: a timer has
// fired on the paths where the case receiving from its channel was taken.
// For those the engine looks again at every leak the dataflow finds, path
// by path: at such a select it follows each other case with what is known
// after it (KnownValues: the select's result, the values its callback
// left), so the branch that tests for the fired case is told apart from
// the one that stops the timer.
#pragma once

#include "Dataflow.h"
#include "KnownValues.h"

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
  /// Optional: the case of this step's select whose choice discharges
  /// obligation I, if it has one.
  llvm::function_ref<std::optional<unsigned>(const FlowStep &, unsigned I)>
      DischargingCase;
  /// With DischargingCase: what is known just after this step's select
  /// when it chose case C.
  llvm::function_ref<KnownAfter(const FlowStep &, unsigned C)> KnownAfterCase;
};

/// Runs the analysis over the graph and fills each obligation's outcome.
SolveStatus checkObligations(const FlowGraph &G, std::vector<Obligation> &Os,
                             const ObligationHooks &Hooks,
                             SolverOptions Opts = {});

/// The usual case: each obligation starts where its ScopeVar is declared;
/// explicit throws are ways out; `while (running)` loops run once at least.
/// The select hooks (DischargingCase, KnownAfterCase) are taken from Cases
/// when given.
SolveStatus checkDeclaredObligations(
    const FunctionIR &IR, std::vector<Obligation> &Os,
    llvm::function_ref<bool(const FlowStep &, unsigned I)> Discharges,
    const ObligationHooks *Cases = nullptr);

} // namespace chanlint::engine
