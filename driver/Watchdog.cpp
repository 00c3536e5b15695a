#include "Watchdog.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace chanlint::driver {

namespace {

using Clock = std::chrono::steady_clock;

/// What the workers share with the watching thread. Jointly owned: a
/// worker given up on finishes after runWatched returned, and must still
/// find its batch.
struct Batch {
  explicit Batch(const WatchedJobs &Jobs) : Jobs(Jobs), Results(Jobs.Count) {}

  /// The caller's; its Run is copied (workers may outlive the call), its
  /// Progress is called only while the call lasts.
  const WatchedJobs &Jobs;
  const std::function<TUResult(size_t)> Run = Jobs.Run;

  std::mutex M;
  std::condition_variable Changed; ///< a job started or settled
  size_t Next = 0;                 ///< the next job to start
  unsigned Settled = 0;            ///< jobs finished or given up on
  std::vector<std::optional<TUResult>> Results;
  struct Running {
    Clock::time_point Start;
    size_t Worker;
  };
  std::map<size_t, Running> Active; ///< job -> when it started, on which worker

  void progress(WatchedJobs::Event E, size_t I) {
    if (Jobs.Progress)
      Jobs.Progress(E, I, Settled);
  }
};

void work(std::shared_ptr<Batch> B, size_t Worker) {
  std::unique_lock<std::mutex> Lock(B->M);
  // Next < Count means runWatched is still waiting: Progress may be called.
  while (B->Next < B->Results.size()) {
    size_t I = B->Next++;
    B->Active[I] = {Clock::now(), Worker};
    B->progress(WatchedJobs::Started, I);
    B->Changed.notify_all(); // a new deadline to watch
    Lock.unlock();
    TUResult R = B->Run(I);
    Lock.lock();
    if (B->Results[I])
      return; // given up on: another worker took this one's place
    B->Results[I] = std::move(R);
    B->Active.erase(I);
    ++B->Settled;
    B->progress(WatchedJobs::Finished, I);
    B->Changed.notify_all();
  }
}

} // namespace

std::vector<TUResult> runWatched(const WatchedJobs &Jobs) {
  if (Jobs.Count == 0)
    return {};
  auto B = std::make_shared<Batch>(Jobs);
  std::vector<std::thread> Workers;
  std::vector<bool> Abandoned;
  auto Spawn = [&] {
    Workers.emplace_back(work, B, Workers.size());
    Abandoned.push_back(false);
  };
  size_t Threads = std::clamp<size_t>(Jobs.Threads, 1, Jobs.Count);
  std::unique_lock<std::mutex> Lock(B->M);
  for (size_t T = 0; T < Threads; ++T)
    Spawn(); // they wait for the lock

  const auto Limit = std::chrono::seconds(Jobs.LimitSeconds);
  while (B->Settled < Jobs.Count) {
    if (Jobs.LimitSeconds == 0) {
      B->Changed.wait(Lock);
      continue;
    }
    Clock::time_point Now = Clock::now();
    std::optional<Clock::time_point> NextDeadline;
    for (auto It = B->Active.begin(); It != B->Active.end();) {
      auto [I, Run] = *It;
      if (Now - Run.Start < Limit) {
        NextDeadline = std::min(NextDeadline.value_or(Run.Start + Limit), Run.Start + Limit);
        ++It;
        continue;
      }
      It = B->Active.erase(It);
      B->Results[I] = Jobs.Overran(I, std::chrono::duration<double>(Now - Run.Start).count());
      ++B->Settled;
      B->progress(WatchedJobs::GivenUp, I);
      Abandoned[Run.Worker] = true;
      if (B->Next < Jobs.Count)
        Spawn(); // the batch goes on at full width
    }
    if (B->Settled == Jobs.Count)
      break;
    if (NextDeadline)
      B->Changed.wait_until(Lock, *NextDeadline);
    else
      B->Changed.wait(Lock);
  }
  std::vector<TUResult> Out;
  Out.reserve(Jobs.Count);
  for (std::optional<TUResult> &R : B->Results)
    Out.push_back(std::move(*R)); // under the lock: an abandoned worker may look
  Lock.unlock();

  // Every job settled: the workers still running jobs are the abandoned ones.
  for (size_t W = 0; W < Workers.size(); ++W) {
    if (Abandoned[W])
      Workers[W].detach();
    else
      Workers[W].join();
  }
  return Out;
}

} // namespace chanlint::driver
