// Runs analyses on a thread of their own, so that the reader thread keeps
// answering the client while clang works.
//
// Per document at most one analysis is waiting. A new request for it
// replaces the waiting one and restarts its delay (the debounce: a burst of
// edits makes one analysis, of the last text). An analysis that is already
// running cannot be interrupted; when it ends, its result is published only
// if no newer request or cancel came for the document meanwhile, so an old
// version's diagnostics never reach the client after a newer version was
// seen.
#pragma once

#include "Diagnostic.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace chanlint::lsp {

struct AnalysisJob {
  std::string Uri;
  std::string Path;
  std::int64_t Version = 0;
  std::string Text; ///< the document's text at Version
};

class AnalysisScheduler {
public:
  using Clock = std::chrono::steady_clock;
  /// Runs on the analysis thread, with no lock held.
  using AnalyzeFn = std::function<driver::TUResult(const AnalysisJob &)>;
  /// Runs on the analysis thread for a result that is still current, with
  /// the scheduler's lock held: a schedule() or cancel() for the document
  /// waits until the result is out. It must not call back into the
  /// scheduler. Elapsed is the time since the job was last scheduled.
  /// Results that are no longer current are dropped (and logged).
  using PublishFn =
      std::function<void(const AnalysisJob &, const driver::TUResult &, Clock::duration Elapsed)>;

  AnalysisScheduler(AnalyzeFn Analyze, PublishFn Publish);
  /// Waits for a running analysis to end; drops the waiting ones.
  ~AnalysisScheduler();
  AnalysisScheduler(const AnalysisScheduler &) = delete;
  AnalysisScheduler &operator=(const AnalysisScheduler &) = delete;

  /// Analyse Job.Uri at Job.Version once Delay has passed without another
  /// schedule() for the same document.
  void schedule(AnalysisJob Job, std::chrono::milliseconds Delay);
  /// Analyse Job now, unless this very version is already under way: a
  /// running analysis of it stands (its result is as good, and starting
  /// over would only delay it), a waiting one starts now. A save asks
  /// this: it does not change the text.
  void scheduleNowUnlessUnderWay(AnalysisJob Job);
  /// Forget the document: drop its waiting analysis and the result of a
  /// running one.
  void cancel(const std::string &Uri);
  /// cancel() for every document (after shutdown).
  void cancelAll();

private:
  struct Pending {
    AnalysisJob Job;
    Clock::time_point Due;
    Clock::time_point Scheduled;
    std::uint64_t Generation;
  };

  /// schedule() with the lock held.
  void scheduleLocked(AnalysisJob Job, std::chrono::milliseconds Delay);
  void work();

  AnalyzeFn Analyze;
  PublishFn Publish;

  std::mutex Mutex;
  std::condition_variable Wake;
  std::map<std::string, Pending> Waiting;           ///< by URI
  std::map<std::string, std::uint64_t> Generations; ///< bumped by schedule and cancel
  /// The analysis on the worker thread, if any.
  struct RunningJob {
    std::string Uri;
    std::int64_t Version;
    std::uint64_t Generation;
  };
  std::optional<RunningJob> Running;
  std::uint64_t NextGeneration = 1;
  bool Stopping = false;
  std::thread Worker; ///< last: starts once the rest is initialised
};

} // namespace chanlint::lsp
