#include "ModelLoader.h"

#include "llvm/ADT/STLExtras.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <set>

using nlohmann::json;

namespace chanlint {

namespace {

/// The first problem found, where: the JSON path of the key ("channels[0].send").
struct Problem {
  std::string Key, What;
};

/// Reads one JSON object into fields, checking types and keys as it goes.
/// Every field a section knows is registered with its reader; whatever is
/// left over is an unknown key.
class ObjectReader {
public:
  ObjectReader(const json &J, std::string Path, std::optional<Problem> &Err)
      : J(J), Path(std::move(Path)), Err(Err) {
    if (!Err && !J.is_object())
      fail(this->Path, "must be an object");
  }

  std::string at(llvm::StringRef Key) const {
    return Path.empty() ? Key.str() : Path + "." + Key.str();
  }

  const std::string &path() const { return Path; }
  bool ok() const { return !Err; }

  void string(llvm::StringRef Key, std::string &Out, bool Required = false) {
    const json *V = field(Key, Required);
    if (!V)
      return;
    if (!V->is_string() || V->get_ref<const std::string &>().empty())
      return fail(at(Key), "must be a non-empty string");
    Out = V->get<std::string>();
  }

  void names(llvm::StringRef Key, Names &Out) {
    const json *V = field(Key, false);
    if (!V)
      return;
    if (!V->is_array())
      return fail(at(Key), "must be an array of strings");
    for (size_t I = 0; I < V->size(); ++I) {
      const json &E = (*V)[I];
      if (!E.is_string() || E.get_ref<const std::string &>().empty())
        return fail(at(Key) + "[" + std::to_string(I) + "]",
                    "must be a non-empty string");
      Out.push_back(E.get<std::string>());
    }
  }

  void flag(llvm::StringRef Key, bool &Out) {
    const json *V = field(Key, false);
    if (!V)
      return;
    if (!V->is_boolean())
      return fail(at(Key), "must be true or false");
    Out = V->get<bool>();
  }

  void index(llvm::StringRef Key, unsigned &Out) {
    std::optional<unsigned> I;
    optionalIndex(Key, I);
    if (I)
      Out = *I;
  }

  /// An argument index, or null for "none".
  void optionalIndex(llvm::StringRef Key, std::optional<unsigned> &Out) {
    const json *V = field(Key, false);
    if (!V || V->is_null())
      return;
    if (!V->is_number_unsigned() || V->get<uint64_t>() > 64)
      return fail(at(Key), "must be an argument index from 0 to 64, or null");
    Out = unsigned(V->get<uint64_t>());
  }

  /// One of Choices, stored as its position.
  template <typename E>
  void choice(llvm::StringRef Key, E &Out,
              std::initializer_list<std::pair<const char *, E>> Choices,
              bool Required = false) {
    const json *V = field(Key, Required);
    if (!V)
      return;
    std::string Allowed;
    for (const auto &[Name, Value] : Choices) {
      if (V->is_string() && V->get_ref<const std::string &>() == Name) {
        Out = Value;
        return;
      }
      Allowed += (Allowed.empty() ? "\"" : ", \"") + std::string(Name) + "\"";
    }
    fail(at(Key), "must be one of " + Allowed);
  }

  /// An array of objects, each read by Read(reader, element).
  template <typename T>
  void objects(llvm::StringRef Key, std::vector<T> &Out,
               const std::function<void(ObjectReader &, T &)> &Read) {
    const json *V = field(Key, false);
    if (!V)
      return;
    if (!V->is_array())
      return fail(at(Key), "must be an array of objects");
    for (size_t I = 0; I < V->size() && ok(); ++I) {
      ObjectReader R((*V)[I], at(Key) + "[" + std::to_string(I) + "]", Err);
      T Item;
      if (R.ok())
        Read(R, Item);
      R.finish();
      Out.push_back(std::move(Item));
    }
  }

  /// An object read by Read(reader).
  void object(llvm::StringRef Key, const std::function<void(ObjectReader &)> &Read) {
    const json *V = field(Key, false);
    if (!V)
      return;
    ObjectReader R(*V, at(Key), Err);
    if (R.ok())
      Read(R);
    R.finish();
  }

  /// Each member of the object at Key, by name: for maps keyed by user names.
  void members(llvm::StringRef Key,
               const std::function<void(const std::string &, ObjectReader &)> &Read) {
    const json *V = field(Key, false);
    if (!V)
      return;
    if (!V->is_object())
      return fail(at(Key), "must be an object");
    for (auto It = V->begin(); It != V->end() && ok(); ++It) {
      ObjectReader R(It.value(), at(Key) + "." + It.key(), Err);
      if (R.ok())
        Read(It.key(), R);
      R.finish();
    }
  }

  /// Call when every field was read: any other key is unknown.
  void finish() {
    if (Err || !J.is_object())
      return;
    for (auto It = J.begin(); It != J.end(); ++It)
      if (!Known.count(It.key()) && It.key() != "description") {
        std::string Expected;
        for (const std::string &K : Known)
          Expected += (Expected.empty() ? "" : ", ") + K;
        return fail(at(It.key()), "unknown key (known here: " + Expected + ")");
      }
  }

  void fail(const std::string &Key, std::string What) {
    if (!Err)
      Err = Problem{Key.empty() ? "(top level)" : Key, std::move(What)};
  }

  /// The keys present among Keys: for "exactly one of".
  unsigned countPresent(std::initializer_list<const char *> Keys) const {
    unsigned N = 0;
    for (const char *K : Keys)
      N += J.is_object() && J.contains(K);
    return N;
  }

private:
  const json *field(llvm::StringRef Key, bool Required) {
    Known.insert(Key.str());
    if (Err || !J.is_object())
      return nullptr;
    auto It = J.find(Key.str());
    if (It == J.end()) {
      if (Required)
        fail(at(Key), "is required");
      return nullptr;
    }
    return &*It;
  }

  const json &J;
  std::string Path;
  std::optional<Problem> &Err;
  std::set<std::string> Known;
};

void readOnClosed(ObjectReader &R, OnClosed &Out) {
  if (R.countPresent({"throws", "returns", "hangs", "no_op"}) != 1)
    return R.fail(R.path(), "must have exactly one of \"throws\", \"returns\", "
                            "\"hangs\", \"no_op\"");
  Names Throws;
  R.names("throws", Throws);
  if (!Throws.empty()) {
    Out.What = OnClosed::Kind::Throws;
    Out.Exceptions = std::move(Throws);
  }
  std::string Returns;
  R.string("returns", Returns);
  if (!Returns.empty()) {
    Out.What = OnClosed::Kind::Returns;
    Out.Value = std::move(Returns);
  }
  bool Hangs = false, NoOp = false;
  R.flag("hangs", Hangs);
  R.flag("no_op", NoOp);
  if (Hangs)
    Out.What = OnClosed::Kind::Hangs;
  if (NoOp)
    Out.What = OnClosed::Kind::NoOp;
}

void readChannel(ObjectReader &R, ChannelTypeModel &C) {
  R.string("type", C.QualifiedName, /*Required=*/true);
  enum class Direction { Both, Send, Recv } D = Direction::Both;
  R.choice("direction", D,
           {{"both", Direction::Both}, {"send", Direction::Send}, {"recv", Direction::Recv}});
  C.CanSend = D != Direction::Recv;
  C.CanRecv = D != Direction::Send;
  R.index("element_argument", C.ElementArg);
  R.optionalIndex("element_signature_parameter", C.ElementSignatureParam);
  R.optionalIndex("capacity_argument", C.CapacityArg);
  R.index("value_argument", C.ValueArg);
  R.names("send", C.Send);
  R.names("try_send", C.TrySend);
  R.names("recv", C.Recv);
  R.names("try_recv", C.TryRecv);
  R.names("close", C.Close);
  R.names("cancel", C.Cancel);
  R.names("view", C.View);
  R.names("blocking", C.Blocking);
  R.names("asynchronous", C.Asynchronous);
  R.names("close_leaves_pending", C.CloseLeavesPending);
  R.names("interruptible", C.Interruptible);
  R.names("len", C.Len);
  R.flag("receiver_may_close", C.ReceiverMayClose);
  R.string("fix_close_after_wait", C.CloseAfterWaitFix);
  R.members("on_closed", [&](const std::string &Method, ObjectReader &M) {
    bool Known = false;
    for (const Names *L : {&C.Send, &C.TrySend, &C.Recv, &C.TryRecv, &C.Close, &C.Cancel})
      Known |= llvm::is_contained(*L, Method);
    if (!Known)
      return M.fail(M.path(), "names no send, receive, close or cancel method of " +
                                  C.QualifiedName);
    ClosedBehaviour B{Method, {}};
    readOnClosed(M, B.Does);
    C.OnClosedCalls.push_back(std::move(B));
  });
  for (size_t I = 0; I < C.CloseLeavesPending.size() && R.ok(); ++I)
    if (!llvm::any_of(std::initializer_list<const Names *>{&C.Send, &C.Recv},
                      [&](const Names *L) {
                        return llvm::is_contained(*L, C.CloseLeavesPending[I]);
                      }))
      R.fail(R.at("close_leaves_pending") + "[" + std::to_string(I) + "]",
             "names no send or receive method of " + C.QualifiedName);
  // Only a call that waits can be interrupted while it waits.
  for (size_t I = 0; I < C.Interruptible.size() && R.ok(); ++I)
    if (!llvm::is_contained(C.Blocking, C.Interruptible[I]))
      R.fail(R.at("interruptible") + "[" + std::to_string(I) + "]",
             "names no blocking method of " + C.QualifiedName);
}

void readSpawner(ObjectReader &R, SpawnerModel &S) {
  using Form = SpawnerModel::Form;
  R.choice("form", S.Kind,
           {{"free_function", Form::FreeFunction},
            {"method", Form::Method},
            {"constructor", Form::Constructor}},
           /*Required=*/true);
  R.string("name", S.QualifiedName, /*Required=*/true);
  R.index("callable_argument", S.CallableArg);
  R.flag("skips_launch_policy", S.SkipLaunchPolicy);
  R.flag("result_waits_when_discarded", S.WaitsWhenDiscarded);
  R.flag("passes_context", S.PassesContext);
  R.flag("joins_on_destruction", S.JoinsOnDestruction);
  R.flag("counts_on_object", S.CountsOnObject);
  R.flag("cooperative", S.Cooperative);
  R.flag("callable_is_last", S.CallableIsLast);
  R.flag("accepts_awaitable", S.AcceptsAwaitable);
  R.names("awaited_tokens", S.AwaitedTokens);
  // The token follows the task; with callable_is_last nothing does.
  if (R.ok() && S.CallableIsLast && !S.AwaitedTokens.empty())
    R.fail(R.at("awaited_tokens"),
           "needs a completion token after the callable, but callable_is_last "
           "makes the last argument the callable");
}

void readTimer(ObjectReader &R, TimerModel &T) {
  R.string("type", T.Type, /*Required=*/true);
  R.names("new", T.New);
  R.names("after", T.After);
  R.names("stop", T.Stop);
  R.names("reset", T.Reset);
  R.names("channel", T.Channel);
  R.names("async_wait", T.AsyncWait);
}

/// The methods of a model's mutexes or guards when it does not name them:
/// those of the C++ Lockable requirements (BasicLockable, Lockable,
/// TimedLockable, SharedLockable), which std::lock_guard and
/// std::unique_lock call on any mutex, and std::unique_lock's own. A guard
/// whose release() means something else is then taken for given away: the
/// rules trust it less, never more.
LockMethods lockableMethods(bool ForGuards) {
  LockMethods L;
  L.Lock = {"lock"};
  L.Unlock = {"unlock"};
  L.TryLock = {"try_lock", "try_lock_for", "try_lock_until"};
  if (ForGuards) {
    L.GiveAway = {"release", "swap"};
  } else {
    L.LockShared = {"lock_shared"};
    L.Unlock.push_back("unlock_shared");
    for (const char *T : {"try_lock_shared", "try_lock_shared_for", "try_lock_shared_until"})
      L.TryLock.push_back(T);
  }
  return L;
}

/// What a mutex's or, with ForGuards, a lock guard's methods do.
void readLockMethods(ObjectReader &R, LockMethods &L, bool ForGuards) {
  R.names("lock", L.Lock);
  R.names("lock_shared", L.LockShared);
  R.names("unlock", L.Unlock);
  R.names("try_lock", L.TryLock);
  if (ForGuards)
    R.names("give_away", L.GiveAway);
}

void readSync(ObjectReader &R, SyncModel &S) {
  if (!R.countPresent({"mutex_methods"}))
    S.MutexMethods = lockableMethods(/*ForGuards=*/false);
  if (!R.countPresent({"guard_methods"}))
    S.GuardMethods = lockableMethods(/*ForGuards=*/true);
  R.names("mutexes", S.Mutexes);
  R.object("mutex_methods", [&](ObjectReader &O) {
    readLockMethods(O, S.MutexMethods, /*ForGuards=*/false);
  });
  R.names("lock_guards", S.LockGuards);
  R.names("shared_lock_guards", S.SharedLockGuards);
  R.object("guard_methods", [&](ObjectReader &O) {
    readLockMethods(O, S.GuardMethods, /*ForGuards=*/true);
  });
  R.names("deferred_lock_tags", S.DeferredLockTags);
  R.names("atomics", S.Atomics);
  R.object("atomic_methods", [&](ObjectReader &O) {
    O.names("load", S.AtomicOps.Load);
    O.names("store", S.AtomicOps.Store);
    O.names("update", S.AtomicOps.Update);
    O.names("claim", S.AtomicOps.Claim);
    O.names("count_down", S.AtomicOps.CountDown);
  });
  R.names("blocking_functions", S.BlockingFunctions);
}

void readWrappedArgument(ObjectReader &R, ValueFunctionModel::WrappedArgument &W) {
  R.string("name", W.Function, /*Required=*/true);
  std::optional<unsigned> Argument;
  R.optionalIndex("argument", Argument);
  if (R.ok() && !Argument)
    return R.fail(R.at("argument"), "is required");
  W.Argument = Argument.value_or(0);
}

/// Each function in one list only: a move is no wrap.
void readValueFunctions(ObjectReader &R, ValueFunctionModel &V) {
  std::set<std::string> Seen;
  auto Once = [&](const std::string &Where, const std::string &Name) {
    if (R.ok() && !Seen.insert(Name).second)
      R.fail(Where, Name + " is in another list of value_functions already");
  };
  for (auto [Key, Out] : {std::pair{"moves", &V.Moves},
                          {"wraps", &V.Wraps},
                          {"exchanges", &V.Exchanges},
                          {"packs", &V.Packs}}) {
    R.names(Key, *Out);
    for (size_t I = 0; I < Out->size(); ++I)
      Once(R.at(Key) + "[" + std::to_string(I) + "]", (*Out)[I]);
  }
  R.objects<ValueFunctionModel::WrappedArgument>("wraps_argument", V.WrapsArgument,
                                                 readWrappedArgument);
  for (size_t I = 0; I < V.WrapsArgument.size(); ++I)
    Once(R.at("wraps_argument") + "[" + std::to_string(I) + "].name",
         V.WrapsArgument[I].Function);
}

/// A method is an insertion or an emplacement, not both: an emplacement
/// builds the element from every argument, which an insertion's position
/// or key argument would break.
void readContainer(ObjectReader &R, ContainerModel &C) {
  R.string("type", C.Type, /*Required=*/true);
  R.names("insert", C.Insert);
  R.names("emplace", C.Emplace);
  R.names("element", C.Element);
  R.optionalIndex("size_argument", C.SizeArgument);
  for (size_t I = 0; I < C.Emplace.size() && R.ok(); ++I)
    if (llvm::is_contained(C.Insert, C.Emplace[I]))
      R.fail(R.at("emplace") + "[" + std::to_string(I) + "]",
             C.Emplace[I] + " is an insert method of " + C.Type + " already");
}

void readModel(ObjectReader &R, ApiModel &M) {
  R.string("name", M.Name, /*Required=*/true);
  R.names("library_namespaces", M.LibraryNamespaces);
  R.flag("keeps_arguments", M.KeepsArguments);
  R.objects<ChannelTypeModel>("channels", M.Channels, readChannel);
  R.objects<MakeChannelModel>("make_channel", M.MakeChannels,
                              [](ObjectReader &O, MakeChannelModel &F) {
                                O.string("function", F.Function, true);
                                O.optionalIndex("capacity_argument", F.CapacityArg);
                              });
  R.objects<SelectModel>("select", M.Selects, [](ObjectReader &O, SelectModel &S) {
    O.string("function", S.Function, true);
    O.string("recv_case", S.RecvCase);
    O.string("send_case", S.SendCase);
    O.string("default_case", S.DefaultCase);
  });
  R.objects<SpawnerModel>("spawners", M.Spawners, readSpawner);
  R.objects<WaitGroupModel>("wait_groups", M.WaitGroups,
                            [](ObjectReader &O, WaitGroupModel &W) {
                              O.string("type", W.Type, true);
                              O.names("add", W.Add);
                              O.names("done", W.Done);
                              O.names("wait", W.Wait);
                            });
  R.objects<GroupModel>("groups", M.Groups, [](ObjectReader &O, GroupModel &G) {
    O.string("type", G.Type, true);
    O.names("wait", G.Wait);
    O.names("context", G.Context);
    O.names("interrupt", G.Interrupt);
  });
  R.objects<OnceModel>("onces", M.Onces, [](ObjectReader &O, OnceModel &X) {
    O.string("type", X.Type, true);
    O.names("call", X.Call);
  });
  R.objects<DeferModel>("defers", M.Defers, [](ObjectReader &O, DeferModel &D) {
    O.string("type", D.Type, true);
    O.string("fix", D.Fix);
  });
  R.objects<TimerModel>("tickers", M.Tickers, readTimer);
  R.objects<TimerModel>("timers", M.Timers, readTimer);
  R.objects<CoroutineModel>("coroutines", M.Coroutines,
                             [](ObjectReader &O, CoroutineModel &C) {
                               O.string("type", C.Type, true);
                               O.flag("cancelled_await_throws", C.CancelledAwaitThrows);
                               O.names("throw_if_cancelled", C.ThrowIfCancelled);
                               O.names("reset_cancellation", C.ResetCancellation);
                             });
  R.objects<ContextModel>("contexts", M.Contexts, [](ObjectReader &O, ContextModel &C) {
    O.string("type", C.Type, true);
    O.string("cancel_function_type", C.CancelFuncType);
    O.names("done", C.Done);
    O.names("error_methods", C.ErrorMethods);
    O.string("live_error", C.LiveError);
    O.names("background", C.Background);
    O.names("with_cancel", C.WithCancel);
  });
  R.objects<ThreadModel>("threads", M.Threads, [](ObjectReader &O, ThreadModel &T) {
    O.string("type", T.Type, true);
    O.names("join", T.Join);
    O.names("detach", T.Detach);
    O.names("joinable", T.Joinable);
    O.names("interrupt", T.Interrupt);
  });
  R.objects<FutureModel>("futures", M.Futures, [](ObjectReader &O, FutureModel &F) {
    O.string("type", F.Type, true);
    O.names("wait", F.Wait);
  });
  R.object("sync", [&](ObjectReader &O) { readSync(O, M.Sync); });
  R.objects<AccessorModel>("accessors", M.Accessors, [](ObjectReader &O, AccessorModel &A) {
    O.string("type", A.Type, true);
    O.names("object", A.Object);
    O.names("presence", A.Presence);
    O.names("empty", A.Empty);
  });
  R.objects<ContainerModel>("containers", M.Containers, readContainer);
  R.object("value_functions", [&](ObjectReader &O) { readValueFunctions(O, M.ValueFunctions); });
  R.names("opaque_callables", M.OpaqueCallables);
  R.names("signal_element_types", M.SignalElementTypes);
  R.names("error_value_tokens", M.ErrorValueTokens);
}

} // namespace

llvm::Expected<ApiModel> parseModel(llvm::StringRef Text, llvm::StringRef Source) {
  json J;
  try {
    J = json::parse(Text.begin(), Text.end());
  } catch (const json::parse_error &E) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    llvm::StringRef Why(E.what());
    if (size_t At = Why.find("parse error"); At != llvm::StringRef::npos)
      Why = Why.drop_front(At);
    return llvm::createStringError("%s: %s", Source.str().c_str(), Why.str().c_str());
  }
  ApiModel M;
  M.Source = Source.str();
  std::optional<Problem> Err;
  ObjectReader R(J, "", Err);
  if (R.ok())
    readModel(R, M);
  R.finish();
  if (Err)
    return llvm::createStringError("%s: %s: %s", Source.str().c_str(), Err->Key.c_str(),
                                   Err->What.c_str());
  return M;
}

} // namespace chanlint
