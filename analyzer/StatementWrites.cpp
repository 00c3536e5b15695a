#include "StatementWrites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace chanlint {

const Expr *asWritten(const Expr *E) {
  return E ? E->IgnoreUnlessSpelledInSource()->IgnoreParenImpCasts() : nullptr;
}

std::optional<int64_t> integerConstant(const Expr *E, ASTContext &Ctx) {
  E = asWritten(E);
  Expr::EvalResult R;
  if (E && !E->isValueDependent() && E->getType()->isIntegralOrEnumerationType() &&
      E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getExtValue();
  return std::nullopt;
}

const ValueDecl *namedVariable(const ApiIndex &Api, const Expr *E) {
  E = asWritten(E);
  if (!E)
    return nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    if (Api.atomicCallOf(MC).What == AtomicCall::Kind::Load)
      return namedVariable(Api, MC->getImplicitObjectArgument());
    return nullptr;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

std::optional<Store> storeOf(const ApiIndex &Api, const Stmt *S) {
  if (!S)
    return std::nullopt;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
    return Store{namedVariable(Api, BO->getLHS()), BO->getRHS(),
                 BO->getOpcode() == BO_Assign};
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && UO->isIncrementDecrementOp())
    return Store{namedVariable(Api, UO->getSubExpr()), nullptr, false};
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    if (OC->isAssignmentOp() && OC->getNumArgs() == 2)
      return Store{namedVariable(Api, OC->getArg(0)), OC->getArg(1),
                   OC->getOperator() == OO_Equal};
    if ((OC->getOperator() == OO_PlusPlus ||
         OC->getOperator() == OO_MinusMinus) &&
        OC->getNumArgs() >= 1)
      return Store{namedVariable(Api, OC->getArg(0)), nullptr, false};
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    switch (Api.atomicCallOf(MC).What) {
    case AtomicCall::Kind::Store:
      if (MC->getNumArgs() >= 1)
        return Store{namedVariable(Api, Obj), MC->getArg(0), true};
      break;
    case AtomicCall::Kind::Update:
      return Store{namedVariable(Api, Obj), nullptr, false};
    default:
      break;
    }
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    if (DS->isSingleDecl())
      if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
        return Store{VD, VD->getInit(), true};
  return std::nullopt;
}

void namedVariables(const Stmt *S, llvm::DenseSet<const ValueDecl *> &Out) {
  if (!S)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    Out.insert(DRE->getDecl());
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    Out.insert(ME->getMemberDecl());
  for (const Stmt *C : S->children())
    namedVariables(C, Out);
}

void referencesTo(const Stmt *S, const ValueDecl *V,
                  llvm::SmallVectorImpl<const DeclRefExpr *> &Out) {
  if (!S)
    return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == V)
    Out.push_back(DRE);
  for (const Stmt *C : S->children())
    referencesTo(C, V, Out);
}

bool storesToOneOf(const ApiIndex &Api, const Stmt *S,
                   const llvm::DenseSet<const ValueDecl *> &Vars) {
  if (!S)
    return false;
  if (std::optional<Store> W = storeOf(Api, S);
      W && W->Target && !isa<DeclStmt>(S) && Vars.contains(W->Target))
    return true;
  for (const Stmt *C : S->children())
    if (storesToOneOf(Api, C, Vars))
      return true;
  return false;
}

namespace {

/// How many helper calls deep mayChangeOneOf looks.
constexpr unsigned HelperDepth = 3;

bool mayChange(const ApiIndex &Api, const Stmt *S,
               const llvm::DenseSet<const ValueDecl *> &Vars, unsigned Depth) {
  if (!S)
    return false;
  if (std::optional<Store> W = storeOf(Api, S);
      W && W->Target && !isa<DeclStmt>(S) && Vars.contains(W->Target))
    return true;
  const auto *Call = dyn_cast<CallExpr>(S);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (Callee && Depth < HelperDepth) {
    const FunctionDecl *Def = nullptr;
    if (Callee->hasBody(Def) && Def &&
        !Def->getASTContext().getSourceManager().isInSystemHeader(
            Def->getLocation()) &&
        mayChange(Api, Def->getBody(), Vars, Depth + 1))
      return true;
  }
  // A non-const method called on it: q.pop_front(), flag.store().
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    if (const CXXMethodDecl *M = MC->getMethodDecl();
        M && !M->isConst() && !M->isStatic())
      if (const ValueDecl *D = namedVariable(Api, MC->getImplicitObjectArgument());
          D && Vars.contains(D))
        return true;
  // Handed by non-const reference: `reset(done)`, `std::swap(a, b)`.
  if (Callee) {
    unsigned Shift =
        isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) ? 1 : 0;
    for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
      if (I - Shift >= Callee->getNumParams())
        break;
      QualType T = Callee->getParamDecl(I - Shift)->getType();
      if (!T->isReferenceType() || T.getNonReferenceType().isConstQualified())
        continue;
      if (const ValueDecl *D = namedVariable(Api, Call->getArg(I)); D && Vars.contains(D))
        return true;
    }
  }
  for (const Stmt *C : S->children())
    if (mayChange(Api, C, Vars, Depth))
      return true;
  return false;
}

} // namespace

bool mayChangeOneOf(const ApiIndex &Api, const Stmt *S,
                    const llvm::DenseSet<const ValueDecl *> &Vars) {
  return mayChange(Api, S, Vars, 0);
}

} // namespace chanlint
