#include "AnalysisScheduler.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

using namespace chanlint::lsp;
using namespace std::chrono_literals;

namespace {

/// Records what was analysed and published; analyses of a version listed
/// in Hold wait until release().
struct Recorder {
  std::mutex Mutex;
  std::condition_variable Changed;
  std::vector<std::int64_t> Analysed;
  std::vector<std::int64_t> Published;
  std::int64_t Hold = -1;
  bool Running = false;

  chanlint::driver::TUResult analyze(const AnalysisJob &Job) {
    std::unique_lock<std::mutex> Lock(Mutex);
    Analysed.push_back(Job.Version);
    Running = true;
    Changed.notify_all();
    Changed.wait(Lock, [&] { return Hold != Job.Version; });
    Running = false;
    chanlint::driver::TUResult R;
    R.File = Job.Path;
    return R;
  }
  void publish(const AnalysisJob &Job) {
    std::lock_guard<std::mutex> Lock(Mutex);
    Published.push_back(Job.Version);
    Changed.notify_all();
  }
  void release() {
    std::lock_guard<std::mutex> Lock(Mutex);
    Hold = -1;
    Changed.notify_all();
  }
  template <typename Pred> bool waitFor(Pred P) {
    std::unique_lock<std::mutex> Lock(Mutex);
    return Changed.wait_for(Lock, 10s, P);
  }
};

AnalysisJob job(std::int64_t Version, const std::string &Uri = "file:///a.cpp") {
  return {Uri, "/a.cpp", Version, "text v" + std::to_string(Version)};
}

struct SchedulerTest : ::testing::Test {
  Recorder R;
  AnalysisScheduler S{[this](const AnalysisJob &J) { return R.analyze(J); },
                      [this](const AnalysisJob &J, const chanlint::driver::TUResult &,
                             AnalysisScheduler::Clock::duration) { R.publish(J); }};
};

TEST_F(SchedulerTest, ABurstOfChangesMakesOneAnalysisOfTheLast) {
  for (int V = 1; V <= 5; ++V)
    S.schedule(job(V), 200ms);
  ASSERT_TRUE(R.waitFor([&] { return !R.Published.empty(); }));
  std::this_thread::sleep_for(300ms);
  std::lock_guard<std::mutex> Lock(R.Mutex);
  EXPECT_EQ(R.Analysed, std::vector<std::int64_t>{5});
  EXPECT_EQ(R.Published, std::vector<std::int64_t>{5});
}

TEST_F(SchedulerTest, AResultSupersededWhileRunningIsDropped) {
  R.Hold = 1;
  S.schedule(job(1), 0ms);
  ASSERT_TRUE(R.waitFor([&] { return R.Running; }));
  S.schedule(job(2), 0ms);
  R.release();
  ASSERT_TRUE(R.waitFor([&] { return !R.Published.empty(); }));
  std::this_thread::sleep_for(100ms);
  std::lock_guard<std::mutex> Lock(R.Mutex);
  EXPECT_EQ(R.Analysed, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(R.Published, std::vector<std::int64_t>{2});
}

TEST_F(SchedulerTest, CancelDropsWaitingAndRunningAnalyses) {
  R.Hold = 1;
  S.schedule(job(1), 0ms);
  ASSERT_TRUE(R.waitFor([&] { return R.Running; }));
  S.schedule(job(7, "file:///b.cpp"), 50ms);
  S.cancel("file:///a.cpp");
  S.cancel("file:///b.cpp");
  R.release();
  std::this_thread::sleep_for(300ms);
  std::lock_guard<std::mutex> Lock(R.Mutex);
  EXPECT_EQ(R.Analysed, std::vector<std::int64_t>{1});
  EXPECT_TRUE(R.Published.empty());
}

TEST_F(SchedulerTest, ASaveOfTheVersionBeingAnalysedDoesNotRestartIt) {
  R.Hold = 1;
  S.schedule(job(1), 0ms);
  ASSERT_TRUE(R.waitFor([&] { return R.Running; }));
  S.scheduleNowUnlessUnderWay(job(1));
  R.release();
  ASSERT_TRUE(R.waitFor([&] { return !R.Published.empty(); }));
  std::this_thread::sleep_for(200ms);
  std::lock_guard<std::mutex> Lock(R.Mutex);
  EXPECT_EQ(R.Analysed, std::vector<std::int64_t>{1}); // no second analysis
  EXPECT_EQ(R.Published, std::vector<std::int64_t>{1}); // and its result stands
}

TEST_F(SchedulerTest, ASaveStartsAWaitingAnalysisOfItsVersionAtOnce) {
  S.schedule(job(1), 10s); // a long debounce
  S.scheduleNowUnlessUnderWay(job(1));
  ASSERT_TRUE(R.waitFor([&] { return !R.Published.empty(); })); // well before 10 s
  std::lock_guard<std::mutex> Lock(R.Mutex);
  EXPECT_EQ(R.Analysed, std::vector<std::int64_t>{1});
}

TEST_F(SchedulerTest, ASaveAfterTheResultOrOfAnotherVersionAnalysesAgain) {
  S.schedule(job(1), 0ms);
  ASSERT_TRUE(R.waitFor([&] { return R.Published.size() == 1; }));
  S.scheduleNowUnlessUnderWay(job(1)); // headers may have been saved since
  ASSERT_TRUE(R.waitFor([&] { return R.Published.size() == 2; }));

  R.Hold = 2;
  S.schedule(job(2), 0ms);
  ASSERT_TRUE(R.waitFor([&] { return R.Running; }));
  S.scheduleNowUnlessUnderWay(job(3)); // not the version that runs
  R.release();
  ASSERT_TRUE(R.waitFor([&] { return R.Published.size() == 3; }));
  std::this_thread::sleep_for(100ms);
  std::lock_guard<std::mutex> Lock(R.Mutex);
  EXPECT_EQ(R.Analysed, (std::vector<std::int64_t>{1, 1, 2, 3}));
  EXPECT_EQ(R.Published, (std::vector<std::int64_t>{1, 1, 3}));
}

TEST_F(SchedulerTest, DocumentsAreAnalysedIndependently) {
  S.schedule(job(1, "file:///a.cpp"), 0ms);
  S.schedule(job(2, "file:///b.cpp"), 0ms);
  ASSERT_TRUE(R.waitFor([&] { return R.Published.size() == 2; }));
}

TEST(AnalysisScheduler, DestructionWaitsForTheRunningAnalysisAndPublishesNothing) {
  Recorder R;
  R.Hold = 1;
  std::thread Releaser;
  {
    AnalysisScheduler S([&](const AnalysisJob &J) { return R.analyze(J); },
                        [&](const AnalysisJob &J, const chanlint::driver::TUResult &,
                            AnalysisScheduler::Clock::duration) { R.publish(J); });
    S.schedule(job(1), 0ms);
    ASSERT_TRUE(R.waitFor([&] { return R.Running; }));
    Releaser = std::thread([&] {
      std::this_thread::sleep_for(100ms);
      R.release();
    });
  }
  Releaser.join();
  std::lock_guard<std::mutex> Lock(R.Mutex);
  EXPECT_FALSE(R.Running);
  EXPECT_TRUE(R.Published.empty());
}

} // namespace
