// Order of one party's channel events across its frames: helpers it calls,
// the callables it defers, the callbacks of its selects.
#include "ModelTestSupport.h"

#include "EventOrder.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

using test::Model;

/// The first event of a kind on a line.
const Event *first(const Model &Mx, Event::Kind K, unsigned Line) {
  std::vector<const Event *> Found = Mx.events(K, Line);
  return Found.empty() ? nullptr : Found.front();
}

TEST(EventOrder, ThroughHelpersAndDefers) {
  Model Fx(R"(
void closeIt(chan::Chan<int> ch) { ch.close(); }
void f(chan::Chan<int> ch, bool bad) {
  chan::Defer d([=] { ch.close(); });
  ch.send(1);
  if (bad) {
    closeIt(ch);
    return;
  }
  ch.close();
}
)");
  ASSERT_TRUE(Fx.ok());
  const Event *Helper = first(Fx, Event::Kind::Close, 2);
  std::vector<const Event *> Deferred = Fx.events(Event::Kind::Close, 4);
  const Event *Send = first(Fx, Event::Kind::Send, 5);
  const Event *Last = first(Fx, Event::Kind::Close, 10);
  ASSERT_TRUE(Helper && Send && Last);
  // The return and the end of the function each run the Defer.
  ASSERT_EQ(Deferred.size(), 2u);
  const ProgramModel &M = Fx.model();
  auto DeferredAfter = [&](const Event &E) {
    unsigned N = 0;
    for (const Event *D : Deferred)
      N += mayFollowInParty(M, E, *D);
    return N;
  };
  EXPECT_TRUE(mayFollowInParty(M, *Send, *Helper));
  EXPECT_TRUE(mayFollowInParty(M, *Send, *Last));
  // The error path returns before the last close...
  EXPECT_FALSE(mayFollowInParty(M, *Helper, *Last));
  EXPECT_FALSE(mayFollowInParty(M, *Last, *Helper));
  // ...but each way out runs the deferred close: once after either.
  EXPECT_EQ(DeferredAfter(*Helper), 1u);
  EXPECT_EQ(DeferredAfter(*Last), 1u);
  EXPECT_EQ(DeferredAfter(*Send), 2u);
  for (const Event *D : Deferred)
    EXPECT_FALSE(mayFollowInParty(M, *D, *Send));
}

TEST(EventOrder, OtherPartiesAreConcurrencysQuestion) {
  Model Fx(R"(
void f(chan::Chan<int> ch) {
  chan::go([ch] { ch.send(1); });
  ch.close();
}
)");
  ASSERT_TRUE(Fx.ok());
  const Event *Send = first(Fx, Event::Kind::Send, 3);
  const Event *Close = first(Fx, Event::Kind::Close, 4);
  ASSERT_TRUE(Send && Close);
  EXPECT_NE(Send->Party, Close->Party);
  EXPECT_FALSE(mayFollowInParty(Fx.model(), *Send, *Close));
  EXPECT_FALSE(mayFollowInParty(Fx.model(), *Close, *Send));
}

TEST(EventOrder, SelectCasesExcludeEachOtherOutsideLoops) {
  Model Fx(R"(
void f(chan::Chan<int> a, chan::Chan<int> b, int n) {
  chan::select(chan::recv_case(a), chan::send_case(b, 1));
  for (int i = 0; i < n; ++i)
    chan::select(chan::recv_case(a), chan::send_case(b, 2));
}
)");
  ASSERT_TRUE(Fx.ok());
  const Event *RecvOnce = first(Fx, Event::Kind::Recv, 3);
  const Event *SendOnce = first(Fx, Event::Kind::Send, 3);
  const Event *RecvLoop = first(Fx, Event::Kind::Recv, 5);
  const Event *SendLoop = first(Fx, Event::Kind::Send, 5);
  ASSERT_TRUE(RecvOnce && SendOnce && RecvLoop && SendLoop);
  EXPECT_FALSE(mayFollowInParty(Fx.model(), *RecvOnce, *SendOnce));
  EXPECT_TRUE(mayFollowInParty(Fx.model(), *RecvLoop, *SendLoop));
  EXPECT_TRUE(mayFollowInParty(Fx.model(), *SendOnce, *RecvLoop));
}

} // namespace
} // namespace chanlint
