#include "FlowGraph.h"

#include "Unwinding.h"

#include "../FunctionIR.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace chanlint::engine {

const Stmt *FlowStep::stmt() const {
  if (!Element)
    return nullptr;
  if (auto S = Element->getAs<CFGStmt>())
    return S->getStmt();
  return nullptr;
}

namespace {

/// The statement of a CFG element that may throw, and the thrown type when
/// it is an explicit throw (null type: unknown).
const Stmt *thrower(const CFGElement &E, ExceptionEdges Mode, QualType &Thrown) {
  auto S = E.getAs<CFGStmt>();
  if (!S)
    return nullptr;
  const Stmt *St = S->getStmt();
  if (const auto *T = dyn_cast<CXXThrowExpr>(St)) {
    Thrown = T->getSubExpr() ? T->getSubExpr()->getType() : QualType();
    return St;
  }
  if (Mode != ExceptionEdges::ThrowsAndCalls)
    return nullptr;
  Thrown = QualType();
  const FunctionDecl *Callee = nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(St))
    Callee = Call->getDirectCallee();
  else if (const auto *Construct = dyn_cast<CXXConstructExpr>(St))
    Callee = Construct->getConstructor();
  else
    return nullptr;
  if (!Callee) // through a pointer or std::function: may throw
    return St;
  if (Callee->getBuiltinID())
    return nullptr;
  const auto *Proto = Callee->getType()->getAs<FunctionProtoType>();
  return Proto && Proto->isNothrow() ? nullptr : St;
}

bool endsInThrow(const CFGBlock &B) {
  for (const CFGElement &E : llvm::reverse(B))
    if (auto S = E.getAs<CFGStmt>())
      return isa<CXXThrowExpr>(S->getStmt());
  return false;
}

} // namespace

FlowGraph::FlowGraph(const FunctionIR &IR, ExceptionEdges Mode)
    : IR(IR), Mode(Mode) {
  const CFG &G = IR.cfg();
  unsigned NB = G.getNumBlockIDs();
  Entry = G.getEntry().getBlockID();
  Exit = G.getExit().getBlockID();
  Blocks.resize(NB);
  for (const CFGBlock *B : G)
    Blocks[B->getBlockID()] = B;
  Steps.resize(NB);
  Succs.resize(NB);
  Throws.resize(NB);
  In.resize(NB);
  buildSteps();
  buildNormalEdges();
  if (Mode != ExceptionEdges::None)
    buildExceptionalEdges();
  buildOrder();
}

FlowStep FlowGraph::scopeExitStep(unsigned Block, const VarDecl *V,
                                  const Stmt *Trigger) const {
  FlowStep S;
  S.Block = Block;
  S.K = FlowStep::Kind::ScopeExit;
  S.Index = ~0u;
  S.ScopeVar = V;
  S.Trigger = Trigger;
  S.Exceptional = true;
  if (std::optional<OpLocation> L = IR.scopeExitOp(V)) {
    S.O = &IR.op(*L);
    S.Loc = *L;
  } else if (const Op *Extra = IR.unwindOnlyScopeExitOp(V)) {
    S.O = Extra;
    S.Loc = OpLocation{~0u, ~0u};
  }
  return S;
}

void FlowGraph::buildSteps() {
  for (const CFGBlock *B : IR.cfg()) {
    unsigned Id = B->getBlockID();
    std::vector<FlowStep> &Out = Steps[Id];
    unsigned Index = 0;
    for (const CFGElement &E : *B) {
      FlowStep S;
      S.Block = Id;
      S.Index = Index;
      S.Element = &E;
      if (std::optional<unsigned> OpIndex = IR.opAtElement(Id, Index)) {
        S.O = &IR.opsIn(Id)[*OpIndex];
        S.Loc = OpLocation{Id, *OpIndex};
      }
      if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        S.K = FlowStep::Kind::ScopeExit;
        S.ScopeVar = D->getVarDecl();
        S.Trigger = D->getTriggerStmt();
      }
      Out.push_back(S);
      ++Index;
    }
    if (std::optional<unsigned> OpIndex = IR.terminatorOp(Id)) {
      FlowStep S;
      S.K = FlowStep::Kind::Terminator;
      S.Block = Id;
      S.Index = Index;
      S.O = &IR.opsIn(Id)[*OpIndex];
      S.Loc = OpLocation{Id, *OpIndex};
      Out.push_back(S);
    }
  }
}

void FlowGraph::buildNormalEdges() {
  for (const CFGBlock *B : IR.cfg()) {
    // With exceptional edges of our own, a throw no longer goes where
    // clang sends it (the try dispatch, or the exit without unwinding).
    if (Mode != ExceptionEdges::None && endsInThrow(*B))
      continue;
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &S : B->succs()) {
      if (const CFGBlock *To = S.getReachableBlock()) {
        FlowEdge E;
        E.From = B->getBlockID();
        E.To = To->getBlockID();
        E.SuccIndex = Index;
        Succs[E.From].push_back(std::move(E));
      }
      ++Index;
    }
  }
}

void FlowGraph::addThrow(unsigned Block, unsigned AtStep, const Stmt *Trigger,
                         QualType Thrown) {
  for (const UnwindTarget &T :
       unwindTargets(Trigger, Thrown, IR.recognizer().context())) {
    FlowEdge E;
    E.From = Block;
    E.Exceptional = true;
    E.AtStep = AtStep;
    E.Trigger = Trigger;
    if (!T.Handler) {
      E.To = FlowEdge::Unwind;
    } else {
      auto It = HandlerBlocks.find(T.Handler);
      if (It == HandlerBlocks.end())
        continue; // a handler clang pruned
      E.To = It->second;
    }
    for (const VarDecl *V : T.Left)
      E.ScopeExits.push_back(scopeExitStep(Block, V, Trigger));
    Throws[Block].push_back(std::move(E));
  }
}

void FlowGraph::buildExceptionalEdges() {
  for (const CFGBlock *B : IR.cfg())
    if (const auto *H = dyn_cast_or_null<CXXCatchStmt>(B->getLabel()))
      HandlerBlocks[H] = B->getBlockID();
  for (const CFGBlock *B : IR.cfg()) {
    unsigned Id = B->getBlockID();
    unsigned Index = 0;
    for (const CFGElement &E : *B) {
      QualType Thrown;
      if (const Stmt *S = thrower(E, Mode, Thrown))
        addThrow(Id, Index, S, Thrown);
      ++Index;
    }
  }
}

void FlowGraph::buildOrder() {
  unsigned NB = Steps.size();
  for (unsigned B = 0; B < NB; ++B) {
    for (unsigned I = 0; I < Succs[B].size(); ++I)
      In[Succs[B][I].To].push_back(InEdge{B, I, false});
    for (unsigned I = 0; I < Throws[B].size(); ++I)
      if (Throws[B][I].To != FlowEdge::Unwind)
        In[Throws[B][I].To].push_back(InEdge{B, I, true});
  }
  // Reverse post-order by an iterative depth-first search from the entry.
  std::vector<bool> Seen(NB, false);
  std::vector<unsigned> Post;
  std::vector<std::pair<unsigned, unsigned>> Stack{{Entry, 0}};
  Seen[Entry] = true;
  while (!Stack.empty()) {
    auto &[B, Next] = Stack.back();
    unsigned NumNormal = Succs[B].size();
    unsigned Total = NumNormal + Throws[B].size();
    if (Next < Total) {
      unsigned I = Next++;
      unsigned To = I < NumNormal ? Succs[B][I].To : Throws[B][I - NumNormal].To;
      if (To != FlowEdge::Unwind && !Seen[To]) {
        Seen[To] = true;
        Stack.emplace_back(To, 0);
      }
      continue;
    }
    Post.push_back(B);
    Stack.pop_back();
  }
  Order.assign(Post.rbegin(), Post.rend());
}

} // namespace chanlint::engine
