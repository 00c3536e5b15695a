// chan-blocking-under-lock: a channel operation that may block (a send,
// receive or range-for, a WaitGroup or Group wait, a select with no
// default) while a mutex is held on every path to it. The party on the
// other end of the channel may need the same mutex first: a deadlock, or at
// best every user of the mutex waiting for a channel. The engine answers
// which mutexes are held (HeldLocks, over the mutexes and guards the
// library models name: lock()/unlock(), lock_guard, unique_lock with its own
// unlock(), scoped_lock, shared_lock, an in-house lock); a call into
// a helper that blocks counts at the call, and so do the callables that run
// in place under the lock: the case callbacks of a select (with a default
// case too) and a chan::Defer run at a scope exit that the lock outlives.
// std::condition_variable::wait releases its lock and is no channel
// operation; a receive from a timer, ticker or after() channel waits for the
// clock, which needs no mutex, and is left alone.
#include "BlockingOps.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"

#include "../engine/HeldLocks.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

#include <memory>

using namespace clang;

namespace chanlint {

namespace {

/// A receive that only waits for the clock: from a ticker's or timer's
/// channel or from after(). No party, and so no mutex, is needed to end it.
bool isClockChannel(const Expr *Channel, const ApiIndex &Api) {
  if (!Channel || !Api.isSignalChannel(Channel))
    return false;
  // A stop channel (chan::Unit) is a signal too, but a party closes it.
  QualType Elem = Api.channelElementType(Channel->getType());
  const auto *RD = Elem.isNull() ? nullptr : Elem->getAsCXXRecordDecl();
  return !(RD && RD->hasDefinition() && RD->isEmpty());
}

bool waitsForClock(const Op &O, const ApiIndex &Api) {
  if (O.Kind == OpKind::Recv || O.Kind == OpKind::RangeRecv)
    return isClockChannel(O.Object, Api);
  // A select whose every case receives from the clock: a sleep.
  if (O.Kind == OpKind::Select && !O.HasDefault && !O.Cases.empty())
    return llvm::all_of(O.Cases, [&](const SelectCase &C) {
      return C.K == SelectCase::Kind::Recv && isClockChannel(C.Channel, Api);
    });
  return false;
}

/// The first blocking channel op that a callable run in place performs, or
/// null: the shared walker, on a callable that is not a call expression.
const Op *blockingOpInCallable(IRCache &IRs, const Callable &C) {
  if (!C.valid())
    return nullptr;
  Op Call;
  Call.Kind = OpKind::Call;
  Call.Target = C;
  return blockingOpInCallee(IRs, Call);
}

/// Guard variables whose hold the function may give away without the
/// engine seeing it: moved out or traded (the models' moves and exchanges:
/// `std::move(lk)`, `std::swap`), released
/// (`lk.release()`), swapped or assigned, or handed by non-const reference
/// or pointer to user code (which may unlock it and return). The engine
/// still counts such a guard as holding its mutex; the rule does not trust
/// it.
class EscapedGuards : public RecursiveASTVisitor<EscapedGuards> {
public:
  EscapedGuards(const FunctionDecl *F, const ApiIndex &Api) : Api(Api) {
    if (F && F->getBody())
      TraverseStmt(F->getBody());
  }
  bool contains(const VarDecl *V) const { return Escaped.contains(V); }

  bool VisitCallExpr(const CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    bool HandsOn = false;
    if (Callee && Api.isLibraryDecl(Callee) && Callee->getIdentifier()) {
      ValueRole Role = Api.valueRoleOf(Callee);
      HandsOn = Role == ValueRole::Move || Role == ValueRole::Exchange;
      if (!HandsOn)
        return true; // the library keeps or restores the lock (cv.wait(lk))
    }
    // An operator written as a member takes its object as argument 0.
    unsigned Shift = isa<CXXOperatorCallExpr>(Call) && Callee &&
                             isa<CXXMethodDecl>(Callee) &&
                             !cast<CXXMethodDecl>(Callee)->isStatic()
                         ? 1
                         : 0;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      const VarDecl *G = guardNamed(Call->getArg(I));
      if (!G)
        continue;
      if (HandsOn) {
        Escaped.insert(G);
        continue;
      }
      // User code may unlock a guard it gets by reference or pointer; a
      // const reference cannot (and a guard, move-only, is never copied).
      const ParmVarDecl *P = Callee && I >= Shift && I - Shift < Callee->getNumParams()
                                 ? Callee->getParamDecl(I - Shift)
                                 : nullptr;
      if (!P || !P->getType()->isReferenceType() ||
          !P->getType().getNonReferenceType().isConstQualified())
        Escaped.insert(G);
    }
    return true;
  }

  bool VisitCXXMemberCallExpr(const CXXMemberCallExpr *MC) {
    if (Api.lockRoleOf(MC) != LockRole::GiveAway)
      return true;
    if (const VarDecl *G = guardNamed(MC->getImplicitObjectArgument()))
      Escaped.insert(G);
    // swap(other): the other guard changes hands too.
    for (const Expr *A : MC->arguments())
      if (const VarDecl *G = guardNamed(A))
        Escaped.insert(G);
    return true;
  }

  bool VisitCXXOperatorCallExpr(const CXXOperatorCallExpr *OC) {
    if (OC->getOperator() == OO_Equal)
      for (const Expr *A : OC->arguments())
        if (const VarDecl *G = guardNamed(A))
          Escaped.insert(G);
    return true;
  }

  bool VisitUnaryOperator(const UnaryOperator *U) {
    if (U->getOpcode() == UO_AddrOf)
      if (const VarDecl *G = guardNamed(U->getSubExpr()))
        Escaped.insert(G);
    return true;
  }

  bool VisitVarDecl(const VarDecl *V) {
    // `auto lk2 = std::move(lk);` is a call to std::move, seen above; a
    // reference bound to a guard is an alias the engine does not follow.
    if (V->getType()->isReferenceType() && V->getInit())
      if (const VarDecl *G = guardNamed(V->getInit()))
        Escaped.insert(G);
    return true;
  }

  bool shouldVisitLambdaBodies() const { return true; }

private:
  const VarDecl *guardNamed(const Expr *E) const {
    if (!E)
      return nullptr;
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!V)
      return nullptr;
    return Api.isLockGuard(V->getType()) ? V : nullptr;
  }

  const ApiIndex &Api;
  llvm::DenseSet<const VarDecl *> Escaped;
};

void checkBlockingUnderLock(FunctionRuleContext &TC, const FunctionIR &IR,
                            std::vector<Finding> &Out) {
  const ApiIndex &Api = IR.recognizer().api();
  std::unique_ptr<engine::HeldLocks> Locks; // built when a candidate is seen
  std::unique_ptr<EscapedGuards> Escaped;
  IR.forEachOp([&](const Op &O, OpLocation L) {
    if (!O.Site)
      return;
    // What may block here: the op itself, or a blocking op in user code
    // that runs in place (a helper, a select's case callbacks, a Defer).
    enum class Via { Op, Call, Select, Defer } How = Via::Op;
    const Op *Inner = nullptr;
    if (channelOpBlocks(O)) {
      if (waitsForClock(O, Api))
        return;
    } else if (O.Kind == OpKind::Call) {
      Inner = blockingOpInCallee(TC.IRs, O);
      How = Via::Call;
    } else if (O.Kind == OpKind::Select) {
      for (const SelectCase &C : O.Cases)
        if (!Inner)
          Inner = blockingOpInCallable(TC.IRs, C.Callback);
      How = Via::Select;
    } else if (O.Kind == OpKind::DeferRun) {
      Inner = blockingOpInCallable(TC.IRs, O.Target);
      How = Via::Defer;
    } else {
      return;
    }
    if (How != Via::Op && (!Inner || waitsForClock(*Inner, Api)))
      return;
    if (!Locks)
      Locks = std::make_unique<engine::HeldLocks>(IR);
    std::set<engine::HeldLocks::Mutex> Held = Locks->mustHold(L);
    if (Held.empty())
      return;
    // A mutex held only through a guard that was moved or handed away is
    // not known to be held. Of several, the one declared first: a stable
    // choice.
    engine::HeldLocks::Mutex Mu = nullptr;
    const VarDecl *Guard = nullptr;
    const SourceManager &SM = TC.Ctx.getSourceManager();
    for (engine::HeldLocks::Mutex M : Held) {
      const VarDecl *G = Locks->guardOf(L, M);
      if (G) {
        if (!Escaped)
          Escaped = std::make_unique<EscapedGuards>(IR.function(), Api);
        if (Escaped->contains(G))
          continue;
      }
      if (Mu && !SM.isBeforeInTranslationUnit(M->getLocation(), Mu->getLocation()))
        continue;
      Mu = M;
      Guard = G;
    }
    if (!Mu)
      return;
    std::string MuName = Mu->getNameAsString();
    std::string What = Inner ? describeBlockingOp(*Inner, TC.Ctx) : "";
    Finding F;
    F.Loc = O.Site->getBeginLoc();
    F.Range = O.Site->getSourceRange();
    switch (How) {
    case Via::Op:
      F.Message = describeBlockingOp(O, TC.Ctx) + " may block while mutex '" +
                  MuName + "' is held";
      break;
    case Via::Call:
      F.Message = "call may block on a channel (" + What + ") while mutex '" +
                  MuName + "' is held";
      break;
    case Via::Select:
      F.Message = "a case of this select may block on a channel (" + What +
                  ") while mutex '" + MuName + "' is held";
      break;
    case Via::Defer:
      F.Message = "deferred call may block on a channel (" + What +
                  ") at scope exit while mutex '" + MuName + "' is held";
      break;
    }
    F.Message += "; a party that needs the mutex to make progress deadlocks";
    if (Guard)
      F.Notes.push_back({Guard->getLocation(),
                         "'" + MuName + "' is locked here by '" +
                             Guard->getNameAsString() + "'",
                         true});
    if (Inner && Inner->Site)
      F.Notes.push_back({Inner->Site->getBeginLoc(),
                         "the " + What + " that may block", true});
    std::string Advice = "release '" + MuName + "' ";
    const Op &Blocking = Inner ? *Inner : O;
    if (How == Via::Call)
      Advice += "before the call";
    else if (How == Via::Select)
      Advice += "before the select, or keep the case callbacks from blocking";
    else if (How == Via::Defer)
      Advice += "before the deferred call runs: declare the chan::Defer "
                "before the lock";
    else if (Blocking.Kind == OpKind::WgWait || Blocking.Kind == OpKind::GroupWait)
      Advice += "before waiting";
    else if (Blocking.Kind == OpKind::RangeRecv)
      Advice += "before the loop, or take it per value inside the loop";
    else
      Advice += "before the channel operation, or use a select with a "
                "default case";
    F.Notes.push_back({O.Site->getBeginLoc(), Advice, false});
    Out.push_back(std::move(F));
  });
}

RuleRegistry::Add Register("chan-blocking-under-lock", checkBlockingUnderLock);

} // namespace

} // namespace chanlint
