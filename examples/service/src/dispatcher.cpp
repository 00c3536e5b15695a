#include "dispatcher.hpp"

#include <cstdio>
#include <thread>

namespace service {

Result process(const Job& job) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (job.id % 7 == 0 && job.attempt == 1) return {job.id, false, "backend timeout"};
  return {job.id, true, "processed " + job.payload};
}

namespace {

// The worker pool. The workers share `results`, so none of them closes it:
// a closer waits for all of them, then closes.
void run_workers(const chan::Context& ctx, chan::RecvChan<Job> jobs, chan::SendChan<Result> results,
                 int workers) {
  chan::WaitGroup wg;
  for (int w = 0; w < workers; ++w) {
    wg.add(1);
    chan::go([=] {
      chan::Defer done([=] { wg.done(); });
      for (const Job& job : jobs) {
        Result r = process(job);
        if (chan::select(chan::send_case(results, r), chan::recv_case(ctx.done())) == 1) return;
      }
    });
  }
  chan::go([=] {
    wg.wait();
    results.close();
  });
}

}  // namespace

Dispatcher::Dispatcher(const chan::Context& ctx, int workers) : ctx_(ctx) {
  run_workers(ctx_, jobs_, results_, workers);
}

void Dispatcher::submit(const Job& job) {
  // Blocks while the queue is full, even once the service is shutting down.
  jobs_.send(job);
}

Summary Dispatcher::collect(int max_failures) {
  Summary s;
  for (const Result& r : results_) {
    if (r.ok) {
      ++s.ok;
      continue;
    }
    ++s.failed;
    s.to_retry.push_back({r.job_id, "retry", 2});
    if (s.failed > max_failures) {
      std::fprintf(stderr, "too many failures, stopping the workers\n");
      results_.close();
      break;
    }
  }
  return s;
}

}  // namespace service
