#include "OrderFacts.h"

#include "Dataflow.h"
#include "Lattices.h"

namespace chanlint::engine {

OrderFacts::OrderFacts(const FlowGraph &G) : G(G) {
  for (unsigned B = 0; B < G.numBlocks(); ++B)
    for (const FlowStep &S : G.steps(B))
      if (S.O)
        StepOfOp[{S.Loc.Block, S.Loc.Index}] = {B, S.Index};
}

std::optional<std::pair<unsigned, unsigned>> OrderFacts::stepOf(OpLocation L) const {
  auto It = StepOfOp.find({L.Block, L.Index});
  if (It == StepOfOp.end())
    return std::nullopt;
  return It->second;
}

const std::vector<bool> &OrderFacts::reachableFrom(unsigned Block) const {
  auto [It, New] = Reach.try_emplace(Block);
  std::vector<bool> &Seen = It->second;
  if (!New)
    return Seen;
  // Blocks entered through some edge of Block or of any block it reaches.
  Seen.assign(G.numBlocks(), false);
  std::vector<unsigned> Work{Block};
  while (!Work.empty()) {
    unsigned B = Work.back();
    Work.pop_back();
    auto Visit = [&](unsigned To) {
      if (To != FlowEdge::Unwind && !Seen[To]) {
        Seen[To] = true;
        Work.push_back(To);
      }
    };
    for (const FlowEdge &E : G.succs(B))
      Visit(E.To);
    for (const FlowEdge &E : G.throwsFrom(B))
      Visit(E.To);
  }
  return Seen;
}

bool OrderFacts::mayFollow(OpLocation A, OpLocation B) const {
  auto SA = stepOf(A), SB = stepOf(B);
  if (!SA || !SB)
    return false;
  auto [BlockA, StepA] = *SA;
  auto [BlockB, StepB] = *SB;
  if (BlockA == BlockB && StepA < StepB)
    return true;
  // Leaving A's block: by its end, or by a throw after A.
  for (const FlowEdge &E : G.succs(BlockA))
    if (E.To == BlockB || reachableFrom(E.To)[BlockB])
      return true;
  for (const FlowEdge &E : G.throwsFrom(BlockA))
    if (E.AtStep > StepA && E.To != FlowEdge::Unwind &&
        (E.To == BlockB || reachableFrom(E.To)[BlockB]))
      return true;
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

bool OrderFacts::onEveryPathAfter(
    OpLocation A, llvm::function_ref<bool(const FlowStep &)> Passes) const {
  auto SA = stepOf(A);
  if (!SA)
    return false;
  PassedOnEveryPath Analysis(Passes);
  BackwardDataflow<PassedOnEveryPath> Solver(G, Analysis);
  if (Solver.solve(/*AtExit=*/0, /*AtUnwind=*/0) != SolveStatus::Converged)
    return false; // not known: no claim
  PathFlag::State After = Solver.before(SA->first, SA->second + 1);
  return After != 0;
}

} // namespace chanlint::engine
