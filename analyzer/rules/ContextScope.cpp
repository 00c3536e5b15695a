#include "ContextScope.h"

#include "../ParentIndex.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"

using namespace clang;

namespace chanlint {

namespace {

bool isBackground(const VarDecl *V, const ApiIndex &Api) {
  const Expr *Init = V->getInit();
  if (!Init)
    return false;
  Init = Init->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init); CE && CE->getNumArgs() == 1)
    Init = CE->getArg(0)->IgnoreImplicit();
  const auto *Call = dyn_cast<CallExpr>(Init);
  return Call && Api.roleOf(Call->getDirectCallee()) == FunctionRole::Background;
}

bool isContext(const ValueDecl *D, const ApiIndex &Api) {
  return D && Api.roleOf(D->getType()) == TypeRole::Context;
}

std::optional<ScopedContext> named(const ValueDecl *D) {
  if (!D->getIdentifier())
    return std::nullopt;
  return ScopedContext{D, D->getName().str()};
}

/// Context declarations in a compound statement before the child.
std::optional<ScopedContext> declaredBefore(const CompoundStmt *CS,
                                            const Stmt *Child,
                                            const ApiIndex &Api) {
  std::optional<ScopedContext> Found;
  for (const Stmt *S : CS->body()) {
    if (S == Child)
      break;
    const auto *DS = dyn_cast<DeclStmt>(S);
    if (!DS)
      continue;
    for (const Decl *D : DS->decls()) {
      if (const auto *DD = dyn_cast<DecompositionDecl>(D)) {
        for (const BindingDecl *B : DD->bindings())
          if (isContext(B, Api))
            Found = named(B);
      } else if (const auto *V = dyn_cast<VarDecl>(D);
                 V && isContext(V, Api) && !isBackground(V, Api)) {
        Found = named(V);
      }
    }
  }
  return Found;
}

std::optional<ScopedContext> fromParams(const FunctionDecl *F,
                                        const ApiIndex &Api) {
  for (const ParmVarDecl *P : F->parameters())
    if (isContext(P, Api))
      return named(P);
  return std::nullopt;
}

} // namespace

std::optional<ScopedContext> contextInScope(const Stmt *At, ASTContext &Ctx,
                                            const ApiIndex &Api) {
  DynTypedNode Node = DynTypedNode::create(*At);
  const Stmt *Child = At;
  for (int Depth = 0; Depth < 128; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return std::nullopt;
    const DynTypedNode &P = Parents[0];
    if (const auto *CS = P.get<CompoundStmt>()) {
      if (auto C = declaredBefore(CS, Child, Api))
        return C;
    } else if (const auto *L = P.get<LambdaExpr>()) {
      if (auto C = fromParams(L->getCallOperator(), Api))
        return C;
      for (const LambdaCapture &Cap : L->explicit_captures())
        if (Cap.capturesVariable() && isContext(Cap.getCapturedVar(), Api))
          return named(Cap.getCapturedVar());
      // Without a default capture, outer contexts are not usable here.
      if (L->getCaptureDefault() == LCD_None)
        return std::nullopt;
    } else if (const auto *F = P.get<FunctionDecl>()) {
      if (auto C = fromParams(F, Api))
        return C;
      // A lambda's body may be parented by its call operator rather than by
      // the LambdaExpr: look at its captures, then continue outside it.
      if (const auto *M = dyn_cast<CXXMethodDecl>(F); M && M->getParent()->isLambda()) {
        const CXXRecordDecl *Closure = M->getParent();
        for (const LambdaCapture &Cap : Closure->captures())
          if (Cap.capturesVariable() && Cap.isExplicit() &&
              isContext(Cap.getCapturedVar(), Api))
            return named(Cap.getCapturedVar());
        if (Closure->getLambdaCaptureDefault() == LCD_None)
          return std::nullopt;
        DynTypedNodeList Up = parentsOf(Ctx, *Closure);
        if (Up.empty())
          return std::nullopt;
        Node = Up[0];
        if (const auto *S = Node.get<Stmt>())
          Child = S;
        continue;
      }
      if (const auto *M = dyn_cast<CXXMethodDecl>(F); M && M->isInstance())
        for (const FieldDecl *Field : M->getParent()->fields())
          if (isContext(Field, Api))
            return named(Field);
      return std::nullopt;
    }
    if (const auto *S = P.get<Stmt>())
      Child = S;
    Node = P;
  }
  return std::nullopt;
}

} // namespace chanlint
