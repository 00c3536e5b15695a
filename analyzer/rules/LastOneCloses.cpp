#include "LastOneCloses.h"

#include "../AncestorWalk.h"
#include "../EventOrder.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint {

namespace {

/// The count-down a last-one close sits under: the `if` that guards it,
/// the object counted down, and whether its decrement is atomic.
struct CountDown {
  enum class Kind : uint8_t { None, Atomic, Integer };
  Kind K = Kind::None;
  const Expr *Counter = nullptr;
  const IfStmt *Guard = nullptr;
};

const CXXRecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return T->getAsCXXRecordDecl();
}

/// What kind of count-down one side of the comparison is, and its counter.
CountDown::Kind countDownKind(RuleContext &RC, const Expr *Side,
                              const Expr *&Counter) {
  Side = Side->IgnoreParenImpCasts();
  // `n.fetch_sub(1) == 1`: the atomic's model says which methods count down.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Side);
      MC && RC.Api.atomicCallOf(MC).CountsDown) {
    Counter = MC->getImplicitObjectArgument();
    return CountDown::Kind::Atomic;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Side);
      OC && OC->getOperator() == OO_MinusMinus) {
    // The operator may live in a base of the atomic (libstdc++'s
    // std::atomic<int>): look at the object before its derived-to-base cast.
    const Expr *Object = OC->getArg(0);
    const CXXRecordDecl *RD = recordOf(Object->IgnoreParenImpCasts()->getType());
    if (!RD || !RC.Api.isAtomic(QualType(RD->getTypeForDecl(), 0)))
      return CountDown::Kind::None;
    Counter = Object;
    return CountDown::Kind::Atomic;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(Side);
      UO && UO->isDecrementOp() && UO->getSubExpr()->getType()->isIntegerType()) {
    Counter = UO->getSubExpr();
    return CountDown::Kind::Integer;
  }
  return CountDown::Kind::None;
}

/// The count-down tested in a condition: `--n == 0`, or one term of an
/// `&&` (`ok == success && --limit_ == 0`: the close still runs only once
/// the counter reaches zero).
void findCountDown(RuleContext &RC, const Expr *Cond, CountDown &Out) {
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!BO)
    return;
  if (BO->getOpcode() == BO_LAnd) {
    findCountDown(RC, BO->getLHS(), Out);
    findCountDown(RC, BO->getRHS(), Out);
    return;
  }
  if (!BO->isEqualityOp())
    return;
  for (const Expr *Side : {BO->getLHS(), BO->getRHS()})
    if (CountDown::Kind K = countDownKind(RC, Side, Out.Counter);
        K != CountDown::Kind::None)
      Out.K = K;
}

/// The count-down under the innermost `if` whose then-branch holds Close.
CountDown countDownOf(RuleContext &RC, const Stmt *Close) {
  CountDown C;
  walkUpInFunction(Close, RC.Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *If = P.get<IfStmt>();
    if (!If || If->getThen() != Child)
      return false;
    C.Guard = If;
    findCountDown(RC, If->getCond(), C);
    return true; // the innermost `if` decides
  });
  return C;
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
  // `mu.lock()`, `lk.lock()`: taken exclusively, as the models say.
  const auto *E = dyn_cast<Expr>(S);
  const auto *MC = E ? dyn_cast<CXXMemberCallExpr>(E->IgnoreParenImpCasts())
                     : nullptr;
  return MC && RC.Api.lockRoleOf(MC) == LockRole::Lock;
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

/// The party whose thread runs P: P, or for a task that a cooperative
/// spawner started (a fiber), the thread of the party that started it.
PartyId threadOf(const ProgramModel &M, PartyId P) {
  for (unsigned Hops = 0; Hops < 64; ++Hops) {
    const Party &Task = M.party(P);
    if (!Task.isTask())
      return P;
    const SpawnerModel *Spawner = M.op(Task.SpawnFrame, Task.SpawnOp).Spawner;
    if (!Spawner || !Spawner->Cooperative)
      return P;
    P = Task.Spawner;
  }
  return P;
}

/// True if every party that runs the close (its site, in any party) is a
/// fiber of one thread, or that thread itself: they take turns, and none
/// is suspended between a decrement and its test. A thread that runs many
/// times has a scheduler per run.
bool countersShareOneScheduler(RuleContext &RC, const Event &Close) {
  const ProgramModel &M = RC.Model;
  PartyId Thread = NoParty;
  for (const Event &E : M.events()) {
    if (E.K != Event::Kind::Close || E.Site != Close.Site)
      continue;
    PartyId T = threadOf(M, E.Party);
    if (Thread != NoParty && T != Thread)
      return false;
    Thread = T;
  }
  return Thread != NoParty && !M.party(Thread).Many;
}

} // namespace

bool closedByLastOne(RuleContext &RC, const Event &Close) {
  CountDown C = countDownOf(RC, Close.Site);
  switch (C.K) {
  case CountDown::Kind::Atomic:
    return true;
  case CountDown::Kind::Integer:
    return lockHeldAt(RC, C.Guard) || countersShareOneScheduler(RC, Close);
  case CountDown::Kind::None:
    return false;
  }
  return false;
}

bool countedBeforeLastClose(RuleContext &RC, const Event &Close,
                            const Event &Send) {
  if (Send.Party == Close.Party || !closedByLastOne(RC, Close))
    return false;
  ProgramModel &M = RC.Model;
  const Expr *Counter = countDownOf(RC, Close.Site).Counter;
  AccessPath Counted = M.pathOf(Counter, Close.Frame);
  if (!Counted.Valid)
    return false;
  ObjectId Object = M.aliases().object(Counted);
  for (const Event &E : M.events()) {
    if (E.K != Event::Kind::Close || E.Site != Close.Site ||
        E.Party != Send.Party || !mayFollowInParty(M, Send, E))
      continue;
    AccessPath Other = M.pathOf(Counter, E.Frame);
    if (Other.Valid && M.aliases().object(Other) == Object)
      return true;
  }
  return false;
}

} // namespace chanlint
