// What the models say about locks, atomics, accessors and containers, and
// that an in-house lock becomes a mutex, an in-house container one through a
// user model alone (ApiIndexSync);
// the functions that hand values on (ApiIndexValues) and a thread's
// joinable test and interruption (Boost.Thread, an in-house worker).
#include "AnalyzerTestSupport.h"

#include "ApiIndex.h"
#include "ModelLoader.h"
#include "StatementWrites.h"

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <vector>

namespace chanlint {
namespace {

using namespace clang::ast_matchers;

/// The calls of methods named Method in the snippet's function `f`, in order.
std::vector<const clang::CXXMemberCallExpr *> callsOf(clang::ASTUnit &AST,
                                                      llvm::StringRef Method) {
  std::vector<const clang::CXXMemberCallExpr *> Out;
  for (const BoundNodes &N :
       match(functionDecl(hasName("f"),
                          forEachDescendant(
                              cxxMemberCallExpr(callee(cxxMethodDecl(hasName(Method))))
                                  .bind("call"))),
             AST.getASTContext()))
    Out.push_back(N.getNodeAs<clang::CXXMemberCallExpr>("call"));
  return Out;
}

const clang::CXXMemberCallExpr *callOf(clang::ASTUnit &AST, llvm::StringRef Method) {
  auto Calls = callsOf(AST, Method);
  return Calls.empty() ? nullptr : Calls.front();
}

/// The first call of the free function Name (qualified as hasName takes it)
/// in the snippet's function `f`.
const clang::CallExpr *freeCallOf(clang::ASTUnit &AST, llvm::StringRef Name) {
  auto Found = match(functionDecl(hasName("f"),
                                  forEachDescendant(
                                      callExpr(callee(functionDecl(hasName(Name),
                                                                   unless(cxxMethodDecl()))))
                                          .bind("call"))),
                     AST.getASTContext());
  return Found.empty() ? nullptr : Found.front().getNodeAs<clang::CallExpr>("call");
}

/// The variable a call's argument I names, or "".
std::string argName(const clang::Expr *Arg) {
  const auto *DRE =
      Arg ? llvm::dyn_cast<clang::DeclRefExpr>(Arg->IgnoreParenImpCasts()) : nullptr;
  return DRE ? DRE->getDecl()->getNameAsString() : "";
}

clang::QualType typeOf(clang::ASTUnit &AST, llvm::StringRef Var) {
  auto Found = match(varDecl(hasName(Var), isExpansionInMainFile()).bind("v"),
                     AST.getASTContext());
  return Found.empty() ? clang::QualType()
                       : Found.front().getNodeAs<clang::VarDecl>("v")->getType();
}

TEST(ApiIndexSync, StdLocksAtomicsAndAccessorsAreTheStdModels) {
  auto AST = test::parse(R"(
    #include <atomic>
    #include <memory>
    #include <mutex>
    #include <shared_mutex>
    #include <vector>
    struct Self : std::enable_shared_from_this<Self> {};
    void f(std::mutex &mu, std::shared_mutex &rw, std::atomic<int> &n,
           std::atomic<bool> &stop, std::atomic_flag &flag,
           std::shared_ptr<chan::Chan<int>> p, std::vector<chan::Chan<int>> &v, Self &s) {
      mu.lock();
      (void)mu.try_lock();
      mu.unlock();
      rw.lock_shared();
      std::unique_lock<std::mutex> lk(mu, std::defer_lock);
      lk.release();
      std::shared_lock<std::shared_mutex> rl(rw, std::defer_lock);
      rl.lock();
      n.fetch_sub(1);
      n.fetch_add(1);
      stop.store(true);
      (void)stop.load();
      stop.exchange(false);
      flag.test_and_set();
      (void)p.get();
      (void)v.front();
      (void)s.shared_from_this();
    }
  )");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  EXPECT_TRUE(Api.isMutex(typeOf(*AST, "mu")));
  EXPECT_TRUE(Api.isExclusiveLockGuard(typeOf(*AST, "lk")));
  EXPECT_TRUE(Api.isLockGuard(typeOf(*AST, "rl")));
  EXPECT_FALSE(Api.isExclusiveLockGuard(typeOf(*AST, "rl")));
  EXPECT_TRUE(Api.isAtomic(typeOf(*AST, "n")));

  auto Lock = [&](const char *M) { return Api.lockRoleOf(callOf(*AST, M)); };
  EXPECT_EQ(Lock("try_lock"), LockRole::TryLock);
  EXPECT_EQ(Lock("unlock"), LockRole::Unlock);
  EXPECT_EQ(Lock("lock_shared"), LockRole::LockShared);
  EXPECT_EQ(Lock("release"), LockRole::GiveAway);
  // The mutex's lock() takes it; a shared_lock's takes its mutex shared.
  auto Locks = callsOf(*AST, "lock");
  ASSERT_EQ(Locks.size(), 2u);
  EXPECT_EQ(Api.lockRoleOf(Locks[0]), LockRole::Lock);
  EXPECT_EQ(Api.lockRoleOf(Locks[1]), LockRole::LockShared);

  auto Atomic = [&](const char *M) { return Api.atomicCallOf(callOf(*AST, M)); };
  // fetch_sub is declared in a base of std::atomic<int>: the object decides.
  EXPECT_EQ(Atomic("fetch_sub").What, AtomicCall::Kind::Update);
  EXPECT_TRUE(Atomic("fetch_sub").CountsDown);
  EXPECT_FALSE(Atomic("fetch_add").CountsDown);
  EXPECT_EQ(Atomic("store").What, AtomicCall::Kind::Store);
  EXPECT_FALSE(Atomic("store").Claims);
  EXPECT_EQ(Atomic("load").What, AtomicCall::Kind::Load);
  EXPECT_EQ(Atomic("exchange").What, AtomicCall::Kind::Store);
  EXPECT_TRUE(Atomic("exchange").Claims);
  EXPECT_TRUE(Atomic("test_and_set").Claims);
  EXPECT_EQ(Atomic("get").What, AtomicCall::Kind::None); // not an atomic

  EXPECT_EQ(Api.accessRoleOf(callOf(*AST, "get")), AccessRole::Object);
  EXPECT_EQ(Api.accessRoleOf(callOf(*AST, "front")), AccessRole::Element);
  EXPECT_EQ(Api.accessRoleOf(callOf(*AST, "shared_from_this")), AccessRole::Object);
  // weak_ptr's lock() yields its object; a mutex's does not.
  EXPECT_EQ(Api.accessRoleOf(Locks[0]), AccessRole::None);
}

TEST(ApiIndexSync, AnOptionalsPresenceTestAndEmptyValue) {
  auto AST = test::parse(R"(
    #include <optional>
    bool f(std::optional<int> v) {
      return v.has_value() || v == std::nullopt;
    }
  )",
                         /*WithChan=*/false);
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  EXPECT_EQ(Api.accessRoleOf(callOf(*AST, "has_value")), AccessRole::Presence);
  auto Nullopt = match(functionDecl(hasName("f"), forEachDescendant(
                                                      declRefExpr(to(varDecl(hasName("nullopt"))))
                                                          .bind("e"))),
                       AST->getASTContext());
  ASSERT_EQ(Nullopt.size(), 1u);
  EXPECT_TRUE(Api.isEmptyValue(Nullopt.front().getNodeAs<clang::Expr>("e")));
}

/// A model file with Text, removed with the object.
struct TempModel {
  explicit TempModel(llvm::StringRef Text) {
    if (llvm::sys::fs::createTemporaryFile("model", "json", Path))
      return;
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
  }
  ~TempModel() { llvm::sys::fs::remove(Path); }
  llvm::SmallString<128> Path;
};

TEST(ApiIndexSync, AUserModelMakesAnInHouseLockAMutex) {
  auto AST = test::parse(R"(
    class SpinLock {
    public:
      void Lock();
      void Unlock();
      bool TryLock();
    };
    class SpinLockHolder {
    public:
      explicit SpinLockHolder(SpinLock *);
    };
    void f(SpinLock &mu) {
      mu.Lock();
      mu.TryLock();
      mu.Unlock();
    }
    SpinLock spin;
    SpinLockHolder holder(&spin);
  )",
                         /*WithChan=*/false);
  ASSERT_TRUE(AST);
  TempModel File(R"({"name": "spin", "sync": {"mutexes": ["SpinLock"],
      "mutex_methods": {"lock": ["Lock"], "unlock": ["Unlock"], "try_lock": ["TryLock"]},
      "lock_guards": ["SpinLockHolder"]}})");
  auto Models = ModelSet::withFiles({File.Path.str().str()});
  ASSERT_TRUE(bool(Models)) << llvm::toString(Models.takeError());
  ApiIndex Api(*Models);
  EXPECT_TRUE(Api.isMutex(typeOf(*AST, "spin")));
  EXPECT_TRUE(Api.isExclusiveLockGuard(typeOf(*AST, "holder")));
  EXPECT_EQ(Api.lockRoleOf(callOf(*AST, "Lock")), LockRole::Lock);
  EXPECT_EQ(Api.lockRoleOf(callOf(*AST, "TryLock")), LockRole::TryLock);
  EXPECT_EQ(Api.lockRoleOf(callOf(*AST, "Unlock")), LockRole::Unlock);
  // Without the file they are ordinary classes.
  ApiIndex Builtin(ModelSet::builtin());
  EXPECT_FALSE(Builtin.isMutex(typeOf(*AST, "spin")));
  EXPECT_FALSE(Builtin.isLockGuard(typeOf(*AST, "holder")));
  EXPECT_EQ(Builtin.lockRoleOf(callOf(*AST, "Lock")), LockRole::None);
}

TEST(ApiIndexSync, StatementWritesReadAtomicsThroughTheModels) {
  auto AST = test::parse(R"(
    #include <atomic>
    class Flag {
    public:
      void Set(bool);
      bool Get() const;
    };
    void f(std::atomic<int> &n, Flag &flag) {
      n.store(3);
      n.fetch_add(1);
      flag.Set(true);
      (void)flag.Get();
    }
  )",
                         /*WithChan=*/false);
  ASSERT_TRUE(AST);
  TempModel File(R"({"name": "flag", "sync": {"atomics": ["Flag"],
      "atomic_methods": {"load": ["Get"], "store": ["Set"]}}})");
  auto Models = ModelSet::withFiles({File.Path.str().str()});
  ASSERT_TRUE(bool(Models)) << llvm::toString(Models.takeError());
  ApiIndex Api(*Models);
  auto Named = [](const clang::ValueDecl *D) { return D ? D->getNameAsString() : ""; };
  // std::atomic<int>'s store and fetch_add live in a base class: still n's.
  std::optional<Store> Plain = storeOf(Api, callOf(*AST, "store"));
  ASSERT_TRUE(Plain);
  EXPECT_EQ(Named(Plain->Target), "n");
  EXPECT_TRUE(Plain->Plain);
  std::optional<Store> Update = storeOf(Api, callOf(*AST, "fetch_add"));
  ASSERT_TRUE(Update);
  EXPECT_EQ(Named(Update->Target), "n");
  EXPECT_FALSE(Update->Plain);
  // The in-house flag, from the user model alone.
  std::optional<Store> Set = storeOf(Api, callOf(*AST, "Set"));
  ASSERT_TRUE(Set);
  EXPECT_EQ(Named(Set->Target), "flag");
  EXPECT_TRUE(Set->Plain);
  EXPECT_EQ(Named(namedVariable(Api, callOf(*AST, "Get"))), "flag");
  ApiIndex Builtin(ModelSet::builtin());
  EXPECT_FALSE(storeOf(Builtin, callOf(*AST, "Set")));
  EXPECT_EQ(namedVariable(Builtin, callOf(*AST, "Get")), nullptr);
}

TEST(ApiIndexSync, StdUtilitiesHandValuesOnThroughTheStdModel) {
  auto AST = test::parse(R"(
    #include <functional>
    #include <mutex>
    #include <utility>
    void f(chan::Chan<int> ch, std::mutex &mu, int &n) {
      auto a = std::move(ch);
      auto b = std::forward<chan::Chan<int> &>(a);
      auto r = std::ref(b);
      auto c = std::cref(b);
      std::unique_lock<std::mutex> l1(mu), l2(mu, std::defer_lock);
      std::swap(l1, l2);
      l1.swap(l2);
      (void)std::exchange(n, 2);
      (void)std::as_const(b);
    }
  )");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  auto Role = [&](const char *F) {
    const clang::CallExpr *Call = freeCallOf(*AST, F);
    return Call ? Api.valueRoleOf(Call->getDirectCallee()) : ValueRole::None;
  };
  EXPECT_EQ(Role("std::move"), ValueRole::Move);
  EXPECT_EQ(Role("std::forward"), ValueRole::Move);
  EXPECT_EQ(Role("std::ref"), ValueRole::Wrap);
  EXPECT_EQ(Role("std::cref"), ValueRole::Wrap);
  EXPECT_EQ(Role("std::swap"), ValueRole::Exchange);
  EXPECT_EQ(Role("std::exchange"), ValueRole::Exchange);
  ASSERT_TRUE(freeCallOf(*AST, "std::as_const"));
  EXPECT_EQ(Role("std::as_const"), ValueRole::None); // no model says so
  // The guard's own swap() is a guard method (give_away), no value function.
  EXPECT_EQ(Api.valueRoleOf(callOf(*AST, "swap")->getMethodDecl()), ValueRole::None);
  // Moves and wraps hand back their argument; an exchange does not.
  EXPECT_EQ(argName(Api.passedThrough(freeCallOf(*AST, "std::move"))), "ch");
  EXPECT_EQ(argName(Api.passedThrough(freeCallOf(*AST, "std::ref"))), "b");
  EXPECT_EQ(Api.passedThrough(freeCallOf(*AST, "std::swap")), nullptr);
  EXPECT_EQ(Api.passedThrough(freeCallOf(*AST, "std::as_const")), nullptr);
}

TEST(ApiIndexSync, AUserModelNamesItsOwnValueFunctions) {
  auto AST = test::parse(R"(
    template <class T> struct Ref { T *p; };
    template <class T> Ref<T> hold(T &x) { return {&x}; }
    namespace my {
    template <class T> T &&take(T &x) { return static_cast<T &&>(x); }
    }
    void f(chan::Chan<int> ch) {
      (void)hold(ch);
      (void)my::take(ch);
    }
  )");
  ASSERT_TRUE(AST);
  TempModel File(R"({"name": "handles", "value_functions": {"wraps": ["hold"],
      "moves": ["my::take"]}})");
  auto Models = ModelSet::withFiles({File.Path.str().str()});
  ASSERT_TRUE(bool(Models)) << llvm::toString(Models.takeError());
  ApiIndex Api(*Models);
  EXPECT_EQ(argName(Api.passedThrough(freeCallOf(*AST, "hold"))), "ch");
  EXPECT_EQ(Api.valueRoleOf(freeCallOf(*AST, "my::take")->getDirectCallee()),
            ValueRole::Move);
  ApiIndex Builtin(ModelSet::builtin());
  EXPECT_EQ(Builtin.passedThrough(freeCallOf(*AST, "hold")), nullptr);
  EXPECT_EQ(Builtin.passedThrough(freeCallOf(*AST, "my::take")), nullptr);
}

TEST(ApiIndexSync, BoostThreadInterruptionAndRefOnTheRealHeaders) {
  auto AST = test::parse(R"(
    #include <boost/thread/concurrent_queues/sync_bounded_queue.hpp>
    #include <boost/thread/concurrent_queues/sync_queue.hpp>
    #include <boost/thread/thread.hpp>
    #include <thread>
    void work(boost::sync_bounded_queue<int> &q);
    void f(boost::sync_bounded_queue<int> &q, boost::sync_queue<int> &u, boost::thread &t,
           boost::thread_group &g, std::thread &s) {
      q.push_back(1);
      q.try_push_back(2);
      u.push(3);
      (void)u.pull();
      t.interrupt();
      g.interrupt_all();
      (void)t.joinable();
      (void)s.joinable();
      t.join();
      boost::thread w(work, boost::ref(q));
      boost::thread m = boost::move(w);
    }
  )",
                         /*WithChan=*/false);
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  // The bounded queue's waiting push and the pull wait in
  // boost::condition_variable::wait, an interruption point; the
  // non-blocking forms and the unbounded push never wait.
  EXPECT_TRUE(Api.isInterruptionPoint(callOf(*AST, "push_back")));
  EXPECT_TRUE(Api.isInterruptionPoint(callOf(*AST, "pull")));
  EXPECT_FALSE(Api.isInterruptionPoint(callOf(*AST, "try_push_back")));
  EXPECT_FALSE(Api.isInterruptionPoint(callOf(*AST, "push")));
  EXPECT_EQ(Api.roleOfCall(callOf(*AST, "interrupt")), MethodRole::Interrupt);
  EXPECT_EQ(Api.roleOfCall(callOf(*AST, "interrupt_all")), MethodRole::Interrupt);
  auto Joinable = callsOf(*AST, "joinable");
  ASSERT_EQ(Joinable.size(), 2u);
  EXPECT_EQ(Api.roleOfCall(Joinable[0]), MethodRole::ThreadJoinable); // boost::thread
  EXPECT_EQ(Api.roleOfCall(Joinable[1]), MethodRole::ThreadJoinable); // std::thread
  EXPECT_EQ(Api.roleOfCall(callOf(*AST, "join")), MethodRole::ThreadJoin);
  // boost::thread(work, boost::ref(q)) hands q itself to work.
  EXPECT_EQ(argName(Api.passedThrough(freeCallOf(*AST, "boost::ref"))), "q");
  EXPECT_EQ(argName(Api.passedThrough(freeCallOf(*AST, "boost::move"))), "w");
}

/// An in-house worker thread with an interrupt() and a mailbox whose put()
/// waits for room, as an interruption point: the model alone makes the
/// interrupt a cancellation case of chan-unguarded-send.
TEST(ApiIndexSync, AnInterruptOfTheSendersThreadGuardsItsWait) {
  auto AST = test::parse(R"(
    template <class T> class Mailbox {
    public:
      explicit Mailbox(int room);
      void put(T v);
      T take();
    };
    class Worker {
    public:
      template <class F> explicit Worker(F f) {}
      void join();
      void interrupt();
    };
    int produce(int i);
    int interrupted() {
      Mailbox<int> box(1);
      Worker w([&box] { for (int i = 0; i < 10; ++i) box.put(produce(i)); });
      int first = box.take();
      w.interrupt();
      w.join();
      return first;
    }
    int stranded() {
      Mailbox<int> box(1);
      Worker w([&box] { for (int i = 0; i < 10; ++i) box.put(produce(i)); });
      int first = box.take();
      w.join();
      return first;
    }
    int another_interrupted() {
      Mailbox<int> box(1);
      Worker w([&box] { for (int i = 0; i < 10; ++i) box.put(produce(i)); });
      Worker idle([] {});
      int first = box.take();
      idle.interrupt();
      w.join();
      idle.join();
      return first;
    }
    int interrupted_after_join() {
      Mailbox<int> box(1);
      Worker w([&box] { for (int i = 0; i < 10; ++i) box.put(produce(i)); });
      int first = box.take();
      w.join();
      w.interrupt();
      return first;
    }
  )",
                         /*WithChan=*/false);
  ASSERT_TRUE(AST);
  auto Model = [](const char *Interruptible) {
    return std::string(R"({"name": "worker",
      "channels": [{"type": "Mailbox", "capacity_argument": 0, "send": ["put"],
                    "recv": ["take"], "blocking": ["put", "take"],
                    "interruptible": )") +
           Interruptible + R"(}],
      "spawners": [{"form": "constructor", "name": "Worker", "callable_argument": 0}],
      "threads": [{"type": "Worker", "join": ["join"], "interrupt": ["interrupt"]}]})";
  };
  auto Findings = [&](const std::string &Text) {
    TempModel File(Text);
    auto Models = ModelSet::withFiles({File.Path.str().str()});
    if (!Models) {
      ADD_FAILURE() << llvm::toString(Models.takeError());
      return std::vector<std::string>();
    }
    AnalysisConfig Config;
    Config.Models = std::move(*Models);
    Config.Enabled = {checkNamed("chan-unguarded-send")};
    return test::findingsOf(*AST, Config);
  };
  // Reported: no interrupt, an interrupt of another thread, one after the join.
  EXPECT_EQ(Findings(Model(R"(["put", "take"])")),
            (std::vector<std::string>{"unguarded-send:24:54", "unguarded-send:31:54",
                                      "unguarded-send:41:54"}));
  // put() no interruption point: the interrupt does not end its wait.
  EXPECT_EQ(Findings(Model(R"(["take"])")).size(), 4u);
}

std::string loadError(llvm::StringRef Text) {
  auto M = parseModel(Text, "m.json");
  return M ? "" : llvm::toString(M.takeError());
}

TEST(ApiIndexSync, LockMethodsDefaultToTheLockableNames) {
  // A model that names mutexes and guards but not their methods gets the
  // C++ Lockable names; one that lists them gets only those.
  auto Default = parseModel(
      R"({"name": "x", "sync": {"mutexes": ["M"], "lock_guards": ["G"]}})", "m.json");
  ASSERT_TRUE(bool(Default)) << llvm::toString(Default.takeError());
  EXPECT_EQ(Default->Sync.MutexMethods.Lock, Names{"lock"});
  EXPECT_EQ(Default->Sync.GuardMethods.Unlock, Names{"unlock"});
  EXPECT_EQ(Default->Sync.GuardMethods.GiveAway, (Names{"release", "swap"}));
  auto Own = parseModel(R"({"name": "x", "sync": {"mutexes": ["M"],
                            "mutex_methods": {"lock": ["Lock"]}}})",
                        "m.json");
  ASSERT_TRUE(bool(Own)) << llvm::toString(Own.takeError());
  EXPECT_EQ(Own->Sync.MutexMethods.Lock, Names{"Lock"});
  EXPECT_TRUE(Own->Sync.MutexMethods.Unlock.empty());
}

TEST(ApiIndexSync, LoaderErrorsNameTheKey) {
  EXPECT_EQ(loadError(R"({"name": "x", "sync": {"mutex_methods": {"give_away": ["r"]}}})")
                .substr(0, 50),
            "m.json: sync.mutex_methods.give_away: unknown key ");
  EXPECT_EQ(loadError(R"({"name": "x", "sync": {"atomic_methods": {"load": "get"}}})"),
            "m.json: sync.atomic_methods.load: must be an array of strings");
  EXPECT_EQ(loadError(R"({"name": "x", "accessors": [{"object": ["get"]}]})"),
            "m.json: accessors[0].type: is required");
}

TEST(ModelLoader, ThreadInterruptionAndValueFunctionKeys) {
  auto M = parseModel(R"({"name": "x",
      "channels": [{"type": "Q", "send": ["push"], "blocking": ["push"],
                    "interruptible": ["push"]}],
      "threads": [{"type": "T", "join": ["join"], "joinable": ["joinable"],
                   "interrupt": ["interrupt"]}],
      "groups": [{"type": "G", "wait": ["join_all"], "interrupt": ["interrupt_all"]}],
      "value_functions": {"moves": ["my::move"], "wraps": ["my::ref"],
                          "exchanges": ["my::swap"]}})",
                      "m.json");
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  EXPECT_EQ(M->Channels.front().Interruptible, Names{"push"});
  EXPECT_EQ(M->Threads.front().Joinable, Names{"joinable"});
  EXPECT_EQ(M->Threads.front().Interrupt, Names{"interrupt"});
  EXPECT_EQ(M->Groups.front().Interrupt, Names{"interrupt_all"});
  EXPECT_EQ(M->ValueFunctions.Moves, Names{"my::move"});
  EXPECT_EQ(M->ValueFunctions.Wraps, Names{"my::ref"});
  EXPECT_EQ(M->ValueFunctions.Exchanges, Names{"my::swap"});
}

TEST(ModelLoader, InterruptionAndValueFunctionErrorsNameTheKey) {
  // Only a call that waits can be interrupted in its wait.
  EXPECT_EQ(loadError(R"({"name": "x", "channels": [{"type": "Q", "send": ["push"],
                         "try_send": ["try_push"], "blocking": ["push"],
                         "interruptible": ["push", "try_push"]}]})"),
            "m.json: channels[0].interruptible[1]: names no blocking method of Q");
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {"moves": "std::move"}})"),
            "m.json: value_functions.moves: must be an array of strings");
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {"moves": ["f"], "wraps": ["f"]}})"),
            "m.json: value_functions.wraps[0]: f is in another list of value_functions "
            "already");
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {"copies": ["f"]}})").substr(0, 50),
            "m.json: value_functions.copies: unknown key (known");
  EXPECT_EQ(loadError(R"({"name": "x", "threads": [{"type": "T", "interrupt": [1]}]})"),
            "m.json: threads[0].interrupt[0]: must be a non-empty string");
}

TEST(ModelLoader, AwaitedTokensOfASpawner) {
  auto M = parseModel(R"({"name": "x", "spawners": [
      {"form": "free_function", "name": "my::spawn", "callable_argument": 1,
       "awaited_tokens": ["my::use_awaitable_t", "my::deferred_t"]}]})",
                      "m.json");
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  EXPECT_EQ(M->Spawners.front().AwaitedTokens,
            (Names{"my::use_awaitable_t", "my::deferred_t"}));
  EXPECT_EQ(loadError(R"({"name": "x", "spawners": [{"form": "free_function",
                         "name": "s", "awaited_tokens": "t"}]})"),
            "m.json: spawners[0].awaited_tokens: must be an array of strings");
  // post(ex, handler): the handler is last, no token follows it.
  EXPECT_EQ(loadError(R"({"name": "x", "spawners": [{"form": "free_function",
                         "name": "s", "callable_is_last": true,
                         "awaited_tokens": ["t"]}]})"),
            "m.json: spawners[0].awaited_tokens: needs a completion token after "
            "the callable, but callable_is_last makes the last argument the "
            "callable");
}

/// The Asio model's co_spawn: use_awaitable and deferred make its result
/// something to await for the task's end; detached and a handler do not.
TEST(ApiIndexSync, AsioAwaitedTokensOnTheRealHeaders) {
  auto AST = test::parse(R"(
    #include <boost/asio.hpp>
    auto awaitable_token = boost::asio::use_awaitable;
    auto deferred_token = boost::asio::deferred;
    auto detached_token = boost::asio::detached;
    auto tuple_token = boost::asio::as_tuple(boost::asio::use_awaitable);
  )",
                         /*WithChan=*/false);
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  auto Found = match(functionDecl(hasName("boost::asio::co_spawn")).bind("f"),
                     AST->getASTContext());
  ASSERT_FALSE(Found.empty());
  const SpawnerModel *CoSpawn =
      Api.spawnerFor(Found.front().getNodeAs<clang::FunctionDecl>("f"));
  ASSERT_TRUE(CoSpawn);
  EXPECT_TRUE(Api.isAwaitedToken(*CoSpawn, typeOf(*AST, "awaitable_token")));
  EXPECT_TRUE(Api.isAwaitedToken(*CoSpawn, typeOf(*AST, "deferred_token")));
  EXPECT_FALSE(Api.isAwaitedToken(*CoSpawn, typeOf(*AST, "detached_token")));
  EXPECT_FALSE(Api.isAwaitedToken(*CoSpawn, typeOf(*AST, "tuple_token")));
}

TEST(ModelLoader, WrapsArgumentOfAValueFunction) {
  auto M = parseModel(R"({"name": "x", "value_functions": {
      "wraps": ["my::ref"],
      "wraps_argument": [{"name": "my::bind_executor", "argument": 1}]}})",
                      "m.json");
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  ASSERT_EQ(M->ValueFunctions.WrapsArgument.size(), 1u);
  EXPECT_EQ(M->ValueFunctions.WrapsArgument.front().Function, "my::bind_executor");
  EXPECT_EQ(M->ValueFunctions.WrapsArgument.front().Argument, 1u);
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {
                         "wraps_argument": [{"name": "f"}]}})"),
            "m.json: value_functions.wraps_argument[0].argument: is required");
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {
                         "wraps_argument": [{"name": "f", "argument": "1"}]}})"),
            "m.json: value_functions.wraps_argument[0].argument: must be an "
            "argument index from 0 to 64, or null");
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {"wraps": ["f"],
                         "wraps_argument": [{"name": "f", "argument": 1}]}})"),
            "m.json: value_functions.wraps_argument[0].name: f is in another list "
            "of value_functions already");
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {"wraps_argument": ["f"]}})"),
            "m.json: value_functions.wraps_argument[0]: must be an object");
}

/// Asio's binders hand on the handler they attach something to; a
/// one-argument wrap still needs exactly one argument.
TEST(ApiIndexSync, AsioBindersWrapTheirHandlerOnTheRealHeaders) {
  auto AST = test::parse(R"(
    #include <boost/asio.hpp>
    #include <memory>
    void handler(boost::system::error_code);
    void f(boost::asio::io_context &io, boost::asio::cancellation_signal &sig) {
      auto strand = boost::asio::make_strand(io);
      (void)boost::asio::bind_executor(strand, handler);
      (void)boost::asio::bind_allocator(std::allocator<void>(), handler);
      (void)boost::asio::bind_cancellation_slot(sig.slot(), handler);
    }
  )",
                         /*WithChan=*/false);
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  for (llvm::StringRef Binder :
       {"boost::asio::bind_executor", "boost::asio::bind_allocator",
        "boost::asio::bind_cancellation_slot"}) {
    const clang::CallExpr *Call = freeCallOf(*AST, Binder);
    ASSERT_TRUE(Call) << Binder.str();
    EXPECT_EQ(Api.valueRoleOf(Call->getDirectCallee()), ValueRole::Wrap) << Binder.str();
    const clang::Expr *Through = Api.passedThrough(Call);
    ASSERT_TRUE(Through) << Binder.str();
    const auto *Ref = llvm::dyn_cast<clang::DeclRefExpr>(Through->IgnoreParenImpCasts());
    ASSERT_TRUE(Ref) << Binder.str();
    EXPECT_EQ(Ref->getDecl()->getNameAsString(), "handler") << Binder.str();
  }
}

/// Containers, type-erased callables, packs and a channel's length: what
/// std.json says of the standard library, and a user model of its own.
/// The operator() called on the variable Var in `f`.
const clang::CXXMethodDecl *callOperatorOn(clang::ASTUnit &AST, llvm::StringRef Var) {
  auto Found = match(
      functionDecl(hasName("f"),
                   forEachDescendant(
                       cxxOperatorCallExpr(hasOverloadedOperatorName("()"),
                                           hasArgument(0, declRefExpr(to(varDecl(hasName(Var))))))
                           .bind("call"))),
      AST.getASTContext());
  if (Found.empty())
    return nullptr;
  return llvm::dyn_cast_or_null<clang::CXXMethodDecl>(
      Found.front().getNodeAs<clang::CallExpr>("call")->getDirectCallee());
}

TEST(ApiIndexContainers, StdContainersCallablesAndPacksAreTheStdModels) {
  auto AST = test::parse(R"(
    #include <array>
    #include <functional>
    #include <map>
    #include <thread>
    #include <utility>
    #include <vector>
    void work();
    void f(std::vector<std::thread> &ts, std::map<int, chan::Chan<int>> &m,
           std::array<chan::Chan<int>, 3> &a, chan::Chan<int> ch) {
      ts.emplace_back(work);
      ts.push_back(std::thread(work));
      (void)ts.at(0);
      (void)ts.front();
      (void)ts.size();
      m.try_emplace(1, ch);
      std::function<void()> job = work;
      std::less<int> less;
      job();
      (void)less(1, 2);
      (void)std::make_pair(1, work);
      (void)ch.size();
    }
  )");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  EXPECT_EQ(Api.insertRoleOf(callOf(*AST, "emplace_back")), InsertRole::Emplace);
  EXPECT_EQ(Api.insertRoleOf(callOf(*AST, "push_back")), InsertRole::Insert);
  // try_emplace's first argument is the key: an insertion, no emplacement.
  EXPECT_EQ(Api.insertRoleOf(callOf(*AST, "try_emplace")), InsertRole::Insert);
  EXPECT_EQ(Api.insertRoleOf(callOf(*AST, "at")), InsertRole::None);
  EXPECT_TRUE(Api.isIndexedElement(callOf(*AST, "at")));
  EXPECT_EQ(Api.accessRoleOf(callOf(*AST, "front")), AccessRole::Element);
  EXPECT_FALSE(Api.isIndexedElement(callOf(*AST, "front")));
  EXPECT_EQ(Api.accessRoleOf(callOf(*AST, "size")), AccessRole::None);
  EXPECT_EQ(Api.fixedSize(typeOf(*AST, "a")), std::optional<uint64_t>(3));
  EXPECT_EQ(Api.fixedSize(typeOf(*AST, "ts")), std::nullopt);
  // std::function runs what it holds; std::less::operator() only compares.
  EXPECT_TRUE(Api.callsOpaqueCallable(callOperatorOn(*AST, "job")));
  ASSERT_TRUE(callOperatorOn(*AST, "less"));
  EXPECT_FALSE(Api.callsOpaqueCallable(callOperatorOn(*AST, "less")));
  ASSERT_TRUE(freeCallOf(*AST, "std::make_pair"));
  EXPECT_EQ(Api.valueRoleOf(freeCallOf(*AST, "std::make_pair")->getDirectCallee()),
            ValueRole::Pack);
  // A channel's size() is its length (Go's len), a vector's is not.
  auto Sizes = match(functionDecl(hasName("f"),
                                  forEachDescendant(
                                      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("size"))))
                                          .bind("call"))),
                     AST->getASTContext());
  ASSERT_EQ(Sizes.size(), 2u);
  EXPECT_EQ(Api.roleOfCall(Sizes[0].getNodeAs<clang::CXXMemberCallExpr>("call")),
            MethodRole::None);
  EXPECT_EQ(Api.roleOfCall(Sizes[1].getNodeAs<clang::CXXMemberCallExpr>("call")),
            MethodRole::Len);
}

TEST(ApiIndexContainers, AUserModelMakesAnInHouseContainerOneByDataAlone) {
  auto AST = test::parse(R"(
    namespace ring {
    template <class T, unsigned N> struct Buffer {
      void append(const T &);
      T &peek(unsigned);
      T *begin();
      T *end();
    };
    }
    void f(ring::Buffer<chan::Chan<int>, 8> &b, chan::Chan<int> ch) {
      b.append(ch);
      (void)b.peek(0);
    }
  )");
  ASSERT_TRUE(AST);
  TempModel File(R"({"name": "ring", "containers": [
      {"type": "ring::Buffer", "insert": ["append"], "element": ["peek"],
       "size_argument": 1}]})");
  auto Models = ModelSet::withFiles({File.Path.str().str()});
  ASSERT_TRUE(bool(Models)) << llvm::toString(Models.takeError());
  ApiIndex Api(*Models);
  EXPECT_TRUE(Api.isContainerOfHandles(typeOf(*AST, "b")));
  EXPECT_EQ(Api.insertRoleOf(callOf(*AST, "append")), InsertRole::Insert);
  EXPECT_TRUE(Api.isIndexedElement(callOf(*AST, "peek")));
  EXPECT_EQ(Api.fixedSize(typeOf(*AST, "b")), std::optional<uint64_t>(8));
  // Without the model, an ordinary class of the user's.
  ApiIndex Builtin(ModelSet::builtin());
  EXPECT_FALSE(Builtin.isContainerOfHandles(typeOf(*AST, "b")));
  EXPECT_EQ(Builtin.insertRoleOf(callOf(*AST, "append")), InsertRole::None);
  EXPECT_EQ(Builtin.fixedSize(typeOf(*AST, "b")), std::nullopt);
}

TEST(ModelLoader, ContainerCallableAndPackKeys) {
  auto M = parseModel(R"({"name": "x",
      "channels": [{"type": "Q", "recv": ["pop"], "len": ["count"]}],
      "containers": [{"type": "my::Vec", "insert": ["add"], "emplace": ["make"],
                      "element": ["get"], "size_argument": 2}],
      "value_functions": {"packs": ["my::tuple"]},
      "opaque_callables": ["my::Function"]})",
                      "m.json");
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  EXPECT_EQ(M->Channels.front().Len, Names{"count"});
  ASSERT_EQ(M->Containers.size(), 1u);
  EXPECT_EQ(M->Containers.front().Insert, Names{"add"});
  EXPECT_EQ(M->Containers.front().Emplace, Names{"make"});
  EXPECT_EQ(M->Containers.front().Element, Names{"get"});
  EXPECT_EQ(M->Containers.front().SizeArgument, std::optional<unsigned>(2));
  EXPECT_EQ(M->ValueFunctions.Packs, Names{"my::tuple"});
  EXPECT_EQ(M->OpaqueCallables, Names{"my::Function"});
}

TEST(ModelLoader, ContainerErrorsNameTheKey) {
  EXPECT_EQ(loadError(R"({"name": "x", "containers": [{"insert": ["add"]}]})"),
            "m.json: containers[0].type: is required");
  EXPECT_EQ(loadError(R"({"name": "x", "containers": [{"type": "V", "insert": ["add"],
                         "emplace": ["make", "add"]}]})"),
            "m.json: containers[0].emplace[1]: add is an insert method of V already");
  EXPECT_EQ(loadError(R"({"name": "x", "containers": [{"type": "V", "size_argument": "1"}]})"),
            "m.json: containers[0].size_argument: must be an argument index from 0 to 64, "
            "or null");
  EXPECT_EQ(loadError(R"({"name": "x", "value_functions": {"moves": ["f"], "packs": ["f"]}})"),
            "m.json: value_functions.packs[0]: f is in another list of value_functions "
            "already");
  EXPECT_EQ(loadError(R"({"name": "x", "opaque_callables": "F"})"),
            "m.json: opaque_callables: must be an array of strings");
  // A container's elements are the containers entry's, no accessor's.
  EXPECT_EQ(loadError(R"({"name": "x", "accessors": [{"type": "V", "element": ["at"]}]})")
                .substr(0, 43),
            "m.json: accessors[0].element: unknown key (");
}

} // namespace
} // namespace chanlint
