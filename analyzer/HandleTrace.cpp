#include "HandleTrace.h"

#include "ParentIndex.h"
#include "StatementWrites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace chanlint {

namespace {

/// How far a new channel is followed through helpers that return one and
/// locals copied from locals.
constexpr unsigned MaxDepth = 3;

bool sameFunction(const Decl *A, const Decl *B) {
  return A && B && (A == B || A->getCanonicalDecl() == B->getCanonicalDecl());
}

const FunctionDecl *functionOf(const ValueDecl *V) {
  return dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
}

/// A store into a variable: its declaration (Value: the initialiser) or an
/// assignment (Value null for an update such as `++`).
struct StoreInto {
  const Stmt *At = nullptr;
  const Expr *Value = nullptr;
  bool Declaration = false;
};

/// The stores into V anywhere in S (lambdas written in S included).
void storesInto(const ApiIndex &Api, const Stmt *S, const ValueDecl *V,
                llvm::SmallVectorImpl<StoreInto> &Out) {
  if (!S)
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (D == V)
        Out.push_back({DS, cast<VarDecl>(D)->getInit(), true});
  } else if (std::optional<Store> W = storeOf(Api, S); W && W->Target == V) {
    Out.push_back({S, W->Plain ? W->Value : nullptr, false});
  }
  for (const Stmt *C : S->children())
    storesInto(Api, C, V, Out);
}

llvm::SmallVector<StoreInto, 2> storesInto(const ApiIndex &Api, const ValueDecl *V,
                                           const FunctionDecl *Fn) {
  llvm::SmallVector<StoreInto, 2> Stores;
  if (Fn)
    storesInto(Api, Fn->getBody(), V, Stores);
  return Stores;
}

/// The variable an expression names, also through `&` and `*` (a pointer
/// to it, what a pointer points to).
const ValueDecl *nameOf(const ApiIndex &Api, const Expr *E) {
  for (int Steps = 0; E && Steps < 8; ++Steps) {
    E = E->IgnoreParenImpCasts();
    const auto *U = dyn_cast<UnaryOperator>(E);
    if (!U || (U->getOpcode() != UO_AddrOf && U->getOpcode() != UO_Deref))
      break;
    E = U->getSubExpr();
  }
  return E ? namedVariable(Api, E) : nullptr;
}

bool madeHere(const Expr *E, const OpRecognizer &R, unsigned Depth);
bool onlyNewValues(const VarDecl *V, const OpRecognizer &R, unsigned Depth);

/// True if every value stored into V in its function (its declaration's
/// initialiser included) is a channel made by that run: made where it is
/// stored, or copied from a local that only holds such channels. What the
/// caller binds to a parameter is not among them.
bool storesOnlyNew(const VarDecl *V, const OpRecognizer &R, unsigned Depth) {
  if (Depth > MaxDepth)
    return false;
  auto IsNew = [&](const Expr *Value) {
    if (!Value)
      return false;
    if (madeHere(Value, R, Depth))
      return true;
    const auto *From = dyn_cast_or_null<VarDecl>(nameOf(R.api(), R.strip(Value)));
    return From && From != V && sameFunction(functionOf(From), functionOf(V)) &&
           onlyNewValues(From, R, Depth + 1);
  };
  // The declaration's value (also of an init-capture, which has no
  // declaration statement), then every later store.
  if (!isa<ParmVarDecl>(V) && !IsNew(V->getInit()))
    return false;
  for (const StoreInto &Store : storesInto(R.api(), V, functionOf(V)))
    if (!Store.Declaration && !IsNew(Store.Value))
      return false;
  return true;
}

/// A local whose every value is a channel made by its function's run.
bool onlyNewValues(const VarDecl *V, const OpRecognizer &R, unsigned Depth) {
  return V->isLocalVarDecl() && !V->hasGlobalStorage() &&
         !V->getType()->isReferenceType() && storesOnlyNew(V, R, Depth);
}

void returnsIn(const Stmt *S, llvm::SmallVectorImpl<const ReturnStmt *> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *Ret = dyn_cast<ReturnStmt>(S))
    Out.push_back(Ret);
  for (const Stmt *C : S->children())
    returnsIn(C, Out);
}

/// A helper whose every return gives a channel made in its run.
bool returnsNewChannel(const FunctionDecl *Callee, const OpRecognizer &R,
                       unsigned Depth) {
  const FunctionDecl *Def =
      Callee && R.isUserFunction(Callee) ? R.definitionOf(Callee) : nullptr;
  if (!Def || Depth >= MaxDepth || Def->getReturnType()->isReferenceType())
    return false;
  llvm::SmallVector<const ReturnStmt *, 2> Returns;
  returnsIn(Def->getBody(), Returns);
  if (Returns.empty())
    return false;
  for (const ReturnStmt *Ret : Returns) {
    const Expr *Value = Ret->getRetValue();
    if (!Value)
      return false;
    if (madeHere(Value, R, Depth + 1))
      continue;
    const auto *Local = dyn_cast_or_null<VarDecl>(nameOf(R.api(), R.strip(Value)));
    if (!Local || !onlyNewValues(Local, R, Depth + 1))
      return false;
  }
  return true;
}

/// True if evaluating E makes a channel nobody held before: a channel
/// constructed (not copied), a make_chan-like call, `new` of one, a helper
/// that returns such a channel.
bool madeHere(const Expr *E, const OpRecognizer &R, unsigned Depth) {
  E = E ? R.strip(E) : nullptr;
  if (!E)
    return false;
  const ApiIndex &Api = R.api();
  if (const auto *New = dyn_cast<CXXNewExpr>(E))
    return New->getConstructExpr() && madeHere(New->getConstructExpr(), R, Depth);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return Api.roleOf(CE->getType()) == TypeRole::Channel &&
           !CE->getConstructor()->isCopyOrMoveConstructor();
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (Api.roleOf(Callee) == FunctionRole::MakeChannel)
    return true;
  return Api.roleOf(E->getType()) == TypeRole::Channel &&
         returnsNewChannel(Callee, R, Depth);
}

/// What a reference or pointer bound once names (`auto &r = ch;`, `auto *p
/// = &ch;`): the variable itself for anything else.
const ValueDecl *seeThrough(const ApiIndex &Api, const ValueDecl *N) {
  for (int Steps = 0; N && Steps < 8; ++Steps) {
    const auto *V = dyn_cast<VarDecl>(N);
    if (!V || !V->isLocalVarDecl() || V->hasGlobalStorage() || !V->getInit() ||
        !(V->getType()->isReferenceType() || V->getType()->isPointerType()))
      return N;
    for (const StoreInto &Store : storesInto(Api, V, functionOf(V)))
      if (!Store.Declaration)
        return N; // a pointer pointed elsewhere later
    const ValueDecl *Named = nameOf(Api, V->getInit());
    if (!Named)
      return N;
    N = Named;
  }
  return N;
}

/// The level at or above From whose frame runs the function declaring V.
std::optional<size_t> declaringLevel(const ProgramModel &M, llvm::ArrayRef<FrameStep> Chain,
                                     size_t From, const ValueDecl *V) {
  const FunctionDecl *Owner = functionOf(V);
  for (size_t L = From + 1; L-- > 0;)
    if (sameFunction(M.frame(Chain[L].first).IR->function(), Owner))
      return L;
  return std::nullopt;
}

/// True if At lies in W's scope after W's declaration: a path from At to a
/// use of W need not run W's declaration again. Unknown: true.
bool inScopeOf(const VarDecl *W, const Stmt *At, ASTContext &Ctx) {
  DynTypedNodeList Decl = parentsOf(Ctx, *W);
  const auto *DS = Decl.empty() ? nullptr : Decl[0].get<DeclStmt>();
  const Stmt *Block = nullptr;
  if (DS)
    if (DynTypedNodeList Scope = parentsOf(Ctx, *DS); !Scope.empty())
      Block = Scope[0].get<Stmt>();
  if (!At || !Block)
    return true;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = SM.getExpansionLoc(At->getBeginLoc());
  return !SM.isBeforeInTranslationUnit(L, SM.getExpansionLoc(W->getBeginLoc())) &&
         !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Block->getEndLoc()), L);
}

} // namespace

engine::KnownAfter::Rebinding rebindsAfter(const ValueDecl *Handle, const FunctionDecl *Fn,
                                           const Stmt *At, const OpRecognizer &R) {
  engine::KnownAfter::Rebinding Out;
  Out.Handle = Handle;
  // A value made after At: made where it is stored, or copied from a local
  // whose every value is new and whose declaration a path from At runs.
  auto MadeAfterAt = [&](const Expr *Value) {
    if (!Value)
      return false;
    if (madeHere(Value, R, 0))
      return true;
    const auto *From = dyn_cast_or_null<VarDecl>(nameOf(R.api(), R.strip(Value)));
    return From && onlyNewValues(From, R, 1) && !inScopeOf(From, At, R.context());
  };
  const auto *Var = dyn_cast<VarDecl>(Handle);
  // Its declaration gives it a new channel, or a range-for's next element.
  Out.Declaration = Var && !isa<ParmVarDecl>(Var) &&
                    (Var->isCXXForRangeDecl() || MadeAfterAt(Var->getInit()));
  for (const StoreInto &Store : storesInto(R.api(), Handle, Fn))
    if (!Store.Declaration && MadeAfterAt(Store.Value))
      Out.Stores.insert(Store.At);
  return Out;
}

std::vector<HandleAtFrame> traceHandle(const ProgramModel &M, const Event &E,
                                       llvm::ArrayRef<FrameStep> Chain) {
  std::vector<HandleAtFrame> Out(Chain.size());
  if (Chain.empty() || !E.ChannelExpr)
    return Out;
  const OpRecognizer &R = M.frame(Chain.back().first).IR->recognizer();
  auto NewAbove = [&](size_t Level) {
    for (size_t K = 0; K < Level; ++K)
      Out[K].NewEveryRun = true;
  };
  size_t Level = Chain.size() - 1;
  const ValueDecl *N = seeThrough(R.api(), nameOf(R.api(), E.ChannelExpr));
  // Every name on the way so far holds only channels made where it is
  // stored: a new channel found above is the event's.
  bool OnlyNew = true;
  while (N) {
    const auto *V = dyn_cast<VarDecl>(N);
    std::optional<size_t> Decl =
        V && !V->hasGlobalStorage() ? declaringLevel(M, Chain, Level, V) : std::nullopt;
    if (!Decl) {
      // A global or a variable captured from another party's frame: the
      // same variable in every frame here. A member: the event's frame's
      // object only.
      for (size_t K = V ? 0 : Level; K <= Level; ++K)
        Out[K].Name = N;
      break;
    }
    for (size_t K = *Decl; K <= Level; ++K)
      Out[K].Name = N;
    const auto *P = dyn_cast<ParmVarDecl>(V);
    if (!P) {
      if (OnlyNew && onlyNewValues(V, R, 0))
        NewAbove(*Decl);
      break;
    }
    // A parameter: what the invoking op passed, in the frame above.
    const Expr *Arg = *Decl > 0 ? M.boundArgument(Chain[*Decl].first, P) : nullptr;
    if (!Arg)
      break;
    OnlyNew = OnlyNew && storesOnlyNew(P, R, 0);
    if (madeHere(Arg, R, 0)) {
      if (OnlyNew)
        NewAbove(*Decl);
      break;
    }
    Level = *Decl - 1;
    N = seeThrough(R.api(), nameOf(R.api(), Arg));
  }
  return Out;
}

} // namespace chanlint
