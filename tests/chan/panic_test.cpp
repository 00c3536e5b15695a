// Death tests: a task's escaping exception ends the program like a Go panic,
// and the leak checker's exit path. In a binary of their own, so no other
// test's threads are around when gtest forks.
#include "test_util.hpp"

#include <chan/chan.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace {

using namespace std::chrono_literals;

class Panic : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

[[noreturn]] void block_forever() {
  (void)chan::Chan<int>().recv();
  std::abort();  // unreachable: nobody sends
}

TEST_F(Panic, AnExceptionEscapingATaskEndsTheProgramWithItsMessage) {
  EXPECT_DEATH(
      {
        chan::go([] { throw std::runtime_error("boom"); });
        block_forever();
      },
      "panic: boom");
}

TEST_F(Panic, TheMessageSaysWhereTheTaskStarted) {
  EXPECT_DEATH(
      {
        chan::go([] { throw std::runtime_error("boom"); });
        block_forever();
      },
      "task started at .*panic_test\\.cpp:[0-9]+");
}

TEST_F(Panic, SendOnAClosedChannelInATask) {
  EXPECT_DEATH(
      {
        chan::Chan<int> ch;
        ch.close();
        chan::go([=] { ch.send(1); });
        block_forever();
      },
      "panic: send on closed channel");
}

TEST_F(Panic, DoubleCloseInATask) {
  EXPECT_DEATH(
      {
        chan::Chan<int> ch;
        ch.close();
        chan::go([=] { ch.close(); });  // NOLINT(chan-double-close): the panic it causes is what is tested
        block_forever();
      },
      "panic: close of closed channel");
}

TEST_F(Panic, NonStandardExceptions) {
  EXPECT_DEATH(
      {
        chan::go([] { throw 42; });
        block_forever();
      },
      "panic: unknown exception");
}

TEST_F(Panic, GroupTasksDoNotPanicTheyReportToWait) {
  chan::Group g;
  g.go([] { throw std::runtime_error("kept"); });
  EXPECT_THROW(g.wait(), std::runtime_error);
}

TEST_F(Panic, LeakGuardExitsWithLeakExitCode) {
  EXPECT_EXIT(
      {
        const chan::testing::LeakGuard guard(10ms);
        const chan::Ticker t = chan::new_ticker(1h);  // NOLINT(chan-ticker-not-stopped): the leak the guard must exit on
      },
      ::testing::ExitedWithCode(chan::testing::leak_exit_code), "ticker started at .*panic_test\\.cpp");
}

TEST_F(Panic, ExitOnLeakExitsOnlyWhenSomethingLeaked) {
  chan::testing::exit_on_leak(10ms);  // nothing alive: returns
  EXPECT_EXIT(
      {
        chan::Chan<int> never;
        chan::go([=] { (void)never.recv(); });
        chan::testing::exit_on_leak(10ms);
        std::exit(0);
      },
      ::testing::ExitedWithCode(chan::testing::leak_exit_code), "found 1 leak:\n  task started at");
}

}  // namespace
