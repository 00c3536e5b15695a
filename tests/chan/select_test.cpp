// select: readiness, default, blocking wakeup, close, callbacks, fairness.
#include "test_util.hpp"

#include <chan/chan.hpp>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <barrier>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using chan_test::eventually;
using chan_test::waiting_receivers;
using chan_test::waiting_senders;
using namespace std::chrono_literals;

TEST(Select, RunsTheReadyCaseAndReturnsItsIndex) {
  chan::Chan<int> a(1);
  chan::Chan<std::string> b(1);
  b.send("x");
  std::optional<std::string> got;
  bool a_ran = false;
  const std::size_t i = chan::select(chan::recv_case(a, [&](std::optional<int>) { a_ran = true; }),
                                     chan::recv_case(b, [&](std::optional<std::string> v) { got = std::move(v); }));
  EXPECT_EQ(i, 1U);
  EXPECT_FALSE(a_ran);
  EXPECT_EQ(got, "x");
}

TEST(Select, SendCaseDeliversAndRunsItsCallback) {
  chan::Chan<int> out(1);
  bool sent = false;
  EXPECT_EQ(chan::select(chan::send_case(out, 7, [&] { sent = true; })), 0U);
  EXPECT_TRUE(sent);
  EXPECT_EQ(out.recv(), 7);
}

TEST(Select, DefaultRunsWhenNothingIsReady) {
  chan::Chan<int> a;
  chan::Chan<int> b;
  bool ran = false;
  EXPECT_EQ(chan::select(chan::recv_case(a), chan::default_case([&] { ran = true; }), chan::send_case(b, 1)), 1U);
  EXPECT_TRUE(ran);
  EXPECT_EQ(chan::select(chan::default_case()), 0U);
}

TEST(Select, DefaultDoesNotRunWhenACaseIsReady) {
  chan::Chan<int> a(1);
  a.send(1);
  bool ran = false;
  EXPECT_EQ(chan::select(chan::default_case([&] { ran = true; }), chan::recv_case(a)), 1U);
  EXPECT_FALSE(ran);
}

TEST(Select, RecvCaseOnAClosedChannelFiresWithNullopt) {
  chan::Chan<int> a;
  a.close();
  bool got_nullopt = false;
  EXPECT_EQ(chan::select(chan::recv_case(a, [&](std::optional<int> v) { got_nullopt = !v; }), chan::default_case()), 0U);
  EXPECT_TRUE(got_nullopt);
}

TEST(Select, ChosenSendCaseOnAClosedChannelThrows) {
  chan::Chan<int> out;
  out.close();
  bool ran = false;
  // A send on a closed channel counts as ready (as in Go), even with a default.
  EXPECT_THROW(chan::select(chan::send_case(out, 1, [&] { ran = true; }), chan::default_case()),
               chan::closed_channel_error);
  EXPECT_FALSE(ran);
}

TEST(Select, BlocksUntilARecvCaseIsReady) {
  chan::Chan<int> a;
  chan::Chan<int> b;
  std::size_t fired = 99;
  std::optional<int> value;
  std::thread selector([&] {
    fired = chan::select(chan::recv_case(a), chan::recv_case(b, [&](std::optional<int> v) { value = v; }));
  });
  ASSERT_TRUE(eventually([&] { return waiting_receivers(a) == 1 && waiting_receivers(b) == 1; }));
  b.send(5);  // unbuffered: completes only because the select took it
  selector.join();
  EXPECT_EQ(fired, 1U);
  EXPECT_EQ(value, 5);
  // The losing case's waiter is gone from the other channel.
  EXPECT_EQ(waiting_receivers(a), 0U);
  EXPECT_FALSE(a.try_send(1));
}

TEST(Select, BlocksUntilASendCaseIsReady) {
  chan::Chan<int> out;
  chan::Chan<int> never;
  std::size_t fired = 99;
  std::thread selector([&] { fired = chan::select(chan::recv_case(never), chan::send_case(out, 11)); });
  ASSERT_TRUE(eventually([&] { return waiting_senders(out) == 1; }));
  EXPECT_EQ(out.recv(), 11);
  selector.join();
  EXPECT_EQ(fired, 1U);
  EXPECT_EQ(waiting_receivers(never), 0U);
}

TEST(Select, BlockedRecvCaseFiresWithNulloptOnClose) {
  chan::Chan<int> a;
  chan::Chan<int> b;
  std::size_t fired = 99;
  bool closed = false;
  std::thread selector([&] {
    fired = chan::select(chan::recv_case(a), chan::recv_case(b, [&](std::optional<int> v) { closed = !v; }));
  });
  ASSERT_TRUE(eventually([&] { return waiting_receivers(b) == 1; }));
  b.close();
  selector.join();
  EXPECT_EQ(fired, 1U);
  EXPECT_TRUE(closed);
}

TEST(Select, BlockedSendCaseThrowsWhenItsChannelIsClosed) {
  chan::Chan<int> out;
  chan::Chan<int> other;
  std::atomic<bool> threw{false};
  std::thread selector([&] {
    try {
      chan::select(chan::recv_case(other), chan::send_case(out, 1));
    } catch (const chan::closed_channel_error&) {
      threw = true;
    }
  });
  ASSERT_TRUE(eventually([&] { return waiting_senders(out) == 1; }));
  out.close();
  selector.join();
  EXPECT_TRUE(threw.load());
  EXPECT_EQ(waiting_receivers(other), 0U);
}

TEST(Select, ExactlyOneCaseFiresWhenTwoBecomeReadyAtOnce) {
  for (int round = 0; round < 200; ++round) {
    chan::Chan<int> a;
    chan::Chan<int> b;
    std::size_t fired = 99;
    std::thread selector([&] { fired = chan::select(chan::recv_case(a), chan::recv_case(b)); });
    ASSERT_TRUE(eventually([&] { return waiting_receivers(a) == 1 && waiting_receivers(b) == 1; }));
    std::latch go(2);
    std::atomic<int> delivered{0};
    std::atomic<int> delivered_on{-1};
    auto offer = [&](const chan::Chan<int>& c, int id) {
      go.arrive_and_wait();
      if (c.try_send(id)) {
        ++delivered;
        delivered_on = id;
      }
    };
    std::thread ta(offer, a, 0);
    std::thread tb(offer, b, 1);
    ta.join();
    tb.join();
    selector.join();
    ASSERT_EQ(delivered.load(), 1);
    ASSERT_EQ(static_cast<int>(fired), delivered_on.load());
  }
}

TEST(Select, CasesWithoutCallbacksForGuardedSends) {
  // The shape chanlint's fix-its generate.
  auto [ctx, cancel] = chan::with_cancel(chan::background());
  chan::Chan<int> out(1);
  const int v = 3;
  EXPECT_EQ(chan::select(chan::send_case(out, v), chan::recv_case(ctx.done())), 0U);
  cancel();
  // out is full now; the context is done.
  EXPECT_EQ(chan::select(chan::send_case(out, v), chan::recv_case(ctx.done())), 1U);
}

TEST(Select, AcceptsDirectionalViewsContextsTickersAndAfter) {
  chan::Chan<int> ch(1);
  chan::SendChan<int> out = ch;
  chan::RecvChan<int> in = ch;
  EXPECT_EQ(chan::select(chan::send_case(out, 1), chan::default_case()), 0U);
  EXPECT_EQ(chan::select(chan::recv_case(in, [](std::optional<int> v) { EXPECT_EQ(v, 1); })), 0U);

  auto ticker = chan::new_ticker(1ms);
  chan::Defer stop([=] { ticker.stop(); });
  auto [ctx, cancel] = chan::with_timeout(chan::background(), 10s);
  chan::Defer release([=] { cancel(); });
  const std::size_t i = chan::select(chan::recv_case(ctx.done()), chan::recv_case(ticker.c()),
                                     chan::recv_case(chan::after(10s)));
  EXPECT_EQ(i, 1U);
}

TEST(Select, RecvCallbackMayTakeNoArguments) {
  chan::Chan<chan::Unit> done;
  done.close();
  bool ran = false;
  chan::select(chan::recv_case(done, [&] { ran = true; }));
  EXPECT_TRUE(ran);
}

TEST(Select, CallbacksRunOutsideChannelLocks) {
  chan::Chan<int> ch(1);
  ch.send(1);
  // The callback uses the same channel again: it would deadlock under the lock.
  chan::select(chan::recv_case(ch, [&](std::optional<int> v) {
    ch.send(*v + 1);
    EXPECT_EQ(ch.try_recv().value(), 2);
  }));
}

TEST(Select, SendAndRecvOnTheSameChannel) {
  chan::Chan<int> ch(1);
  // Empty: only the send can proceed.
  EXPECT_EQ(chan::select(chan::recv_case(ch), chan::send_case(ch, 4)), 1U);
  // Full: only the receive can proceed.
  std::optional<int> got;
  EXPECT_EQ(chan::select(chan::recv_case(ch, [&](std::optional<int> v) { got = v; }), chan::send_case(ch, 5)), 0U);
  EXPECT_EQ(got, 4);
}

TEST(Select, CaseObjectsCanBeReused) {
  chan::Chan<int> ch(2);
  auto send_five = chan::send_case(ch, 5);
  chan::select(send_five);
  chan::select(send_five);
  EXPECT_EQ(ch.recv(), 5);
  EXPECT_EQ(ch.recv(), 5);
}

TEST(Select, SendCaseConvertsTheValueToTheElementType) {
  chan::Chan<long> ch(1);
  chan::select(chan::send_case(ch, 1));
  chan::Chan<std::string> s(1);
  chan::select(chan::send_case(s, "text"));
  EXPECT_EQ(ch.recv(), 1L);
  EXPECT_EQ(s.recv(), "text");
}

TEST(Select, MoveOnlyValues) {
  chan::Chan<std::unique_ptr<int>> ch(1);
  chan::select(chan::send_case(ch, std::make_unique<int>(8)));
  std::unique_ptr<int> got;
  chan::select(chan::recv_case(ch, [&](std::optional<std::unique_ptr<int>> v) { got = std::move(*v); }));
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, 8);
}

TEST(Select, ACallbackExceptionPropagates) {
  chan::Chan<int> ch(1);
  ch.send(1);
  EXPECT_THROW(chan::select(chan::recv_case(ch, [](std::optional<int>) { throw std::runtime_error("x"); })),
               std::runtime_error);
  EXPECT_EQ(ch.size(), 0U);  // the receive itself happened
}

TEST(Select, TwoSelectsOverTheSameChannelsInOppositeOrderDoNotDeadlock) {
  chan::Chan<int> a;
  chan::Chan<int> b;
  constexpr int rounds = 2000;
  std::thread t1([&] {
    for (int i = 0; i < rounds; ++i) chan::select(chan::send_case(a, i), chan::recv_case(b));
  });
  std::thread t2([&] {
    for (int i = 0; i < rounds; ++i) chan::select(chan::send_case(b, i), chan::recv_case(a));
  });
  t1.join();
  t2.join();
}

// Pearson's chi-square statistic of counts against a uniform expectation.
double chi_square(const std::vector<int>& counts) {
  double total = 0;
  for (int c : counts) total += c;
  const double expected = total / static_cast<double>(counts.size());
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  return chi2;
}

// Critical values of chi-square at p = 1e-6 for 1..3 degrees of freedom: a
// fair select fails this about once in a million runs.
constexpr std::array<double, 4> critical{0, 23.93, 27.63, 30.66};

template <std::size_t K>
std::vector<int> recv_fairness_counts(int rounds) {
  std::array<chan::Chan<int>, K> chans;
  for (std::size_t k = 0; k < K; ++k) {
    chans[k] = chan::Chan<int>(1);
    chans[k].send(0);
  }
  std::vector<int> counts(K);
  for (int r = 0; r < rounds; ++r) {
    const std::size_t i = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return chan::select(chan::recv_case(chans[I])...);
    }(std::make_index_sequence<K>());
    ++counts[i];
    chans[i].send(0);  // every case ready again
  }
  return counts;
}

TEST(Select, PicksUniformlyAmongReadyRecvCases) {
  constexpr int rounds = 20000;
  const auto c2 = recv_fairness_counts<2>(rounds);
  const auto c3 = recv_fairness_counts<3>(rounds);
  const auto c4 = recv_fairness_counts<4>(rounds);
  EXPECT_LT(chi_square(c2), critical[1]) << c2[0] << " " << c2[1];
  EXPECT_LT(chi_square(c3), critical[2]) << c3[0] << " " << c3[1] << " " << c3[2];
  EXPECT_LT(chi_square(c4), critical[3]) << c4[0] << " " << c4[1] << " " << c4[2] << " " << c4[3];
}

TEST(Select, PicksUniformlyAmongReadySendAndRecvCases) {
  constexpr int rounds = 20000;
  chan::Chan<int> in(1);
  chan::Chan<int> out1(1);
  chan::Chan<int> out2(1);
  in.send(0);
  std::vector<int> counts(4);
  for (int r = 0; r < rounds; ++r) {
    // Case 2 is never ready (its channel stays full); 0, 1 and 3 always are.
    chan::Chan<int> full(1);
    full.send(0);
    const std::size_t i =
        chan::select(chan::recv_case(in), chan::send_case(out1, 1), chan::send_case(full, 1), chan::send_case(out2, 2));
    ++counts[i];
    if (i == 0) in.send(0);
    if (i == 1) (void)out1.recv();
    if (i == 3) (void)out2.recv();
  }
  EXPECT_EQ(counts[2], 0);
  counts.erase(counts.begin() + 2);
  EXPECT_LT(chi_square(counts), critical[2]) << counts[0] << " " << counts[1] << " " << counts[2];
}

TEST(Select, ManySelectorsAndSendersDeliverEveryValueOnce) {
  chan::Chan<int> a;
  chan::Chan<int> b(4);
  chan::Chan<chan::Unit> stop;
  constexpr int per_sender = 2000;
  std::atomic<long> sum{0};
  std::atomic<int> count{0};
  std::vector<std::thread> selectors;
  selectors.reserve(3);
  for (int s = 0; s < 3; ++s) {
    selectors.emplace_back([&] {
      for (;;) {
        bool stopped = false;
        chan::select(chan::recv_case(a, [&](std::optional<int> v) { sum += *v, ++count; }),
                     chan::recv_case(b, [&](std::optional<int> v) { sum += *v, ++count; }),
                     chan::recv_case(stop, [&] { stopped = true; }));
        if (stopped) return;
      }
    });
  }
  // The selectors stop only once `stop` is closed, after both senders are
  // joined: no send can be left without a receiver. The check does not yet
  // order a stop signal after the joins of the senders (issue 14).
  std::thread sa([&] {
    for (int i = 1; i <= per_sender; ++i) a.send(i);  // NOLINT(chan-unguarded-send): see above
  });
  std::thread sb([&] {
    for (int i = 1; i <= per_sender; ++i) b.send(i);  // NOLINT(chan-unguarded-send): see above
  });
  sa.join();
  sb.join();
  ASSERT_TRUE(eventually([&] { return count.load() == 2 * per_sender; }));
  stop.close();
  for (auto& t : selectors) t.join();
  EXPECT_EQ(sum.load(), 2L * per_sender * (per_sender + 1) / 2);
}

}  // namespace
