// What is known to hold just after an op, and how it prunes a walk of the
// function's paths: a branch whose condition the facts decide takes only
// the edge they select, until a step writes what the fact is about.
//
// The facts come from below the op: a select returned the index of the
// case whose callback ran; that callback (or a helper it called) left
// `running = false`, `state_ = State::stopping`, `stop_.store(true)`; a
// case on `ctx.done()` leaves `ctx.err()` other than "none"; a callee that
// cannot return normally leaves the op by a throw only. The walk also
// learns on its way: a step that stores a constant into a variable that
// some branch tests makes that value known (`running = false;` before the
// loop's `while (running)`).
#pragma once

#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace chanlint {
class ApiIndex;
class FunctionIR;
} // namespace chanlint

namespace chanlint::engine {

struct KnownAfter {
  /// A variable or member with a known integral value (bool, enum, int).
  struct Value {
    const clang::ValueDecl *Var = nullptr;
    int64_t V = 0;
  };
  /// `Object.Method()` is known to differ from V (`ctx.err() != none`).
  struct CallDiffers {
    const clang::ValueDecl *Object = nullptr;
    std::string Method;
    int64_t V = 0;
  };
  llvm::SmallVector<Value, 4> Values;
  llvm::SmallVector<CallDiffers, 1> Differs;
  /// The op's own call returned ResultValue (a select's chosen case); so
  /// does the local it was stored in, until that is written again.
  const clang::Expr *Result = nullptr;
  int64_t ResultValue = 0;
  /// The op is left only by an exception: the frame below cannot return
  /// normally after the event (ask on a graph with call edges).
  bool OnlyByThrow = false;
  /// Where the handle variable both ops reach their channel through gets
  /// a channel made after A: a new one stored into it, its declaration run
  /// again with one (or with a range-for's next element). A path through
  /// such a step reaches another object at B than A's, so it is cut there.
  struct Rebinding {
    const clang::ValueDecl *Handle = nullptr;
    /// The handle's own declaration is such a step.
    bool Declaration = false;
    /// Assignments into the handle that are.
    llvm::SmallPtrSet<const clang::Stmt *, 4> Stores;
  };
  Rebinding Rebinds;
};

/// The values known on one path: a slot per variable the walk tracks, and
/// whether the result and each difference still hold.
struct KnownState {
  llvm::SmallVector<std::optional<int64_t>, 8> Slots;
  bool Result = false;
  uint8_t Differs = 0;
  bool operator<(const KnownState &O) const {
    return std::tie(Slots, Result, Differs) < std::tie(O.Slots, O.Result, O.Differs);
  }
};

/// The facts of a KnownAfter on a function, what a condition evaluates to
/// under a state, and how a step changes the state.
class KnownValues {
public:
  /// Bounds that keep the walk's states few: variables tracked, differences.
  static constexpr unsigned MaxSlots = 16, MaxDiffers = 4;

  /// Fn: the function walked (where the select's result may be stored and
  /// which variables its branches test).
  KnownValues(const KnownAfter &K, const FunctionIR &IR);

  /// What holds just after the op: the facts, over what the steps before
  /// it in its block stored (`closed = true; out.close();`).
  KnownState initial(llvm::ArrayRef<const clang::Stmt *> Before = {}) const;
  /// What holds just after the op on a path that knew S (in the walk
  /// Earlier) just before it: the values S knew that this walk tracks too,
  /// less those Ran writes (what the op ran: a select's chosen callback),
  /// under the facts.
  KnownState carried(const KnownValues &Earlier, const KnownState &S,
                     const clang::Stmt *Ran) const;
  /// The truth of a condition, if the state decides it.
  std::optional<bool> truth(const clang::Expr *Cond, const KnownState &S) const;
  /// The integral value of an expression: a known variable, the result, a
  /// constant.
  std::optional<int64_t> value(const clang::Expr *E, const KnownState &S) const;
  /// The value of an expression that is itself known (the result, a known
  /// variable): what a `switch` on it selects.
  std::optional<int64_t> factValue(const clang::Expr *E, const KnownState &S) const;
  /// The state after a step's statement: a store of a constant makes it
  /// known, any other write (also by a callback or a helper the step runs)
  /// forgets it; a store of the op's own result makes the result known again.
  void after(const clang::Stmt *Step, KnownState &S) const;
  /// True if the step gives the handle a channel made after A
  /// (KnownAfter::Rebinds): the path ends there.
  bool replacesHandle(const clang::Stmt *Step) const;

private:
  /// Sets the facts' own values, result and differences into S.
  void applyFacts(KnownState &S) const;
  bool isResult(const clang::Expr *E, const KnownState &S) const;
  std::optional<unsigned> slotOf(const clang::Expr *E) const;
  bool differs(const clang::Expr *L, const clang::Expr *R,
               const KnownState &S) const;
  /// Variables a call step may write in the callables it runs: lambdas in
  /// its arguments, the direct callee's body.
  const llvm::SmallVector<const clang::ValueDecl *, 2> &
  writtenByCall(const clang::Stmt *Call) const;

  const KnownAfter &K;
  const ApiIndex &Api; ///< what an atomic's methods do
  clang::ASTContext &Ctx;
  const clang::ValueDecl *ResultVar = nullptr;
  llvm::SmallVector<const clang::ValueDecl *, 8> SlotVars;
  mutable llvm::DenseMap<const clang::Stmt *,
                         llvm::SmallVector<const clang::ValueDecl *, 2>>
      CallWrites;
};

} // namespace chanlint::engine
