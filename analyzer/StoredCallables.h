// Tasks held in containers: callables stored into a container of
// callables (`std::vector<std::function<void()>>`, `std::array`, the values
// of a `std::map`) and started by iterating it:
//
//   std::vector<std::function<void()>> fs;
//   fs.push_back([&] { produce(a); });
//   fs.emplace_back([&] { produce(b); });
//   for (auto &f : fs) chan::go(f);      // two tasks, one per stored lambda
//
// A spawn whose callable is the element the enclosing loop visits (a
// range-for variable or structured binding, `fs[i]`/`fs.at(i)` with the
// loop's index) may start every callable stored into that container: in
// the function that owns it (a local), in every method of its class (a
// member of `this`), or, for a parameter, in the caller (bound later, by
// the program model). Element access outside such a loop (`go(fs[0])`) is
// not resolved: it starts one callable nobody can name.
#pragma once

#include "Operation.h"

#include "clang/AST/ASTContext.h"

#include <vector>

namespace chanlint {

class OpRecognizer;

/// The container a spawned callable is an element of.
struct ElementOf {
  const clang::ValueDecl *Container = nullptr; ///< local, parameter or field
  const clang::Stmt *Loop = nullptr;           ///< the loop that visits it
};

class StoredCallables {
public:
  explicit StoredCallables(const OpRecognizer &R);

  /// The container whose element Callee is, at the spawn Site, if the loop
  /// around Site visits its elements.
  std::optional<ElementOf> elementOf(const clang::Expr *Callee,
                                     const clang::Stmt *Site) const;
  /// True if no loop but Loop encloses Site in its function: each element
  /// is started once.
  bool oncePerElement(const clang::Stmt *Site, const clang::Stmt *Loop) const;
  /// Every callable stored into a local or a field (for a field: in every
  /// method and initializer of its class). Parameters hold what their
  /// caller passed: none here.
  std::vector<StoredCallable> storedInto(const clang::ValueDecl *Container) const;
  /// The container an expression names (`fs`, `this->fs_`), if any.
  const clang::ValueDecl *containerNamed(const clang::Expr *E) const;

private:
  void storesIn(const clang::Stmt *S, const clang::ValueDecl *Container,
                std::vector<StoredCallable> &Out) const;
  void callablesIn(const clang::Expr *E, const clang::Stmt *StoredAt,
                   std::vector<StoredCallable> &Out) const;
  bool inLoop(const clang::Stmt *S) const;

  const OpRecognizer &R;
  clang::ASTContext &Ctx;
};

} // namespace chanlint
