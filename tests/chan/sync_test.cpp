// go, WaitGroup, Once, Group, Defer.
#include "test_util.hpp"

#include <chan/chan.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

using namespace std::chrono_literals;

static_assert(!std::is_copy_constructible_v<chan::Defer<void (*)()>>);
static_assert(!std::is_move_constructible_v<chan::Defer<void (*)()>>);

TEST(Go, RunsTheTaskConcurrently) {
  chan::Chan<int> ch;
  chan::go([=] { ch.send(1); });  // unbuffered: needs this thread to receive
  EXPECT_EQ(ch.recv(), 1);
}

TEST(Go, CopiesArgumentsAtTheCallLikeGo) {
  chan::Chan<std::string> out(1);
  std::string word = "before";
  chan::go([](const chan::SendChan<std::string>& o, const std::string& w) { o.send(w); }, out.sender(), word);
  word = "after";
  EXPECT_EQ(out.recv(), "before");

  struct Worker {
    void run(const chan::Chan<int>& c, int v) const { c.send(v * factor); }
    int factor = 3;
  };
  chan::Chan<int> results(1);
  chan::go(&Worker::run, Worker{}, results, 5);
  EXPECT_EQ(results.recv(), 15);
}

TEST(WaitGroup, WaitReturnsOnceEveryTaskIsDone) {
  chan::WaitGroup wg;
  std::atomic<int> finished{0};
  for (int i = 0; i < 8; ++i) {
    wg.add(1);
    chan::go([=, &finished] {
      ++finished;
      wg.done();
    });
  }
  wg.wait();
  EXPECT_EQ(finished.load(), 8);
  wg.wait();  // zero: returns at once
}

TEST(WaitGroup, GoesNegativeWithAnException) {
  chan::WaitGroup wg;
  EXPECT_THROW(wg.done(), chan::negative_waitgroup_error);
  wg.add(1);
  EXPECT_THROW(wg.add(-2), chan::negative_waitgroup_error);
  wg.done();  // the failed add left the counter alone
  wg.wait();
  try {
    wg.done();
    FAIL();
  } catch (const chan::channel_error& e) {
    EXPECT_STREQ(e.what(), "sync: negative WaitGroup counter");
  }
}

TEST(WaitGroup, CopiesShareOneCounterSoACloserTaskCanWait) {
  // The closer shape chanlint's multi-sender fix-it emits.
  chan::Chan<int> ch;
  chan::WaitGroup wg;
  constexpr int senders = 5;
  for (int i = 0; i < senders; ++i) {
    wg.add();
    chan::go([=] {
      ch.send(i);
      wg.done();
    });
  }
  chan::go([=] {
    wg.wait();
    ch.close();
  });
  int sum = 0;
  for (int v : ch) sum += v;
  EXPECT_EQ(sum, 0 + 1 + 2 + 3 + 4);
}

TEST(WaitGroup, GoAddsAndMarksDone) {
  chan::WaitGroup wg;
  std::atomic<int> ran{0};
  for (int i = 0; i < 4; ++i) wg.go([&ran] { ++ran; });
  wg.wait();
  EXPECT_EQ(ran.load(), 4);
}

// Go's idiom passes &wg to the workers; the waiter may destroy the group as
// soon as wait() returns, while the last done() is still notifying. Under
// ThreadSanitizer (and ASan) a done() that touches the group after releasing
// its lock shows up here as a race with, or a use after, the delete.
TEST(WaitGroup, TheWaiterMayDestroyTheGroupOnceWaitReturns) {
  for (int round = 0; round < 200; ++round) {
    auto wg = std::make_unique<chan::WaitGroup>();
    wg->add(1);
    std::thread worker([&group = *wg] { group.done(); });
    wg->wait();
    wg.reset();
    worker.join();
  }
}

TEST(Once, RunsOnceAndEveryCallerWaitsForIt) {
  chan::Once once;
  std::atomic<int> calls{0};
  std::atomic<bool> finished{false};
  std::latch start(8);
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, copy = once] {
      start.arrive_and_wait();
      copy.call([&] {
        ++calls;
        std::this_thread::yield();
        finished = true;
      });
      EXPECT_TRUE(finished.load());  // returns only after the first call finished
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls.load(), 1);
}

TEST(Once, AThrowingCallStillCountsAsDone) {
  chan::Once once;
  EXPECT_THROW(once.call([] { throw std::runtime_error("x"); }), std::runtime_error);
  bool ran = false;
  once.call([&] { ran = true; });
  EXPECT_FALSE(ran);
}

TEST(Once, GuardsACloseAcrossCopies) {
  chan::Chan<int> ch;
  chan::Once once;
  auto close_once = [=] { once.call([&] { ch.close(); }); };
  close_once();
  close_once();  // no double_close_error
  EXPECT_TRUE(ch.try_recv().closed());
}

TEST(Group, WaitWaitsForEveryTask) {
  chan::Group g;
  std::atomic<int> sum{0};
  for (int i = 1; i <= 10; ++i) g.go([i, &sum](const chan::Context&) { sum += i; });
  g.wait();
  EXPECT_EQ(sum.load(), 55);
  EXPECT_EQ(g.context().err(), chan::ContextError::cancelled);  // cancelled once wait returns
}

TEST(Group, TheFirstExceptionCancelsTheContextAndWaitRethrowsIt) {
  chan::Group g;
  chan::Chan<chan::Unit> first_thrown;
  std::atomic<bool> watcher_saw_cancel{false};
  g.go([&](const chan::Context& ctx) {
    (void)ctx.done().recv();  // ends only through the failure below
    watcher_saw_cancel = ctx.err() == chan::ContextError::cancelled;
  });
  g.go([=] {
    chan::Defer signal([=] { first_thrown.close(); });
    throw std::runtime_error("first");
  });
  g.go([=](const chan::Context& ctx) {
    (void)first_thrown.recv();
    (void)ctx.done().recv();
    throw std::runtime_error("second");
  });
  try {
    g.wait();
    FAIL() << "wait did not rethrow";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "first");
  }
  EXPECT_TRUE(watcher_saw_cancel.load());
  EXPECT_THROW(g.wait(), std::runtime_error);  // and again on later calls
}

TEST(Group, InheritsCancellationFromItsParent) {
  auto [parent, cancel] = chan::with_cancel(chan::background());
  chan::Group g(parent);
  g.go([](const chan::Context& ctx) { (void)ctx.done().recv(); });
  cancel();
  g.wait();
  EXPECT_EQ(g.context().err(), chan::ContextError::cancelled);
}

TEST(Group, CopiesShareTheGroup) {
  chan::Group g;
  const chan::Group copy = g;  // NOLINT(performance-unnecessary-copy-initialization): a second handle is the point
  EXPECT_EQ(copy, g);
  std::atomic<int> n{0};
  copy.go([&] { ++n; });
  g.wait();
  EXPECT_EQ(n.load(), 1);
}

int defer_on_return(std::vector<int>& log, bool early) {
  chan::Defer a([&] { log.push_back(1); });
  chan::Defer b([&] { log.push_back(2); });
  if (early) return 10;
  log.push_back(0);
  return 20;
}

TEST(Defer, RunsInReverseOrderOnReturn) {
  std::vector<int> log;
  EXPECT_EQ(defer_on_return(log, true), 10);
  EXPECT_EQ(log, (std::vector<int>{2, 1}));
  log.clear();
  EXPECT_EQ(defer_on_return(log, false), 20);
  EXPECT_EQ(log, (std::vector<int>{0, 2, 1}));
}

TEST(Defer, RunsWhileUnwinding) {
  bool ran = false;
  try {
    chan::Defer d([&] { ran = true; });
    throw std::runtime_error("x");
  } catch (const std::runtime_error&) {
    EXPECT_TRUE(ran);  // already ran when the handler starts
  }
  EXPECT_TRUE(ran);
}

TEST(Defer, ADeferredCloseOfAClosedChannelThrows) {
  chan::Chan<int> ch;
  auto body = [&] {
    chan::Defer close_it([&] { ch.close(); });  // NOLINT(chan-double-close): the deferred close's error is what is tested
    ch.close();
  };
  EXPECT_THROW(body(), chan::double_close_error);
}

TEST(Defer, StopsATickerOnEveryPathOut) {
  const chan::testing::LeakGuard guard(0ms, [](const chan::testing::LeakReport&) {});
  const chan::Ticker first = chan::new_ticker(1h);
  chan::Ticker kept = first;
  for (int i = 0; i < 3; ++i) {
    chan::Ticker t = chan::new_ticker(1h);
    chan::Defer stop([=] { t.stop(); });
    kept = t;
    if (i == 1) continue;
  }
  EXPECT_EQ(guard.check().count(chan::testing::LeakKind::ticker), 1U);  // only `first`
  first.stop();
  EXPECT_TRUE(guard.check().empty());
}

}  // namespace
