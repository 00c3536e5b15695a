// chan-lost-cancel: the cancel function of with_cancel, with_timeout or
// with_deadline must be called on every path out of its scope (Go vet's
// lostcancel). Calling it, or handing it to someone who will (a task or a
// Defer that captures it, a function it is passed to, a member or container
// it is stored in, the caller it is returned to), discharges it. Each
// cancel function is an obligation for the engine (ScopedObligations),
// checked where the structured binding that holds it goes out of scope.
#include "RuleRegistry.h"
#include "SourceEdits.h"

#include "../ParentIndex.h"
#include "../engine/ScopedObligations.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace chanlint {

namespace {

struct CancelFn {
  const DecompositionDecl *Holder = nullptr; ///< auto [ctx, cancel] = ...
  const BindingDecl *Binding = nullptr;      ///< cancel
  llvm::StringRef Maker;                     ///< "with_timeout"
  llvm::DenseSet<const ValueDecl *> Names;   ///< the binding and its copies
};

class LostCancelChecker {
public:
  LostCancelChecker(FunctionRuleContext &TC, const FunctionIR &IR)
      : TC(TC), IR(IR), R(IR.recognizer()), Api(R.api()) {}

  void run(std::vector<Finding> &Out);

private:
  const CallExpr *contextMaker(const Expr *E) const;
  void collect();
  bool refersTo(const Expr *E, const CancelFn &C) const;
  bool isTrackedCopy(const Expr *Lhs, const CancelFn &C) const;
  bool discharges(const Stmt *S, const CancelFn &C) const;
  bool deepDischarges(const Stmt *S, const CancelFn &C) const;
  Finding finding(const CancelFn &C, const engine::Obligation &O) const;

  FunctionRuleContext &TC;
  const FunctionIR &IR;
  const OpRecognizer &R;
  const ApiIndex &Api;
  std::vector<CancelFn> Cancels;
};

const CallExpr *LostCancelChecker::contextMaker(const Expr *E) const {
  const auto *Call = dyn_cast_or_null<CallExpr>(E ? R.strip(E) : nullptr);
  return Call && Api.roleOf(Call->getDirectCallee()) == FunctionRole::WithCancel
             ? Call
             : nullptr;
}

void LostCancelChecker::collect() {
  for (const CFGBlock *B : IR.cfg())
    for (const CFGElement &E : *B) {
      auto S = E.getAs<CFGStmt>();
      const auto *DS = S ? dyn_cast<DeclStmt>(S->getStmt()) : nullptr;
      if (!DS)
        continue;
      for (const Decl *D : DS->decls()) {
        const auto *DD = dyn_cast<DecompositionDecl>(D);
        const CallExpr *Maker = DD ? contextMaker(DD->getInit()) : nullptr;
        if (!Maker || DD->getType()->isReferenceType())
          continue;
        for (const BindingDecl *BD : DD->bindings())
          if (Api.roleOf(BD->getType()) == TypeRole::CancelFunc) {
            CancelFn C;
            C.Holder = DD;
            C.Binding = BD;
            C.Maker = Maker->getDirectCallee()->getName();
            C.Names.insert(BD);
            Cancels.push_back(std::move(C));
          }
      }
    }
  // Local copies name the same cancel function.
  for (CancelFn &C : Cancels)
    for (bool Grew = true; Grew;) {
      Grew = false;
      for (const AliasFact &F : IR.facts())
        if (F.Kind == AliasFact::Lhs::Var && F.Steps.empty() && !F.RhsElement &&
            refersTo(F.Rhs, C) && isa<VarDecl>(F.Var) &&
            !cast<VarDecl>(F.Var)->hasGlobalStorage() &&
            C.Names.insert(F.Var).second)
          Grew = true;
    }
}

bool LostCancelChecker::refersTo(const Expr *E, const CancelFn &C) const {
  if (!E)
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(R.strip(E));
  return DRE && C.Names.contains(DRE->getDecl());
}

/// The target of an assignment is a local copy of the cancel function,
/// which collect() tracks as one of its names (it must be called itself).
bool LostCancelChecker::isTrackedCopy(const Expr *Lhs, const CancelFn &C) const {
  const auto *DRE = dyn_cast<DeclRefExpr>(R.strip(Lhs));
  return DRE && C.Names.contains(DRE->getDecl());
}

bool LostCancelChecker::discharges(const Stmt *S, const CancelFn &C) const {
  // cancel()
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->getOperator() == OO_Call && OC->getNumArgs() >= 1 &&
      refersTo(OC->getArg(0), C))
    return true;
  // `if (cancel) cancel();`: a cancel function from with_cancel is never
  // empty, so the test always passes and the branch always calls it.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      MC && isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()) &&
      refersTo(MC->getImplicitObjectArgument(), C)) {
    DynTypedNodeList Parents = parentsOf(TC.Ctx, *MC);
    while (Parents.size() == 1 && Parents[0].get<Expr>() &&
           (Parents[0].get<ImplicitCastExpr>() || Parents[0].get<ParenExpr>()))
      Parents = parentsOf(TC.Ctx, Parents[0]);
    for (const DynTypedNode &P : Parents)
      if (const auto *If = P.get<IfStmt>();
          If && !If->getConditionVariable() && If->getThen() &&
          deepDischarges(If->getThen(), C))
        return true;
  }
  // Captured by a task, a Defer, a callback: it calls it or keeps it.
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    for (const LambdaCapture &Cap : L->captures())
      if (Cap.capturesVariable() && C.Names.contains(Cap.getCapturedVar()))
        return true;
    return deepDischarges(L->getBody(), C);
  }
  // Returned to the caller, alone or inside what is returned.
  if (const auto *RS = dyn_cast<ReturnStmt>(S))
    return refersTo(RS->getRetValue(), C) ||
           deepDischarges(RS->getRetValue(), C);
  // Stored anywhere but in a local copy (which is tracked as a name): a
  // member, a container, a std::function or a reference parameter.
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->getOpcode() == BO_Assign && refersTo(BO->getRHS(), C))
    return !isTrackedCopy(BO->getLHS(), C);
  if (const auto *IL = dyn_cast<InitListExpr>(S))
    for (const Expr *I : IL->inits())
      if (refersTo(I, C))
        return true;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
        refersTo(OC->getArg(1), C))
      return !isTrackedCopy(OC->getArg(0), C);
    // Handed to a function: it calls it, or keeps it for later.
    for (const Expr *Arg : Call->arguments())
      if (refersTo(Arg, C) && !isa<CXXOperatorCallExpr>(Call))
        return true;
    if (isa<CXXOperatorCallExpr>(Call))
      for (unsigned I = 1; I < Call->getNumArgs(); ++I)
        if (refersTo(Call->getArg(I), C))
          return true;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    if (Api.roleOf(CE->getType()) != TypeRole::CancelFunc)
      for (const Expr *Arg : CE->arguments())
        if (refersTo(Arg, C))
          return true;
  return false;
}

bool LostCancelChecker::deepDischarges(const Stmt *S, const CancelFn &C) const {
  if (!S)
    return false;
  if (discharges(S, C))
    return true;
  for (const Stmt *Child : S->children())
    if (deepDischarges(Child, C))
      return true;
  return false;
}

Finding LostCancelChecker::finding(const CancelFn &C,
                                   const engine::Obligation &O) const {
  std::string Name = C.Binding->getNameAsString();
  Finding F;
  F.Loc = C.Binding->getLocation();
  F.Range = C.Binding->getSourceRange();
  F.Message = "cancel function '" + Name + "' of " + C.Maker.str() +
              (O.Discharged ? " is not called on every path" : " is never called") +
              "; the context and everything waiting on it stay alive until " +
              (C.Maker == "with_cancel" ? "its parent is cancelled"
                                        : "its deadline passes");
  // At the statement that leaves the scope (a return, a throw, a break), or
  // at the closing brace of the block whose end it reaches.
  if (O.LeakAt)
    F.Notes.push_back({isa<CompoundStmt>(O.LeakAt) ? O.LeakAt->getEndLoc()
                                                   : O.LeakAt->getBeginLoc(),
                       "'" + Name + "' goes out of scope here without being called",
                       true});
  // Fix: call it when the scope ends, right after the declaration, in the
  // spelling of the cancel function's model.
  std::string Call = Api.deferFix(C.Binding->getType(), "call_" + Name, Name + "()");
  if (auto Fix = Call.empty() ? std::nullopt : insertAfterDeclaration(C.Holder, Call, TC.Ctx))
    F.Fixes.push_back(*Fix);
  return F;
}

void LostCancelChecker::run(std::vector<Finding> &Out) {
  collect();
  if (Cancels.empty())
    return;
  std::vector<engine::Obligation> Obligations;
  for (const CancelFn &C : Cancels)
    Obligations.push_back({C.Holder});
  auto Calls = [&](const engine::FlowStep &S, unsigned I) {
    const Stmt *St = S.stmt();
    return St && discharges(St, Cancels[I]);
  };
  if (engine::checkDeclaredObligations(IR, Obligations, Calls) ==
      engine::SolveStatus::BoundHit)
    ++TC.FunctionsOverBound;
  for (unsigned I = 0; I < Cancels.size(); ++I)
    if (Obligations[I].Leaks || Obligations[I].neverEnds())
      Out.push_back(finding(Cancels[I], Obligations[I]));
}

void checkLostCancel(FunctionRuleContext &TC, const FunctionIR &IR,
                     std::vector<Finding> &Out) {
  LostCancelChecker(TC, IR).run(Out);
}

RuleRegistry::Add Register("chan-lost-cancel", checkLostCancel);

} // namespace

} // namespace chanlint
