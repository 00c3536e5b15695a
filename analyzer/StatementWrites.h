// What a statement writes, in one place for the engine and every rule:
// which variable or member an expression names, what a statement stores
// there, and whether a statement (or a helper it calls) may change one of a
// set of variables. Flags and states are plain variables, members or
// atomics; all of them are read and written the same way here, an atomic's
// methods as its model says (ApiIndex::atomicCallOf).
#pragma once

#include "ApiIndex.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace chanlint {

/// The expression as written: without implicit casts, parentheses and
/// implicit temporaries.
const clang::Expr *asWritten(const clang::Expr *E);

/// The value of an integral or enumeration constant expression (`false`,
/// `2`, `State::stopped`), if it is one.
std::optional<int64_t> integerConstant(const clang::Expr *E, clang::ASTContext &Ctx);

/// The variable or member an expression names: `running`, `this->stop_`,
/// `s.closed`; through an atomic's `load()` or its conversion to the value.
const clang::ValueDecl *namedVariable(const ApiIndex &Api, const clang::Expr *E);

/// A store a statement performs at its top (not in its children).
struct Store {
  const clang::ValueDecl *Target = nullptr;
  const clang::Expr *Value = nullptr; ///< null for ++, --, fetch_add, ...
  /// A plain store of Value (`=`, a declaration's initialiser, an atomic's
  /// store() or exchange()) rather than an update of the old value.
  bool Plain = false;
};
std::optional<Store> storeOf(const ApiIndex &Api, const clang::Stmt *S);

/// Every variable and member S mentions.
void namedVariables(const clang::Stmt *S,
                    llvm::DenseSet<const clang::ValueDecl *> &Out);

/// Every reference to V in S, in the lambdas written in S too.
void referencesTo(const clang::Stmt *S, const clang::ValueDecl *V,
                  llvm::SmallVectorImpl<const clang::DeclRefExpr *> &Out);

/// True if S, or one of its children, stores into one of the variables.
bool storesToOneOf(const ApiIndex &Api, const clang::Stmt *S,
                   const llvm::DenseSet<const clang::ValueDecl *> &Vars);

/// True if S may change one of the variables: a store, a non-const method
/// call on it (`q.pop_front()`), handing it by non-const reference
/// (`std::swap(a, b)`), or a helper with a body outside system headers that
/// does one of those (up to a few calls deep: members and globals are the
/// same declarations there).
bool mayChangeOneOf(const ApiIndex &Api, const clang::Stmt *S,
                    const llvm::DenseSet<const clang::ValueDecl *> &Vars);

} // namespace chanlint
