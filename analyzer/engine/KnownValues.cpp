#include "KnownValues.h"

#include "../FunctionIR.h"
#include "../OpRecognizer.h"
#include "../StatementWrites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace chanlint::engine {

namespace {

/// The local a body stores the call's value in (`int k = select(...)`).
const ValueDecl *storedIn(const ApiIndex &Api, const Stmt *S, const Expr *Call) {
  if (!S)
    return nullptr;
  if (std::optional<Store> W = storeOf(Api, S);
      W && W->Target && W->Plain && W->Value && asWritten(W->Value) == asWritten(Call))
    return W->Target;
  for (const Stmt *C : S->children())
    if (const ValueDecl *D = storedIn(Api, C, Call))
      return D;
  return nullptr;
}

/// Variables the function's own branches test (or returns), and those it stores a
/// constant into (callbacks' bodies are theirs, not the function's).
void scanBody(const ApiIndex &Api, const Stmt *S, ASTContext &Ctx,
              llvm::DenseSet<const ValueDecl *> &Tested,
              llvm::DenseSet<const ValueDecl *> &StoredConstant) {
  if (!S || isa<LambdaExpr>(S))
    return;
  const Expr *Cond = nullptr;
  if (const auto *If = dyn_cast<IfStmt>(S))
    Cond = If->getCond();
  else if (const auto *W = dyn_cast<WhileStmt>(S))
    Cond = W->getCond();
  else if (const auto *F = dyn_cast<ForStmt>(S))
    Cond = F->getCond();
  else if (const auto *D = dyn_cast<DoStmt>(S))
    Cond = D->getCond();
  else if (const auto *Sw = dyn_cast<SwitchStmt>(S))
    Cond = Sw->getCond();
  else if (const auto *CO = dyn_cast<ConditionalOperator>(S))
    Cond = CO->getCond();
  else if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isLogicalOp())
    Cond = BO;
  else if (const auto *R = dyn_cast<ReturnStmt>(S))
    Cond = R->getRetValue(); // what a caller may test
  if (Cond)
    namedVariables(Cond, Tested);
  if (std::optional<Store> W = storeOf(Api, S);
      W && W->Target && W->Plain && integerConstant(W->Value, Ctx))
    StoredConstant.insert(W->Target);
  for (const Stmt *C : S->children())
    scanBody(Api, C, Ctx, Tested, StoredConstant);
}

/// Every variable a statement stores into, lambda bodies included.
void storesIn(const ApiIndex &Api, const Stmt *S,
              llvm::SmallVectorImpl<const ValueDecl *> &Out) {
  if (!S)
    return;
  if (std::optional<Store> W = storeOf(Api, S);
      W && W->Target && !isa<DeclStmt>(S) && !llvm::is_contained(Out, W->Target))
    Out.push_back(W->Target);
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    storesIn(Api, L->getBody(), Out);
    return;
  }
  for (const Stmt *C : S->children())
    storesIn(Api, C, Out);
}

} // namespace

KnownValues::KnownValues(const KnownAfter &K, const FunctionIR &IR)
    : K(K), Api(IR.recognizer().api()), Ctx(IR.function()->getASTContext()) {
  const FunctionDecl *Fn = IR.function();
  for (const KnownAfter::Value &V : K.Values)
    if (SlotVars.size() < MaxSlots && !llvm::is_contained(SlotVars, V.Var))
      SlotVars.push_back(V.Var);
  llvm::DenseSet<const ValueDecl *> Tested, StoredConstant;
  scanBody(Api, Fn->getBody(), Ctx, Tested, StoredConstant);
  for (const ValueDecl *D : StoredConstant)
    if (Tested.contains(D) && SlotVars.size() < MaxSlots &&
        !llvm::is_contained(SlotVars, D))
      SlotVars.push_back(D);
  if (K.Result)
    ResultVar = storedIn(Api, Fn->getBody(), K.Result);
}

KnownState KnownValues::initial(llvm::ArrayRef<const Stmt *> Before) const {
  KnownState S;
  S.Slots.resize(SlotVars.size());
  for (const Stmt *Step : Before)
    after(Step, S);
  applyFacts(S);
  return S;
}

KnownState KnownValues::carried(const KnownValues &Earlier, const KnownState &S,
                                const Stmt *Ran) const {
  KnownState Out;
  Out.Slots.resize(SlotVars.size());
  llvm::SmallVector<const ValueDecl *, 4> Written;
  storesIn(Api, Ran, Written);
  for (unsigned I = 0; I < SlotVars.size(); ++I) {
    if (llvm::is_contained(Written, SlotVars[I]))
      continue;
    const auto *It = llvm::find(Earlier.SlotVars, SlotVars[I]);
    if (unsigned J = It - Earlier.SlotVars.begin(); J < S.Slots.size())
      Out.Slots[I] = S.Slots[J];
  }
  applyFacts(Out);
  return Out;
}

void KnownValues::applyFacts(KnownState &S) const {
  S.Result = false;
  S.Differs = 0;
  for (unsigned I = 0; I < SlotVars.size(); ++I)
    for (const KnownAfter::Value &V : K.Values)
      if (V.Var == SlotVars[I])
        S.Slots[I] = V.V;
  S.Result = K.Result != nullptr;
  for (unsigned I = 0; I < K.Differs.size() && I < MaxDiffers; ++I)
    S.Differs |= 1u << I;
}

std::optional<unsigned> KnownValues::slotOf(const Expr *E) const {
  const ValueDecl *D = E ? namedVariable(Api, E) : nullptr;
  if (!D)
    return std::nullopt;
  for (unsigned I = 0; I < SlotVars.size(); ++I)
    if (SlotVars[I] == D)
      return I;
  return std::nullopt;
}

bool KnownValues::isResult(const Expr *E, const KnownState &S) const {
  E = asWritten(E);
  if (!E || !K.Result)
    return false;
  if (E == asWritten(K.Result))
    return true;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE && ResultVar && S.Result && DRE->getDecl() == ResultVar;
}

std::optional<int64_t> KnownValues::factValue(const Expr *E,
                                              const KnownState &S) const {
  if (isResult(E, S))
    return K.ResultValue;
  if (std::optional<unsigned> I = slotOf(E); I && *I < S.Slots.size())
    return S.Slots[*I];
  return std::nullopt;
}

std::optional<int64_t> KnownValues::value(const Expr *E, const KnownState &S) const {
  if (std::optional<int64_t> V = factValue(E, S))
    return V;
  // A test of what is known: `return !closed;`.
  if (E && E->getType()->isBooleanType())
    if (std::optional<bool> T = truth(E, S))
      return *T ? 1 : 0;
  return integerConstant(E, Ctx);
}

/// `Object.Method() == V` or the other way round, for a known difference.
bool KnownValues::differs(const Expr *L, const Expr *R, const KnownState &S) const {
  for (int Swap = 0; Swap < 2; ++Swap, std::swap(L, R)) {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(asWritten(L));
    const CXXMethodDecl *Method = MC ? MC->getMethodDecl() : nullptr;
    if (!Method || !Method->getIdentifier())
      continue;
    const ValueDecl *Obj = namedVariable(Api, MC->getImplicitObjectArgument());
    for (unsigned I = 0; I < K.Differs.size() && I < MaxDiffers; ++I) {
      const KnownAfter::CallDiffers &D = K.Differs[I];
      if ((S.Differs & (1u << I)) && D.Object == Obj &&
          Method->getName() == D.Method && integerConstant(R, Ctx) == D.V)
        return true;
    }
  }
  return false;
}

std::optional<bool> KnownValues::truth(const Expr *E, const KnownState &S) const {
  E = asWritten(E);
  if (!E)
    return std::nullopt;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot) {
    if (std::optional<bool> V = truth(UO->getSubExpr(), S))
      return !*V;
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    BinaryOperatorKind Op = BO->getOpcode();
    if (Op == BO_LAnd || Op == BO_LOr) {
      std::optional<bool> L = truth(BO->getLHS(), S), R = truth(BO->getRHS(), S);
      bool Decides = Op == BO_LOr; // the value that decides alone
      if ((L && *L == Decides) || (R && *R == Decides))
        return Decides;
      if (L && R)
        return !Decides;
      return std::nullopt;
    }
    if (Op == BO_EQ || Op == BO_NE) {
      const Expr *L = BO->getLHS(), *R = BO->getRHS();
      if (differs(L, R, S))
        return Op == BO_NE;
      // Only when one side is known: two constants are the compiler's.
      if (factValue(L, S) || factValue(R, S)) {
        std::optional<int64_t> A = value(L, S), B = value(R, S);
        if (A && B)
          return (*A == *B) == (Op == BO_EQ);
      }
    }
    return std::nullopt;
  }
  if (std::optional<int64_t> V = factValue(E, S))
    return *V != 0;
  return std::nullopt;
}

const llvm::SmallVector<const ValueDecl *, 2> &
KnownValues::writtenByCall(const Stmt *Call) const {
  auto [It, New] = CallWrites.try_emplace(Call);
  llvm::SmallVector<const ValueDecl *, 2> &Out = It->second;
  if (!New)
    return Out;
  for (const Stmt *C : Call->children())
    storesIn(Api, C, Out);
  const FunctionDecl *Callee = nullptr;
  if (const auto *CE = dyn_cast<CallExpr>(Call))
    Callee = CE->getDirectCallee();
  else if (const auto *CC = dyn_cast<CXXConstructExpr>(Call))
    Callee = CC->getConstructor();
  const FunctionDecl *Def = nullptr;
  if (Callee && Callee->hasBody(Def) && Def &&
      !Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    storesIn(Api, Def->getBody(), Out);
  return Out;
}

bool KnownValues::replacesHandle(const Stmt *Step) const {
  const KnownAfter::Rebinding &R = K.Rebinds;
  if (!R.Handle || !Step)
    return false;
  // The CFG splits a declaration of several variables into one per variable.
  if (const auto *DS = dyn_cast<DeclStmt>(Step))
    return R.Declaration && DS->isSingleDecl() && DS->getSingleDecl() == R.Handle;
  return R.Stores.contains(Step);
}

void KnownValues::after(const Stmt *Step, KnownState &S) const {
  if (!Step)
    return;
  auto Forget = [&](const ValueDecl *D) {
    for (unsigned I = 0; I < SlotVars.size(); ++I)
      if (SlotVars[I] == D)
        S.Slots[I] = std::nullopt;
    if (ResultVar && D == ResultVar)
      S.Result = false;
    for (unsigned I = 0; I < K.Differs.size() && I < MaxDiffers; ++I)
      if (K.Differs[I].Object == D)
        S.Differs &= ~(1u << I);
  };
  if (isa<CallExpr>(Step) || isa<CXXConstructExpr>(Step))
    for (const ValueDecl *D : writtenByCall(Step))
      Forget(D);
  std::optional<Store> W = storeOf(Api, Step);
  if (!W || !W->Target)
    return;
  Forget(W->Target);
  for (unsigned I = 0; I < SlotVars.size(); ++I)
    if (SlotVars[I] == W->Target && W->Plain)
      S.Slots[I] = integerConstant(W->Value, Ctx);
  if (ResultVar && W->Target == ResultVar && W->Value &&
      asWritten(W->Value) == asWritten(K.Result))
    S.Result = true;
}

} // namespace chanlint::engine
