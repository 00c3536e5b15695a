// The dispatcher: a queue of jobs, a pool of workers, one results channel.
#pragma once

#include "job.hpp"

#include <chan/chan.hpp>

namespace service {

class Dispatcher {
 public:
  Dispatcher(const chan::Context& ctx, int workers);

  // Queues a job; waits while the queue is full.
  void submit(const Job& job);
  // No more jobs: the workers drain the queue, then results() closes.
  void close_queue() { jobs_.close(); }

  // Reads every result. Gives up after max_failures failed jobs.
  Summary collect(int max_failures);

 private:
  chan::Context ctx_;
  chan::Chan<Job> jobs_{64};
  chan::Chan<Result> results_{64};
};

}  // namespace service
