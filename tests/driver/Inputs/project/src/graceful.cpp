// Graceful code: one closer after a WaitGroup, sends guarded by the
// context, the ticker stopped by a Defer. No finding.
#include <chan/chan.hpp>

#include <chrono>

using namespace std::chrono_literals;

chan::RecvChan<int> produce(const chan::Context &ctx, int workers) {
  chan::Chan<int> out(workers);
  chan::WaitGroup wg;
  for (int w = 0; w < workers; ++w) {
    wg.add(1);
    chan::go([=] {
      chan::Defer done([=] { wg.done(); });
      if (chan::select(chan::send_case(out, w), chan::recv_case(ctx.done())) == 1)
        return;
    });
  }
  chan::go([=] {
    wg.wait();
    out.close();
  });
  return out;
}

int drain(const chan::Context &ctx) {
  chan::Ticker tick = chan::new_ticker(50ms);
  chan::Defer stop_tick([=] { tick.stop(); });
  int total = 0;
  for (int v : produce(ctx, 4))
    total += v;
  return total;
}
