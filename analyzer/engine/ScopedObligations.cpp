#include "ScopedObligations.h"

#include "KnownBranches.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <tuple>

namespace chanlint::engine {

namespace {

/// Bit I: obligation I may be pending.
class PendingObligations {
public:
  using State = llvm::BitVector;

  PendingObligations(std::vector<Obligation> &Os, const ObligationHooks &H)
      : Os(Os), H(H), LeakTriggers(Os.size()) {}

  bool Recording = false;
  /// Per obligation, what leaves its scope while it may be pending, in
  /// the order the replay meets them.
  std::vector<llvm::SmallVector<const clang::Stmt *, 2>> LeakTriggers;

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
            if (!llvm::is_contained(LeakTriggers[I], S.Trigger))
              LeakTriggers[I].push_back(S.Trigger);
          }
        }
        Cur.reset(I);
      } else if (H.Starts(S, I)) {
        Cur.set(I);
      } else if (H.Discharges(S, I)) {
        Cur.reset(I);
        O.Discharged = true;
      } else if (Recording && Cur.test(I) && H.DischargingCase &&
                 H.DischargingCase(S, I)) {
        O.Discharged = true; // on the paths that choose that case
      }
    }
  }

private:
  std::vector<Obligation> &Os;
  const ObligationHooks &H;
};

/// The second, path-sensitive look at one obligation that selects may
/// discharge by their choice: a search of (block, step, facts, values)
/// from where the obligation starts. A path ends where the obligation is
/// discharged, where its scope ends (a leak), or at a select whose
/// discharging case it takes; the select's other cases go on with what is
/// known after them, and branches those facts decide take one edge.
class PendingPaths {
public:
  PendingPaths(const FlowGraph &G, const ObligationHooks &H, unsigned I,
               const clang::VarDecl *ScopeVar)
      : G(G), H(H), I(I), ScopeVar(ScopeVar) {
    Facts.push_back(std::make_unique<KnownValues>(Nothing, G.ir()));
    for (unsigned B = 0; B < G.numBlocks(); ++B)
      for (const FlowStep &S : G.steps(B))
        if (S.O && S.O->Kind == OpKind::Select)
          for (const SelectCase &C : S.O->Cases)
            CaseSites.insert(C.Site);
  }

  /// The triggers of the scope exits reached while pending, or nothing
  /// when the search went past its bound.
  std::optional<llvm::SmallPtrSet<const clang::Stmt *, 4>> leaks() {
    for (unsigned B = 0; B < G.numBlocks(); ++B) {
      llvm::ArrayRef<FlowStep> Steps = G.steps(B);
      for (unsigned S = 0; S < Steps.size(); ++S)
        if (Steps[S].K != FlowStep::Kind::ScopeExit && H.Starts(Steps[S], I))
          push({B, S + 1, 0, startState(B, S + 1)});
    }
    while (!Work.empty()) {
      if (Seen.size() > MaxStates)
        return std::nullopt;
      Item It = std::move(Work.back());
      Work.pop_back();
      runBlock(It);
    }
    return Leaks;
  }

private:
  static constexpr size_t MaxStates = 4096;
  struct Item {
    unsigned Block, From, Facts;
    KnownState M;
    bool operator<(const Item &O) const {
      return std::tie(Block, From, Facts, M) < std::tie(O.Block, O.From, O.Facts, O.M);
    }
  };

  void push(Item It) {
    if (It.Block != FlowEdge::Unwind && Seen.insert(It).second)
      Work.push_back(std::move(It));
  }
  /// What is known where the obligation starts, just before step Step:
  /// what the block's earlier steps stored.
  KnownState startState(unsigned Block, unsigned Step) const {
    llvm::SmallVector<const clang::Stmt *, 8> Before;
    for (const FlowStep &S : G.steps(Block).take_front(Step))
      Before.push_back(S.stmt());
    return Facts[0]->initial(Before);
  }
  /// The facts after a select step that chose case C, made once.
  unsigned factsAfter(const FlowStep &S, unsigned C) {
    auto [It, New] = FactsOf.try_emplace({S.Block, S.Index, C}, Facts.size());
    if (New) {
      Afters.push_back(H.KnownAfterCase(S, C));
      Facts.push_back(std::make_unique<KnownValues>(Afters.back(), G.ir()));
    }
    return It->second;
  }
  /// One step; false when the path ends there.
  bool step(const FlowStep &S, unsigned F, KnownState &M) {
    if (S.K == FlowStep::Kind::ScopeExit) {
      if (S.ScopeVar != ScopeVar)
        return true;
      Leaks.insert(S.Trigger);
      return false;
    }
    if (H.Starts(S, I))
      return true;
    if (H.Discharges(S, I))
      return false;
    if (std::optional<unsigned> Fires = H.DischargingCase(S, I)) {
      for (unsigned C = 0; S.O && C < S.O->Cases.size(); ++C) {
        if (C == *Fires)
          continue;
        // What the path knew goes on, less what the chosen callback wrote.
        unsigned After = factsAfter(S, C);
        const clang::FunctionDecl *Ran = S.O->Cases[C].Callback.Body;
        push({S.Block, S.Index + 1, After,
              Facts[After]->carried(*Facts[F], M, Ran ? Ran->getBody() : nullptr)});
      }
      return false;
    }
    // Building a select's case runs nothing: its callback runs in the
    // select, if chosen.
    if (!CaseSites.contains(S.stmt()))
      Facts[F]->after(S.stmt(), M);
    return true;
  }
  /// Leaves by an exceptional edge: its scope exits, then its target.
  void throughEdge(const FlowEdge &E, unsigned F, KnownState M) {
    for (const FlowStep &X : E.ScopeExits)
      if (!step(X, F, M))
        return;
    push({E.To, 0, F, std::move(M)});
  }
  void runBlock(Item It) {
    llvm::ArrayRef<FlowStep> Steps = G.steps(It.Block);
    llvm::ArrayRef<FlowEdge> Throws = G.throwsFrom(It.Block);
    // Throws leave in step order, with the state before their step.
    auto ThrowsAt = [&](unsigned Step) {
      for (const FlowEdge &E : Throws)
        if (E.AtStep == Step || (Step == ~0u && E.AtStep >= Steps.size()))
          throughEdge(E, It.Facts, It.M);
    };
    for (unsigned S = It.From; S < Steps.size(); ++S) {
      ThrowsAt(S);
      if (!step(Steps[S], It.Facts, It.M))
        return;
    }
    ThrowsAt(~0u);
    forEachAllowedEdge(G, *Facts[It.Facts], It.M, It.Block,
                       [&](const FlowEdge &E) { push({E.To, 0, It.Facts, It.M}); });
  }
  const FlowGraph &G;
  const ObligationHooks &H;
  unsigned I;
  const clang::VarDecl *ScopeVar;
  const KnownAfter Nothing;
  std::deque<KnownAfter> Afters; ///< KnownValues keep a reference
  std::vector<std::unique_ptr<KnownValues>> Facts;
  std::map<std::tuple<unsigned, unsigned, unsigned>, unsigned> FactsOf;
  std::set<Item> Seen;
  std::vector<Item> Work;
  llvm::SmallPtrSet<const clang::Stmt *, 4> Leaks;
  llvm::SmallPtrSet<const clang::Stmt *, 8> CaseSites;
};

/// True if some step of the graph is a select that may discharge I.
bool dischargedByCase(const FlowGraph &G, const ObligationHooks &H, unsigned I) {
  for (unsigned B = 0; B < G.numBlocks(); ++B)
    for (const FlowStep &S : G.steps(B))
      if (S.K != FlowStep::Kind::ScopeExit && H.DischargingCase(S, I))
        return true;
  return false;
}

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
  for (unsigned I = 0; I < Os.size(); ++I) {
    Obligation &O = Os[I];
    llvm::SmallVector<const clang::Stmt *, 2> &Triggers = Analysis.LeakTriggers[I];
    if (O.Leaks && Hooks.DischargingCase && Hooks.KnownAfterCase &&
        dischargedByCase(G, Hooks, I)) {
      if (auto Leaks = PendingPaths(G, Hooks, I, O.ScopeVar).leaks()) {
        // A leak on both looks: what the dataflow found and a path confirms.
        llvm::erase_if(Triggers, [&](const clang::Stmt *T) { return !Leaks->contains(T); });
        O.Leaks = !Triggers.empty();
      }
    }
    // The first exit that names a statement (a return, a throw, a block).
    auto Named = llvm::find_if(Triggers, [](const clang::Stmt *T) { return T; });
    O.LeakAt = Named == Triggers.end() ? nullptr : *Named;
  }
  return Status;
}

SolveStatus checkDeclaredObligations(
    const FunctionIR &IR, std::vector<Obligation> &Os,
    llvm::function_ref<bool(const FlowStep &, unsigned I)> Discharges,
    const ObligationHooks *Cases) {
  auto Declares = [&](const FlowStep &S, unsigned I) {
    const auto *DS = llvm::dyn_cast_or_null<clang::DeclStmt>(S.stmt());
    return DS && llvm::is_contained(DS->decls(), Os[I].ScopeVar);
  };
  SolverOptions Opts;
  Opts.FirstIterationRuns = true;
  ObligationHooks Hooks{Declares, Discharges};
  if (Cases) {
    Hooks.DischargingCase = Cases->DischargingCase;
    Hooks.KnownAfterCase = Cases->KnownAfterCase;
  }
  return checkObligations(IR.flow(ExceptionEdges::Throws), Os, Hooks, Opts);
}

} // namespace chanlint::engine
