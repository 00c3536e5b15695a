// The operations the analysis reasons about, as recognised in one function
// body: channel sends/receives/closes, selects, task spawns, waits, joins,
// deferred calls, ticker stops and calls into user code that may do any of
// these. One Op per CFG element at most, in evaluation order.
#pragma once

#include "AccessPath.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace chanlint {

struct SpawnerModel;

enum class OpKind : uint8_t {
  Send,       ///< blocking send
  TrySend,    ///< non-blocking send
  Recv,       ///< blocking receive
  TryRecv,    ///< non-blocking receive
  RangeRecv,  ///< range-for over a channel: receives until closed
  Close,
  Select,
  Spawn,      ///< starts a concurrent task
  Join,       ///< waits for the task(s) bound to a thread handle
  FutureWait, ///< waits for the task(s) bound to a future
  WgAdd,
  WgDone,
  WgWait,
  GroupWait,
  OnceCall,   ///< runs a callable at most once (maybe not here)
  DeferRun,   ///< a chan::Defer's callable, run at its scope exit
  TimerStop,  ///< stop() of a ticker or timer
  Cancel,     ///< completes a channel's waiting operations (Asio's cancel())
  Interrupt,  ///< interrupts the thread(s) of a handle or group (Boost.Thread)
  Call,       ///< a call into user code with a body
};

/// A callable that an op runs: a lambda body, a function, or a method with
/// its object, plus the arguments bound to its parameters.
struct Callable {
  const clang::FunctionDecl *Body = nullptr; ///< has a body when valid()
  const clang::LambdaExpr *Lambda = nullptr;
  const clang::Expr *Object = nullptr; ///< `this` for a member function
  llvm::SmallVector<const clang::Expr *, 4> Args;
  /// Extra object bound to the first parameter (Group::go passes a context).
  bool FirstParamIsGroupContext = false;
  /// Not resolved here: a parameter of the enclosing function holding the
  /// callable (`template <class F> void spawn_n(int n, F f) { go(f); }`);
  /// the call site's argument says what runs.
  const clang::ParmVarDecl *Param = nullptr;
  bool valid() const { return Body != nullptr; }
};

/// A callable stored into a container of callables (`fs.push_back([&] {
/// ... })`), which a spawn of the container's elements may start.
struct StoredCallable {
  Callable Target;
  const clang::Stmt *StoredAt = nullptr;
  /// The store runs in a loop: the container holds many copies.
  bool Repeated = false;
  /// The container is a member: the callable may have been made in another
  /// method of the same object.
  bool InMember = false;
};

struct SelectCase {
  enum class Kind : uint8_t { Recv, Send, Default };
  Kind K = Kind::Default;
  const clang::Expr *Channel = nullptr;
  const clang::Expr *Value = nullptr;
  const clang::Expr *Site = nullptr; ///< the recv_case/send_case call
  Callable Callback;
};

/// What a spawned task is bound to, so that a later join or wait ends it.
struct TaskHandle {
  const clang::ValueDecl *Var = nullptr; ///< std::thread t(...)
  const clang::Expr *Expr = nullptr;     ///< threads (container), g (group), lhs of `=`
  const clang::FieldDecl *ThisField = nullptr; ///< member initialiser worker_(...)
  bool Element = false; ///< the handle is an element of Var/Expr
};

struct Op {
  OpKind Kind = OpKind::Call;
  const clang::Stmt *Site = nullptr;  ///< the anchor (call, range-for, ...)
  const clang::Expr *Object = nullptr; ///< channel, wait group, thread, ticker...
  const clang::Expr *Value = nullptr;  ///< the value sent

  // Select
  llvm::SmallVector<SelectCase, 4> Cases;
  bool HasDefault = false;

  // Spawn / Call / OnceCall / DeferRun
  Callable Target;
  const SpawnerModel *Spawner = nullptr;
  TaskHandle Handle;
  /// Spawn of an element of a container of callables (`for (auto &f : fs)
  /// chan::go(f);`, Target unresolved): every callable stored into it, each
  /// started once per iteration over the container...
  std::vector<StoredCallable> StoredTargets;
  /// ...or, when the container is a parameter, what the call site's
  /// argument holds.
  const clang::ParmVarDecl *ContainerParam = nullptr;
  /// The spawn runs once per element: no loop but the one over the
  /// container encloses it in its function.
  bool OncePerElement = false;
  /// Waited for where it starts: std::async whose future is dropped at
  /// once, a co_spawn co_awaited at once (SpawnerModel::AwaitedTokens).
  bool Synchronous = false;

  // Call on a constructor: the object under construction.
  const clang::ValueDecl *ConstructedVar = nullptr;
  const clang::FieldDecl *ConstructedField = nullptr;

  // DeferRun / Join at scope exit: the variable going out of scope.
  const clang::VarDecl *ScopeVar = nullptr;

  /// Every callable the op runs or starts: its target, the callables
  /// stored into the container it starts the elements of, the callbacks of
  /// its select cases.
  template <typename Fn> void forEachCallable(Fn &&F) const {
    F(Target);
    for (const StoredCallable &S : StoredTargets)
      F(S.Target);
    for (const SelectCase &C : Cases)
      F(C.Callback);
  }

  bool InLoop = false; ///< the op's block is part of a cycle of its CFG
  /// The op acts on every element of Object (a join-all loop's exit).
  bool ObjectElements = false;
};

/// Where an op is in its FunctionIR.
struct OpLocation {
  unsigned Block = 0;
  unsigned Index = 0; ///< index into FunctionIR::Ops[Block]
};

/// A flow-insensitive fact that two paths denote the same object.
struct AliasFact {
  enum class Lhs : uint8_t { Var, Expr, ThisField, Return };
  Lhs Kind = Lhs::Var;
  const clang::ValueDecl *Var = nullptr;
  const clang::Expr *LhsExpr = nullptr;
  const clang::FieldDecl *Field = nullptr;
  llvm::SmallVector<PathStep, 2> Steps; ///< appended to the left side
  const clang::Expr *Rhs = nullptr;
  bool RhsElement = false; ///< the right side is an element of Rhs
};

} // namespace chanlint
