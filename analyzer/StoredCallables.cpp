#include "StoredCallables.h"

#include "AncestorWalk.h"
#include "OpRecognizer.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace chanlint {

namespace {

bool mentions(const Stmt *S, const ValueDecl *D) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == D)
    return true;
  return llvm::any_of(S->children(), [&](const Stmt *C) { return mentions(C, D); });
}

} // namespace

StoredCallables::StoredCallables(const OpRecognizer &R) : R(R), Ctx(R.context()) {}

const ValueDecl *StoredCallables::containerNamed(const Expr *E) const {
  E = E ? R.strip(E) : nullptr;
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    return V && !V->hasGlobalStorage() ? V : nullptr;
  }
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E);
      ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

std::optional<ElementOf> StoredCallables::elementOf(const Expr *Callee,
                                                    const Stmt *Site) const {
  const Expr *E = Callee ? R.strip(Callee) : nullptr;
  if (!E || !Site)
    return std::nullopt;
  ElementOf Out;
  // A map's entry: `kv.second`.
  if (const auto *ME = dyn_cast<MemberExpr>(E); ME && !ME->isArrow())
    E = R.strip(ME->getBase());
  // The variable (or structured binding) a range-for visits the elements by.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *Elem = DRE->getDecl();
    if (const auto *B = dyn_cast<BindingDecl>(Elem))
      Elem = B->getDecomposedDecl();
    walkUpInFunction(Site, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
      const auto *FR = P.get<CXXForRangeStmt>();
      if (!FR || FR->getLoopVariable() != Elem || Child != FR->getBody())
        return false;
      Out = {containerNamed(FR->getRangeInit()), FR};
      return true;
    });
    if (Out.Container)
      return Out;
    return std::nullopt;
  }
  // `fs[i]`, `fs.at(i)` with i the index of the loop around the spawn.
  const Expr *Base = nullptr, *Index = nullptr;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
      OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2) {
    Base = OC->getArg(0);
    Index = OC->getArg(1);
  } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
    Base = AS->getBase();
    Index = AS->getIdx();
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
             MC && R.api().isIndexedElement(MC)) {
    Base = MC->getImplicitObjectArgument();
    Index = MC->getArg(0);
  }
  const auto *IndexRef = Index ? dyn_cast<DeclRefExpr>(R.strip(Index)) : nullptr;
  if (!Base || !IndexRef)
    return std::nullopt;
  walkUpInFunction(Site, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *Loop = P.get<Stmt>();
    if (!Loop || Child != loopBody(P.get<Stmt>()) ||
        !mentions(loopCondition(Loop), IndexRef->getDecl()))
      return false;
    Out = {containerNamed(Base), Loop};
    return true;
  });
  if (Out.Container)
    return Out;
  return std::nullopt;
}

bool StoredCallables::oncePerElement(const Stmt *Site, const Stmt *Loop) const {
  return !walkUpInFunction(Site, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    return Child == loopBody(P.get<Stmt>()) && P.get<Stmt>() != Loop;
  });
}

bool StoredCallables::inLoop(const Stmt *S) const {
  return walkUpInFunction(S, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    return Child == loopBody(P.get<Stmt>());
  });
}

void StoredCallables::callablesIn(const Expr *E, const Stmt *StoredAt,
                                  std::vector<StoredCallable> &Out) const {
  if (!E)
    return;
  if (Callable C = R.resolveCallable(E, {}); C.valid()) {
    Out.push_back({std::move(C), StoredAt, inLoop(StoredAt)});
    return;
  }
  // Through the shapes a value takes on its way in: initializer lists, a
  // std::function or std::pair built around it, a pack the models name
  // (std::make_pair(key, f), std::bind(f, x)), temporaries.
  E = R.strip(E);
  if (const auto *IL = dyn_cast<InitListExpr>(E)) {
    for (const Expr *Init : IL->inits())
      callablesIn(Init, StoredAt, Out);
  } else if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E)) {
    callablesIn(SIL->getSubExpr(), StoredAt, Out);
  } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    for (const Expr *Arg : CE->arguments())
      callablesIn(Arg, StoredAt, Out);
  } else if (const auto *Call = dyn_cast<CallExpr>(E);
             Call && R.api().valueRoleOf(Call->getDirectCallee()) == ValueRole::Pack) {
    for (const Expr *Arg : Call->arguments())
      callablesIn(Arg, StoredAt, Out);
  }
}

void StoredCallables::storesIn(const Stmt *S, const ValueDecl *Container,
                               std::vector<StoredCallable> &Out) const {
  if (!S)
    return;
  auto IsElementOfContainer = [&](const Expr *E) {
    E = R.strip(E);
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
      return containerNamed(OC->getArg(0)) == Container;
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      return containerNamed(AS->getBase()) == Container;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      return R.api().isIndexedElement(MC) &&
             containerNamed(MC->getImplicitObjectArgument()) == Container;
    return false;
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    if (R.api().insertRoleOf(MC) != InsertRole::None &&
        containerNamed(MC->getImplicitObjectArgument()) == Container)
      for (const Expr *Arg : MC->arguments())
        callablesIn(Arg, MC, Out);
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
             OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
    // `fs = {...}`, `fs[i] = f`, `handlers["x"] = f`
    if (containerNamed(OC->getArg(0)) == Container ||
        IsElementOfContainer(OC->getArg(0)))
      callablesIn(OC->getArg(1), OC, Out);
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S);
             BO && BO->getOpcode() == BO_Assign && IsElementOfContainer(BO->getLHS())) {
    callablesIn(BO->getRHS(), BO, Out);
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (D == Container)
        callablesIn(cast<VarDecl>(D)->getInit(), DS, Out);
  }
  for (const Stmt *C : S->children())
    storesIn(C, Container, Out);
}

std::vector<StoredCallable>
StoredCallables::storedInto(const ValueDecl *Container) const {
  std::vector<StoredCallable> Out;
  if (const auto *V = dyn_cast<VarDecl>(Container)) {
    if (isa<ParmVarDecl>(V))
      return Out;
    if (const auto *Fn = dyn_cast<FunctionDecl>(V->getDeclContext()))
      storesIn(Fn->getBody(), Container, Out);
    return Out;
  }
  const auto *F = dyn_cast<FieldDecl>(Container);
  const auto *Class = F ? dyn_cast<CXXRecordDecl>(F->getParent()) : nullptr;
  if (!Class || !Class->hasDefinition())
    return Out;
  if (const Expr *Init = F->getInClassInitializer())
    callablesIn(Init, Init, Out);
  for (const CXXMethodDecl *M : Class->methods()) {
    const FunctionDecl *Def = R.definitionOf(M);
    if (!Def)
      continue;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() == F && Init->getInit())
          callablesIn(Init->getInit(), Init->getInit(), Out);
    storesIn(Def->getBody(), Container, Out);
  }
  for (StoredCallable &S : Out)
    S.InMember = true;
  return Out;
}

} // namespace chanlint
