// Ordered questions on the engine: may this op follow that one, and does
// every path after an op pass some step (also where a throw leaves).
#include "EngineTestSupport.h"

#include "engine/OrderFacts.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

using engine::ExceptionEdges;
using engine::FlowStep;
using engine::OrderFacts;
using test::Fixture;
using test::opsOf;
using engine::KnownAfter;

KnownAfter knowing(const clang::ValueDecl *Var, int64_t V) {
  KnownAfter K;
  K.Values.push_back({Var, V});
  return K;
}

TEST(OrderFacts, ACloseMayFollowAnotherOnlyWhereAPathLeadsThere) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, bool failed) {
  if (failed) {
    ch.close();
    return;
  }
  ch.send(1);
  ch.close();
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  std::vector<OpLocation> Closes = opsOf(*Fx.ir(), OpKind::Close);
  std::vector<OpLocation> Sends = opsOf(*Fx.ir(), OpKind::Send);
  ASSERT_EQ(Closes.size(), 2u);
  ASSERT_EQ(Sends.size(), 1u);
  // The error path returns: its close and the one at the end never meet.
  EXPECT_FALSE(Order.mayFollow(Closes[0], Closes[1]));
  EXPECT_FALSE(Order.mayFollow(Closes[1], Closes[0]));
  EXPECT_FALSE(Order.mayFollow(Closes[0], Sends[0]));
  EXPECT_TRUE(Order.mayFollow(Sends[0], Closes[1]));
  EXPECT_FALSE(Order.mayFollow(Closes[1], Sends[0]));
}

TEST(OrderFacts, InALoopAnOpFollowsItself) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, int n) {
  for (int i = 0; i < n; ++i)
    ch.close();
  ch.send(1);
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  OpLocation Send = opsOf(*Fx.ir(), OpKind::Send).at(0);
  EXPECT_TRUE(Order.mayFollow(Close, Close));
  EXPECT_TRUE(Order.mayFollow(Close, Send));
  EXPECT_FALSE(Order.mayFollow(Send, Close));
}

TEST(OrderFacts, AHandlerFollowsWhatThrowsIntoIt) {
  Fixture Fx(R"(
#include <stdexcept>
void f(chan::Chan<int> ch, bool bad) {
  try {
    ch.send(1);
    if (bad)
      throw std::runtime_error("bad");
  } catch (const std::exception &) {
    ch.close();
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  OpLocation Send = opsOf(*Fx.ir(), OpKind::Send).at(0);
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  EXPECT_TRUE(OrderFacts(Fx.ir()->flow(ExceptionEdges::Throws)).mayFollow(Send, Close));
  // And not the other way round: nothing leads from the handler back.
  EXPECT_FALSE(OrderFacts(Fx.ir()->flow(ExceptionEdges::Throws)).mayFollow(Close, Send));
}

bool stops(const FlowStep &S) {
  return S.O && (S.O->Kind == OpKind::TimerStop ||
                 (S.O->Kind == OpKind::DeferRun && S.O->Target.Lambda));
}

bool stoppedOnEveryPath(const std::string &Code, ExceptionEdges Mode = ExceptionEdges::Throws) {
  Fixture Fx(Code);
  EXPECT_TRUE(Fx.ir());
  if (!Fx.ir())
    return false;
  // The question is asked after the op that starts the ticker's life here:
  // the first send.
  OpLocation From = opsOf(*Fx.ir(), OpKind::Send).at(0);
  return OrderFacts(Fx.ir()->flow(Mode)).onEveryPathAfter(From, stops);
}

TEST(OrderFacts, OnEveryPathAfterAnOp) {
  EXPECT_TRUE(stoppedOnEveryPath(R"(
void f(chan::Chan<int> ch, chan::Ticker t, bool b) {
  ch.send(1);
  if (b) {
    t.stop();
    return;
  }
  t.stop();
}
)"));
  EXPECT_FALSE(stoppedOnEveryPath(R"(
void f(chan::Chan<int> ch, chan::Ticker t, bool b) {
  ch.send(1);
  if (b)
    return;
  t.stop();
}
)"));
  // A throw is a way out too...
  EXPECT_FALSE(stoppedOnEveryPath(R"(
#include <stdexcept>
void f(chan::Chan<int> ch, chan::Ticker t, bool b) {
  ch.send(1);
  if (b)
    throw std::runtime_error("x");
  t.stop();
}
)"));
  // ...that a Defer covers.
  EXPECT_TRUE(stoppedOnEveryPath(R"(
#include <stdexcept>
void f(chan::Chan<int> ch, chan::Ticker t, bool b) {
  chan::Defer d([&] { t.stop(); });
  ch.send(1);
  if (b)
    throw std::runtime_error("x");
}
)"));
  // A call that may throw counts only when the question asks for it.
  const char *MayThrow = R"(
void risky();
void f(chan::Chan<int> ch, chan::Ticker t) {
  ch.send(1);
  risky();
  t.stop();
}
)";
  EXPECT_TRUE(stoppedOnEveryPath(MayThrow, ExceptionEdges::Throws));
  EXPECT_FALSE(stoppedOnEveryPath(MayThrow, ExceptionEdges::ThrowsAndCalls));
}

TEST(OrderFacts, AKnownFlagPrunesTheBranchThatTestsIt) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch) {
  bool done = false;
  for (;;) {
    ch.send(1);
    if (done)
      return;
    ch.close();
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Send = opsOf(*Fx.ir(), OpKind::Send).at(0);
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  const clang::ValueDecl *Done = nullptr;
  for (const clang::Decl *D : Fx.ir()->function()->decls())
    if (const auto *V = llvm::dyn_cast<clang::VarDecl>(D); V && V->getName() == "done")
      Done = V;
  ASSERT_TRUE(Done);
  EXPECT_TRUE(Order.mayFollow(Send, Close));
  // With done == true after the send, the loop returns before the close.
  EXPECT_FALSE(Order.mayFollow(Send, Close, knowing(Done, 1)));
  EXPECT_TRUE(Order.mayFollow(Send, Close, knowing(Done, 0)));
  // The close is followed by the next iteration's send either way.
  EXPECT_TRUE(Order.mayFollow(Close, Send, knowing(Done, 1)));
}

TEST(OrderFacts, AFlagAssignedAgainIsForgotten) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, bool again) {
  bool done = false;
  for (;;) {
    ch.send(1);
    done = again;
    if (done)
      return;
    ch.close();
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Send = opsOf(*Fx.ir(), OpKind::Send).at(0);
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  const clang::ValueDecl *Done = nullptr;
  for (const clang::Decl *D : Fx.ir()->function()->decls())
    if (const auto *V = llvm::dyn_cast<clang::VarDecl>(D); V && V->getName() == "done")
      Done = V;
  ASSERT_TRUE(Done);
  EXPECT_TRUE(Order.mayFollow(Send, Close, knowing(Done, 1)));
}

TEST(OrderFacts, ADeferRunByAThrowFollowsWhereTheHandlerGoesOn) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, bool bad) {
  try {
    chan::Defer d([&] { ch.close(); });
    if (bad)
      throw 1;
  } catch (int) {
    ch.send(1);
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Defer = opsOf(*Fx.ir(), OpKind::DeferRun).at(0);
  OpLocation Send = opsOf(*Fx.ir(), OpKind::Send).at(0);
  // The Defer runs on the throw's way to the handler, which sends.
  EXPECT_TRUE(Order.mayFollow(Defer, Send));
  EXPECT_FALSE(Order.mayFollow(Send, Defer));
}

TEST(OrderFacts, TheSelectsKnownResultPicksTheSwitchCase) {
  Fixture Fx(R"(
void f(chan::Chan<int> in, chan::Chan<int> out) {
  for (;;) {
    std::size_t k = chan::select(chan::recv_case(in, [](int) {}),
                                 chan::send_case(out, 1, [] {}));
    switch (k) {
    case 0:
      return;
    default:
      break;
    }
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Select = opsOf(*Fx.ir(), OpKind::Select).at(0);
  KnownAfter K;
  K.Result = llvm::cast<clang::Expr>(Fx.ir()->op(Select).Site);
  K.ResultValue = 0;
  EXPECT_FALSE(Order.mayFollow(Select, Select, K));
  K.ResultValue = 1;
  EXPECT_TRUE(Order.mayFollow(Select, Select, K));
  EXPECT_TRUE(Order.mayFollow(Select, Select));
}

TEST(OrderFacts, AnOpLeftOnlyByAThrowTakesItsHandler) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch) {
  try {
    ch.close();
  } catch (...) {
    return;
  }
  ch.send(1);
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::ThrowsAndCalls));
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  OpLocation Send = opsOf(*Fx.ir(), OpKind::Send).at(0);
  EXPECT_TRUE(Order.mayFollow(Close, Send));
  KnownAfter K;
  K.OnlyByThrow = true;
  EXPECT_FALSE(Order.mayFollow(Close, Send, K));
  EXPECT_TRUE(Order.mayReturnAfter(Close));
}

TEST(OrderFacts, AConstantStoredOnThePathDecidesTheLoop) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, bool last, bool sure) {
  bool running = true;
  while (running) {
    if (last) {
      ch.close();
      running = false;
    }
  }
}
)", "f");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  EXPECT_FALSE(Order.mayFollow(Close, Close));

  Fixture Gx(R"(
void g(chan::Chan<int> ch, bool last, bool sure) {
  bool running = true;
  while (running) {
    if (last) {
      ch.close();
      if (sure)
        running = false;
    }
  }
}
)", "g");
  ASSERT_TRUE(Gx.ir());
  OrderFacts OrderG(Gx.ir()->flow(ExceptionEdges::Throws));
  OpLocation CloseG = opsOf(*Gx.ir(), OpKind::Close).at(0);
  EXPECT_TRUE(OrderG.mayFollow(CloseG, CloseG));
}

TEST(OrderFacts, AKeptHandleIsLostWhereItIsRebound) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch) {
  ch.close();
  ch = chan::Chan<int>(1);
  ch.close();
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  std::vector<OpLocation> Closes = opsOf(*Fx.ir(), OpKind::Close);
  ASSERT_EQ(Closes.size(), 2u);
  // The assignment, without the cleanups of its temporary (the CFG's step).
  const clang::Stmt *Store = llvm::cast<clang::Expr>(
      llvm::cast<clang::CompoundStmt>(Fx.ir()->function()->getBody())->body_begin()[1])
                                 ->IgnoreImplicit();
  KnownAfter K;
  K.Rebinds.Handle = Fx.ir()->function()->getParamDecl(0);
  // Only the steps the rule names rebind the handle.
  EXPECT_TRUE(Order.mayFollow(Closes[0], Closes[1], K));
  K.Rebinds.Stores.insert(Store);
  EXPECT_FALSE(Order.mayFollow(Closes[0], Closes[1], K));
}

TEST(OrderFacts, AHandleReboundOnOnePathIsKeptOnTheOther) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, bool renew) {
  ch.close();
  if (renew)
    ch = chan::Chan<int>(1);
  ch.close();
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  std::vector<OpLocation> Closes = opsOf(*Fx.ir(), OpKind::Close);
  ASSERT_EQ(Closes.size(), 2u);
  const auto *If = llvm::cast<clang::IfStmt>(
      llvm::cast<clang::CompoundStmt>(Fx.ir()->function()->getBody())->body_begin()[1]);
  KnownAfter K;
  K.Rebinds.Handle = Fx.ir()->function()->getParamDecl(0);
  K.Rebinds.Stores.insert(llvm::cast<clang::Expr>(If->getThen())->IgnoreImplicit());
  EXPECT_TRUE(Order.mayFollow(Closes[0], Closes[1], K));
}

TEST(OrderFacts, ALoopBodyDeclarationRebindsEachIteration) {
  Fixture Fx(R"(
void f(int n) {
  for (int i = 0; i < n; ++i) {
    chan::Chan<int> ch(1);
    ch.close();
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  const auto *For = llvm::cast<clang::ForStmt>(
      *llvm::cast<clang::CompoundStmt>(Fx.ir()->function()->getBody())->body_begin());
  const auto *Decl = llvm::cast<clang::DeclStmt>(
      *llvm::cast<clang::CompoundStmt>(For->getBody())->body_begin());
  KnownAfter K;
  K.Rebinds.Handle = llvm::cast<clang::VarDecl>(Decl->getSingleDecl());
  EXPECT_TRUE(Order.mayFollow(Close, Close, K));
  K.Rebinds.Declaration = true;
  EXPECT_FALSE(Order.mayFollow(Close, Close, K));
}

TEST(OrderFacts, TheValueEveryReturnGivesBack) {
  Fixture Fx(R"(
bool f(chan::Chan<int> ch, bool last) {
  bool stop = false;
  ch.close();
  if (last)
    return stop;
  return !stop;
}
)");
  ASSERT_TRUE(Fx.ir());
  OrderFacts Order(Fx.ir()->flow(ExceptionEdges::Throws));
  OpLocation Close = opsOf(*Fx.ir(), OpKind::Close).at(0);
  const clang::ValueDecl *Stop = nullptr;
  for (const clang::Decl *D : Fx.ir()->function()->decls())
    if (const auto *V = llvm::dyn_cast<clang::VarDecl>(D); V && V->getName() == "stop")
      Stop = V;
  ASSERT_TRUE(Stop);
  // Two returns with different values: no one value.
  EXPECT_FALSE(Order.returnedAfter(Close, knowing(Stop, 1)).has_value());

  Fixture Gx(R"(
bool g(chan::Chan<int> ch, bool last) {
  bool stop = false;
  ch.close();
  stop = true;
  if (last)
    return stop;
  return stop == true;
}
)", "g");
  ASSERT_TRUE(Gx.ir());
  OrderFacts OrderG(Gx.ir()->flow(ExceptionEdges::Throws));
  OpLocation CloseG = opsOf(*Gx.ir(), OpKind::Close).at(0);
  EXPECT_EQ(OrderG.returnedAfter(CloseG, KnownAfter{}), std::optional<int64_t>(1));
}

} // namespace
} // namespace chanlint
