#include "OrderFacts.h"

#include "Dataflow.h"
#include "KnownBranches.h"
#include "Lattices.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

#include <set>

namespace chanlint::engine {

OrderFacts::OrderFacts(const FlowGraph &G) : G(G) {
  auto Add = [&](const FlowStep &S, Position P) {
    if (S.O && S.Loc.Block != ~0u)
      Positions[{S.Loc.Block, S.Loc.Index}].push_back(P);
  };
  for (unsigned B = 0; B < G.numBlocks(); ++B) {
    for (const FlowStep &S : G.steps(B))
      Add(S, {B, S.Index, -1});
    llvm::ArrayRef<FlowEdge> Throws = G.throwsFrom(B);
    for (unsigned E = 0; E < Throws.size(); ++E)
      for (unsigned X = 0; X < Throws[E].ScopeExits.size(); ++X)
        Add(Throws[E].ScopeExits[X], {B, X, static_cast<int>(E)});
  }
}

llvm::ArrayRef<OrderFacts::Position> OrderFacts::positionsOf(OpLocation L) const {
  auto It = Positions.find({L.Block, L.Index});
  if (It == Positions.end())
    return {};
  return It->second;
}

namespace {

/// A search of (block, facts still known) from the positions of A for a
/// position of B. Blocks run step by step: a write forgets its facts, a
/// throw leaves with what held before its step, and a block is left by the
/// normal edges its known condition selects (KnownBranches).
class PrunedSearch {
public:
  /// What the returns a search reaches give back, when it collects them.
  struct Returns {
    std::optional<int64_t> Value;
    bool Unknown = false; ///< a return of another or no known value
  };

  PrunedSearch(const FlowGraph &G, const KnownValues &Known, OpLocation B,
               Returns *Collect = nullptr)
      : G(G), Known(Known), B(B), Collect(Collect) {}

  /// Starts just after a step of A's block (or only by the throws at it).
  bool startAfterStep(unsigned Block, unsigned Step, bool OnlyByThrow) {
    if (OnlyByThrow) {
      for (const FlowEdge &E : G.throwsFrom(Block))
        if (E.AtStep == Step && throughEdge(E, 0, Known.initial()))
          return true;
      return false;
    }
    llvm::SmallVector<const clang::Stmt *, 8> Before;
    for (const FlowStep &S : G.steps(Block).take_front(Step))
      Before.push_back(S.stmt());
    return runBlock(Block, Step + 1, Known.initial(Before));
  }
  /// Starts just after a scope exit run on an exceptional edge.
  bool startAfterEdgeExit(const FlowEdge &E, unsigned Exit) {
    return throughEdge(E, Exit + 1, Known.initial());
  }

  bool search() {
    while (!Work.empty()) {
      auto [Block, M] = std::move(Work.back());
      Work.pop_back();
      if (runBlock(Block, 0, std::move(M)))
        return true;
    }
    return false;
  }

private:
  bool isB(const FlowStep &S) const {
    return S.O && S.Loc.Block == B.Block && S.Loc.Index == B.Index;
  }
  void push(unsigned Block, const KnownState &M) {
    if (Block != FlowEdge::Unwind && Seen.insert({Block, M}).second)
      Work.push_back({Block, M});
  }
  /// A return reached while collecting them: true once the answer is
  /// "unknown", which ends the search.
  bool collectReturn(const clang::ReturnStmt *R, const KnownState &M) {
    std::optional<int64_t> V =
        R->getRetValue() ? Known.value(R->getRetValue(), M) : std::nullopt;
    if (!V || (Collect->Value && Collect->Value != V))
      Collect->Unknown = true;
    Collect->Value = V;
    return Collect->Unknown;
  }
  /// Runs the scope exits of an exceptional edge from one on, then enters
  /// its target.
  bool throughEdge(const FlowEdge &E, unsigned FromExit, const KnownState &M) {
    for (unsigned X = FromExit; X < E.ScopeExits.size(); ++X)
      if (isB(E.ScopeExits[X]))
        return true;
    push(E.To, M);
    return false;
  }
  bool runBlock(unsigned Block, unsigned From, KnownState M) {
    llvm::ArrayRef<FlowStep> Steps = G.steps(Block);
    llvm::ArrayRef<FlowEdge> Throws = G.throwsFrom(Block);
    // Throws leave in step order, with the state before their step.
    const FlowEdge *NextThrow = Throws.begin();
    auto ThrowsBefore = [&](unsigned Step) {
      for (; NextThrow != Throws.end() && NextThrow->AtStep <= Step; ++NextThrow)
        if (NextThrow->AtStep >= From && throughEdge(*NextThrow, 0, M))
          return true;
      return false;
    };
    if (Collect && Block == G.exit()) {
      Collect->Unknown = true; // fell off the end
      return true;
    }
    for (unsigned I = From; I < Steps.size(); ++I) {
      if (isB(Steps[I]) || ThrowsBefore(I))
        return true;
      if (const auto *R = llvm::dyn_cast_or_null<clang::ReturnStmt>(Steps[I].stmt());
          R && Collect)
        return collectReturn(R, M); // the path ends here
      if (Known.replacesHandle(Steps[I].stmt()))
        return false; // B's object is another one on this path
      Known.after(Steps[I].stmt(), M);
    }
    if (ThrowsBefore(~0u))
      return true;
    forEachAllowedEdge(G, Known, M, Block,
                       [&](const FlowEdge &E) { push(E.To, M); });
    return false;
  }
  const FlowGraph &G;
  const KnownValues &Known;
  OpLocation B;
  Returns *Collect;
  std::set<std::pair<unsigned, KnownState>> Seen;
  std::vector<std::pair<unsigned, KnownState>> Work;
};

/// Runs a search from just after every place A runs; true if it ended
/// early (B reached, or the answer known).
bool searchFrom(PrunedSearch &Search, const FlowGraph &G,
                llvm::ArrayRef<OrderFacts::Position> From, bool OnlyByThrow) {
  for (const OrderFacts::Position &P : From) {
    bool Ended = P.Edge < 0 ? Search.startAfterStep(P.Block, P.Step, OnlyByThrow)
                            : Search.startAfterEdgeExit(
                                  G.throwsFrom(P.Block)[P.Edge], P.Step);
    if (Ended)
      return true;
  }
  return Search.search();
}

} // namespace

bool OrderFacts::mayFollow(OpLocation A, OpLocation B) const {
  return mayFollow(A, B, KnownAfter{});
}

bool OrderFacts::mayFollow(OpLocation A, OpLocation B,
                           const KnownAfter &K) const {
  llvm::ArrayRef<Position> From = positionsOf(A);
  if (From.empty() || positionsOf(B).empty())
    return false;
  KnownValues Known(K, G.ir());
  PrunedSearch Search(G, Known, B);
  return searchFrom(Search, G, From, K.OnlyByThrow);
}

std::optional<int64_t> OrderFacts::returnedAfter(OpLocation A,
                                                 const KnownAfter &K) const {
  KnownValues Known(K, G.ir());
  PrunedSearch::Returns Collected;
  PrunedSearch Search(G, Known, OpLocation{~0u, ~0u}, &Collected);
  searchFrom(Search, G, positionsOf(A), K.OnlyByThrow);
  if (Collected.Unknown)
    return std::nullopt;
  return Collected.Value;
}

bool OrderFacts::mayReturnAfter(OpLocation A) const {
  std::vector<bool> Seen(G.numBlocks(), false);
  std::vector<unsigned> Work;
  auto Push = [&](unsigned B) {
    if (B != FlowEdge::Unwind && !Seen[B]) {
      Seen[B] = true;
      Work.push_back(B);
    }
  };
  for (const Position &P : positionsOf(A)) {
    if (P.Edge >= 0) {
      Push(G.throwsFrom(P.Block)[P.Edge].To);
      continue;
    }
    for (const FlowEdge &E : G.succs(P.Block))
      Push(E.To);
    for (const FlowEdge &E : G.throwsFrom(P.Block))
      if (E.AtStep > P.Step)
        Push(E.To);
  }
  while (!Work.empty()) {
    unsigned B = Work.back();
    Work.pop_back();
    if (B == G.exit())
      return true;
    for (const FlowEdge &E : G.succs(B))
      Push(E.To);
    for (const FlowEdge &E : G.throwsFrom(B))
      Push(E.To);
  }
  return false;
}

namespace {

/// "A passing step comes on every path from here to an exit": backward,
/// must (the join is a meet), true where a path never exits.
class PassedOnEveryPath {
public:
  using State = PathFlag::State;
  explicit PassedOnEveryPath(llvm::function_ref<bool(const FlowStep &)> P) : P(P) {}
  State bottom() const { return PathFlag::Unreached; }
  bool join(State &Into, const State &From) const {
    return PathFlag::join(OnPaths::Every, Into, From);
  }
  void transfer(const FlowStep &S, State &St) const {
    if (St >= 0 && P(S))
      St = 1;
  }
  void transferEdge(const FlowEdge &, State &) const {}

private:
  llvm::function_ref<bool(const FlowStep &)> P;
};

} // namespace

namespace {

/// The backward "passed on every path" analysis at its fixed point, or
/// nothing when it did not converge (no claim).
std::optional<BackwardDataflow<PassedOnEveryPath>>
solvedPasses(const FlowGraph &G, PassedOnEveryPath &Analysis) {
  BackwardDataflow<PassedOnEveryPath> Solver(G, Analysis);
  if (Solver.solve(/*AtExit=*/0, /*AtUnwind=*/0) != SolveStatus::Converged)
    return std::nullopt;
  return Solver;
}

} // namespace

bool OrderFacts::onEveryPathAfter(
    OpLocation A, llvm::function_ref<bool(const FlowStep &)> Passes) const {
  llvm::ArrayRef<Position> At = positionsOf(A);
  auto SA = llvm::find_if(At, [](const Position &P) { return P.Edge < 0; });
  if (SA == At.end())
    return false;
  PassedOnEveryPath Analysis(Passes);
  auto Solver = solvedPasses(G, Analysis);
  return Solver && Solver->before(SA->Block, SA->Step + 1) != 0;
}

bool OrderFacts::onEveryPath(
    llvm::function_ref<bool(const FlowStep &)> Passes) const {
  PassedOnEveryPath Analysis(Passes);
  auto Solver = solvedPasses(G, Analysis);
  return Solver && Solver->atEntry() != 0;
}

} // namespace chanlint::engine
