// Tickers, timers and after(): delivery, dropped ticks, stop/reset, scale.
// Time is the subject here, so these tests do sleep; bounds are generous.
#include "test_util.hpp"

#include <chan/chan.hpp>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace {

using chan_test::millis;
using chan_test::thread_count;
using namespace std::chrono_literals;

// True if ch yields nothing within d.
bool quiet_for(const chan::RecvChan<chan::TimePoint>& ch, chan::Duration d) {
  return chan::select(chan::recv_case(ch), chan::recv_case(chan::after(d))) == 1;
}

TEST(Ticker, DeliversTicksEveryPeriod) {
  const auto start = chan::Clock::now();
  chan::Ticker t = chan::new_ticker(10ms);
  chan::Defer stop([=] { t.stop(); });
  EXPECT_EQ(t.c().capacity(), 1U);
  chan::TimePoint last = start;
  for (int i = 0; i < 5; ++i) {
    const std::optional<chan::TimePoint> tick = t.c().recv();
    ASSERT_TRUE(tick.has_value());
    EXPECT_GT(tick, last);
    last = tick.value_or(last);
  }
  const auto elapsed = chan::Clock::now() - start;
  EXPECT_GE(elapsed, 50ms);
  EXPECT_LT(elapsed, 5s) << millis(elapsed);
}

TEST(Ticker, ASlowReaderDropsTicks) {
  const auto start = chan::Clock::now();
  chan::Ticker t = chan::new_ticker(5ms);
  chan::Defer stop([=] { t.stop(); });
  std::this_thread::sleep_for(300ms);  // ~60 ticks pass unread
  EXPECT_EQ(t.c().size(), 1U);         // only one waits: the rest were dropped
  const std::optional<chan::TimePoint> tick = t.c().recv();
  ASSERT_TRUE(tick.has_value());
  EXPECT_LT(tick, start + 200ms) << "an early tick was kept, the later ones dropped";
}

TEST(Ticker, StopEndsTicksAndDiscardsAPendingOne) {
  chan::Ticker t = chan::new_ticker(1ms);
  (void)t.c().recv();
  std::this_thread::sleep_for(10ms);  // a tick is waiting now
  const chan::Ticker copy = t;  // NOLINT(performance-unnecessary-copy-initialization): a second handle is the point
  EXPECT_EQ(copy, t);
  copy.stop();  // any handle stops it
  EXPECT_TRUE(t.c().try_recv().would_block());
  EXPECT_TRUE(quiet_for(t.c(), 50ms));
  t.stop();  // stopping again is harmless
}

TEST(Ticker, ResetChangesThePeriodAndRestartsAStoppedTicker) {
  chan::Ticker t = chan::new_ticker(1h);
  chan::Defer stop([=] { t.stop(); });
  const auto start = chan::Clock::now();
  t.reset(10ms);
  ASSERT_TRUE(t.c().recv().has_value());
  EXPECT_LT(chan::Clock::now() - start, 5s);

  t.stop();
  EXPECT_TRUE(quiet_for(t.c(), 30ms));
  t.reset(5ms);
  EXPECT_TRUE(t.c().recv().has_value());
}

TEST(Ticker, RejectsNonPositivePeriods) {
  EXPECT_THROW((void)chan::new_ticker(0ms), std::invalid_argument);
  chan::Ticker t = chan::new_ticker(1h);
  EXPECT_THROW(t.reset(-1ms), std::invalid_argument);
  t.stop();
}

TEST(Ticker, DroppingEveryHandleDoesNotStopIt) {
  const chan::testing::LeakGuard guard(0ms, [](const chan::testing::LeakReport&) {});  // the leak is the point
  chan::RecvChan<chan::TimePoint> ticks = [] {
    chan::Ticker t = chan::new_ticker(2ms);  // NOLINT(chan-ticker-not-stopped): the leak is the point (the guard above expects it)
    return t.c();
  }();  // the last Ticker handle is gone here
  EXPECT_TRUE(ticks.recv().has_value());
  EXPECT_TRUE(ticks.recv().has_value());
  const auto report = guard.check();
  EXPECT_EQ(report.count(chan::testing::LeakKind::ticker), 1U) << report;
}

TEST(Timer, FiresOnceAfterItsDuration) {
  const auto start = chan::Clock::now();
  chan::Timer tm = chan::new_timer(20ms);
  const std::optional<chan::TimePoint> fired = tm.c().recv();
  ASSERT_TRUE(fired.has_value());
  EXPECT_GE(fired, start + 20ms);
  EXPECT_GE(chan::Clock::now() - start, 20ms);
  EXPECT_TRUE(quiet_for(tm.c(), 40ms));
  EXPECT_FALSE(tm.stop());  // already fired and received
}

TEST(Timer, StopBeforeItFires) {
  chan::Timer tm = chan::new_timer(20ms);
  EXPECT_TRUE(tm.stop());
  EXPECT_FALSE(tm.stop());
  EXPECT_TRUE(quiet_for(tm.c(), 50ms));
}

TEST(Timer, StopAfterItFiredButBeforeTheValueWasReceived) {
  chan::Timer tm = chan::new_timer(0ms);
  std::this_thread::sleep_for(20ms);  // fired into the channel, unreceived
  EXPECT_TRUE(tm.stop());             // Go 1.23: stop prevents the stale receive
  EXPECT_TRUE(tm.c().try_recv().would_block());
}

TEST(Timer, NonPositiveDurationsFireAtOnce) {
  EXPECT_TRUE(chan::new_timer(0ms).c().recv().has_value());
  EXPECT_TRUE(chan::new_timer(-5s).c().recv().has_value());
}

TEST(Timer, ResetReArmsAndReportsWhetherItWasActive) {
  chan::Timer tm = chan::new_timer(1h);
  const auto start = chan::Clock::now();
  EXPECT_TRUE(tm.reset(10ms));  // it was pending
  ASSERT_TRUE(tm.c().recv().has_value());
  EXPECT_GE(chan::Clock::now() - start, 10ms);
  EXPECT_FALSE(tm.reset(5ms));  // fired and received: not active
  EXPECT_TRUE(tm.c().recv().has_value());
  EXPECT_FALSE(tm.stop());
}

TEST(Timer, CopiesReferToTheSameTimer) {
  chan::Timer tm = chan::new_timer(1h);
  const chan::Timer copy = tm;  // NOLINT(performance-unnecessary-copy-initialization): a second handle is the point
  EXPECT_EQ(copy, tm);
  EXPECT_EQ(copy.c(), tm.c());
  EXPECT_TRUE(copy.stop());
  EXPECT_FALSE(tm.stop());
}

TEST(After, DeliversTheTimeOnceAfterTheDuration) {
  const auto start = chan::Clock::now();
  chan::RecvChan<chan::TimePoint> ch = chan::after(20ms);
  const std::optional<chan::TimePoint> at = ch.recv();
  ASSERT_TRUE(at.has_value());
  EXPECT_GE(at, start + 20ms);
  EXPECT_TRUE(quiet_for(ch, 30ms));
}

TEST(TimerService, TenThousandTickersShareOneThread) {
  const chan::testing::LeakGuard guard(0ms, [](const auto& report) { ADD_FAILURE() << report; });
  auto& service = chan::detail::TimerService::instance();  // started before we count threads
  const int threads_before = thread_count();
  const std::size_t armed_before = service.armed();
  std::vector<chan::Ticker> tickers;
  tickers.reserve(10000);
  for (int i = 0; i < 10000; ++i) tickers.push_back(chan::new_ticker(100ms));
  EXPECT_EQ(service.armed(), armed_before + 10000);
  for (const chan::Ticker& t : tickers) ASSERT_TRUE(t.c().recv().has_value());
  EXPECT_EQ(thread_count(), threads_before);
  for (const chan::Ticker& t : tickers) t.stop();
  EXPECT_EQ(service.armed(), armed_before);
}

}  // namespace
