// A three-stage pipeline on chan: generate -> square (4 workers) -> sum.
//
// Every stage watches a context, so a deadline (or Ctrl-C-style cancel)
// stops all of them; each output channel is closed by its only sender, or,
// for the fan-out stage, by one closer task that waits for the workers; a
// ticker reports progress and is stopped by a Defer; a LeakGuard checks at
// the end that no task, ticker or timer was left behind.
//
//   chan_example_pipeline [n] [timeout-ms]
#include <chan/chan.hpp>

#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace {

// Stage 1: emits 1..n. It is the channel's only sender, so it closes it.
chan::RecvChan<long> generate(const chan::Context& ctx, long n) {
  chan::Chan<long> out(64);
  chan::go([=] {
    chan::Defer close_out([=] { out.close(); });
    for (long i = 1; i <= n; ++i) {
      // A send that may block is guarded by the context.
      if (chan::select(chan::send_case(out, i), chan::recv_case(ctx.done())) == 1) return;
    }
  });
  return out;
}

// Stage 2: `workers` tasks square what comes in. Several senders share
// `out`, so none of them closes it: a closer waits for all, then closes.
chan::RecvChan<long> square(const chan::Context& ctx, const chan::RecvChan<long>& in, int workers) {
  chan::Chan<long> out(64);
  chan::WaitGroup wg;
  for (int w = 0; w < workers; ++w) {
    wg.add();
    chan::go([=] {
      chan::Defer done([=] { wg.done(); });
      for (long v : in) {
        if (chan::select(chan::send_case(out, v * v), chan::recv_case(ctx.done())) == 1) return;
      }
    });
  }
  chan::go([=] {
    wg.wait();
    out.close();
  });
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const chan::testing::LeakGuard guard;  // at exit: report leaks, exit code 3
  const long n = argc > 1 ? std::stol(argv[1]) : 1000000;
  const auto timeout = std::chrono::milliseconds(argc > 2 ? std::stol(argv[2]) : 10000);

  auto [ctx, cancel] = chan::with_timeout(chan::background(), timeout);
  chan::Defer release([=] { cancel(); });

  const chan::RecvChan<long> results = square(ctx, generate(ctx, n), 4);

  const chan::Ticker progress = chan::new_ticker(100ms);
  chan::Defer stop_progress([=] { progress.stop(); });

  // Stage 3: sum the results, reporting progress on every tick.
  long sum = 0;
  long count = 0;
  for (bool open = true; open;) {
    chan::select(chan::recv_case(results,
                                 [&](std::optional<long> v) {
                                   if (!v) {
                                     open = false;
                                     return;
                                   }
                                   sum += *v;
                                   ++count;
                                 }),
                 chan::recv_case(progress.c(), [&] { std::printf("progress: %ld/%ld\n", count, n); }));
  }

  if (ctx.err() != chan::ContextError::none) {
    std::printf("stopped after %ld of %ld values: %s\n", count, n, chan::to_string(ctx.err()));
    return 1;
  }
  const long expected = n * (n + 1) * (2 * n + 1) / 6;
  std::printf("sum of squares 1..%ld = %ld\n", n, sum);
  return sum == expected ? 0 : 1;
}
