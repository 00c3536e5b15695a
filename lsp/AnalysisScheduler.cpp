#include "AnalysisScheduler.h"

#include "Log.h"

#include <algorithm>

namespace chanlint::lsp {

AnalysisScheduler::AnalysisScheduler(AnalyzeFn Analyze, PublishFn Publish)
    : Analyze(std::move(Analyze)), Publish(std::move(Publish)), Worker([this] { work(); }) {}

AnalysisScheduler::~AnalysisScheduler() {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    Stopping = true;
    Waiting.clear();
  }
  Wake.notify_all();
  Worker.join();
}

void AnalysisScheduler::schedule(AnalysisJob Job, std::chrono::milliseconds Delay) {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    scheduleLocked(std::move(Job), Delay);
  }
  Wake.notify_all();
}

void AnalysisScheduler::scheduleNowUnlessUnderWay(AnalysisJob Job) {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (auto W = Waiting.find(Job.Uri); W != Waiting.end()) {
      if (W->second.Job.Version == Job.Version)
        W->second.Due = std::min(W->second.Due, Clock::now());
      else
        scheduleLocked(std::move(Job), std::chrono::milliseconds(0));
    } else if (!(Running && Running->Uri == Job.Uri && Running->Version == Job.Version &&
                 Generations[Job.Uri] == Running->Generation)) {
      scheduleLocked(std::move(Job), std::chrono::milliseconds(0));
    }
  }
  Wake.notify_all();
}

void AnalysisScheduler::scheduleLocked(AnalysisJob Job, std::chrono::milliseconds Delay) {
  if (Stopping)
    return;
  std::uint64_t Generation = NextGeneration++;
  Generations[Job.Uri] = Generation;
  Clock::time_point Now = Clock::now();
  std::string Uri = Job.Uri;
  Waiting[Uri] = Pending{std::move(Job), Now + Delay, Now, Generation};
}

void AnalysisScheduler::cancel(const std::string &Uri) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Waiting.erase(Uri);
  Generations[Uri] = NextGeneration++;
}

void AnalysisScheduler::cancelAll() {
  std::lock_guard<std::mutex> Lock(Mutex);
  Waiting.clear();
  for (auto &[Uri, Generation] : Generations)
    Generation = NextGeneration++;
}

void AnalysisScheduler::work() {
  std::unique_lock<std::mutex> Lock(Mutex);
  for (;;) {
    if (Stopping)
      return;
    if (Waiting.empty()) {
      Wake.wait(Lock);
      continue;
    }
    auto Next = Waiting.begin();
    for (auto It = Waiting.begin(); It != Waiting.end(); ++It)
      if (It->second.Due < Next->second.Due)
        Next = It;
    if (Clock::now() < Next->second.Due) {
      // Woken early by a new schedule(), cancel() or the destructor: look
      // again, the soonest job may have changed.
      Wake.wait_until(Lock, Next->second.Due);
      continue;
    }
    Pending Job = std::move(Next->second);
    Waiting.erase(Next);

    Running = RunningJob{Job.Job.Uri, Job.Job.Version, Job.Generation};
    Lock.unlock();
    driver::TUResult Result;
    try {
      Result = Analyze(Job.Job);
    } catch (const std::exception &E) {
      Result.File = Job.Job.Path;
      Result.Failed = true;
      Result.FailureReason = std::string("the analysis failed: ") + E.what();
    }
    Lock.lock();
    Running.reset();

    if (Stopping)
      return;
    if (Generations[Job.Job.Uri] != Job.Generation) {
      logLine("dropped the analysis of " + Job.Job.Uri + " version " +
              std::to_string(Job.Job.Version) + ": a newer version or a close came while it ran");
    } else {
      try {
        Publish(Job.Job, Result, Clock::now() - Job.Scheduled);
      } catch (const std::exception &E) {
        logLine("publishing the diagnostics of " + Job.Job.Uri + " failed: " + E.what());
      }
    }
  }
}

} // namespace chanlint::lsp
