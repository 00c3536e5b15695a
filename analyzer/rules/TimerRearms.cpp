#include "TimerRearms.h"

#include "CoroutineCancellation.h"
#include "SourceEdits.h"

#include "../engine/OrderFacts.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>

using namespace clang;

namespace chanlint {

namespace {

/// How deep the handler's calls are followed to find the re-arm.
constexpr unsigned MaxCallDepth = 3;

class RearmChecker {
public:
  RearmChecker(FunctionRuleContext &TC, const FunctionIR &IR)
      : TC(TC), IR(IR), R(TC.IRs.recognizer()), Api(R.api()) {}

  void run(std::vector<Finding> &Out);

private:
  struct Rearm {
    const CXXMemberCallExpr *Wait = nullptr; ///< the wait started again
  };

  const ValueDecl *timerDecl(const Expr *E) const;
  bool sameTimer(const Expr *Object, const Callable &Bound, const ValueDecl *Timer) const;
  Callable handlerOf(const CXXMemberCallExpr *Wait) const;
  const CXXMemberCallExpr *rearmsOnEveryPath(const Callable &Handler,
                                             const ValueDecl *Timer, unsigned Depth);
  bool loopsForever(const CXXMemberCallExpr *Wait, unsigned Block,
                    LoopCancellation &Cancel) const;
  bool onlyItsCoroutineCancels(const CXXMemberCallExpr *Wait) const;
  Finding rearmFinding(const CXXMemberCallExpr *Site, const CXXMemberCallExpr *Again) const;
  Finding loopFinding(const CXXMemberCallExpr *Wait, const LoopCancellation &Cancel) const;

  FunctionRuleContext &TC;
  const FunctionIR &IR;
  const OpRecognizer &R;
  const ApiIndex &Api;
  /// Bodies on the way of the current question: recursion ends there.
  llvm::DenseSet<const FunctionDecl *> Visiting;
};

bool isTimerWait(const CXXMemberCallExpr *MC, const ApiIndex &Api) {
  return MC && Api.roleOfCall(MC) == MethodRole::TimerAsyncWait;
}

/// The declaration a timer expression names: a variable, a parameter or a
/// member (`t`, `*t`, `t->`, `timer_`, a reference init-capture of one).
const ValueDecl *RearmChecker::timerDecl(const Expr *E) const {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = R.strip(E);
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf)) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && OC->getNumArgs() == 1 &&
        (OC->getOperator() == OO_Star || OC->getOperator() == OO_Arrow)) {
      E = OC->getArg(0); // a smart pointer to the timer
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (V && V->isInitCapture() && V->getInit()) {
        E = V->getInit();
        continue;
      }
      return DRE->getDecl();
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl();
    return nullptr;
  }
  return nullptr;
}

/// True if Object, evaluated in Bound's body, is the timer Timer names: the
/// same declaration, or a parameter that the call binds to it.
bool RearmChecker::sameTimer(const Expr *Object, const Callable &Bound,
                             const ValueDecl *Timer) const {
  const ValueDecl *D = timerDecl(Object);
  if (!D)
    return false;
  if (D == Timer)
    return true;
  const auto *P = dyn_cast<ParmVarDecl>(D);
  if (!P || P->getDeclContext() != Bound.Body)
    return false;
  unsigned I = P->getFunctionScopeIndex();
  return I < Bound.Args.size() && timerDecl(Bound.Args[I]) == Timer;
}

/// The completion handler of a wait: its last argument when that is a
/// callable, also through std::bind / boost::bind.
Callable RearmChecker::handlerOf(const CXXMemberCallExpr *Wait) const {
  if (Wait->getNumArgs() == 0)
    return {};
  const Expr *Last = Wait->getArg(Wait->getNumArgs() - 1);
  Callable C = R.resolveCallable(Last, {});
  if (C.valid())
    return C;
  const Expr *E = R.strip(Last);
  while (const auto *Copy = dyn_cast<CXXConstructExpr>(E)) {
    if (Copy->getNumArgs() != 1)
      break;
    E = R.strip(Copy->getArg(0));
  }
  const auto *Bind = dyn_cast<CallExpr>(E);
  const FunctionDecl *F = Bind ? Bind->getDirectCallee() : nullptr;
  // A library's bind (std::bind, boost::bind): declared in a system header.
  const SourceManager &SM = TC.Ctx.getSourceManager();
  if (!F || !F->getIdentifier() || F->getName() != "bind" || Bind->getNumArgs() == 0 ||
      !(Api.isLibraryDecl(F) || SM.isInSystemHeader(SM.getExpansionLoc(F->getLocation()))))
    return {};
  llvm::SmallVector<const Expr *, 4> Args(Bind->arguments());
  return R.resolveCallable(Args.front(), llvm::ArrayRef(Args).drop_front());
}

/// The wait on Timer that every path through the handler starts again
/// (itself, or in a function it calls on every path), or null when some
/// path does not: it returns on an error, tests a flag, counts down.
const CXXMemberCallExpr *RearmChecker::rearmsOnEveryPath(const Callable &Handler,
                                                         const ValueDecl *Timer,
                                                         unsigned Depth) {
  if (!Handler.valid() || Depth > MaxCallDepth || !Visiting.insert(Handler.Body).second)
    return nullptr;
  const FunctionIR *Body = TC.IRs.get(Handler.Body);
  const CXXMemberCallExpr *Again = nullptr;
  llvm::DenseMap<const Stmt *, const CXXMemberCallExpr *> CalleeAgain;
  auto Passes = [&](const engine::FlowStep &S) -> bool {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(S.stmt());
    if (isTimerWait(MC, Api) &&
        sameTimer(MC->getImplicitObjectArgument(), Handler, Timer)) {
      Again = Again ? Again : MC;
      return true;
    }
    if (!S.O || S.O->Kind != OpKind::Call || !S.O->Target.valid())
      return false;
    auto [It, New] = CalleeAgain.try_emplace(S.O->Site, nullptr);
    if (New)
      It->second = rearmsOnEveryPath(S.O->Target, Timer, Depth + 1);
    if (It->second && !Again)
      Again = It->second;
    return It->second != nullptr;
  };
  bool Every = Body && Body->order(engine::ExceptionEdges::Throws).onEveryPath(Passes);
  Visiting.erase(Handler.Body);
  return Every ? Again : nullptr;
}

/// True if the wait is awaited in a loop of this body that has no way out
/// (no path from it to the body's end), its completion token hands a
/// cancellation back as an error value instead of throwing it, and
/// cancelling the coroutine does not end the loop either: the timer can be
/// cancelled by others than the coroutine (a member, a parameter, a timer
/// handed out), or the coroutine keeps going once cancelled (Cancel says
/// why).
bool RearmChecker::loopsForever(const CXXMemberCallExpr *Wait, unsigned Block,
                                LoopCancellation &Cancel) const {
  if (Wait->getNumArgs() == 0 || !IR.inLoop(Block))
    return false;
  const Expr *Token = Wait->getArg(Wait->getNumArgs() - 1);
  if (!Api.isErrorValueToken(Token->IgnoreImplicit()->getType()))
    return false;
  if (IR.reaches(Block, IR.cfg().getExit().getBlockID()))
    return false;
  Cancel = cancellingCoroutine(IR, Block);
  return !(Cancel.Ends && onlyItsCoroutineCancels(Wait));
}

/// True if the timer is a local of this coroutine that nothing else can
/// reach: every use is a call of its own methods here, none in a lambda,
/// none handing it (or its address) out. Its wait is then cancelled only
/// through the coroutine's cancellation.
bool RearmChecker::onlyItsCoroutineCancels(const CXXMemberCallExpr *Wait) const {
  const auto *Timer = dyn_cast_or_null<VarDecl>(timerDecl(Wait->getImplicitObjectArgument()));
  const auto *Owner =
      Timer ? dyn_cast_or_null<FunctionDecl>(Timer->getParentFunctionOrMethod()) : nullptr;
  if (!Owner || Owner->getCanonicalDecl() != IR.function()->getCanonicalDecl() ||
      !Timer->isLocalVarDecl() || Timer->hasGlobalStorage() ||
      !Timer->getType()->isRecordType() || !Api.timerModel(Timer->getType()))
    return false;
  // Uses other than `timer.method(...)` written in the body itself.
  std::function<bool(const Stmt *, bool)> Escapes = [&](const Stmt *S, bool InLambda) {
    if (!S)
      return false;
    if (const auto *ME = dyn_cast<MemberExpr>(S); ME && !InLambda)
      if (const auto *Base = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
          Base && Base->getDecl() == Timer)
        return false;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S); Ref && Ref->getDecl() == Timer)
      return true;
    InLambda = InLambda || isa<LambdaExpr>(S);
    return llvm::any_of(S->children(), [&](const Stmt *C) { return Escapes(C, InLambda); });
  };
  return !Escapes(IR.function()->getBody(), false);
}

std::string timerName(const CXXMemberCallExpr *Wait, const ASTContext &Ctx) {
  std::string Name = sourceText(Wait->getImplicitObjectArgument(), Ctx);
  return Name.empty() ? "the timer" : "timer '" + Name + "'";
}

Finding RearmChecker::rearmFinding(const CXXMemberCallExpr *Site,
                                   const CXXMemberCallExpr *Again) const {
  const ASTContext &Ctx = TC.Ctx;
  Finding F;
  F.Loc = Again->getBeginLoc();
  F.Range = Again->getSourceRange();
  F.Message = timerName(Again, Ctx) +
              " is waited on again by its own completion on every path, also when "
              "the wait was cancelled (operation_aborted): it never stops";
  if (Site != Again)
    F.Notes.push_back({Site->getBeginLoc(),
                       "the wait whose completion re-arms it is started here", true});
  F.Notes.push_back({Again->getBeginLoc(),
                     "return from the handler when its error code is set (the wait "
                     "was cancelled), or when a stop flag is set, before waiting again",
                     false});
  return F;
}

Finding RearmChecker::loopFinding(const CXXMemberCallExpr *Wait,
                                  const LoopCancellation &Cancel) const {
  Finding F;
  F.Loc = Wait->getBeginLoc();
  F.Range = Wait->getSourceRange();
  F.Message = timerName(Wait, TC.Ctx) +
              " is waited on in a loop with no way out, and a cancelled wait "
              "(operation_aborted) comes back as an error value: it never stops";
  if (const CallExpr *Kept = Cancel.KeptGoingBy)
    F.Notes.push_back(
        {Kept->getBeginLoc(),
         Cancel.ByReset
             ? "the coroutine's cancellation is cleared here, in the loop: the "
               "next co_await does not throw it"
             : "the coroutine's next co_await no longer throws once it is "
               "cancelled: turned off here",
         true});
  F.Notes.push_back({Wait->getBeginLoc(),
                     "leave the loop when the error code is set, or let the "
                     "completion token throw it (use_awaitable)",
                     false});
  return F;
}

void RearmChecker::run(std::vector<Finding> &Out) {
  for (const CFGBlock *B : IR.cfg()) {
    for (const CFGElement &E : *B) {
      auto S = E.getAs<CFGStmt>();
      const auto *Wait = S ? dyn_cast<CXXMemberCallExpr>(S->getStmt()) : nullptr;
      if (!isTimerWait(Wait, Api))
        continue;
      Callable Handler = handlerOf(Wait);
      if (!Handler.valid()) {
        LoopCancellation Cancel;
        if (loopsForever(Wait, B->getBlockID(), Cancel))
          Out.push_back(loopFinding(Wait, Cancel));
        continue;
      }
      const ValueDecl *Timer = timerDecl(Wait->getImplicitObjectArgument());
      if (!Timer)
        continue;
      if (const CXXMemberCallExpr *Again = rearmsOnEveryPath(Handler, Timer, 0))
        Out.push_back(rearmFinding(Wait, Again));
    }
  }
}

} // namespace

void checkRearmingTimers(FunctionRuleContext &TC, const FunctionIR &IR,
                         std::vector<Finding> &Out) {
  RearmChecker(TC, IR).run(Out);
}

} // namespace chanlint
