// Which mutexes are held at each op of a function body: a forward dataflow
// on the engine over the locking idioms the library models describe (their
// sync section: a mutex's lock and unlock methods, a try-lock on the branch
// where it succeeded; guards such as std::lock_guard, std::unique_lock with
// its own unlock()/lock() and std::defer_lock, std::scoped_lock, or an
// in-house SpinLockHolder taking a pointer, released at every scope exit, a
// throw's included). "Is a lock held here" on every path (must) or on some
// path (may).
#pragma once

#include "FlowGraph.h"

#include "../FunctionIR.h"

#include "clang/AST/Decl.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

namespace chanlint::engine {

class HeldLocks {
public:
  /// A mutex, as the declaration it is named by (a local, a parameter, a
  /// global or a member).
  using Mutex = const clang::ValueDecl *;

  explicit HeldLocks(const FunctionIR &IR);

  /// Mutexes held on every path to op L.
  std::set<Mutex> mustHold(OpLocation L) const;
  /// Mutexes held on some path to op L.
  std::set<Mutex> mayHold(OpLocation L) const;

  /// The guard variable (lock_guard, unique_lock, ...) that holds M at op L
  /// on every path, or null (a plain `lock()`, or different guards).
  const clang::VarDecl *guardOf(OpLocation L, Mutex M) const;

  /// For one path: mutexes held, and which guard variable holds which.
  struct State {
    bool Reached = false;
    std::set<Mutex> Held;
    std::map<const clang::VarDecl *, std::vector<Mutex>> Guards;
    bool operator==(const State &) const = default;
  };

private:
  std::map<std::pair<unsigned, unsigned>, std::pair<State, State>> AtOp; ///< must, may
};

} // namespace chanlint::engine
