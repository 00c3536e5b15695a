// The API model: which types and calls of a channel library mean send,
// receive, close, select, spawn, wait, stop... The analyzer never looks at
// spellings in user code; it asks the models about the declarations that
// calls and types resolve to, so aliases, wrappers and templates are seen
// through.
//
// A model is data: one JSON file per library (models/*.json, format in
// docs/models.md), read by ModelLoader into this in-memory form. The
// built-in ones are compiled in (builtinModels()); users add their own
// (ModelFiles.h). All are active at once: a type picks its model.
#pragma once

#include <cstdint>
#include <optional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace chanlint {

using Names = std::vector<std::string>;

/// What one method does when the channel is already closed.
struct OnClosed {
  enum class Kind : uint8_t { Throws, Returns, Hangs, NoOp };
  Kind What = Kind::Throws;
  /// Throws: the exception types a handler may name (the error and its
  /// bases): a call in a try block catching one of them is prepared.
  Names Exceptions;
  /// Returns: what it returns then ("false", "nullopt", an enumerator).
  std::string Value;
};

/// A method name and what it does on a closed channel.
struct ClosedBehaviour {
  std::string Method;
  OnClosed Does;
};

/// A channel-like class (template): its handle's directions, where its
/// element type and capacity are, what its methods do.
struct ChannelTypeModel {
  std::string QualifiedName; // e.g. "chan::Chan"
  bool CanSend = true;
  bool CanRecv = true;
  unsigned ElementArg = 0;             // template argument
  /// The template argument at ElementArg is a completion signature
  /// (Asio's `void(error_code, T)`): the parameter that holds the element.
  /// None: the argument is the element type itself.
  std::optional<unsigned> ElementSignatureParam;
  std::optional<unsigned> CapacityArg; // constructor argument; none: unbuffered
  /// The argument of a send method that holds the value (Asio: 1, after
  /// the error code).
  unsigned ValueArg = 0;
  /// Send, TrySend, ... are the methods with that role; Cancel completes
  /// every waiting operation with an error and leaves the channel open.
  Names Send, TrySend, Recv, TryRecv, Close, Cancel, View;
  /// Methods that may wait for the other side, and those that return at
  /// once and complete later (a handler or an awaitable).
  Names Blocking, Asynchronous;
  /// Methods whose calls still waiting when the channel is closed stay
  /// waiting: close() does not complete them, only a Cancel method does
  /// (Asio's async_send).
  Names CloseLeavesPending;
  /// Blocking methods that are interruption points: a call waiting in one
  /// ends with an exception that ends the thread quietly when the thread's
  /// owner interrupts it (Boost.Thread's push_back on a full queue, after
  /// thread::interrupt(): ThreadModel::Interrupt).
  Names Interruptible;
  /// Methods that return how many values are buffered (Go's `len(ch)`): a
  /// loop that ends when it is zero drains the channel without waiting.
  Names Len;
  /// What send / receive / close methods do on a closed channel.
  std::vector<ClosedBehaviour> OnClosedCalls;
  /// The library lets the receiving side close by design: the sender sees
  /// a status, nothing breaks.
  bool ReceiverMayClose = false;
  /// Fix-it: a task that closes the channel once every sender is done.
  /// Placeholders: {capture} {wait_group} {channel}.
  std::string CloseAfterWaitFix;

  /// What Method does on a closed channel, or null if the model says nothing.
  const OnClosed *onClosed(const std::string &Method) const;
};

/// A way of starting a concurrent task.
struct SpawnerModel {
  enum class Form : uint8_t { FreeFunction, Method, Constructor };
  Form Kind = Form::FreeFunction;
  std::string QualifiedName;   // function, method ("chan::Group::go") or class
  unsigned CallableArg = 0;    // index of the callable among the arguments
  bool SkipLaunchPolicy = false; // std::async(policy, f, args...)
  bool WaitsWhenDiscarded = false; // std::async's future waits in its destructor
  bool PassesContext = false;  // the callable receives the group's context
  bool JoinsOnDestruction = false; // std::jthread
  bool CountsOnObject = false;     // WaitGroup::go: the task reports to it
  /// The task runs on the starting thread's cooperative scheduler (a
  /// Boost fiber): tasks of one thread take turns and switch only where
  /// they suspend, so a plain decrement-and-test is never interleaved.
  bool Cooperative = false;
  /// The callable is the last argument, whatever the count (Asio's
  /// post(handler) and post(executor, handler)); CallableArg is ignored.
  bool CallableIsLast = false;
  /// The argument may also be an awaitable made by calling a coroutine
  /// (`co_spawn(ex, produce(ch), detached)`): the task runs that call.
  bool AcceptsAwaitable = false;
  /// Completion tokens (class or class template names) that make the
  /// spawn's result something to await for the task's end (Asio's
  /// use_awaitable_t, deferred_t). The token is the argument after the
  /// task; a spawn with one whose result is co_awaited at once is waited
  /// for there.
  Names AwaitedTokens;
};

/// A free function that returns a fresh channel ("chan::make_chan").
struct MakeChannelModel {
  std::string Function;
  std::optional<unsigned> CapacityArg;
};

/// A select function and its case makers.
struct SelectModel {
  std::string Function, RecvCase, SendCase, DefaultCase;
};

struct WaitGroupModel {
  std::string Type;
  Names Add, Done, Wait;
};

struct GroupModel {
  std::string Type;
  Names Wait, Context;
  /// Interrupts every thread of the group (thread_group::interrupt_all),
  /// as ThreadModel::Interrupt does one.
  Names Interrupt;
};

struct OnceModel {
  std::string Type;
  Names Call;
};

/// A scope guard running a callable at scope exit.
struct DeferModel {
  std::string Type;
  /// Fix-it declaring one: placeholders {guard} (a variable name) and
  /// {action} (a call expression).
  std::string Fix;
};

/// A ticker (fires repeatedly) or a timer (fires once).
struct TimerModel {
  std::string Type;
  Names New;   // functions returning one
  Names After; // functions returning only its channel
  Names Stop, Reset, Channel;
  /// Methods that start an asynchronous wait (Asio's async_wait): its
  /// completion, a handler or the code after `co_await`, runs when the
  /// timer expires or, with an error, when it is cancelled. A completion
  /// that starts the wait again on every path never lets the timer stop.
  Names AsyncWait;
};

/// A coroutine type whose cancellation can end the coroutine's loops by
/// itself (Asio's awaitable): once its cancellation is requested, its next
/// co_await throws, unless the coroutine turns that off or clears the
/// request.
struct CoroutineModel {
  std::string Type;
  /// Once cancellation was requested, the next co_await throws (by default).
  bool CancelledAwaitThrows = false;
  /// Functions that, awaited with `false`, turn the throw off (Asio's
  /// this_coro::throw_if_cancelled).
  Names ThrowIfCancelled;
  /// Functions that clear a requested cancellation, so that the next
  /// co_await does not throw (this_coro::reset_cancellation_state).
  Names ResetCancellation;
};

struct ContextModel {
  std::string Type;
  std::string CancelFuncType;
  Names Done;
  /// Once done() has fired, these methods no longer return the enumerator
  /// named LiveError (`ctx.err() != ContextError::none`).
  Names ErrorMethods;
  std::string LiveError;
  Names Background, WithCancel;
};

/// std::thread-like: join ends the task.
struct ThreadModel {
  std::string Type;
  Names Join, Detach;
  /// Tests whether the thread still has to be joined: false once it was
  /// joined or detached (joinable).
  Names Joinable;
  /// Asks the thread to stop: its next or current wait in an interruption
  /// point (ChannelTypeModel::Interruptible) throws, and the exception ends
  /// the thread quietly (Boost.Thread's interrupt()).
  Names Interrupt;
};

/// std::future-like: get/wait end a task started by async.
struct FutureModel {
  std::string Type;
  Names Wait;
};

/// What the methods of a model's mutexes and lock guards do to the lock.
struct LockMethods {
  /// Take the lock, waiting for it (lock).
  Names Lock;
  /// Take it shared with other readers, waiting for it (lock_shared).
  Names LockShared;
  /// Give it back (unlock, unlock_shared).
  Names Unlock;
  /// Take it only if it is free, returning whether it did (try_lock): the
  /// lock is held on the branch where the call's result is true.
  Names TryLock;
  /// Guards only: hand the mutex to another owner without unlocking it
  /// (unique_lock::release, swap); the guard no longer says who holds it.
  Names GiveAway;
};

/// What the methods of a model's atomics do to the value. A conversion to
/// the value type reads it too, and the assignment and increment operators
/// write it, as on any variable.
struct AtomicMethods {
  Names Load;   ///< read the value (load)
  Names Store;  ///< replace it by argument 0 (store, exchange)
  Names Update; ///< change it from its old value (fetch_add, compare_exchange_weak)
  /// Write and return the old value in one step, so that of several
  /// callers exactly one sees a given change (exchange, test_and_set).
  Names Claim;
  /// Subtract argument 0 and return the value before (fetch_sub): the
  /// caller that sees 1 took the counter to zero.
  Names CountDown;
};

/// Synchronisation the lock analysis and rules recognise.
struct SyncModel {
  Names Mutexes;
  LockMethods MutexMethods;
  Names LockGuards;
  /// Guards among LockGuards that share the mutex with other readers.
  Names SharedLockGuards;
  LockMethods GuardMethods;
  /// Tag types whose guard constructor does not lock (std::defer_lock_t).
  Names DeferredLockTags;
  Names Atomics;
  AtomicMethods AtomicOps;
  /// Library functions (by unqualified name, in the library namespaces)
  /// that may wait: sleep_for, condition_variable::wait, join...
  Names BlockingFunctions;
};

/// A class whose methods yield an object it holds or refers to, which the
/// analysis takes for that object (a smart pointer's get(), optional's
/// value(), shared_from_this()). An optional-like class also says how its
/// presence is tested (has_value()) and which constants stand for an empty
/// one (std::nullopt): what a receive's result is tested with.
struct AccessorModel {
  std::string Type;
  Names Object, Presence, Empty;
};

/// A container class (template): how values get into it and out again, so
/// that the analysis follows the channels, threads and callables it holds
/// (a container's elements are one object to the analysis, whichever).
struct ContainerModel {
  std::string Type;
  /// Methods that put their arguments, or a value made of them, into the
  /// container (push_back, insert, try_emplace).
  Names Insert;
  /// Methods that construct the new element in place from all their
  /// arguments (emplace_back(f, x) builds T(f, x)); insertions too. Of a
  /// container of threads, they start a task.
  Names Emplace;
  /// Methods that return one of its elements (front, top, at); called with
  /// one argument, an index or key (`v.at(i)`, as `v[i]`).
  Names Element;
  /// The template argument that fixes how many elements there are
  /// (std::array<T, N>: 1), if one does.
  std::optional<unsigned> SizeArgument;
};

/// Library functions that hand on what they are given, by their qualified
/// names: the analysis sees through them, or takes what they are given as
/// changing hands.
struct ValueFunctionModel {
  /// Return argument 0 as an rvalue, or as it was given (std::move,
  /// std::forward): the object itself, which changes hands when the result
  /// is an rvalue.
  Names Moves;
  /// Return a reference wrapper of argument 0 (std::ref, boost::ref): the
  /// object itself, shared.
  Names Wraps;
  /// Trade or replace the values of their arguments (std::swap,
  /// std::exchange): what an argument held changes hands.
  Names Exchanges;
  /// Return the argument at Argument with something attached that does not
  /// change what it runs (Asio's bind_executor(ex, handler): argument 1):
  /// the callable itself, as a wrap.
  struct WrappedArgument {
    std::string Function;
    unsigned Argument = 0;
  };
  std::vector<WrappedArgument> WrapsArgument;
  /// Return a value that holds their arguments (std::make_pair, std::bind,
  /// std::make_shared): a callable handed to one is stored with the result.
  Names Packs;
};

struct ApiModel {
  std::string Name;
  /// Where it came from ("models/chan.json", a user's path): for messages.
  std::string Source;
  /// Namespaces whose functions are modelled, never analysed as user code
  /// ("chan", "boost::fibers"). The members of modelled types are library
  /// code too, wherever they are declared.
  Names LibraryNamespaces;
  /// Its functions may keep what they are given where the analysis does not
  /// look (std's containers, std::function): a handle passed to one is not
  /// accounted for, where a call of a channel library is a modelled op.
  bool KeepsArguments = false;

  std::vector<ChannelTypeModel> Channels;
  std::vector<MakeChannelModel> MakeChannels;
  std::vector<SelectModel> Selects;
  std::vector<SpawnerModel> Spawners;
  std::vector<WaitGroupModel> WaitGroups;
  std::vector<GroupModel> Groups;
  std::vector<OnceModel> Onces;
  std::vector<DeferModel> Defers;
  std::vector<TimerModel> Tickers, Timers;
  std::vector<ContextModel> Contexts;
  std::vector<ThreadModel> Threads;
  std::vector<CoroutineModel> Coroutines;
  std::vector<FutureModel> Futures;
  SyncModel Sync;
  std::vector<AccessorModel> Accessors;
  std::vector<ContainerModel> Containers;
  ValueFunctionModel ValueFunctions;
  /// Classes (templates) whose operator() runs a callable they hold that is
  /// not known where the call is written (std::function, std::bind's
  /// result): such a call may wait.
  Names OpaqueCallables;
  /// Element types of channels that carry "stop" or "time is up" rather
  /// than data (std::chrono::time_point): a receive on one guards a select.
  Names SignalElementTypes;
  /// Completion token types (class templates) that hand an asynchronous
  /// operation's error to the awaiting code as a value instead of throwing
  /// it (Asio's redirect_error_t, as_tuple_t): `co_await` of an operation
  /// completing with one does not leave on cancellation by itself.
  Names ErrorValueTokens;
};

/// A model's fix-it template with its {placeholders} replaced by Values;
/// other braces stay as written.
std::string fillTemplate(const std::string &Template,
                         std::initializer_list<std::pair<const char *, std::string>> Values);

/// The built-in models (models/*.json, compiled in), parsed once.
const std::vector<ApiModel> &builtinModels();

} // namespace chanlint
