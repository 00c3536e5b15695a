#include "ScopedObligations.h"

#include "llvm/ADT/BitVector.h"

namespace chanlint::engine {

namespace {

/// Bit I: obligation I may be pending.
class PendingObligations {
public:
  using State = llvm::BitVector;

  PendingObligations(std::vector<Obligation> &Os, const ObligationHooks &H)
      : Os(Os), H(H) {}

  bool Recording = false;

  State bottom() const { return State(Os.size()); }
  bool join(State &Into, const State &From) const {
    State Before = Into;
    Into |= From;
    return Into != Before;
  }
  void transferEdge(const FlowEdge &, State &) const {}

  void transfer(const FlowStep &S, State &Cur) {
    for (unsigned I = 0; I < Os.size(); ++I) {
      Obligation &O = Os[I];
      if (S.K == FlowStep::Kind::ScopeExit) {
        if (S.ScopeVar != O.ScopeVar)
          continue;
        if (Recording) {
          O.ScopeEndReached = true;
          if (Cur.test(I)) {
            O.Leaks = true;
            if (!O.LeakAt)
              O.LeakAt = S.Trigger;
          }
        }
        Cur.reset(I);
      } else if (H.Starts(S, I)) {
        Cur.set(I);
      } else if (H.Discharges(S, I)) {
        Cur.reset(I);
        O.Discharged = true;
      }
    }
  }

private:
  std::vector<Obligation> &Os;
  const ObligationHooks &H;
};

} // namespace

SolveStatus checkObligations(const FlowGraph &G, std::vector<Obligation> &Os,
                             const ObligationHooks &Hooks, SolverOptions Opts) {
  if (Os.empty())
    return SolveStatus::Converged;
  PendingObligations Analysis(Os, Hooks);
  ForwardDataflow<PendingObligations> Solver(G, Analysis, Opts);
  SolveStatus Status = Solver.solve(Analysis.bottom());
  Analysis.Recording = true;
  Solver.replay();
  return Status;
}

SolveStatus checkDeclaredObligations(
    const FunctionIR &IR, std::vector<Obligation> &Os,
    llvm::function_ref<bool(const FlowStep &, unsigned I)> Discharges) {
  auto Declares = [&](const FlowStep &S, unsigned I) {
    const auto *DS = llvm::dyn_cast_or_null<clang::DeclStmt>(S.stmt());
    return DS && llvm::is_contained(DS->decls(), Os[I].ScopeVar);
  };
  SolverOptions Opts;
  Opts.FirstIterationRuns = true;
  return checkObligations(IR.flow(ExceptionEdges::Throws), Os,
                          {Declares, Discharges}, Opts);
}

} // namespace chanlint::engine
