// The leak checker: tasks, group tasks, tickers and timers that are still
// alive are reported with where they started; finished ones are not.
#include "test_util.hpp"

#include <chan/chan.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace {

using namespace std::chrono_literals;
using chan::testing::LeakKind;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(Leaks, NothingAliveIsAnEmptyReport) {
  const chan::testing::LeakReport report = chan::testing::leaks();
  EXPECT_TRUE(report.empty());
  EXPECT_EQ(report.to_string(), "chan::testing: no leaks\n");
  EXPECT_NO_THROW(chan::testing::verify_none(0ms));
}

TEST(Leaks, ReportsABlockedTaskWithWhereItStartedThenNothingOnceItReturns) {
  chan::Chan<int> never_sent;
  const int line = __LINE__ + 1;
  chan::go([=] { (void)never_sent.recv(); });

  const chan::testing::LeakReport report = chan::testing::leaks(20ms);
  ASSERT_EQ(report.size(), 1U);
  const chan::testing::Leak& leak = *report.begin();
  EXPECT_EQ(leak.kind, LeakKind::task);
  EXPECT_EQ(leak.where.line(), static_cast<unsigned>(line));
  EXPECT_TRUE(ends_with(leak.where.file_name(), "testing_test.cpp")) << leak.where.file_name();
  EXPECT_GE(leak.age, 20ms);
  const std::string text = report.to_string();
  EXPECT_NE(text.find("found 1 leak:"), std::string::npos) << text;
  EXPECT_NE(text.find("task started at "), std::string::npos) << text;
  EXPECT_NE(text.find("testing_test.cpp:" + std::to_string(line)), std::string::npos) << text;
  EXPECT_THROW(chan::testing::verify_none(0ms), chan::testing::leak_error);

  never_sent.close();  // the fix: give the task a way out
  EXPECT_NO_THROW(chan::testing::verify_none(5s));
}

TEST(Leaks, TheGraceWaitsForTasksThatAreWindingDown) {
  chan::Chan<int> work;
  for (int i = 0; i < 4; ++i) {
    chan::go([=] {
      for (int v : work) (void)v;
    });
  }
  work.send(1);
  work.close();
  // Waits on the registry's condition variable; returns as soon as all are gone.
  const auto start = chan::Clock::now();
  EXPECT_TRUE(chan::testing::leaks(10s).empty());
  EXPECT_LT(chan::Clock::now() - start, 5s);
}

TEST(Leaks, ReportsRunningTickersAndPendingTimersUntilStopped) {
  const chan::Ticker ticker = chan::new_ticker(1h);
  const chan::Timer timer = chan::new_timer(1h);
  const chan::Timer fired = chan::new_timer(0ms);
  (void)fired.c().recv();
  const auto unreported = chan::after(1h);  // after() timers are not tracked

  chan::testing::LeakReport report = chan::testing::leaks();
  EXPECT_EQ(report.size(), 2U) << report;
  EXPECT_EQ(report.count(LeakKind::ticker), 1U);
  EXPECT_EQ(report.count(LeakKind::timer), 1U);
  EXPECT_NE(report.to_string().find("ticker started at"), std::string::npos);
  for (const auto& leak : report) EXPECT_TRUE(ends_with(leak.where.file_name(), "testing_test.cpp"));

  ticker.stop();
  (void)timer.stop();
  EXPECT_TRUE(chan::testing::leaks().empty());

  timer.reset(1h);  // running again: reported again
  EXPECT_EQ(chan::testing::leaks().count(LeakKind::timer), 1U);
  (void)timer.stop();
}

TEST(Leaks, ReportsGroupTasks) {
  auto [ctx, cancel] = chan::with_cancel(chan::background());
  chan::Group g(ctx);
  g.go([](const chan::Context& c) { (void)c.done().recv(); });
  const auto report = chan::testing::leaks();
  EXPECT_EQ(report.count(LeakKind::group_task), 1U) << report;
  EXPECT_NE(report.to_string().find("group task started at"), std::string::npos);
  cancel();
  g.wait();
  EXPECT_NO_THROW(chan::testing::verify_none());
}

TEST(Leaks, VerifyNoneThrowsTheReport) {
  const chan::Ticker t = chan::new_ticker(1h);
  chan::Defer stop([=] { t.stop(); });  // also when FAIL() returns early
  try {
    chan::testing::verify_none(10ms);
    FAIL() << "no leak_error";
  } catch (const chan::testing::leak_error& e) {
    EXPECT_EQ(e.report().size(), 1U);
    EXPECT_NE(std::string(e.what()).find("ticker started at"), std::string::npos);
  }
}

TEST(LeakGuard, IgnoresWhatWasAliveBeforeItAndReportsWhatLeakedSince) {
  const chan::Ticker before = chan::new_ticker(1h);
  chan::Defer stop_before([=] { before.stop(); });  // also when an ASSERT returns early
  int handler_calls = 0;
  chan::testing::LeakReport seen;
  std::optional<chan::Timer> leaked;
  {
    const chan::testing::LeakGuard guard(10ms, [&](const chan::testing::LeakReport& r) {
      ++handler_calls;
      seen = r;
    });
    leaked = chan::new_timer(1h);
    EXPECT_EQ(guard.check().size(), 1U);
  }
  EXPECT_EQ(handler_calls, 1);
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen.begin()->kind, LeakKind::timer);
  {
    const chan::testing::LeakGuard clean(10ms, [&](const chan::testing::LeakReport&) { ++handler_calls; });
    chan::Ticker t = chan::new_ticker(1h);
    chan::Defer stop([=] { t.stop(); });
  }
  EXPECT_EQ(handler_calls, 1);
  (void)leaked->stop();
}

}  // namespace
