// chan-ticker-not-stopped: a Ticker or Timer declared in a function must be
// stopped on every path out of its scope, unless its handle escapes to an
// owner (returned, stored, handed to a function or task that stops or keeps
// it). Each ticker is an obligation for the engine (ScopedObligations):
// "possibly not stopped yet" is checked wherever the handle's scope ends:
// at a return, at the end of its block, or where a throw leaves it.
// A Timer has fired, so no longer runs, once its channel was received
// from: by a blocking receive, or by a select on the paths where the case
// on its channel was chosen (the engine follows the select's other cases).
#include "RuleRegistry.h"

#include "SourceEdits.h"
#include "TimerRearms.h"

#include "../KnownAfterOp.h"

#include "../ParentIndex.h"
#include "../engine/ScopedObligations.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace clang;

namespace chanlint {

namespace {

struct Tracked {
  const VarDecl *Var = nullptr;
  bool IsTimer = false;
  llvm::DenseSet<const ValueDecl *> Names; ///< the variable and its copies
  bool Handled = false;                    ///< some point stops or hands it off
  bool ScopeEndReached = false;
  const Stmt *LeakAt = nullptr; ///< where it goes out of scope unstopped
};

class TickerChecker {
public:
  TickerChecker(FunctionRuleContext &TC, const FunctionIR &IR)
      : TC(TC), IR(IR), R(TC.IRs.recognizer()), Api(R.api()),
        CheckTimers(TC.Opts.flag(checkNamed("chan-ticker-not-stopped"), "CheckTimers")) {}

  void run(std::vector<Finding> &Out);

private:
  void collect();
  bool refersTo(const Expr *E, const Tracked &T) const;
  bool isChannelOf(const Expr *E, const Tracked &T) const;
  std::optional<unsigned> firingCase(const engine::FlowStep &S, const Tracked &T) const;
  bool handles(const Stmt *S, const Tracked &T) const;
  bool deepHandles(const Stmt *S, const Tracked &T) const;
  bool argumentHandledBy(const FunctionDecl *Callee, unsigned Index) const;
  bool isNewTimer(const Expr *E, bool &IsTimer) const;
  void reportTemporaries(std::vector<Finding> &Out) const;
  bool firesAtOnce(const DynTypedNode &Member) const;
  Finding finding(const Tracked &T) const;

  FunctionRuleContext &TC;
  const FunctionIR &IR;
  const OpRecognizer &R;
  const ApiIndex &Api;
  /// The option, read once: isNewTimer runs on every call in the body.
  const bool CheckTimers;
  std::vector<Tracked> Tickers;
};

bool TickerChecker::isNewTimer(const Expr *E, bool &IsTimer) const {
  if (!E)
    return false;
  const auto *Call = dyn_cast<CallExpr>(R.strip(E));
  if (!Call)
    return false;
  FunctionRole Role = Api.roleOf(Call->getDirectCallee());
  if (Role == FunctionRole::NewTicker) {
    IsTimer = false;
    return true;
  }
  if (Role == FunctionRole::NewTimer && CheckTimers) {
    IsTimer = true;
    return true;
  }
  return false;
}

void TickerChecker::collect() {
  for (const CFGBlock *B : IR.cfg()) {
    for (const CFGElement &E : *B) {
      auto S = E.getAs<CFGStmt>();
      if (!S)
        continue;
      const auto *DS = dyn_cast<DeclStmt>(S->getStmt());
      if (!DS)
        continue;
      for (const Decl *D : DS->decls()) {
        const auto *V = dyn_cast<VarDecl>(D);
        bool IsTimer = false;
        if (!V || !V->isLocalVarDecl() || V->isStaticLocal() ||
            V->getType()->isReferenceType() || !isNewTimer(V->getInit(), IsTimer))
          continue;
        Tracked T;
        T.Var = V;
        T.IsTimer = IsTimer;
        T.Names.insert(V);
        Tickers.push_back(std::move(T));
      }
    }
  }
  // Local copies and references name the same ticker.
  for (Tracked &T : Tickers)
    for (bool Grew = true; Grew;) {
      Grew = false;
      for (const AliasFact &F : IR.facts())
        if (F.Kind == AliasFact::Lhs::Var && F.Steps.empty() &&
            !F.RhsElement && refersTo(F.Rhs, T) && isa<VarDecl>(F.Var) &&
            !cast<VarDecl>(F.Var)->hasGlobalStorage() &&
            T.Names.insert(F.Var).second)
          Grew = true;
    }
}

bool TickerChecker::refersTo(const Expr *E, const Tracked &T) const {
  if (!E)
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(R.strip(E));
  return DRE && T.Names.contains(DRE->getDecl());
}

/// `t.c()`, also through a local that holds it (`auto fired = t.c();`).
bool TickerChecker::isChannelOf(const Expr *E, const Tracked &T) const {
  E = E ? R.strip(E) : nullptr;
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
        V && V->isLocalVarDecl() && V->getInit())
      E = R.strip(V->getInit());
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
  return MC && Api.roleOf(MC->getMethodDecl()) == MethodRole::TimerChannel &&
         refersTo(MC->getImplicitObjectArgument(), T);
}

/// The case of a select step that receives from a timer's channel: when it
/// is chosen, the timer has fired. A ticker fires again: it has none.
std::optional<unsigned> TickerChecker::firingCase(const engine::FlowStep &S,
                                                  const Tracked &T) const {
  if (!T.IsTimer || !S.O || S.O->Kind != OpKind::Select ||
      S.K != engine::FlowStep::Kind::Element)
    return std::nullopt;
  for (unsigned C = 0; C < S.O->Cases.size(); ++C)
    if (S.O->Cases[C].K == SelectCase::Kind::Recv &&
        isChannelOf(S.O->Cases[C].Channel, T))
      return C;
  return std::nullopt;
}

bool TickerChecker::argumentHandledBy(const FunctionDecl *Callee,
                                      unsigned Index) const {
  if (!Callee)
    return true; // an unknown callee may keep it
  if (R.isUserFunction(Callee)) {
    const FunctionDecl *Def = R.definitionOf(Callee);
    return (TC.Summaries.of(Def).param(Index) & (Stops | Escapes)) != 0;
  }
  if (Api.isLibraryDecl(Callee)) {
    // Containers keep what is inserted; other library calls only use it.
    const auto *M = dyn_cast<CXXMethodDecl>(Callee);
    return M && M->getIdentifier() &&
           Api.isContainerOfHandles(QualType(M->getParent()->getTypeForDecl(), 0));
  }
  return !Callee->hasBody(); // declared elsewhere: assume it keeps it
}

bool TickerChecker::handles(const Stmt *S, const Tracked &T) const {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    MethodRole Role = Api.roleOf(MC->getMethodDecl());
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (Role == MethodRole::TimerStop && refersTo(Obj, T))
      return true;
    // Receiving from a timer's channel means it fired: it no longer runs.
    if (T.IsTimer && Role == MethodRole::Recv && isChannelOf(Obj, T))
      return true;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    return deepHandles(L->getBody(), T);
  if (const auto *RS = dyn_cast<ReturnStmt>(S))
    return refersTo(RS->getRetValue(), T);
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->getOpcode() == BO_Assign && refersTo(BO->getRHS(), T))
      return !isa<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
  if (const auto *IL = dyn_cast<InitListExpr>(S))
    for (const Expr *I : IL->inits())
      if (refersTo(I, T))
        return true;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
        refersTo(OC->getArg(1), T))
      return !isa<DeclRefExpr>(R.strip(OC->getArg(0)));
    unsigned Skip = isa<CXXOperatorCallExpr>(Call) && isa_and_nonnull<CXXMethodDecl>(Callee) ? 1 : 0;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I)
      if (refersTo(Call->getArg(I), T) && I >= Skip &&
          argumentHandledBy(Callee, I - Skip))
        return true;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    if (Api.roleOf(CE->getType()) == TypeRole::None) // stored in an object
      for (const Expr *Arg : CE->arguments())
        if (refersTo(Arg, T))
          return true;
  }
  return false;
}

bool TickerChecker::deepHandles(const Stmt *S, const Tracked &T) const {
  if (!S)
    return false;
  if (handles(S, T))
    return true;
  for (const Stmt *C : S->children())
    if (deepHandles(C, T))
      return true;
  return false;
}

Finding TickerChecker::finding(const Tracked &T) const {
  std::string Kind = T.IsTimer ? "timer" : "ticker";
  std::string Name = T.Var->getNameAsString();
  Finding F;
  F.Loc = T.Var->getLocation();
  F.Range = T.Var->getSourceRange();
  F.Message = T.Handled || T.ScopeEndReached
                  ? Kind + " '" + Name + "' is not stopped on every path out of its scope"
                  : Kind + " '" + Name + "' is never stopped";
  if (T.LeakAt)
    F.Notes.push_back({T.LeakAt->getEndLoc(),
                       "'" + Name + "' goes out of scope here while still running",
                       true});
  // Fix: stop it when the scope ends, right after the declaration, in the
  // spelling of the ticker's model.
  const TimerModel *Timer = Api.timerModel(T.Var->getType());
  std::string Stop = Timer && !Timer->Stop.empty()
                         ? Api.deferFix(T.Var->getType(), "stop_" + Name,
                                        Name + "." + Timer->Stop.front() + "()")
                         : "";
  if (auto Fix = Stop.empty() ? std::nullopt : insertAfterDeclaration(T.Var, Stop, TC.Ctx))
    F.Fixes.push_back(*Fix);
  return F;
}

bool TickerChecker::firesAtOnce(const DynTypedNode &Member) const {
  // timer.c() -> .recv()
  DynTypedNode Node = Member;
  int Calls = 0;
  for (int Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = parentsOf(TC.Ctx, Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    if (const auto *MC = Node.get<CXXMemberCallExpr>()) {
      MethodRole Role = Api.roleOf(MC->getMethodDecl());
      if (++Calls == 1 && Role != MethodRole::TimerChannel)
        return false;
      if (Calls == 2)
        return Role == MethodRole::Recv;
    }
  }
  return false;
}

void TickerChecker::reportTemporaries(std::vector<Finding> &Out) const {
  for (const CFGBlock *B : IR.cfg()) {
    for (const CFGElement &E : *B) {
      auto S = E.getAs<CFGStmt>();
      if (!S)
        continue;
      const auto *Call = dyn_cast<CallExpr>(S->getStmt());
      bool IsTimer = false;
      if (!Call || !isNewTimer(Call, IsTimer))
        continue;
      // Walk up through temporaries: a call on the result or a discarded
      // result means nobody can ever stop it. A timer whose channel is
      // received from right away has fired: it no longer runs.
      DynTypedNode Node = DynTypedNode::create(*Call);
      bool Lost = false;
      for (int Depth = 0; Depth < 8; ++Depth) {
        DynTypedNodeList Parents = parentsOf(TC.Ctx, Node);
        if (Parents.empty())
          break;
        const DynTypedNode &P = Parents[0];
        if (P.get<MemberExpr>() || P.get<CompoundStmt>()) {
          Lost = !(IsTimer && firesAtOnce(P));
          break;
        }
        const auto *PE = P.get<Expr>();
        if (!PE || !isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                        CXXBindTemporaryExpr, ExprWithCleanups>(PE))
          break;
        Node = P;
      }
      if (!Lost)
        continue;
      Finding F;
      F.Loc = Call->getBeginLoc();
      F.Range = Call->getSourceRange();
      F.Message = std::string(IsTimer ? "timer" : "ticker") +
                  " created here is never stopped: keep its handle and stop it";
      Out.push_back(std::move(F));
    }
  }
}

void TickerChecker::run(std::vector<Finding> &Out) {
  collect();
  reportTemporaries(Out);
  if (Tickers.empty())
    return;

  // The engine's question: may the ticker still run where its scope ends?
  std::vector<engine::Obligation> Obligations;
  for (const Tracked &T : Tickers)
    Obligations.push_back({T.Var});
  auto Stops = [&](const engine::FlowStep &S, unsigned I) {
    const Stmt *St = S.stmt();
    return St && handles(St, Tickers[I]);
  };
  // A select that takes a timer's channel: what holds after each case.
  engine::ObligationHooks Cases;
  auto Firing = [&](const engine::FlowStep &S, unsigned I) {
    return firingCase(S, Tickers[I]);
  };
  auto After = [&](const engine::FlowStep &S, unsigned C) {
    const Callable &Callback = S.O->Cases[C].Callback;
    return knownAfterCase(*S.O, C, Callback.valid() ? TC.IRs.get(Callback.Body) : nullptr,
                          Api);
  };
  Cases.DischargingCase = Firing;
  Cases.KnownAfterCase = After;
  if (engine::checkDeclaredObligations(IR, Obligations, Stops, &Cases) ==
      engine::SolveStatus::BoundHit)
    ++TC.FunctionsOverBound;

  for (unsigned I = 0; I < Tickers.size(); ++I) {
    Tracked &T = Tickers[I];
    const engine::Obligation &O = Obligations[I];
    T.Handled = O.Discharged;
    T.ScopeEndReached = O.ScopeEndReached;
    T.LeakAt = O.LeakAt;
    // Never stopped and never out of scope: it runs forever.
    if (O.Leaks || O.neverEnds())
      Out.push_back(finding(T));
  }
}

} // namespace

namespace {

void checkTickersStopped(FunctionRuleContext &TC, const FunctionIR &IR,
                         std::vector<Finding> &Out) {
  TickerChecker(TC, IR).run(Out);
  // Timers that tick by re-arming themselves (Asio) are tickers too.
  checkRearmingTimers(TC, IR, Out);
}

RuleRegistry::Add Register("chan-ticker-not-stopped", checkTickersStopped);

} // namespace

} // namespace chanlint
