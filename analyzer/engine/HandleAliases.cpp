#include "HandleAliases.h"

#include "Dataflow.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint::engine {

namespace {

/// The variable (or member) an initialiser or right-hand side copies, moves
/// or views: `a`, `std::move(a)`, `SendChan<int>(a)`, `this->ch_`. A move is
/// a call of one of the models' moves that yields an rvalue (std::move;
/// std::forward of an rvalue).
const ValueDecl *source(const Expr *E, bool &Moved, const ApiIndex &Api,
                        llvm::function_ref<bool(QualType)> IsHandle) {
  Moved = false;
  for (int Guard = 0; E && Guard < 16; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<ExprWithCleanups>(E)) {
      E = C->getSubExpr();
    } else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
    } else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      // Copies, moves and views (a send-only view of a channel) keep the
      // object; any other construction makes a new one.
      if (CE->getNumArgs() != 1 ||
          !(CE->getConstructor()->isCopyOrMoveConstructor() ||
            IsHandle(CE->getArg(0)->getType().getNonReferenceType())))
        return nullptr;
      E = CE->getArg(0);
    } else if (const auto *Conv = dyn_cast<CXXMemberCallExpr>(E);
               Conv && isa_and_nonnull<CXXConversionDecl>(Conv->getMethodDecl()) &&
               IsHandle(Conv->getType())) {
      E = Conv->getImplicitObjectArgument(); // `operator SendChan<T>()`: a view
    } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const Expr *Arg = Api.movedArgument(Call);
      if (!Arg)
        return nullptr;
      Moved = !Call->isLValue();
      E = Arg;
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      return DRE->getDecl();
    } else if (const auto *ME = dyn_cast<MemberExpr>(E);
               ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
      return ME->getMemberDecl();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

/// The variable or member of `this` an assignment writes.
const ValueDecl *assigned(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E);
      ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return ME->getMemberDecl();
  return nullptr;
}

class Analysis {
public:
  using State = HandleAliases::State;

  Analysis(const FunctionIR &IR, llvm::function_ref<bool(QualType)> IsHandle)
      : Api(IR.recognizer().api()), IsHandle(IsHandle) {
    // Parameters hold their own objects from the start.
    for (const ParmVarDecl *P : IR.function()->parameters())
      if (IsHandle(P->getType().getNonReferenceType()))
        Entry[P] = {P};
  }

  State Entry;
  bool Recording = false;
  std::map<std::pair<unsigned, unsigned>, State> *AtOp = nullptr;

  State bottom() const { return {}; }
  bool join(State &Into, const State &From) const {
    bool Changed = false;
    for (const auto &[Var, Objs] : From) {
      // A new key is news too: unbound (its own object) is not empty
      // (moved from).
      auto [Mine, New] = Into.try_emplace(Var);
      Changed |= New;
      for (const ValueDecl *O : Objs)
        Changed |= Mine->second.insert(O).second;
    }
    return Changed;
  }
  void transferEdge(const FlowEdge &, State &) const {}

  void transfer(const FlowStep &S, State &St) {
    if (Recording && S.O && !S.Exceptional)
      (*AtOp)[{S.Loc.Block, S.Loc.Index}] = St;
    const Stmt *E = S.stmt();
    if (!E)
      return;
    if (const auto *DS = dyn_cast<DeclStmt>(E)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && IsHandle(V->getType().getNonReferenceType()))
          bind(St, V, V->getInit(), V);
      return;
    }
    const Expr *Lhs = nullptr, *Rhs = nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getOpcode() == BO_Assign) {
      Lhs = BO->getLHS();
      Rhs = BO->getRHS();
    } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
               OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
      Lhs = OC->getArg(0);
      Rhs = OC->getArg(1);
    }
    if (!Lhs)
      return;
    const ValueDecl *Target = assigned(Lhs);
    if (Target && IsHandle(Target->getType().getNonReferenceType()))
      bind(St, Target, Rhs, nullptr);
  }

private:
  /// Target now holds what Init copies or moves; a new object (Fresh) or,
  /// for an assignment from elsewhere, an object nobody else holds.
  void bind(State &St, const ValueDecl *Target, const Expr *Init,
            const ValueDecl *Fresh) {
    bool Moved = false;
    const ValueDecl *From = Init ? source(Init, Moved, Api, IsHandle) : nullptr;
    if (From && IsHandle(From->getType().getNonReferenceType())) {
      auto It = St.find(From);
      HandleAliases::Objects Objs =
          It != St.end() ? It->second : HandleAliases::Objects{From};
      St[Target] = Objs;
      if (Moved && From != Target)
        St[From].clear();
      return;
    }
    St[Target] = {Fresh ? Fresh : Target};
  }

  const ApiIndex &Api;
  llvm::function_ref<bool(QualType)> IsHandle;
};

} // namespace

HandleAliases::HandleAliases(const FunctionIR &IR,
                             llvm::function_ref<bool(QualType)> IsHandle) {
  Analysis A(IR, IsHandle);
  ForwardDataflow<Analysis> Solver(IR.flow(ExceptionEdges::Throws), A);
  if (Solver.solve(A.Entry) != SolveStatus::Converged)
    return; // no facts: every question answers "not known"
  A.AtOp = &AtOp;
  A.Recording = true;
  Solver.replay();
}

HandleAliases::Objects HandleAliases::objectsOf(OpLocation L,
                                                const ValueDecl *V) const {
  auto It = AtOp.find({L.Block, L.Index});
  if (It == AtOp.end())
    return {};
  auto Var = It->second.find(V);
  if (Var == It->second.end())
    return {V}; // never bound here: its own object
  return Var->second;
}

bool HandleAliases::mustAlias(OpLocation L, const ValueDecl *A,
                              const ValueDecl *B) const {
  Objects OA = objectsOf(L, A), OB = objectsOf(L, B);
  return OA.size() == 1 && OA == OB;
}

bool HandleAliases::mayAlias(OpLocation L, const ValueDecl *A,
                             const ValueDecl *B) const {
  for (const ValueDecl *O : objectsOf(L, A))
    if (objectsOf(L, B).count(O))
      return true;
  return false;
}

} // namespace chanlint::engine
