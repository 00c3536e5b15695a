// Walking up from a statement to the function (or lambda) body that holds
// it: the one loop that several rules need (is this send in a try block? in
// which loop? under which `if`?).
#pragma once

#include "ParentIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace chanlint {

/// The body of a loop statement (for, while, do, range-for), or null.
inline const clang::Stmt *loopBody(const clang::Stmt *Loop) {
  if (const auto *F = llvm::dyn_cast_or_null<clang::ForStmt>(Loop))
    return F->getBody();
  if (const auto *W = llvm::dyn_cast_or_null<clang::WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = llvm::dyn_cast_or_null<clang::DoStmt>(Loop))
    return D->getBody();
  if (const auto *R = llvm::dyn_cast_or_null<clang::CXXForRangeStmt>(Loop))
    return R->getBody();
  return nullptr;
}

/// The condition of a loop statement (what decides how often it runs), or
/// null: a range-for has none.
inline const clang::Expr *loopCondition(const clang::Stmt *Loop) {
  if (const auto *F = llvm::dyn_cast_or_null<clang::ForStmt>(Loop))
    return F->getCond();
  if (const auto *W = llvm::dyn_cast_or_null<clang::WhileStmt>(Loop))
    return W->getCond();
  if (const auto *D = llvm::dyn_cast_or_null<clang::DoStmt>(Loop))
    return D->getCond();
  return nullptr;
}

/// Calls Visit(Parent, Child) for each ancestor of S, innermost first, where
/// Child is the statement below Parent on the way up. Stops at the enclosing
/// function or lambda, or when Visit returns true; returns whether it did.
inline bool
walkUpInFunction(const clang::Stmt *S, clang::ASTContext &Ctx,
                 llvm::function_ref<bool(const clang::DynTypedNode &Parent,
                                         const clang::Stmt *Child)>
                     Visit) {
  clang::DynTypedNode Node = clang::DynTypedNode::create(*S);
  const clang::Stmt *Child = S;
  for (int Depth = 0; Depth < 128; ++Depth) {
    clang::DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return false;
    const clang::DynTypedNode &P = Parents[0];
    if ((P.get<clang::Decl>() && !P.get<clang::VarDecl>()) ||
        P.get<clang::LambdaExpr>())
      return false;
    if (Visit(P, Child))
      return true;
    if (const auto *PS = P.get<clang::Stmt>())
      Child = PS;
    Node = P;
  }
  return false;
}

} // namespace chanlint
