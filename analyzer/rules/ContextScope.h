// Finds a cancellable context visible where a statement runs: a Context
// parameter, local, structured binding, capture or member of the enclosing
// function or lambdas. Contexts made by chan::background() are never
// cancelled, so they do not count.
#pragma once

#include "../ApiIndex.h"

#include "clang/AST/ASTContext.h"

#include <optional>
#include <string>

namespace chanlint {

struct ScopedContext {
  const clang::ValueDecl *Decl = nullptr;
  std::string Spelling; ///< how to name it at the statement ("ctx", "ctx_")
};

std::optional<ScopedContext> contextInScope(const clang::Stmt *At,
                                            clang::ASTContext &Ctx,
                                            const ApiIndex &Api);

} // namespace chanlint
