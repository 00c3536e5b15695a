// Which statements the OpRecognizer turns into which Ops (sends, selects,
// spawns, Defers, stops, calls into user code), and what each Op points at.
#include "EngineTestSupport.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

using test::Fixture;
using test::opsOf;

/// A readable name for the object of an op: "ch", "*p", "b.ch", "ub->ch",
/// "ch_" (a member through the implicit `this`); a smart pointer's
/// operator-> is named by the pointer.
std::string describe(const OpRecognizer &R, const clang::Expr *E) {
  using namespace clang;
  if (!E)
    return "<null>";
  E = R.strip(E);
  if (const auto *D = dyn_cast<DeclRefExpr>(E))
    return D->getDecl()->getNameAsString();
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    std::string Name = M->getMemberDecl()->getNameAsString();
    const Expr *Base = M->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base))
      return Name;
    return describe(R, M->getBase()) + (M->isArrow() ? "->" : ".") + Name;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref)
    return "*" + describe(R, U->getSubExpr());
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (OC->getOperator() == OO_Arrow) // a smart pointer: what it points to
      return describe(R, OC->getArg(0));
    if (OC->getOperator() == OO_Star)
      return "*" + describe(R, OC->getArg(0));
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return describe(R, MC->getImplicitObjectArgument()) + "." +
           MC->getMethodDecl()->getNameAsString() + "()";
  return std::string("<") + E->getStmtClassName() + ">";
}

std::vector<std::string> objectsOf(const FunctionIR &IR, OpKind K) {
  std::vector<std::string> Out;
  for (OpLocation L : opsOf(IR, K))
    Out.push_back(describe(IR.recognizer(), IR.op(L).Object));
  return Out;
}

unsigned countOps(const FunctionIR &IR) {
  unsigned N = 0;
  IR.forEachOp([&](const Op &, OpLocation) { ++N; });
  return N;
}

/// The arguments written at the call site (not the spawner's defaulted
/// source_location, which Callable::Args also carries).
unsigned writtenArgs(const Callable &C) {
  unsigned N = 0;
  for (const clang::Expr *A : C.Args)
    N += !llvm::isa<clang::CXXDefaultArgExpr>(A);
  return N;
}

std::string bodyName(const Callable &C) {
  return C.Body ? C.Body->getNameAsString() : std::string("<none>");
}

int64_t intValue(const FunctionIR &IR, const clang::Expr *E) {
  clang::Expr::EvalResult R;
  if (!E || !E->EvaluateAsInt(R, IR.recognizer().context()))
    return -1;
  return R.Val.getInt().getExtValue();
}

TEST(OpRecognizer, ChannelOperationsAndTheirObjects) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, chan::SendChan<int> out, chan::RecvChan<int> in) {
  ch.send(1);
  (void)ch.try_send(2);
  out.send(3);
  auto v = in.recv();
  auto t = in.try_recv();
  out.close();
  int x = v.value_or(0) + t.has_value();
  (void)x;
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  EXPECT_EQ(objectsOf(IR, OpKind::Send), std::vector<std::string>({"ch", "out"}));
  EXPECT_EQ(objectsOf(IR, OpKind::TrySend), std::vector<std::string>({"ch"}));
  EXPECT_EQ(objectsOf(IR, OpKind::Recv), std::vector<std::string>({"in"}));
  EXPECT_EQ(objectsOf(IR, OpKind::TryRecv), std::vector<std::string>({"in"}));
  EXPECT_EQ(objectsOf(IR, OpKind::Close), std::vector<std::string>({"out"}));
  // The value sent is kept with the op.
  std::vector<OpLocation> Sends = opsOf(IR, OpKind::Send);
  ASSERT_EQ(Sends.size(), 2u);
  EXPECT_EQ(intValue(IR, IR.op(Sends[0]).Value), 1);
  EXPECT_EQ(intValue(IR, IR.op(Sends[1]).Value), 3);
  // Nothing else in the body is an op (has_value, value_or, arithmetic).
  EXPECT_EQ(countOps(IR), 6u);
  // Straight-line code is in no loop.
  EXPECT_FALSE(IR.op(Sends[0]).InLoop);
}

TEST(OpRecognizer, RangeForOverAChannelIsARangeReceive) {
  Fixture Fx(R"(
#include <vector>
void f(chan::RecvChan<int> in, std::vector<int> plain, chan::Chan<int> out) {
  for (int v : in)
    out.send(v);
  for (int v : plain)
    (void)v;
  out.close();
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  std::vector<OpLocation> Ranges = opsOf(IR, OpKind::RangeRecv);
  // Only the loop over the channel; the vector is plain data.
  ASSERT_EQ(Ranges.size(), 1u);
  EXPECT_EQ(describe(IR.recognizer(), IR.op(Ranges[0]).Object), "in");
  EXPECT_TRUE(llvm::isa<clang::CXXForRangeStmt>(IR.op(Ranges[0]).Site));
  EXPECT_TRUE(IR.op(Ranges[0]).InLoop);
  // The send in its body repeats; the close after it does not.
  EXPECT_TRUE(IR.op(opsOf(IR, OpKind::Send).at(0)).InLoop);
  EXPECT_FALSE(IR.op(opsOf(IR, OpKind::Close).at(0)).InLoop);
  EXPECT_TRUE(opsOf(IR, OpKind::Recv).empty());
}

TEST(OpRecognizer, SelectKeepsItsCasesAndDefault) {
  Fixture Fx(R"(
#include <optional>
void f(chan::Chan<int> a, chan::Chan<int> b, chan::Context ctx) {
  chan::select(chan::recv_case(a, [](std::optional<int>) {}),
               chan::send_case(b, 7),
               chan::recv_case(ctx.done()));
  chan::select(chan::recv_case(a), chan::default_case([] {}));
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  const OpRecognizer &R = IR.recognizer();
  std::vector<OpLocation> Selects = opsOf(IR, OpKind::Select);
  ASSERT_EQ(Selects.size(), 2u);

  const Op &Blocking = IR.op(Selects[0]);
  EXPECT_FALSE(Blocking.HasDefault);
  ASSERT_EQ(Blocking.Cases.size(), 3u);
  EXPECT_EQ(Blocking.Cases[0].K, SelectCase::Kind::Recv);
  EXPECT_EQ(describe(R, Blocking.Cases[0].Channel), "a");
  EXPECT_TRUE(Blocking.Cases[0].Callback.valid());
  EXPECT_NE(Blocking.Cases[0].Callback.Lambda, nullptr);
  EXPECT_EQ(Blocking.Cases[1].K, SelectCase::Kind::Send);
  EXPECT_EQ(describe(R, Blocking.Cases[1].Channel), "b");
  EXPECT_EQ(intValue(IR, Blocking.Cases[1].Value), 7);
  EXPECT_FALSE(Blocking.Cases[1].Callback.valid());
  EXPECT_EQ(Blocking.Cases[2].K, SelectCase::Kind::Recv);
  EXPECT_EQ(describe(R, Blocking.Cases[2].Channel), "ctx.done()");

  const Op &Polling = IR.op(Selects[1]);
  EXPECT_TRUE(Polling.HasDefault);
  ASSERT_EQ(Polling.Cases.size(), 2u);
  EXPECT_EQ(Polling.Cases[0].K, SelectCase::Kind::Recv);
  EXPECT_FALSE(Polling.Cases[0].Callback.valid());
  EXPECT_EQ(Polling.Cases[1].K, SelectCase::Kind::Default);
  EXPECT_EQ(Polling.Cases[1].Channel, nullptr);
  EXPECT_TRUE(Polling.Cases[1].Callback.valid());

  // The cases are part of the select, not receives or sends of their own.
  EXPECT_TRUE(opsOf(IR, OpKind::Recv).empty());
  EXPECT_TRUE(opsOf(IR, OpKind::Send).empty());
  EXPECT_EQ(countOps(IR), 2u);
}

TEST(OpRecognizer, SpawnersAndTheHandlesTheirTasksAreBoundTo) {
  Fixture Fx(R"(
#include <thread>
#include <vector>
void work(chan::Chan<int> c) { c.send(0); }
void f(chan::Chan<int> ch, chan::WaitGroup wg, chan::Group g) {
  chan::go([ch] { ch.send(1); });
  chan::go(work, ch);
  std::thread t([ch] { ch.send(2); });
  g.go([ch](const chan::Context &) { ch.send(3); });
  wg.go([ch] { ch.send(4); });
  std::vector<std::thread> ts;
  ts.emplace_back([ch] { ch.send(5); });
  std::thread moved = std::move(t);
  moved.join();
  for (auto &x : ts)
    x.join();
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  const OpRecognizer &R = IR.recognizer();
  std::vector<OpLocation> Spawns = opsOf(IR, OpKind::Spawn);
  // Moving a thread object starts nothing.
  ASSERT_EQ(Spawns.size(), 6u);
  std::vector<std::string> Spawners;
  for (OpLocation L : Spawns)
    Spawners.push_back(IR.op(L).Spawner ? IR.op(L).Spawner->QualifiedName : "?");
  EXPECT_EQ(Spawners, std::vector<std::string>({"chan::go", "chan::go", "std::thread",
                                                "chan::Group::go", "chan::WaitGroup::go",
                                                "std::thread"}));

  const Op &Lambda = IR.op(Spawns[0]);
  EXPECT_NE(Lambda.Target.Lambda, nullptr);
  EXPECT_EQ(bodyName(Lambda.Target), "operator()");
  EXPECT_EQ(writtenArgs(Lambda.Target), 0u);
  EXPECT_FALSE(Lambda.Synchronous);

  // go(fn, args...): the function with its arguments bound.
  const Op &Function = IR.op(Spawns[1]);
  EXPECT_EQ(Function.Target.Lambda, nullptr);
  EXPECT_EQ(bodyName(Function.Target), "work");
  ASSERT_EQ(Function.Target.Args.size(), 1u);
  EXPECT_EQ(writtenArgs(Function.Target), 1u);
  EXPECT_EQ(describe(R, Function.Target.Args[0]), "ch");

  const Op &Thread = IR.op(Spawns[2]);
  ASSERT_NE(Thread.Handle.Var, nullptr);
  EXPECT_EQ(Thread.Handle.Var->getName(), "t");
  EXPECT_FALSE(Thread.Handle.Element);

  const Op &Group = IR.op(Spawns[3]);
  EXPECT_EQ(describe(R, Group.Handle.Expr), "g");
  EXPECT_TRUE(Group.Target.FirstParamIsGroupContext);
  EXPECT_FALSE(Group.Spawner->CountsOnObject);

  const Op &Wg = IR.op(Spawns[4]);
  EXPECT_EQ(describe(R, Wg.Handle.Expr), "wg");
  EXPECT_TRUE(Wg.Spawner->CountsOnObject);
  EXPECT_FALSE(Wg.Target.FirstParamIsGroupContext);

  // emplace_back into a container of threads: the task is an element.
  const Op &Emplaced = IR.op(Spawns[5]);
  EXPECT_EQ(describe(R, Emplaced.Handle.Expr), "ts");
  EXPECT_TRUE(Emplaced.Handle.Element);

  EXPECT_EQ(objectsOf(IR, OpKind::Join), std::vector<std::string>({"moved", "x"}));
}

TEST(OpRecognizer, AsyncFuturesAndScopedThreads) {
  Fixture Fx(R"(
#include <future>
#include <thread>
void f(chan::Chan<int> ch) {
  auto fut = std::async(std::launch::async, [ch] { ch.send(1); });
  std::async(std::launch::async, [ch] { ch.send(2); });
  std::jthread j([ch] { ch.send(3); });
  std::thread plain([ch] { ch.send(4); });
  fut.get();
  plain.detach();
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  std::vector<OpLocation> Spawns = opsOf(IR, OpKind::Spawn);
  ASSERT_EQ(Spawns.size(), 4u);
  // The launch policy is skipped to find the callable.
  EXPECT_NE(IR.op(Spawns[0]).Target.Lambda, nullptr);
  ASSERT_NE(IR.op(Spawns[0]).Handle.Var, nullptr);
  EXPECT_EQ(IR.op(Spawns[0]).Handle.Var->getName(), "fut");
  EXPECT_FALSE(IR.op(Spawns[0]).Synchronous);
  // A future dropped at once blocks in its destructor: the call is
  // synchronous.
  EXPECT_TRUE(IR.op(Spawns[1]).Synchronous);
  EXPECT_FALSE(IR.op(Spawns[2]).Synchronous);

  // fut.get() waits; so does the future's scope exit.
  std::vector<OpLocation> Waits = opsOf(IR, OpKind::FutureWait);
  ASSERT_EQ(Waits.size(), 2u);
  unsigned ScopeExits = 0, Calls = 0;
  for (OpLocation L : Waits) {
    const Op &O = IR.op(L);
    if (O.ScopeVar) {
      ++ScopeExits;
      EXPECT_EQ(O.ScopeVar->getName(), "fut");
    } else {
      ++Calls;
      EXPECT_EQ(describe(IR.recognizer(), O.Object), "fut");
    }
  }
  EXPECT_EQ(ScopeExits, 1u);
  EXPECT_EQ(Calls, 1u);

  // A jthread joins when its scope ends; a std::thread does not.
  std::vector<const clang::VarDecl *> Joined;
  IR.forEachOp([&](const Op &O, OpLocation) {
    if (O.Kind == OpKind::Join)
      Joined.push_back(O.ScopeVar);
  });
  ASSERT_EQ(Joined.size(), 1u);
  ASSERT_NE(Joined[0], nullptr);
  EXPECT_EQ(Joined[0]->getName(), "j");
}

TEST(OpRecognizer, DefersRunAtScopeExitAndTickersStop) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, chan::Ticker tk, chan::Timer tm) {
  chan::Defer d([ch] { ch.close(); });
  tk.stop();
  (void)tm.stop();
  (void)tk.c();
  ch.send(1);
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  std::vector<OpLocation> Defers = opsOf(IR, OpKind::DeferRun);
  ASSERT_EQ(Defers.size(), 1u);
  const Op &Defer = IR.op(Defers[0]);
  ASSERT_NE(Defer.ScopeVar, nullptr);
  EXPECT_EQ(Defer.ScopeVar->getName(), "d");
  EXPECT_NE(Defer.Target.Lambda, nullptr);
  EXPECT_TRUE(llvm::isa<clang::CXXConstructExpr>(Defer.Site));
  // It sits where d goes out of scope, after the send in the CFG.
  std::optional<OpLocation> Exit = IR.scopeExitOp(Defer.ScopeVar);
  ASSERT_TRUE(Exit);
  EXPECT_EQ(Exit->Block, Defers[0].Block);
  EXPECT_EQ(Exit->Index, Defers[0].Index);
  OpLocation Send = opsOf(IR, OpKind::Send).at(0);
  ASSERT_EQ(Send.Block, Defers[0].Block);
  EXPECT_GT(Defers[0].Index, Send.Index);
  // The close in the Defer's callable belongs to the lambda, not to f.
  EXPECT_TRUE(opsOf(IR, OpKind::Close).empty());

  // stop() on a ticker and a timer; c() is no op.
  EXPECT_EQ(objectsOf(IR, OpKind::TimerStop), std::vector<std::string>({"tk", "tm"}));
  EXPECT_EQ(countOps(IR), 4u);
}

TEST(OpRecognizer, HandlesThroughViewsMembersPointersAndSmartPointers) {
  Fixture Fx(R"(
#include <memory>
using Jobs = chan::Chan<int>;
struct Box { chan::Chan<int> ch; };
class Svc {
public:
  void serve(Jobs *p, std::shared_ptr<Jobs> sp, Box &b, std::unique_ptr<Box> ub) {
    p->send(1);
    (*p).send(2);
    sp->send(3);
    b.ch.send(4);
    ch_.sender().send(5);
    ub->ch.close();
    ch_.close();
    (void)ch_.receiver().recv();
  }
  chan::Chan<int> ch_;
};
)",
             "serve");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  EXPECT_EQ(objectsOf(IR, OpKind::Send),
            std::vector<std::string>({"p", "*p", "sp", "b.ch", "ch_"}));
  EXPECT_EQ(objectsOf(IR, OpKind::Close), std::vector<std::string>({"ub->ch", "ch_"}));
  EXPECT_EQ(objectsOf(IR, OpKind::Recv), std::vector<std::string>({"ch_"}));
}

TEST(OpRecognizer, CallsIntoUserCodeButNotIntoTheLibrary) {
  Fixture Fx(R"(
#include <algorithm>
void helper(chan::Chan<int> c) { c.send(1); }
void declared(chan::Chan<int> c);
struct Worker {
  explicit Worker(chan::Chan<int> c) : c_(c) {}
  void run(chan::Chan<int> c) { c.close(); }
  chan::Chan<int> c_;
};
void f(chan::Chan<int> ch, Worker w) {
  helper(ch);
  declared(ch);
  w.run(ch);
  Worker made(ch);
  auto l = [ch] { ch.send(2); };
  l();
  auto ctx = chan::background();
  (void)std::max(1, 2);
  (void)ctx;
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  const OpRecognizer &R = IR.recognizer();
  std::vector<OpLocation> Calls = opsOf(IR, OpKind::Call);
  // helper, w.run, the Worker constructor, the lambda; not declared() (no
  // body), background() or std::max (library).
  ASSERT_EQ(Calls.size(), 4u);
  const Op &Helper = IR.op(Calls[0]);
  EXPECT_EQ(bodyName(Helper.Target), "helper");
  EXPECT_TRUE(Helper.Target.Body->doesThisDeclarationHaveABody());
  ASSERT_EQ(Helper.Target.Args.size(), 1u);
  EXPECT_EQ(describe(R, Helper.Target.Args[0]), "ch");
  EXPECT_EQ(Helper.Target.Object, nullptr);

  const Op &Method = IR.op(Calls[1]);
  EXPECT_EQ(bodyName(Method.Target), "run");
  EXPECT_EQ(describe(R, Method.Target.Object), "w");

  const Op &Ctor = IR.op(Calls[2]);
  EXPECT_TRUE(llvm::isa<clang::CXXConstructorDecl>(Ctor.Target.Body));
  ASSERT_NE(Ctor.ConstructedVar, nullptr);
  EXPECT_EQ(Ctor.ConstructedVar->getName(), "made");

  const Op &Lambda = IR.op(Calls[3]);
  EXPECT_EQ(bodyName(Lambda.Target), "operator()");
  EXPECT_NE(Lambda.Target.Lambda, nullptr);
  EXPECT_EQ(describe(R, Lambda.Target.Object), "l");
  EXPECT_TRUE(Lambda.Target.Args.empty());

  // The library is modelled, never walked into.
  using namespace clang::ast_matchers;
  clang::ASTContext &Ctx = R.context();
  auto Fn = [&](const char *Name) -> const clang::FunctionDecl * {
    auto Found = match(functionDecl(hasName(Name)).bind("f"), Ctx);
    return Found.empty() ? nullptr : Found[0].getNodeAs<clang::FunctionDecl>("f");
  };
  ASSERT_TRUE(Fn("::chan::background"));
  EXPECT_FALSE(R.isUserFunction(Fn("::chan::background")));
  EXPECT_TRUE(R.api().isLibraryDecl(Fn("::chan::background")));
  ASSERT_TRUE(Fn("::chan::Group::wait"));
  EXPECT_FALSE(R.isUserFunction(Fn("::chan::Group::wait")));
  EXPECT_TRUE(R.isUserFunction(Fn("::helper")));
  EXPECT_FALSE(R.isUserFunction(Fn("::declared")));
  EXPECT_EQ(R.definitionOf(Fn("::declared")), nullptr);
}

TEST(OpRecognizer, WaitGroupGroupAndOnceOps) {
  Fixture Fx(R"(
void f(chan::WaitGroup wg, chan::Group g, chan::Once once, chan::Chan<int> ch) {
  wg.add(2);
  wg.done();
  wg.wait();
  g.wait();
  once.call([ch] { ch.close(); });
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  EXPECT_EQ(objectsOf(IR, OpKind::WgAdd), std::vector<std::string>({"wg"}));
  EXPECT_EQ(objectsOf(IR, OpKind::WgDone), std::vector<std::string>({"wg"}));
  // Both are called wait(); the type says which.
  EXPECT_EQ(objectsOf(IR, OpKind::WgWait), std::vector<std::string>({"wg"}));
  EXPECT_EQ(objectsOf(IR, OpKind::GroupWait), std::vector<std::string>({"g"}));
  std::vector<OpLocation> Once = opsOf(IR, OpKind::OnceCall);
  ASSERT_EQ(Once.size(), 1u);
  EXPECT_EQ(describe(IR.recognizer(), IR.op(Once[0]).Object), "once");
  EXPECT_NE(IR.op(Once[0]).Target.Lambda, nullptr);
  EXPECT_TRUE(opsOf(IR, OpKind::Close).empty());
}

} // namespace
} // namespace chanlint
