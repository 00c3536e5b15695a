#include "stats.hpp"

#include <cstdio>

namespace service {

void report_stats(const chan::Context& ctx, const Counters& counters,
                  chan::Duration interval) {
  chan::Ticker tick = chan::new_ticker(interval);
  for (;;) {
    const std::size_t fired = chan::select(
        chan::recv_case(ctx.done()),
        chan::recv_case(tick.c(), [&](auto) {
          std::printf("stats: %d submitted, %d finished\n", counters.submitted.load(),
                      counters.finished.load());
        }));
    if (fired == 0) return;  // the ticker keeps running after this
  }
}

void watchdog(const chan::Context& ctx, const Counters& counters, chan::CancelFunc cancel,
              chan::Duration limit) {
  chan::Ticker check = chan::new_ticker(limit);
  chan::Defer stop_check([=] { check.stop(); });
  int last = counters.finished.load();
  for (;;) {
    if (chan::select(chan::recv_case(ctx.done()), chan::recv_case(check.c())) == 0) return;
    const int now = counters.finished.load();
    if (now == last) {
      std::fprintf(stderr, "watchdog: no progress, shutting down\n");
      cancel();
      return;
    }
    last = now;
  }
}

}  // namespace service
