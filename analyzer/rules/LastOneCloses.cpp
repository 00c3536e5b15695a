#include "LastOneCloses.h"

#include "../AncestorWalk.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint {

namespace {

enum class CountDown : uint8_t { None, Atomic, Integer };

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

/// What kind of count-down one side of the comparison is.
CountDown countDownKind(RuleContext &RC, const Expr *Side) {
  Side = Side->IgnoreParenImpCasts();
  const Expr *Object = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Side);
      MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
      MC->getMethodDecl()->getName() == "fetch_sub")
    Object = MC->getImplicitObjectArgument();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Side);
      OC && OC->getOperator() == OO_MinusMinus)
    Object = OC->getArg(0);
  if (Object) {
    // fetch_sub lives in a base of std::atomic in libstdc++: look at the
    // object before its derived-to-base cast.
    const CXXRecordDecl *RD = recordOf(Object->IgnoreParenImpCasts()->getType());
    return RD && RC.Api.isAtomic(QualType(RD->getTypeForDecl(), 0))
               ? CountDown::Atomic
               : CountDown::None;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(Side);
      UO && UO->isDecrementOp() && UO->getSubExpr()->getType()->isIntegerType())
    return CountDown::Integer;
  return CountDown::None;
}

bool isLockGuardType(RuleContext &RC, QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  return RD && RC.Api.isExclusiveLockGuard(QualType(RD->getTypeForDecl(), 0));
}

/// A statement that takes a lock for the rest of its block.
bool takesLock(RuleContext &RC, const Stmt *S) {
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D);
          VD && isLockGuardType(RC, VD->getType()))
        return true;
    return false;
  }
  const auto *E = dyn_cast<Expr>(S);
  const auto *MC = E ? dyn_cast<CXXMemberCallExpr>(E->IgnoreParenImpCasts())
                     : nullptr;
  return MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
         MC->getMethodDecl()->getName() == "lock";
}

/// True if an enclosing block takes a lock before the statement S.
bool lockHeldAt(RuleContext &RC, const Stmt *S) {
  return walkUpInFunction(S, RC.Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *Block = P.get<CompoundStmt>();
    if (!Block)
      return false;
    for (const Stmt *Before : Block->body()) {
      if (Before == Child)
        break;
      if (takesLock(RC, Before))
        return true;
    }
    return false;
  });
}

} // namespace

bool closedByLastOne(RuleContext &RC, const Stmt *Close) {
  CountDown Kind = CountDown::None;
  const IfStmt *Guard = nullptr;
  walkUpInFunction(Close, RC.Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *If = P.get<IfStmt>();
    if (!If || If->getThen() != Child)
      return false;
    Guard = If;
    const auto *Cmp =
        dyn_cast<BinaryOperator>(If->getCond()->IgnoreParenImpCasts());
    if (Cmp && Cmp->isEqualityOp())
      for (const Expr *Side : {Cmp->getLHS(), Cmp->getRHS()})
        if (CountDown K = countDownKind(RC, Side); K != CountDown::None)
          Kind = K;
    return true; // the innermost `if` decides
  });
  if (Kind == CountDown::Atomic)
    return true;
  return Kind == CountDown::Integer && lockHeldAt(RC, Guard);
}

} // namespace chanlint
