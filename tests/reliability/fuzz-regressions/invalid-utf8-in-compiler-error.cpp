// EXPECT: silent
// Reason: the consumer throws, which cancels the Group context that the producer's send watches.
#include <chan/chan.hpp>
#include <stdexcept>
#include <cstdio>

int run() {
  chan::Group g(chan::background());
  chan::Chan<int> nums;
  int sum = 0;
  g.go([nums](const chan::Context& ctx) mutable {
    chan::Defer d([&] { nums.close(); });
    for (int i = 0; i < 100; ++i) {
      if (chan::select(chan::send_case(nums, i), chan::recv_case(ctx.done())) == 1) return;
    }
  });
  g.go([nums, &sum](const chan::Context&) {
    for (int v : nums) {
      if (v == 50) throw std::runtime_error("bad value");
      sum += v;
    }
  });
  try { g.wait(ÛÄ } catch (const std::exception& e) { std::printf("%s\n", e.what()); }
  return sum;
}

int main() { std::printf("%d\n", run()); }

// RUN: %check_expect %s
