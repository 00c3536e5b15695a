// Uses the installed chan package: a producer, a closer, select, a context.
#include <chan/chan.hpp>

#include <cstdio>

int main() {
  chan::testing::LeakGuard guard;
  chan::Chan<int> ch(4);
  chan::WaitGroup wg;
  for (int i = 1; i <= 3; ++i) {
    wg.add();
    chan::go([=] {
      ch.send(i);
      wg.done();
    });
  }
  chan::go([=] {
    wg.wait();
    ch.close();
  });
  int sum = 0;
  for (int v : ch) sum += v;

  auto [ctx, cancel] = chan::with_cancel(chan::background());
  cancel();
  const std::size_t fired = chan::select(chan::recv_case(ctx.done()), chan::default_case());

  std::printf("chan %d.%d.%d: sum=%d select=%zu\n", chan::version_major, chan::version_minor,
              chan::version_patch, sum, fired);
  return sum == 6 && fired == 0 ? 0 : 1;
}
