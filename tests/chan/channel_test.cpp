// Channels: rendezvous, buffering, FIFO, close, try ops, range-for, handles.
#include "test_util.hpp"

#include <chan/chan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <ranges>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

namespace {

using ::testing::Field;
using ::testing::Optional;
using ::testing::Pointee;
using chan_test::eventually;
using chan_test::waiting_receivers;
using chan_test::waiting_senders;

template <class C>
concept Closable = requires(const C& c) { c.close(); };
template <class C>
concept Receivable = requires(const C& c) { c.recv(); };
template <class C>
concept Sendable = requires(const C& c) { c.send(1); };

// Go's type rules for directional channels.
static_assert(Closable<chan::Chan<int>> && Closable<chan::SendChan<int>>);
static_assert(!Closable<chan::RecvChan<int>>, "closing a receive-only channel must not compile");
static_assert(!Receivable<chan::SendChan<int>>);
static_assert(!Sendable<chan::RecvChan<int>>);
static_assert(std::is_convertible_v<chan::Chan<int>, chan::SendChan<int>>);
static_assert(std::is_convertible_v<chan::Chan<int>, chan::RecvChan<int>>);
static_assert(!std::is_convertible_v<chan::RecvChan<int>, chan::Chan<int>>);
static_assert(!std::is_convertible_v<std::size_t, chan::Chan<int>>, "capacity constructor is explicit");
static_assert(std::ranges::input_range<chan::Chan<int>>);
static_assert(std::ranges::input_range<chan::RecvChan<int>>);
static_assert(std::is_nothrow_copy_constructible_v<chan::Chan<int>>);

TEST(Channel, DefaultConstructedIsARealUnbufferedChannel) {
  chan::Chan<int> ch;
  EXPECT_EQ(ch.capacity(), 0U);
  EXPECT_EQ(ch.size(), 0U);
  EXPECT_FALSE(ch.try_send(1));  // nobody receiving
  EXPECT_TRUE(ch.try_recv().would_block());
  ch.close();  // a nil channel would block or panic; this one closes
  EXPECT_FALSE(ch.recv().has_value());
}

TEST(Channel, UnbufferedSendCompletesOnlyWhenAReceiverTakesTheValue) {
  chan::Chan<int> ch;
  std::atomic<bool> sent{false};
  std::thread sender([&] {
    ch.send(42);
    sent = true;
  });
  ASSERT_TRUE(eventually([&] { return waiting_senders(ch) == 1; }));
  EXPECT_FALSE(sent.load());  // blocked, and it stays blocked until we receive
  EXPECT_EQ(ch.size(), 0U);
  EXPECT_EQ(ch.recv(), 42);
  sender.join();
  EXPECT_TRUE(sent.load());
}

TEST(Channel, UnbufferedSendToABlockedReceiverHandsOver) {
  chan::Chan<std::string> ch;
  std::optional<std::string> got;
  std::thread receiver([&] { got = ch.recv(); });
  ASSERT_TRUE(eventually([&] { return waiting_receivers(ch) == 1; }));
  EXPECT_TRUE(ch.try_send("hello"));  // a receiver is waiting: does not block
  receiver.join();
  EXPECT_EQ(got, "hello");
}

TEST(Channel, BufferedSendBlocksOnlyWhenFull) {
  chan::Chan<int> ch(3);
  EXPECT_EQ(ch.capacity(), 3U);
  ch.send(1);
  ch.send(2);
  EXPECT_TRUE(ch.try_send(3));
  EXPECT_EQ(ch.size(), 3U);
  EXPECT_FALSE(ch.try_send(4));
  EXPECT_EQ(ch.size(), 3U);
}

TEST(Channel, BufferedIsFifo) {
  chan::Chan<int> ch(100);
  for (int i = 0; i < 100; ++i) ch.send(i);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ch.recv(), i);
}

TEST(Channel, BlockedSendersAreServedInArrivalOrder) {
  chan::Chan<int> ch;
  std::vector<std::thread> senders;
  for (int i = 0; i < 5; ++i) {
    senders.emplace_back([ch, i] { ch.send(i); });
    // Let each sender queue up before the next one starts.
    ASSERT_TRUE(eventually([&] { return waiting_senders(ch) == static_cast<std::size_t>(i + 1); }));
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ch.recv(), i);
  for (auto& t : senders) t.join();
}

TEST(Channel, FullBufferTakesTheBlockedSendersValueAtTheTail) {
  chan::Chan<int> ch(2);
  ch.send(1);
  ch.send(2);
  std::thread sender([ch] { ch.send(3); });
  ASSERT_TRUE(eventually([&] { return waiting_senders(ch) == 1; }));
  EXPECT_EQ(ch.recv(), 1);
  sender.join();  // its value moved into the buffer, so it returned
  EXPECT_EQ(ch.size(), 2U);
  EXPECT_EQ(ch.recv(), 2);
  EXPECT_EQ(ch.recv(), 3);
}

TEST(Channel, SendOnClosedChannelThrows) {
  chan::Chan<int> ch(1);
  ch.close();
  EXPECT_THROW(ch.send(1), chan::closed_channel_error);
  EXPECT_THROW((void)ch.try_send(1), chan::closed_channel_error);
  try {
    ch.send(1);
  } catch (const chan::channel_error& e) {
    EXPECT_STREQ(e.what(), "send on closed channel");
  }
}

TEST(Channel, ClosingFailsABlockedSender) {
  chan::Chan<std::unique_ptr<int>> ch;
  auto value = std::make_unique<int>(7);
  std::atomic<bool> threw{false};
  std::thread sender([&] {
    try {
      ch.send(std::move(value));
    } catch (const chan::closed_channel_error&) {
      threw = true;
    }
  });
  ASSERT_TRUE(eventually([&] { return waiting_senders(ch) == 1; }));
  ch.close();
  sender.join();
  EXPECT_TRUE(threw.load());
  ASSERT_NE(value, nullptr);  // a failed send leaves an rvalue argument untouched
  EXPECT_EQ(*value, 7);
}

TEST(Channel, ClosingWakesEveryBlockedReceiver) {
  chan::Chan<int> ch;
  constexpr int n = 8;
  std::atomic<int> got_nullopt{0};
  std::vector<std::thread> receivers;
  receivers.reserve(n);
  for (int i = 0; i < n; ++i) {
    receivers.emplace_back([&] {
      if (!ch.recv().has_value()) ++got_nullopt;
    });
  }
  ASSERT_TRUE(eventually([&] { return waiting_receivers(ch) == n; }));
  ch.close();
  for (auto& t : receivers) t.join();
  EXPECT_EQ(got_nullopt.load(), n);
}

TEST(Channel, BufferedValuesAreStillDeliveredAfterClose) {
  chan::Chan<int> ch(3);
  ch.send(1);
  ch.send(2);
  ch.close();
  EXPECT_EQ(ch.size(), 2U);
  EXPECT_EQ(ch.recv(), 1);
  EXPECT_EQ(*ch.try_recv(), 2);
  EXPECT_FALSE(ch.recv().has_value());
  EXPECT_TRUE(ch.try_recv().closed());
  EXPECT_FALSE(ch.recv().has_value());  // and it stays that way
}

TEST(Channel, DoubleCloseThrows) {
  chan::Chan<int> ch;
  ch.close();
  EXPECT_THROW(ch.close(), chan::double_close_error);  // NOLINT(chan-double-close): the second close's error is what is tested
  try {
    ch.sender().close();  // NOLINT(chan-double-close): so is its message
    FAIL();
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "close of closed channel");
  }
  static_assert(std::is_base_of_v<chan::channel_error, chan::double_close_error>);
  static_assert(std::is_base_of_v<chan::channel_error, chan::closed_channel_error>);
  static_assert(std::is_base_of_v<std::logic_error, chan::channel_error>);
}

TEST(Channel, TryRecvTellsValueWouldBlockAndClosedApart) {
  chan::Chan<int> ch(1);
  chan::TryRecv<int> r = ch.try_recv();
  EXPECT_EQ(r.status(), chan::RecvStatus::would_block);
  EXPECT_FALSE(r);
  EXPECT_FALSE(r.has_value());
  EXPECT_THROW((void)r.value(), std::bad_optional_access);

  ch.send(5);
  r = ch.try_recv();
  EXPECT_EQ(r.status(), chan::RecvStatus::value);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 5);
  EXPECT_EQ(r.value(), 5);

  ch.close();
  r = ch.try_recv();
  EXPECT_EQ(r.status(), chan::RecvStatus::closed);
  EXPECT_TRUE(r.closed());
  EXPECT_FALSE(r);
}

TEST(Channel, TryRecvTakesFromABlockedSender) {
  chan::Chan<int> ch;
  std::thread sender([ch] { ch.send(9); });
  ASSERT_TRUE(eventually([&] { return waiting_senders(ch) == 1; }));
  auto r = ch.try_recv();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 9);
  sender.join();
}

TEST(Channel, TrySendDoesNotConsumeAnRvalueItCouldNotSend) {
  chan::Chan<std::unique_ptr<int>> ch;
  auto p = std::make_unique<int>(1);
  EXPECT_FALSE(ch.try_send(std::move(p)));
  EXPECT_NE(p, nullptr);
}

TEST(Channel, RangeForReceivesUntilClosedAndDrained) {
  chan::Chan<int> ch(4);
  std::thread producer([ch] {
    for (int i = 0; i < 20; ++i) ch.send(i);
    ch.close();
  });
  std::vector<int> got;
  for (int v : ch) got.push_back(v);
  producer.join();
  ASSERT_EQ(got.size(), 20U);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)], i);
}

TEST(Channel, RangeForOverAReceiveOnlyView) {
  chan::Chan<std::string> ch(2);
  ch.send("a");
  ch.send("b");
  ch.close();
  const chan::RecvChan<std::string> in = ch;
  std::string all;
  for (const std::string& s : in) all += s;
  EXPECT_EQ(all, "ab");
}

TEST(Channel, RangeForWorksWithStdRanges) {
  chan::Chan<int> ch(5);
  for (int i = 1; i <= 5; ++i) ch.send(i);
  ch.close();
  int sum = 0;
  for (int v : ch | std::views::filter([](int x) { return x % 2 == 1; })) sum += v;
  EXPECT_EQ(sum, 9);
}

TEST(Channel, HandlesShareOneChannelAndCompareByIdentity) {
  chan::Chan<int> a(1);
  chan::Chan<int> b = a;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the point
  chan::Chan<int> other(1);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, other);
  b.send(3);
  EXPECT_EQ(a.size(), 1U);
  EXPECT_EQ(a.recv(), 3);

  chan::SendChan<int> out = a;
  chan::RecvChan<int> in = a;
  EXPECT_EQ(a, out);
  EXPECT_EQ(a, in);
  EXPECT_EQ(in, a);
  EXPECT_EQ(a.sender(), out);
  EXPECT_EQ(a.receiver(), in);
  EXPECT_NE(other, in);
  EXPECT_EQ(out.capacity(), 1U);
  out.send(4);
  EXPECT_EQ(in.size(), 1U);
  EXPECT_EQ(in.recv(), 4);

  std::unordered_set<chan::Chan<int>> set{a, b, other};
  EXPECT_EQ(set.size(), 2U);
  EXPECT_EQ(std::hash<chan::RecvChan<int>>{}(in), std::hash<chan::Chan<int>>{}(a));
}

TEST(Channel, ConstHandlesCapturedByValueNeedNoMutable) {
  chan::Chan<int> ch(1);
  chan::Chan<int> done;
  auto f = [=] {  // not mutable: every operation is const
    ch.send(1);
    (void)ch.recv();
    (void)ch.try_send(2);
    (void)ch.try_recv();
    ch.close();
    done.close();
  };
  f();
  EXPECT_TRUE(done.try_recv().closed());
}

TEST(Channel, MoveOnlyAndNonDefaultConstructibleElements) {
  chan::Chan<std::unique_ptr<int>> ch(1);
  ch.send(std::make_unique<int>(5));
  EXPECT_THAT(ch.recv(), Optional(Pointee(5)));

  struct NoDefault {
    explicit NoDefault(int v) : value(v) {}
    int value;
  };
  chan::Chan<NoDefault> nd(2);
  nd.send(NoDefault(1));
  EXPECT_THAT(nd.recv(), Optional(Field(&NoDefault::value, 1)));
}

TEST(Channel, MakeChan) {
  auto unbuffered = chan::make_chan<int>();
  auto buffered = chan::make_chan<int>(8);
  EXPECT_EQ(unbuffered.capacity(), 0U);
  EXPECT_EQ(buffered.capacity(), 8U);
}

TEST(Channel, AbsurdCapacityIsRejected) {
  EXPECT_THROW(chan::Chan<int>(static_cast<std::size_t>(-1)), std::length_error);
}

TEST(Channel, UnitSignalChannel) {
  chan::Chan<chan::Unit> done;
  EXPECT_EQ(chan::Unit{}, chan::Unit{});
  std::thread t([done] { done.send({}); });
  EXPECT_EQ(done.recv(), chan::Unit{});
  t.join();
}

TEST(Channel, ManyBlockedSendersAllFailOnClose) {
  chan::Chan<int> ch;
  constexpr int n = 6;
  std::atomic<int> failed{0};
  std::vector<std::thread> senders;
  senders.reserve(n);
  for (int i = 0; i < n; ++i) {
    senders.emplace_back([ch, &failed] {
      try {
        ch.send(1);
      } catch (const chan::closed_channel_error&) {
        ++failed;
      }
    });
  }
  ASSERT_TRUE(eventually([&] { return waiting_senders(ch) == n; }));
  ch.close();
  for (auto& t : senders) t.join();
  EXPECT_EQ(failed.load(), n);
  EXPECT_EQ(waiting_senders(ch), 0U);
}

}  // namespace
