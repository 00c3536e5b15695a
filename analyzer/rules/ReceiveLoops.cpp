#include "ReceiveLoops.h"

#include "../AncestorWalk.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace chanlint {

namespace {

bool isLoop(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getBody();
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getBody();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    return R->getBody();
  return nullptr;
}

/// Calls Exit for each return, throw, goto, or break of this loop in S.
template <typename Fn>
void forEachExit(const Stmt *S, bool InNestedBreakable, Fn &&Exit) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (isa<ReturnStmt, GotoStmt, CXXThrowExpr>(S) ||
      (isa<BreakStmt>(S) && !InNestedBreakable)) {
    Exit(S);
    return;
  }
  bool Nested = InNestedBreakable || isLoop(S) || isa<SwitchStmt>(S);
  for (const Stmt *C : S->children())
    forEachExit(C, Nested, Exit);
}

/// The variable that holds the received optional: `auto v = ch.recv();`
/// or `v = ch.recv();`. Null when the value is unwrapped on the spot.
const VarDecl *resultVariable(const Stmt *Recv, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*Recv);
  for (int Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    const DynTypedNode &P = Parents[0];
    if (const auto *VD = P.get<VarDecl>())
      return VD;
    const auto *PS = P.get<Stmt>();
    if (!PS)
      return nullptr;
    const Expr *LHS = nullptr;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PS);
        Op && Op->getOperator() == OO_Equal)
      LHS = Op->getArg(0);
    if (const auto *BO = dyn_cast<BinaryOperator>(PS);
        BO && BO->getOpcode() == BO_Assign)
      LHS = BO->getLHS();
    if (LHS) {
      const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts());
      return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    }
    if (!isa<ImplicitCastExpr, ExprWithCleanups, CXXConstructExpr,
             MaterializeTemporaryExpr, CXXBindTemporaryExpr, ParenExpr>(PS))
      return nullptr;
    Node = P;
  }
  return nullptr;
}

bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return DRE && DRE->getDecl() == V;
}

bool isNullopt(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return DRE && DRE->getDecl()->getName() == "nullopt";
}

/// +1: the condition is true when V holds a value; -1: when V is empty
/// (the channel is closed); 0: it tests something else.
int testsPresence(const Expr *Cond, const VarDecl *V) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    return -testsPresence(UO->getSubExpr(), V);
  if (refersTo(Cond, V))
    return 1;
  // `v.has_value()` and the implicit `operator bool` on v
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond))
    if (refersTo(MC->getImplicitObjectArgument(), V) && MC->getMethodDecl())
      if (isa<CXXConversionDecl>(MC->getMethodDecl()) ||
          (MC->getMethodDecl()->getIdentifier() &&
           MC->getMethodDecl()->getName() == "has_value"))
        return 1;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
      Op && Op->getNumArgs() == 2 &&
      (Op->getOperator() == OO_EqualEqual ||
       Op->getOperator() == OO_ExclaimEqual)) {
    bool Eq = Op->getOperator() == OO_EqualEqual;
    if ((refersTo(Op->getArg(0), V) && isNullopt(Op->getArg(1))) ||
        (refersTo(Op->getArg(1), V) && isNullopt(Op->getArg(0))))
      return Eq ? -1 : 1;
  }
  return 0;
}

/// True if Exit runs only when V is empty: some `if` between it and the
/// loop body tests V and Exit sits on its empty side.
bool exitsOnClosed(const Stmt *Exit, const Stmt *Body, const VarDecl *V,
                   ASTContext &Ctx) {
  if (!V)
    return false;
  bool OnClosed = false;
  walkUpInFunction(Exit, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *PS = P.get<Stmt>();
    if (PS == Body)
      return true;
    const auto *If = dyn_cast_or_null<IfStmt>(PS);
    if (!If || If->getCond() == Child)
      return false;
    int Presence = testsPresence(If->getCond(), V);
    OnClosed = (Presence < 0 && If->getThen() == Child) ||
               (Presence > 0 && If->getElse() == Child);
    return OnClosed;
  });
  return OnClosed;
}

} // namespace

bool rangeLoopExitsEarly(const Stmt *RangeFor) {
  const auto *FR = dyn_cast_or_null<CXXForRangeStmt>(RangeFor);
  if (!FR)
    return false;
  bool Any = false;
  forEachExit(FR->getBody(), false, [&](const Stmt *) { Any = true; });
  return Any;
}

const Stmt *recvLoopEarlyExit(const Stmt *Recv, ASTContext &Ctx) {
  const Stmt *Loop = nullptr;
  walkUpInFunction(Recv, Ctx, [&](const DynTypedNode &P, const Stmt *) {
    const auto *PS = P.get<Stmt>();
    if (PS && isLoop(PS))
      Loop = PS;
    return Loop != nullptr;
  });
  if (!Loop)
    return nullptr;
  const Stmt *Body = loopBody(Loop);
  const VarDecl *V = resultVariable(Recv, Ctx);
  const Stmt *Early = nullptr;
  forEachExit(Body, false, [&](const Stmt *Exit) {
    if (!Early && !exitsOnClosed(Exit, Body, V, Ctx))
      Early = Exit;
  });
  return Early;
}

} // namespace chanlint
