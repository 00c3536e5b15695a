#include "OrderFacts.h"

#include "Dataflow.h"
#include "Lattices.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

#include <set>

namespace chanlint::engine {

OrderFacts::OrderFacts(const FlowGraph &G) : G(G) {
  BlockById.assign(G.numBlocks(), nullptr);
  for (const clang::CFGBlock *B : G.ir().cfg())
    BlockById[B->getBlockID()] = B;
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

const clang::ValueDecl *flagNamed(const clang::Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = llvm::dyn_cast<clang::MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// The value a branch condition has under the known flags, if it is one
/// of them or its negation.
std::optional<bool> conditionValue(const clang::Expr *Cond,
                                   const OrderFacts::KnownFlags &Known,
                                   unsigned Mask) {
  if (!Cond)
    return std::nullopt;
  bool Negated = false;
  Cond = Cond->IgnoreParenImpCasts();
  while (const auto *UO = llvm::dyn_cast<clang::UnaryOperator>(Cond)) {
    if (UO->getOpcode() != clang::UO_LNot)
      return std::nullopt;
    Negated = !Negated;
    Cond = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  const clang::ValueDecl *D = flagNamed(Cond);
  for (unsigned I = 0; D && I < Known.size(); ++I)
    if ((Mask & (1u << I)) && Known[I].first == D)
      return Known[I].second != Negated;
  return std::nullopt;
}

/// True if a statement of the block assigns the flag.
bool assignsFlag(const clang::CFGBlock &B, const clang::ValueDecl *Flag) {
  for (const clang::CFGElement &E : B) {
    auto S = E.getAs<clang::CFGStmt>();
    if (!S)
      continue;
    const auto *Stmt = S->getStmt();
    const clang::Expr *Target = nullptr;
    if (const auto *BO = llvm::dyn_cast<clang::BinaryOperator>(Stmt);
        BO && BO->isAssignmentOp())
      Target = BO->getLHS();
    else if (const auto *UO = llvm::dyn_cast<clang::UnaryOperator>(Stmt);
             UO && UO->isIncrementDecrementOp())
      Target = UO->getSubExpr();
    else if (const auto *OC = llvm::dyn_cast<clang::CXXOperatorCallExpr>(Stmt);
             OC && OC->isAssignmentOp())
      Target = OC->getArg(0);
    if (Target && flagNamed(Target) == Flag)
      return true;
  }
  return false;
}

} // namespace

bool OrderFacts::mayFollow(OpLocation A, OpLocation B,
                           const KnownFlags &Known) const {
  if (Known.empty())
    return mayFollow(A, B);
  auto SA = stepOf(A), SB = stepOf(B);
  if (!SA || !SB)
    return false;
  auto [BlockA, StepA] = *SA;
  auto [BlockB, StepB] = *SB;
  if (BlockA == BlockB && StepA < StepB)
    return true;
  // Search (block, flags still known) pairs; a flag is forgotten in a block
  // that assigns it, and a branch on a known flag follows one edge.
  unsigned Full = (1u << Known.size()) - 1;
  std::set<std::pair<unsigned, unsigned>> Seen;
  std::vector<std::pair<unsigned, unsigned>> Work;
  auto Leave = [&](unsigned From, unsigned Mask, bool FromA) {
    const clang::CFGBlock *CB = BlockById[From];
    std::optional<bool> Value =
        CB ? conditionValue(llvm::dyn_cast_or_null<clang::Expr>(
                                CB->getTerminatorCondition()),
                            Known, Mask)
           : std::nullopt;
    for (const FlowEdge &E : G.succs(From)) {
      if (Value && E.SuccIndex != (*Value ? 0u : 1u))
        continue;
      if (Seen.insert({E.To, Mask}).second)
        Work.push_back({E.To, Mask});
    }
    for (const FlowEdge &E : G.throwsFrom(From))
      if (E.To != FlowEdge::Unwind && (!FromA || E.AtStep > StepA) &&
          Seen.insert({E.To, Mask}).second)
        Work.push_back({E.To, Mask});
  };
  unsigned Start = Full;
  if (const clang::CFGBlock *CB = BlockById[BlockA])
    for (unsigned I = 0; I < Known.size(); ++I)
      if (assignsFlag(*CB, Known[I].first))
        Start &= ~(1u << I);
  Leave(BlockA, Start, /*FromA=*/true);
  while (!Work.empty()) {
    auto [Block, Mask] = Work.back();
    Work.pop_back();
    if (Block == BlockB)
      return true;
    if (const clang::CFGBlock *CB = BlockById[Block])
      for (unsigned I = 0; I < Known.size(); ++I)
        if ((Mask & (1u << I)) && assignsFlag(*CB, Known[I].first))
          Mask &= ~(1u << I);
    Leave(Block, Mask, /*FromA=*/false);
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
