// Where an exception thrown at a statement goes within its function: to the
// handlers of the enclosing try blocks that may catch it, and out of the
// function if none surely does; and which locals each way leaves (their
// Defer callables and destructors run, innermost first). Types decide when
// the thrown type is known: `throw std::runtime_error(..)` skips a
// `catch (const closed_channel_error &)`; a rethrow or a call may throw
// anything.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"

#include <vector>

namespace chanlint::engine {

struct UnwindTarget {
  /// The handler that receives the exception; null: it leaves the function.
  const clang::CXXCatchStmt *Handler = nullptr;
  /// Locals whose scope is left on the way, in destruction order.
  std::vector<const clang::VarDecl *> Left;
};

/// The ways an exception of type Thrown (null: unknown) raised at S leaves,
/// within the function or lambda body that holds S.
std::vector<UnwindTarget> unwindTargets(const clang::Stmt *S,
                                        clang::QualType Thrown,
                                        clang::ASTContext &Ctx);

/// True if a handler surely catches an exception of type Thrown.
bool handlerCatches(const clang::CXXCatchStmt *H, clang::QualType Thrown);

} // namespace chanlint::engine
