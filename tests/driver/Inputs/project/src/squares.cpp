// Fan-out where every worker closes the shared results channel when it is
// done (chan-multi-sender-close, with a fix-it), and a progress ticker that
// is never stopped (chan-ticker-not-stopped, with a fix-it).
#include <chan/chan.hpp>

#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

long sum_of_squares(int n) {
  chan::Chan<long> results(n);
  chan::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    chan::go([=] {
      chan::Defer done([=] { wg.done(); });
      chan::Defer close_results([=] { results.close(); });
      results.send(long(i) * i);
    });
  }
  long sum = 0;
  for (long r : results)
    sum += r;
  return sum;
}

void report_progress(const chan::Context &ctx) {
  chan::Ticker tick = chan::new_ticker(100ms);
  for (;;) {
    if (chan::select(chan::recv_case(ctx.done()),
                     chan::recv_case(tick.c(), [](auto) { std::puts("tick"); })) == 0)
      return;
  }
}
