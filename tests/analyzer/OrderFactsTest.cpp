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
  EXPECT_FALSE(Order.mayFollow(Send, Close, {{Done, true}}));
  EXPECT_TRUE(Order.mayFollow(Send, Close, {{Done, false}}));
  // The close is followed by the next iteration's send either way.
  EXPECT_TRUE(Order.mayFollow(Close, Send, {{Done, true}}));
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
  EXPECT_TRUE(Order.mayFollow(Send, Close, {{Done, true}}));
}

} // namespace
} // namespace chanlint
