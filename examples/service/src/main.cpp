// chan_example_service [jobs] [workers]: dispatches jobs to a worker pool,
// retries the failures, reports statistics, shuts down on completion or
// when the watchdog sees no progress.
#include "dispatcher.hpp"
#include "stats.hpp"

#include <chan/chan.hpp>

#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace service {
chan::RecvChan<Result> retry_all(const chan::Context& ctx, const std::vector<Job>& failed);
}

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::stoi(argv[1]) : 100;
  const int workers = argc > 2 ? std::stoi(argv[2]) : 4;

  auto [ctx, cancel] = chan::with_timeout(chan::background(), 30s);
  chan::Defer release([=] { cancel(); });

  service::Counters counters;
  chan::Group background(ctx);
  background.go([&](const chan::Context& c) { service::report_stats(c, counters, 200ms); });
  background.go([&, cancel = cancel](const chan::Context& c) {
    service::watchdog(c, counters, cancel, 5s);
  });

  service::Dispatcher dispatcher(ctx, workers);
  chan::go([&] {
    for (int i = 1; i <= n; ++i) {
      if (ctx.err() != chan::ContextError::none) {
        // Shutting down: no more jobs. The loop ends and the queue is
        // closed again below.
        dispatcher.close_queue();
        break;
      }
      dispatcher.submit({i, "job-" + std::to_string(i)});
      ++counters.submitted;
    }
    dispatcher.close_queue();
  });

  service::Summary summary = dispatcher.collect(/*max_failures=*/n / 5);
  counters.finished += summary.ok + summary.failed;

  int recovered = 0;
  for (const service::Result& r : service::retry_all(ctx, summary.to_retry))
    recovered += r.ok ? 1 : 0;

  cancel();  // stops the reporters
  background.wait();
  std::printf("%d ok, %d failed, %d recovered on retry\n", summary.ok, summary.failed,
              recovered);
  return summary.failed == recovered ? 0 : 1;
}
