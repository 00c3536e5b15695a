// Which mutexes are held at each op: guards and their scopes (a throw's
// way out included), lock()/unlock() pairs, unique_lock's own unlock and
// defer_lock, scoped_lock of several mutexes, try_lock on the branch where
// it succeeded, shared locks, mutexes through pointers; must and may.
#include "EngineTestSupport.h"

#include "engine/HeldLocks.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

using engine::HeldLocks;
using test::Fixture;
using test::opsOf;

std::vector<std::string> names(const std::set<HeldLocks::Mutex> &Held) {
  std::vector<std::string> Out;
  for (HeldLocks::Mutex M : Held)
    Out.push_back(M->getNameAsString());
  std::sort(Out.begin(), Out.end());
  return Out;
}

using Names = std::vector<std::string>;

TEST(HeldLocks, GuardsLockUnlockAndPaths) {
  Fixture Fx(R"(
#include <mutex>
void f(chan::Chan<int> ch, std::mutex &mu, bool b) {
  {
    std::lock_guard<std::mutex> g(mu);
    ch.send(1);
  }
  ch.send(2);
  mu.lock();
  if (b)
    mu.unlock();
  ch.send(3);
  if (!b)
    mu.unlock();
  std::unique_lock<std::mutex> lk(mu);
  lk.unlock();
  ch.send(4);
  lk.lock();
  ch.send(5);
}
)");
  ASSERT_TRUE(Fx.ir());
  HeldLocks Locks(*Fx.ir());
  std::vector<OpLocation> S = opsOf(*Fx.ir(), OpKind::Send);
  ASSERT_EQ(S.size(), 5u);
  EXPECT_EQ(names(Locks.mustHold(S[0])), Names{"mu"});
  EXPECT_EQ(names(Locks.mayHold(S[1])), Names{});
  EXPECT_EQ(names(Locks.mustHold(S[2])), Names{});
  EXPECT_EQ(names(Locks.mayHold(S[2])), Names{"mu"});
  EXPECT_EQ(names(Locks.mayHold(S[3])), Names{});
  EXPECT_EQ(names(Locks.mustHold(S[4])), Names{"mu"});
}

TEST(HeldLocks, ScopedLocksDeferredLocksMembersAndThrows) {
  Fixture Fx(R"(
#include <mutex>
#include <stdexcept>
struct Hub {
  std::mutex mu_;
  std::mutex other_;
  chan::Chan<int> ch_;
  void f(bool b) {
    {
      std::scoped_lock both(mu_, other_);
      ch_.send(1);
    }
    std::unique_lock<std::mutex> later(mu_, std::defer_lock);
    ch_.send(2);
    try {
      std::lock_guard<std::mutex> g(other_);
      if (b)
        throw std::runtime_error("x");
    } catch (const std::exception &) {
      ch_.send(3);
    }
  }
};
)");
  ASSERT_TRUE(Fx.ir());
  HeldLocks Locks(*Fx.ir());
  std::vector<OpLocation> S = opsOf(*Fx.ir(), OpKind::Send);
  ASSERT_EQ(S.size(), 3u);
  EXPECT_EQ(names(Locks.mustHold(S[0])), (Names{"mu_", "other_"}));
  EXPECT_EQ(names(Locks.mayHold(S[1])), Names{});
  // The throw left the guard's scope: other_ was released on the way.
  EXPECT_EQ(names(Locks.mayHold(S[2])), Names{});
}

TEST(HeldLocks, TryLockHoldsWhereItSucceeded) {
  Fixture Fx(R"(
#include <mutex>
#include <shared_mutex>
void f(chan::Chan<int> ch, std::mutex &mu, std::shared_mutex &rw, std::mutex *pm) {
  if (mu.try_lock()) {
    ch.send(1);
    mu.unlock();
  } else {
    ch.send(2);
  }
  if (!mu.try_lock())
    return;
  ch.send(3);
  mu.unlock();
  rw.lock_shared();
  pm->lock();
  ch.send(4);
  rw.unlock_shared();
  pm->unlock();
  std::unique_lock<std::mutex> lk(mu, std::try_to_lock);
  ch.send(5);
  if (lk.try_lock())
    ch.send(6);
}
)");
  ASSERT_TRUE(Fx.ir());
  HeldLocks Locks(*Fx.ir());
  std::vector<OpLocation> S = opsOf(*Fx.ir(), OpKind::Send);
  ASSERT_EQ(S.size(), 6u);
  EXPECT_EQ(names(Locks.mustHold(S[0])), Names{"mu"});
  EXPECT_EQ(names(Locks.mayHold(S[1])), Names{});
  EXPECT_EQ(names(Locks.mustHold(S[2])), Names{"mu"});
  // A shared lock holds too; a pointer names its mutex by the pointer.
  EXPECT_EQ(names(Locks.mustHold(S[3])), (Names{"pm", "rw"}));
  // try_to_lock may have failed: not known to hold, until a try_lock says so.
  EXPECT_EQ(names(Locks.mustHold(S[4])), Names{});
  EXPECT_EQ(names(Locks.mustHold(S[5])), Names{"mu"});
}

} // namespace
} // namespace chanlint
