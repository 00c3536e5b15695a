// ApiIndex answers the ApiModel's questions about clang declarations and
// types: "is this type a channel?", "is this method a close?". It resolves
// names through canonical types and template patterns, so `using Jobs =
// chan::Chan<Job>` and `Chan<T>` inside templates are recognised.
#pragma once

#include "ApiModel.h"
#include "ModelFiles.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <optional>
#include <string>

namespace clang {
class CXXMethodDecl;
class SourceManager;
} // namespace clang

namespace chanlint {

/// What a handle type is, for the analysis.
enum class TypeRole : uint8_t {
  None,
  Channel,
  Ticker,
  Timer,
  WaitGroup,
  Group,
  Once,
  Defer,
  Context,
  CancelFunc,
  Thread,
  Future,
};

/// What a library method does.
enum class MethodRole : uint8_t {
  None,
  Send,
  TrySend,
  Recv,
  TryRecv,
  Close,
  View,       // sender()/receiver(): same channel
  WgAdd,
  WgDone,
  WgWait,
  GroupWait,
  GroupContext,
  OnceCall,
  TimerStop,  // stop() on a ticker or timer
  TimerReset,
  TimerChannel,
  TimerAsyncWait, // a wait that completes later (Asio's async_wait)
  Cancel,     // completes a channel's waiting operations, leaves it open
  ContextDone,
  ThreadJoin,
  ThreadDetach,
  ThreadJoinable, // tests whether the thread still has to be joined
  Interrupt,  // interrupts a thread, or every thread of a group
  FutureWait,
  Len,        // how many values the channel buffers (Go's len(ch))
};

/// What a library free function does.
enum class FunctionRole : uint8_t {
  None,
  MakeChannel,
  Select,
  RecvCase,
  SendCase,
  DefaultCase,
  NewTicker,
  NewTimer,
  After,
  Background,
  WithCancel,
};

/// What a member call does to a mutex or a lock guard (LockMethods).
/// LockShared: taken shared with other readers (also a shared guard's lock).
enum class LockRole : uint8_t { None, Lock, LockShared, Unlock, TryLock, GiveAway };

/// What a member call does to an atomic's value (AtomicMethods).
struct AtomicCall {
  enum class Kind : uint8_t { None, Load, Store, Update };
  Kind What = Kind::None;
  /// It writes and returns the old value: one caller sees each change.
  bool Claims = false;
  /// It subtracts its argument and returns the value before.
  bool CountsDown = false;
};

/// What a member call of an accessor yields (AccessorModel) or of a
/// container (ContainerModel::Element); Presence: it tests whether an
/// optional-like object holds a value.
enum class AccessRole : uint8_t { None, Object, Element, Presence };

/// What a container's method does with its arguments (ContainerModel):
/// puts them in, or builds the new element from all of them (Emplace, also
/// an insertion).
enum class InsertRole : uint8_t { None, Insert, Emplace };

/// What a library function does with what it is given (ValueFunctionModel):
/// hands back argument 0 moved or as given, a reference wrapper of it,
/// trades its arguments' values, or returns a value holding them (Pack).
enum class ValueRole : uint8_t { None, Move, Wrap, Exchange, Pack };

/// Resolves every active model at once: a type's qualified name picks the
/// model entry that describes it (a later model's entry wins over an
/// earlier one's, so a user model may refine a built-in type).
class ApiIndex {
public:
  explicit ApiIndex(ModelSet Models);

  const ModelSet &models() const { return Models; }

  /// The role of a type after stripping sugar, references, pointers and cv.
  TypeRole roleOf(clang::QualType T) const;
  /// The channel model for a channel type, or null.
  const ChannelTypeModel *channelModel(clang::QualType T) const;
  /// The model a handle type belongs to, or null.
  const ApiModel *modelOf(clang::QualType T) const;
  /// What a call of a channel's method does when the channel is already
  /// closed, as the channel's model says; null if it says nothing.
  const OnClosed *onClosed(const clang::Stmt *Call) const;
  /// The ticker or timer model of T, or null.
  const TimerModel *timerModel(clang::QualType T) const;
  /// A declaration of a scope guard named Guard that runs Action at scope
  /// exit, spelled as the model T belongs to says (its defers' fix); empty
  /// if that model has none.
  std::string deferFix(clang::QualType T, llvm::StringRef Guard,
                       llvm::StringRef Action) const;
  /// The element type of a channel, or null type (also for a completion
  /// signature with no element: Asio's `void(error_code)`).
  clang::QualType channelElementType(clang::QualType T) const;
  /// The error-value completion tokens of the models (ErrorValueTokens):
  /// true if T is one of them.
  bool isErrorValueToken(clang::QualType T) const;
  /// True if T, the type of a spawn's token argument, is one of the spawner's
  /// awaited_tokens: the spawn's result, co_awaited, waits for the task.
  bool isAwaitedToken(const SpawnerModel &S, clang::QualType T) const;
  /// The class (or class template) a completion token's type names,
  /// qualified; empty if T names none.
  std::string tokenName(clang::QualType T) const;
  /// True if the type is a std container-like class template whose
  /// template arguments contain a tracked handle type (vector<Chan<int>>).
  bool isContainerOfHandles(clang::QualType T) const;
  /// True if T is a class (not a library type) that has tracked members, directly
  /// or in nested members.
  bool holdsHandles(clang::QualType T) const;
  bool isTracked(clang::QualType T) const {
    return roleOf(T) != TypeRole::None || isContainerOfHandles(T) ||
           holdsHandles(T);
  }

  /// A channel whose values mean "stop" or "time is up" rather than data:
  /// empty element type (chan::Unit), time points, after(). A receive case
  /// on one guards a select.
  bool isSignalChannel(const clang::Expr *ChannelExpr) const;

  /// The context a channel expression is the done() channel of
  /// (`ctx.done()`), or null.
  const clang::Expr *contextOfDone(const clang::Expr *ChannelExpr) const;
  /// What a context's error method no longer returns once done() fired:
  /// the method's name and the "live" enumerator's value.
  struct LiveContextError {
    std::string Method;
    int64_t Value = 0;
  };
  std::optional<LiveContextError> liveContextError(clang::QualType Context) const;

  MethodRole roleOf(const clang::CXXMethodDecl *M) const;
  /// Role of a member call: its method's, or for a method a modelled type
  /// inherits from a base the model does not name (Asio's async_send, in
  /// a detail base of basic_channel), the role of that name on the type
  /// of the object it is called on.
  MethodRole roleOfCall(const clang::CXXMemberCallExpr *Call) const;
  /// Role of a member call written against a possibly dependent base type:
  /// used for uninstantiated template code.
  MethodRole roleOfMember(clang::QualType BaseType, llvm::StringRef Name) const;
  FunctionRole roleOf(const clang::FunctionDecl *F) const;
  /// The capacity argument of a channel's construction or of a call making
  /// one (CXXConstructExpr or CallExpr), or null: default (unbuffered).
  const clang::Expr *capacityArgument(const clang::Expr *Creation) const;
  /// The spawner a call or construction denotes, if any.
  const SpawnerModel *spawnerFor(const clang::FunctionDecl *Callee) const;
  const SpawnerModel *spawnerForConstruction(clang::QualType T) const;

  /// Library code is modelled, never analysed: declarations in the
  /// models' namespaces, and the members of modelled types.
  bool isLibraryDecl(const clang::Decl *D) const;
  /// A declaration of a library whose calls are modelled ops (chan,
  /// Boost.Fiber), not of one that may keep what it is given (std).
  bool isModelledApi(const clang::Decl *D) const;

  /// A handler of one of these types catches a send on a closed channel
  /// (the exceptions the models say a send throws then, with their bases).
  bool catchesClosedSend(const clang::CXXRecordDecl *Caught) const;

  /// The synchronisation the models name (SyncModel), of a type after
  /// sugar, references and cv (not through a pointer).
  bool isMutex(clang::QualType T) const;
  bool isLockGuard(clang::QualType T) const;
  /// A guard that excludes every other holder (not a shared/reader lock).
  bool isExclusiveLockGuard(clang::QualType T) const;
  bool isDeferredLockTag(clang::QualType T) const;
  bool isAtomic(clang::QualType T) const;
  /// What a call of a mutex's or a lock guard's method does to the lock,
  /// as the model naming the type says (mutex_methods, guard_methods).
  LockRole lockRoleOf(const clang::CXXMemberCallExpr *Call) const;
  /// What a call of an atomic's method does to its value (atomic_methods).
  AtomicCall atomicCallOf(const clang::CXXMemberCallExpr *Call) const;
  /// What a call of an accessor's or a container's method yields
  /// (accessors, containers' element).
  AccessRole accessRoleOf(const clang::CXXMemberCallExpr *Call) const;
  /// A container's element method called with an index or key
  /// (`v.at(i)`, `m.at(k)`), as the models' containers say.
  bool isIndexedElement(const clang::CXXMemberCallExpr *Call) const;
  /// What a call of a container's method does with its arguments
  /// (containers' insert and emplace).
  InsertRole insertRoleOf(const clang::CXXMemberCallExpr *Call) const;
  /// How many elements a container type holds when its type fixes it
  /// (std::array<T, 4>: 4, a containers entry's size_argument).
  std::optional<uint64_t> fixedSize(clang::QualType T) const;
  /// A call of operator() that runs a callable unknown where the call is
  /// written (opaque_callables: std::function, std::bind's result).
  bool callsOpaqueCallable(const clang::CXXMethodDecl *Callee) const;
  /// A constant that stands for an empty optional-like object
  /// (`std::nullopt`: an accessor's `empty`).
  bool isEmptyValue(const clang::Expr *E) const;
  /// What a function does with its arguments, as the models'
  /// value_functions say (std::move, std::ref, std::swap).
  ValueRole valueRoleOf(const clang::FunctionDecl *F) const;
  /// The argument a one-argument call of a `moves` or `wraps` function
  /// hands back (`std::move(x)`, `boost::ref(x)`: x), or the one a
  /// `wraps_argument` function wraps (`bind_executor(ex, h)`: h); null for
  /// any other call.
  const clang::Expr *passedThrough(const clang::CallExpr *Call) const;
  /// The argument a one-argument call of one of the models' moves hands on
  /// (`std::move(x)`, `std::forward<T>(x)`: x); null for any other call.
  const clang::Expr *movedArgument(const clang::CallExpr *Call) const;
  /// A call of a channel's method that its model says is an interruption
  /// point (`interruptible`): interrupting the thread ends its wait.
  bool isInterruptionPoint(const clang::Stmt *Call) const;

  /// A library function (by its unqualified name) that may wait: of the
  /// standard library, or of the C library and the system (read, sleep).
  bool isBlockingLibraryFunction(llvm::StringRef Name) const;
  /// A function of a modelled library that its own model says may wait
  /// (`blocking_functions`: boost::this_fiber::sleep_for).
  bool isBlockingLibraryCall(const clang::FunctionDecl *F) const;

  /// "ns::Class::method" without inline namespaces or template arguments.
  std::string qualifiedName(const clang::NamedDecl *D) const;

private:
  /// What the models say about one qualified type name.
  struct TypeEntry {
    TypeRole Role = TypeRole::None;
    const ApiModel *Model = nullptr;
    const ChannelTypeModel *Channel = nullptr;
    const WaitGroupModel *WaitGroup = nullptr;
    const GroupModel *Group = nullptr;
    const OnceModel *Once = nullptr;
    const TimerModel *Timer = nullptr;
    const ContextModel *Context = nullptr;
    const ThreadModel *Thread = nullptr;
    const FutureModel *Future = nullptr;
  };
  void add(const ApiModel &M);
  void addFunction(const std::string &Name, FunctionRole Role, const ApiModel &M);
  const TypeEntry *entryOf(clang::QualType T) const;
  const clang::NamedDecl *typeDecl(clang::QualType T) const;
  /// The model whose library D belongs to; Library is set for any library
  /// code (also the standard library's implementation namespaces).
  const ApiModel *libraryModelOf(const clang::Decl *D, bool &Library) const;
  const ApiModel *modelledRecordOf(const clang::Decl *D) const;
  /// What the models' sync and accessors sections say about one type name:
  /// kept apart from TypeEntry, since none of these is a tracked handle.
  struct SupportEntry {
    /// The last model naming the type: its members are that library's code.
    const ApiModel *Model = nullptr;
    /// The model whose sync section names the type (the last one to).
    const ApiModel *SyncFrom = nullptr;
    bool Mutex = false, Guard = false, SharedGuard = false, DeferredTag = false,
         Atomic = false;
    const AccessorModel *Accessor = nullptr;
    const ContainerModel *Container = nullptr;
  };
  void addSupport(const ApiModel &M);
  void addValueFunctions(const ApiModel &M);
  /// The entry of the record type T (references and sugar aside), or null.
  const SupportEntry *supportEntryOf(clang::QualType T) const;
  /// The entry that describes a member call: the method's class's, else
  /// that of the object's own type (std::atomic<int>'s fetch_sub and a
  /// shared_ptr's get() are declared in implementation bases).
  const SupportEntry *supportEntryOf(const clang::CXXMemberCallExpr *Call) const;
  static bool contains(const std::vector<std::string> &V, llvm::StringRef S);

  ModelSet Models;
  llvm::StringMap<TypeEntry> Types;
  llvm::StringMap<FunctionRole> Functions;
  llvm::StringMap<const MakeChannelModel *> MakeChannels;
  llvm::StringMap<const ApiModel *> FunctionModels;
  llvm::StringMap<const SpawnerModel *> CallSpawners, ConstructorSpawners;
  llvm::StringMap<const ApiModel *> LibraryNamespaces;
  llvm::StringMap<SupportEntry> SupportTypes;
  /// What a value function does, and which argument it hands on when that
  /// is not its only one (wraps_argument).
  struct ValueFunction {
    ValueRole Role = ValueRole::None;
    std::optional<unsigned> Argument;
  };
  ValueFunction valueFunctionOf(const clang::FunctionDecl *F) const;
  llvm::StringMap<ValueFunction> ValueFunctions;
  mutable llvm::DenseMap<const clang::FunctionDecl *, ValueFunction> ValueRoleCache;
  llvm::StringSet<> ClosedSendErrors, BlockingFunctions, SignalElements,
      ErrorValueTokens, EmptyValues, OpaqueCallables;
  /// Every model's containers' insert and emplace methods, by name.
  llvm::StringSet<> InsertMethods;
  mutable llvm::DenseMap<const clang::Decl *, std::string> NameCache;
  mutable llvm::DenseMap<const clang::Type *, const TypeEntry *> EntryCache;
  mutable llvm::DenseMap<const clang::Decl *, std::pair<bool, const ApiModel *>>
      LibraryCache;
  mutable llvm::DenseMap<const clang::Type *, bool> HoldsCache;
};

} // namespace chanlint
