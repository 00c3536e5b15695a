// Contexts: cancellation, propagation, reasons, deadlines, CancelFunc.
#include "test_util.hpp"

#include <chan/chan.hpp>

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using chan_test::millis;
using namespace std::chrono_literals;

std::size_t children_of(const chan::Context& ctx) {
  return chan::detail::ContextAccess::state(ctx)->child_count();
}

bool is_done(const chan::Context& ctx) { return ctx.done().try_recv().closed(); }

TEST(Context, BackgroundIsNeverDone) {
  const chan::Context bg = chan::background();
  EXPECT_EQ(bg.err(), chan::ContextError::none);
  EXPECT_TRUE(bg.done().try_recv().would_block());
  EXPECT_FALSE(bg.deadline().has_value());
  EXPECT_EQ(chan::Context{}, bg);  // default-constructed: the background
  EXPECT_EQ(chan::to_string(chan::ContextError::none), std::string());
}

TEST(Context, CancelClosesDoneAndSetsTheReason) {
  auto [ctx, cancel] = chan::with_cancel(chan::background());
  EXPECT_EQ(ctx.err(), chan::ContextError::none);
  EXPECT_FALSE(is_done(ctx));
  cancel();
  EXPECT_TRUE(is_done(ctx));
  EXPECT_FALSE(ctx.done().recv().has_value());
  EXPECT_EQ(ctx.err(), chan::ContextError::cancelled);
  EXPECT_STREQ(chan::to_string(ctx.err()), "context canceled");
  std::ostringstream os;
  os << ctx.err();
  EXPECT_EQ(os.str(), "context canceled");
}

TEST(Context, CopiesShareOneContext) {
  auto [ctx, cancel] = chan::with_cancel(chan::background());
  const chan::Context copy = ctx;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the point
  EXPECT_EQ(copy, ctx);
  EXPECT_EQ(copy.done(), ctx.done());
  cancel();
  EXPECT_EQ(copy.err(), chan::ContextError::cancelled);
}

TEST(Context, CancelFuncIsIdempotentCopyableAndDefaultConstructible) {
  chan::CancelFunc none;
  EXPECT_FALSE(none);
  none();  // does nothing
  none();

  struct Holder {
    chan::CancelFunc cancel;  // a member, assigned later
  } holder;
  auto [ctx, cancel] = chan::with_cancel(chan::background());
  holder.cancel = cancel;
  EXPECT_TRUE(holder.cancel);
  const chan::CancelFunc copy = holder.cancel;
  copy();
  cancel();
  holder.cancel();
  EXPECT_EQ(ctx.err(), chan::ContextError::cancelled);
}

TEST(Context, CancellingAParentCancelsEveryDescendantWithItsReason) {
  auto [parent, cancel_parent] = chan::with_cancel(chan::background());
  auto [child, cancel_child] = chan::with_cancel(parent);
  auto [grandchild, cancel_grandchild] = chan::with_cancel(child);
  auto [sibling, cancel_sibling] = chan::with_timeout(parent, 1h);
  // What the parent's cancel does to them is tested; their own cancels run
  // after that, as Go's `defer cancel()` does.
  chan::Defer release([=] {
    cancel_child();
    cancel_grandchild();
    cancel_sibling();
  });
  EXPECT_EQ(children_of(parent), 2U);
  cancel_parent();
  for (const chan::Context& c : {parent, child, grandchild, sibling}) {
    EXPECT_TRUE(is_done(c));
    EXPECT_EQ(c.err(), chan::ContextError::cancelled);
  }
  EXPECT_EQ(children_of(parent), 0U);
}

TEST(Context, DescendantsInheritDeadlineExceeded) {
  auto [parent, cancel_parent] = chan::with_timeout(chan::background(), 20ms);
  chan::Defer release([=] { cancel_parent(); });
  auto [child, cancel_child] = chan::with_cancel(parent);
  chan::Defer release_child([=] { cancel_child(); });
  (void)child.done().recv();
  EXPECT_EQ(child.err(), chan::ContextError::deadline_exceeded);
  EXPECT_EQ(parent.err(), chan::ContextError::deadline_exceeded);
}

TEST(Context, CancellingAChildLeavesParentAndSiblingsAlone) {
  auto [parent, cancel_parent] = chan::with_cancel(chan::background());
  auto [a, cancel_a] = chan::with_cancel(parent);
  auto [b, cancel_b] = chan::with_cancel(parent);
  chan::Defer release_b([=] { cancel_b(); });  // b must end by its parent's cancel: its own runs last
  cancel_a();
  EXPECT_TRUE(is_done(a));
  EXPECT_FALSE(is_done(parent));
  EXPECT_FALSE(is_done(b));
  cancel_parent();
  EXPECT_TRUE(is_done(b));
}

TEST(Context, AChildOfACancelledParentStartsCancelled) {
  auto [parent, cancel] = chan::with_cancel(chan::background());
  cancel();
  auto [child, cancel_child] = chan::with_cancel(parent);
  chan::Defer release_child([=] { cancel_child(); });
  EXPECT_TRUE(is_done(child));
  EXPECT_EQ(child.err(), chan::ContextError::cancelled);
  auto [timed, cancel_timed] = chan::with_timeout(parent, 1h);
  chan::Defer release_timed([=] { cancel_timed(); });
  EXPECT_EQ(timed.err(), chan::ContextError::cancelled);
}

TEST(Context, CancelledChildrenDeregisterFromTheirParent) {
  auto [parent, cancel_parent] = chan::with_cancel(chan::background());
  for (int i = 0; i < 1000; ++i) {
    auto [child, cancel] = chan::with_cancel(parent);
    cancel();
  }
  EXPECT_EQ(children_of(parent), 0U);
  // Children nobody refers to any more are dropped too, even uncancelled.
  for (int i = 0; i < 1000; ++i) (void)chan::with_timeout(parent, 1h);
  EXPECT_EQ(children_of(parent), 0U);
  // A live child stays registered until cancelled.
  auto [kept, cancel_kept] = chan::with_cancel(parent);
  EXPECT_EQ(children_of(parent), 1U);
  cancel_kept();
  EXPECT_EQ(children_of(parent), 0U);
  cancel_parent();
}

TEST(Context, WithTimeoutFiresOnTime) {
  const auto start = chan::Clock::now();
  auto [ctx, cancel] = chan::with_timeout(chan::background(), 50ms);
  chan::Defer release([=] { cancel(); });
  ASSERT_TRUE(ctx.deadline().has_value());
  EXPECT_GE(ctx.deadline(), start + 50ms);
  EXPECT_FALSE(ctx.done().recv().has_value());
  const auto elapsed = chan::Clock::now() - start;
  EXPECT_GE(elapsed, 50ms);
  EXPECT_LT(elapsed, 5s) << millis(elapsed) << " ms";
  EXPECT_EQ(ctx.err(), chan::ContextError::deadline_exceeded);
  EXPECT_STREQ(chan::to_string(ctx.err()), "context deadline exceeded");
}

TEST(Context, WithDeadlineInThePastIsDoneAtOnce) {
  auto [ctx, cancel] = chan::with_deadline(chan::background(), chan::Clock::now() - 1s);
  EXPECT_TRUE(is_done(ctx));
  EXPECT_EQ(ctx.err(), chan::ContextError::deadline_exceeded);
  cancel();
  EXPECT_EQ(ctx.err(), chan::ContextError::deadline_exceeded);  // the first reason stays
}

TEST(Context, ALaterChildDeadlineYieldsToTheParents) {
  auto [parent, cancel_parent] = chan::with_timeout(chan::background(), 1h);
  chan::Defer release_parent([=] { cancel_parent(); });
  auto [child, cancel_child] = chan::with_timeout(parent, 2h);
  chan::Defer release_child([=] { cancel_child(); });
  EXPECT_EQ(child.deadline(), parent.deadline());
  auto [sooner, cancel_sooner] = chan::with_timeout(parent, 1min);
  chan::Defer release_sooner([=] { cancel_sooner(); });
  ASSERT_TRUE(sooner.deadline().has_value());
  EXPECT_LT(sooner.deadline(), parent.deadline());
  auto [plain, cancel_plain] = chan::with_cancel(parent);
  chan::Defer release_plain([=] { cancel_plain(); });
  EXPECT_EQ(plain.deadline(), parent.deadline());
}

TEST(Context, CancelDisarmsTheDeadlineTimer) {
  auto& timers = chan::detail::TimerService::instance();
  const std::size_t before = timers.armed();
  std::vector<chan::CancelFunc> cancels;
  cancels.reserve(100);
  for (int i = 0; i < 100; ++i) cancels.push_back(chan::with_timeout(chan::background(), 1h).second);
  EXPECT_EQ(timers.armed(), before + 100);
  for (auto& cancel : cancels) cancel();
  EXPECT_EQ(timers.armed(), before);
}

TEST(Context, ErrIsSetOnceDoneIsObservedInAnotherThread) {
  for (int i = 0; i < 200; ++i) {
    auto [ctx, cancel] = chan::with_cancel(chan::background());
    chan::ContextError seen = chan::ContextError::none;
    std::thread waiter([&, c = ctx] {
      (void)c.done().recv();
      seen = c.err();
    });
    cancel();
    waiter.join();
    EXPECT_EQ(seen, chan::ContextError::cancelled);
  }
}

}  // namespace
