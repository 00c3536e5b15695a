// Runs a batch of jobs (one TU each) on worker threads, under a time limit
// per job. A job still running at its limit is given up on at once: a
// stand-in result takes its place, a new worker takes its thread's place,
// and the batch finishes without it. Its thread cannot be stopped (a clang
// parse has no point to cancel at): it is detached and runs on, so the
// process must end without waiting for it (Driver.cpp: std::_Exit once the
// reports are written).
#pragma once

#include "Diagnostic.h"

#include <cstddef>
#include <functional>
#include <vector>

namespace chanlint::driver {

struct WatchedJobs {
  size_t Count = 0;
  unsigned Threads = 1;
  /// Seconds a job may run; 0: no limit.
  unsigned LimitSeconds = 0;
  /// Runs job I on a worker. A job given up on runs to its end after
  /// runWatched returned: what Run uses must live as long as the process.
  std::function<TUResult(size_t I)> Run;
  /// The result that stands for job I once it overran; on the caller's
  /// thread.
  std::function<TUResult(size_t I, double Seconds)> Overran;
  enum Event { Started, Finished, GivenUp };
  /// Called one at a time and never after runWatched returned (it may use
  /// the caller's stack). Done: the jobs settled so far, this one included
  /// unless it Started.
  std::function<void(Event, size_t I, unsigned Done)> Progress;
};

/// The results in job order: Run's, or Overran's for a job given up on.
std::vector<TUResult> runWatched(const WatchedJobs &Jobs);

} // namespace chanlint::driver
