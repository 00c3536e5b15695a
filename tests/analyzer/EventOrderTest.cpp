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

TEST(EventOrder, AChannelMadeInEachRunIsAnotherChannelNextRun) {
  // Line numbers: the snippet's first line is 1.
  Model Fx(R"(
void publish(chan::Chan<int> &c, int v) {
  c.send(v);
  c.close();
}
void once(int v) {
  chan::Chan<int> c(1);
  publish(c, v);
}
void made_by_argument(chan::Chan<int> c) { c.send(1); c.close(); }
void f(int n, chan::Chan<int> &outer) {
  for (int i = 0; i < n; ++i) {
    once(i);
    made_by_argument(chan::Chan<int>(1));
    chan::Chan<int> local(1);
    publish(local, i);
  }
}
)");
  ASSERT_TRUE(Fx.ok());
  const ProgramModel &M = Fx.model();
  // publish runs twice (under once, and on the loop body's local): per
  // frame, its close is never followed by its own send on one channel.
  std::vector<const Event *> Sends = Fx.events(Event::Kind::Send, 3);
  std::vector<const Event *> Closes = Fx.events(Event::Kind::Close, 4);
  ASSERT_EQ(Sends.size(), 2u);
  ASSERT_EQ(Closes.size(), 2u);
  for (const Event *Close : Closes)
    for (const Event *Send : Sends)
      if (Send->Frame == Close->Frame)
        EXPECT_FALSE(mayFollowInParty(M, *Close, *Send));
  const Event *ArgSend = Fx.event(Event::Kind::Send, 10);
  const Event *ArgClose = Fx.event(Event::Kind::Close, 10);
  ASSERT_TRUE(ArgSend && ArgClose);
  EXPECT_FALSE(mayFollowInParty(M, *ArgClose, *ArgSend));
  EXPECT_TRUE(mayFollowInParty(M, *ArgSend, *ArgClose));
}

TEST(EventOrder, TheSameChannelAgainAcrossRuns) {
  Model Fx(R"(
void publish(chan::Chan<int> &c, int v) {
  c.send(v);
  c.close();
}
void f(int n, chan::Chan<int> &param) {
  chan::Chan<int> outer(1);
  chan::Chan<int> *p = &outer;
  for (int i = 0; i < n; ++i) {
    publish(outer, i);
    publish(param, i);
    publish(*p, i);
    chan::Chan<int> &r = outer;
    r.send(i);
    r.close();
    chan::Chan<int> copy = outer;
    copy.send(i);
    copy.close();
  }
}
)");
  ASSERT_TRUE(Fx.ok());
  const ProgramModel &M = Fx.model();
  std::vector<const Event *> Sends = Fx.events(Event::Kind::Send, 3);
  std::vector<const Event *> Closes = Fx.events(Event::Kind::Close, 4);
  ASSERT_EQ(Sends.size(), 3u);
  ASSERT_EQ(Closes.size(), 3u);
  // Each frame of publish closes, then sends again on the next iteration.
  for (const Event *Close : Closes)
    for (const Event *Send : Sends)
      if (Send->Frame == Close->Frame)
        EXPECT_TRUE(mayFollowInParty(M, *Close, *Send));
  for (unsigned Line : {14u, 17u}) {
    const Event *Send = Fx.event(Event::Kind::Send, Line);
    const Event *Close = Fx.event(Event::Kind::Close, Line + 1);
    ASSERT_TRUE(Send && Close);
    EXPECT_TRUE(mayFollowInParty(M, *Close, *Send));
  }
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
