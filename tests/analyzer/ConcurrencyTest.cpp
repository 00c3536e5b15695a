// May-happen-in-parallel over a ProgramModel: spawns start tasks; waits,
// joins, future waits and completion signals end them; callees and Defers
// run in place; a task started in a loop overlaps itself.
#include "ModelTestSupport.h"

#include "Concurrency.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

/// The program model of a snippet's root with its concurrency views.
class Model : public test::Model {
public:
  explicit Model(const std::string &Code,
                 const std::vector<std::string> &Entries = {"f"},
                 const std::string &Class = "")
      : test::Model(Code, Entries, Class) {
    if (M)
      C = std::make_unique<Concurrency>(*M);
  }

  bool ok() const { return M && C; }
  const Concurrency &conc() const { return *C; }
  const Party &partyOf(const Event &E) const { return M->party(E.Party); }
  bool parallel(const Event *A, const Event *B) const {
    return C->mayHappenInParallel(*A, *B);
  }
  /// Task indices set in a view.
  std::vector<unsigned> running(const Event *E) const {
    std::vector<unsigned> Out;
    const llvm::BitVector &V = C->view(*E);
    for (unsigned T = 0; T < V.size(); ++T)
      if (V.test(T))
        Out.push_back(T);
    return Out;
  }

private:
  std::unique_ptr<Concurrency> C;
};

using K = Event::Kind;
using Running = std::vector<unsigned>;

TEST(Concurrency, ASpawnStartsATask) {
  Model Mx(R"(
void f(chan::Chan<int> ch) {
  ch.send(0);
  chan::go([ch] { (void)ch.recv(); });
  ch.send(1);
}
)");
  ASSERT_TRUE(Mx.ok());
  ASSERT_EQ(Mx.model().numTasks(), 1u);
  const Event *Before = Mx.event(K::Send, 3);
  const Event *Task = Mx.event(K::Recv, 4);
  const Event *After = Mx.event(K::Send, 5);
  ASSERT_TRUE(Before && Task && After);
  EXPECT_TRUE(Mx.partyOf(*Task).isTask());
  EXPECT_FALSE(Mx.partyOf(*Task).Many);
  EXPECT_EQ(Mx.partyOf(*Task).TaskIndex, 0u);

  EXPECT_EQ(Mx.running(Before), Running{});
  EXPECT_EQ(Mx.running(After), Running{0});
  EXPECT_FALSE(Mx.parallel(Before, Task));
  EXPECT_TRUE(Mx.parallel(After, Task));
  EXPECT_TRUE(Mx.parallel(Task, After)); // symmetric
  // A single task does not run alongside itself.
  EXPECT_EQ(Mx.running(Task), Running{});
  // One party's ops are never "in parallel" with each other.
  EXPECT_FALSE(Mx.parallel(Before, After));
}

TEST(Concurrency, WaitGroupWaitEndsTheTasksThatReportToIt) {
  Model Mx(R"(
void f(chan::Chan<int> ch) {
  chan::WaitGroup wg, unrelated;
  wg.add(1);
  chan::go([=] { chan::Defer d([=] { wg.done(); }); ch.send(1); });
  unrelated.wait();
  ch.close();
  wg.wait();
  ch.close();
}
)");
  ASSERT_TRUE(Mx.ok());
  const Event *Send = Mx.event(K::Send, 5);
  const Event *Early = Mx.event(K::Close, 7);
  const Event *Late = Mx.event(K::Close, 9);
  ASSERT_TRUE(Send && Early && Late);
  // Waiting on another group ends nothing.
  EXPECT_TRUE(Mx.parallel(Early, Send));
  EXPECT_FALSE(Mx.parallel(Late, Send));
  EXPECT_EQ(Mx.running(Late), Running{});

  // WaitGroup::go: the task reports to the group it was started on.
  Model Gx(R"(
void f(chan::Chan<int> ch) {
  chan::WaitGroup wg;
  wg.go([ch] { ch.send(2); });
  ch.close();
  wg.wait();
  ch.close();
}
)");
  ASSERT_TRUE(Gx.ok());
  const Event *GoSend = Gx.event(K::Send, 4);
  ASSERT_TRUE(GoSend && Gx.event(K::Close, 5) && Gx.event(K::Close, 7));
  EXPECT_TRUE(Gx.parallel(Gx.event(K::Close, 5), GoSend));
  EXPECT_FALSE(Gx.parallel(Gx.event(K::Close, 7), GoSend));
}

TEST(Concurrency, GroupWaitEndsItsOwnTasks) {
  Model Mx(R"(
void f(chan::Chan<int> ch) {
  chan::Group g, h;
  g.go([ch](const chan::Context &) { ch.send(1); });
  h.go([ch] { (void)ch.recv(); });
  h.wait();
  ch.close();
  g.wait();
  ch.close();
}
)");
  ASSERT_TRUE(Mx.ok());
  ASSERT_EQ(Mx.model().numTasks(), 2u);
  const Event *GSend = Mx.event(K::Send, 4);
  const Event *HRecv = Mx.event(K::Recv, 5);
  const Event *AfterH = Mx.event(K::Close, 7);
  const Event *AfterG = Mx.event(K::Close, 9);
  ASSERT_TRUE(GSend && HRecv && AfterH && AfterG);
  EXPECT_TRUE(Mx.parallel(AfterH, GSend));
  EXPECT_FALSE(Mx.parallel(AfterH, HRecv));
  EXPECT_FALSE(Mx.parallel(AfterG, GSend));
  // The two tasks overlap each other.
  EXPECT_TRUE(Mx.parallel(GSend, HRecv));
}

TEST(Concurrency, JoinsAndFutureWaitsEndTheirTasks) {
  Model Mx(R"(
#include <future>
#include <thread>
void f(chan::Chan<int> ch) {
  std::thread t([ch] { ch.send(1); });
  std::thread u([ch] { ch.send(2); });
  t.join();
  ch.close();
  u.join();
  auto fut = std::async(std::launch::async, [ch] { ch.send(3); });
  ch.close();
  fut.get();
  ch.close();
  std::async(std::launch::async, [ch] { ch.send(4); });
  ch.close();
}
)");
  ASSERT_TRUE(Mx.ok());
  // The dropped future makes the last async synchronous: no task.
  ASSERT_EQ(Mx.model().numTasks(), 3u);
  const Event *T = Mx.event(K::Send, 5);
  const Event *U = Mx.event(K::Send, 6);
  const Event *Fut = Mx.event(K::Send, 10);
  const Event *Sync = Mx.event(K::Send, 14);
  ASSERT_TRUE(T && U && Fut && Sync);
  EXPECT_FALSE(Mx.partyOf(*Sync).isTask());

  const Event *AfterT = Mx.event(K::Close, 8);
  EXPECT_FALSE(Mx.parallel(AfterT, T));
  EXPECT_TRUE(Mx.parallel(AfterT, U));
  const Event *BeforeGet = Mx.event(K::Close, 11);
  EXPECT_TRUE(Mx.parallel(BeforeGet, Fut));
  EXPECT_FALSE(Mx.parallel(BeforeGet, U));
  const Event *AfterGet = Mx.event(K::Close, 13);
  EXPECT_FALSE(Mx.parallel(AfterGet, Fut));
  EXPECT_EQ(Mx.running(AfterGet), Running{});
  EXPECT_EQ(Mx.running(Mx.event(K::Close, 15)), Running{});
}

TEST(Concurrency, ReceivingATasksCompletionSignalEndsIt) {
  Model Mx(R"(
void f(chan::Chan<int> ch) {
  chan::Chan<chan::Unit> done, other;
  chan::go([=] { chan::Defer d([=] { done.close(); }); ch.send(1); });
  (void)other.recv();
  ch.close();
  (void)done.recv();
  ch.close();
}
)");
  ASSERT_TRUE(Mx.ok());
  const Event *Send = Mx.event(K::Send, 4);
  ASSERT_TRUE(Send);
  // A receive on another channel says nothing about the task.
  EXPECT_TRUE(Mx.parallel(Mx.event(K::Close, 6), Send));
  EXPECT_FALSE(Mx.parallel(Mx.event(K::Close, 8), Send));
}

TEST(Concurrency, CalleesAndDefersRunInPlace) {
  Model Mx(R"(
void spawnOne(chan::Chan<int> ch, chan::WaitGroup wg) {
  wg.add(1);
  chan::go([=] { ch.send(1); wg.done(); });
}
void waitFor(chan::WaitGroup wg) { wg.wait(); }
void f(chan::Chan<int> ch) {
  chan::WaitGroup wg;
  ch.close();
  spawnOne(ch, wg);
  ch.close();
  waitFor(wg);
  ch.close();
}
)");
  ASSERT_TRUE(Mx.ok());
  const Event *Send = Mx.event(K::Send, 4);
  ASSERT_TRUE(Send);
  EXPECT_FALSE(Mx.parallel(Mx.event(K::Close, 9), Send));
  // The callee's spawn is seen by its caller after the call...
  EXPECT_TRUE(Mx.parallel(Mx.event(K::Close, 11), Send));
  // ...and so is the callee's wait.
  EXPECT_FALSE(Mx.parallel(Mx.event(K::Close, 13), Send));

  Model Dx(R"(
void f(chan::Chan<int> ch) {
  chan::WaitGroup wg;
  {
    chan::Defer d([&] { wg.wait(); });
    wg.go([ch] { ch.send(2); });
    ch.close();
  }
  ch.close();
}
)");
  ASSERT_TRUE(Dx.ok());
  const Event *DSend = Dx.event(K::Send, 6);
  ASSERT_TRUE(DSend);
  EXPECT_TRUE(Dx.parallel(Dx.event(K::Close, 7), DSend));
  // The Defer waited where its block ended.
  EXPECT_FALSE(Dx.parallel(Dx.event(K::Close, 9), DSend));
}

TEST(Concurrency, ATaskStartedInALoopRunsAlongsideItself) {
  Model Mx(R"(
#include <thread>
#include <vector>
void f(chan::Chan<int> ch, int n) {
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([ch] { ch.send(1); });
  chan::go([ch] { (void)ch.recv(); });
  for (auto &t : ts)
    t.join();
  ch.close();
}
)");
  ASSERT_TRUE(Mx.ok());
  ASSERT_EQ(Mx.model().numTasks(), 2u);
  const Event *Send = Mx.event(K::Send, 7);
  const Event *Recv = Mx.event(K::Recv, 8);
  const Event *Close = Mx.event(K::Close, 11);
  ASSERT_TRUE(Send && Recv && Close);
  const Party &Many = Mx.partyOf(*Send);
  const Party &Once = Mx.partyOf(*Recv);
  EXPECT_TRUE(Many.Many);
  EXPECT_FALSE(Once.Many);
  // The looped task sees other runs of itself; the single one does not.
  EXPECT_TRUE(Mx.conc().view(*Send).test(Many.TaskIndex));
  EXPECT_FALSE(Mx.conc().view(*Recv).test(Once.TaskIndex));
  // Each sees the other: started earlier and still running, or started
  // while it runs.
  EXPECT_TRUE(Mx.conc().view(*Send).test(Once.TaskIndex));
  EXPECT_TRUE(Mx.conc().view(*Recv).test(Many.TaskIndex));
  // Joining every thread of the container ends the looped tasks only.
  EXPECT_FALSE(Mx.parallel(Close, Send));
  EXPECT_TRUE(Mx.parallel(Close, Recv));
}

TEST(Concurrency, EntriesOfAClassSeeTasksOtherEntriesStarted) {
  Model Mx(R"(
class Feed {
public:
  Feed() { (void)ch_.try_send(0); }
  void start() {
    ch_.send(1);
    chan::go([this] { for (;;) ch_.send(2); });
  }
  void stop() { ch_.close(); }
private:
  chan::Chan<int> ch_;
};
)",
           {"Feed", "start", "stop"}, "Feed");
  ASSERT_TRUE(Mx.ok());
  ASSERT_EQ(Mx.model().numTasks(), 1u);
  const Event *Loop = Mx.event(K::Send, 7);
  ASSERT_TRUE(Loop);
  EXPECT_TRUE(Mx.partyOf(*Loop).isTask());
  // stop() may be called while start()'s task runs.
  EXPECT_TRUE(Mx.parallel(Mx.event(K::Close, 9), Loop));
  // The constructor runs before anything else the object does.
  EXPECT_FALSE(Mx.parallel(Mx.event(K::TrySend, 4), Loop));
  // An entry's own task is not running before the entry starts it.
  EXPECT_FALSE(Mx.parallel(Mx.event(K::Send, 6), Loop));
}

} // namespace
} // namespace chanlint
