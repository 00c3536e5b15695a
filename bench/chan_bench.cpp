// chan against mutex + condition_variable baselines, pairwise:
//   PingPong      one value back and forth between two threads (unbuffered
//                 channels; the baseline uses capacity-1 queues)
//   Throughput    P producers -> one consumer through a 128-slot buffer
//   Select4       one consumer receiving from whichever of 4 producers'
//                 16-slot channels is ready (baseline: 4 queues, one mutex)
//   Uncontended   send then receive on one thread, never blocking
// Every benchmark counts one item per iteration; producers run for the
// whole benchmark and are stopped by closing the channel. Each baseline
// comes plain (Mutex) and with chan's spin-then-sleep waiting (MutexSpin).
#include "baseline_queue.hpp"

#include <chan/chan.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <thread>
#include <vector>

namespace {

void BM_PingPong_Chan(benchmark::State& state) {
  chan::Chan<int> ping;
  chan::Chan<int> pong;
  std::thread echo([=] {
    for (int v : ping) pong.send(v);
  });
  int v = 0;
  for (auto _ : state) {
    ping.send(v);
    v = pong.recv().value_or(0);
  }
  ping.close();
  echo.join();
  state.SetItemsProcessed(state.iterations());
}

template <bool Spin>
void BM_PingPong_Mutex(benchmark::State& state) {
  bench::BoundedQueue<int, Spin> ping(1);
  bench::BoundedQueue<int, Spin> pong(1);
  std::thread echo([&] {
    while (auto v = ping.pop()) pong.push(*v);
  });
  int v = 0;
  for (auto _ : state) {
    ping.push(v);
    v = pong.pop().value_or(0);
  }
  ping.close();
  echo.join();
  state.SetItemsProcessed(state.iterations());
}

void BM_Throughput_Chan(benchmark::State& state) {
  const auto producers = static_cast<int>(state.range(0));
  chan::Chan<int> ch(128);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(producers));
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([=] {
      try {
        for (int i = 0;; ++i) ch.send(i);
      } catch (const chan::closed_channel_error&) {
        return;  // closed: the benchmark is over
      }
    });
  }
  for (auto _ : state) benchmark::DoNotOptimize(ch.recv());
  ch.close();
  for (auto& t : threads) t.join();
  state.SetItemsProcessed(state.iterations());
}

template <bool Spin>
void BM_Throughput_Mutex(benchmark::State& state) {
  const auto producers = static_cast<int>(state.range(0));
  bench::BoundedQueue<int, Spin> q(128);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(producers));
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&] {
      for (int i = 0; q.push(i); ++i) {
      }
    });
  }
  for (auto _ : state) benchmark::DoNotOptimize(q.pop());
  q.close();
  for (auto& t : threads) t.join();
  state.SetItemsProcessed(state.iterations());
}

void BM_Select4_Chan(benchmark::State& state) {
  std::array<chan::Chan<int>, 4> chans{chan::Chan<int>(16), chan::Chan<int>(16), chan::Chan<int>(16),
                                       chan::Chan<int>(16)};
  std::vector<std::thread> threads;
  threads.reserve(chans.size());
  for (const auto& ch : chans) {
    threads.emplace_back([ch] {
      try {
        for (int i = 0;; ++i) ch.send(i);
      } catch (const chan::closed_channel_error&) {
        return;  // closed: the benchmark is over
      }
    });
  }
  int sink = 0;
  auto take = [&](std::optional<int> v) { sink += *v; };
  for (auto _ : state) {
    benchmark::DoNotOptimize(chan::select(chan::recv_case(chans[0], take), chan::recv_case(chans[1], take),
                                          chan::recv_case(chans[2], take), chan::recv_case(chans[3], take)));
  }
  for (const auto& ch : chans) ch.close();
  for (auto& t : threads) t.join();
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}

template <bool Spin>
void BM_Select4_Mutex(benchmark::State& state) {
  bench::QueueSet<int, 4, Spin> queues(16);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (std::size_t q = 0; q < 4; ++q) {
    threads.emplace_back([&, q] {
      for (int i = 0; queues.push(q, i); ++i) {
      }
    });
  }
  int value = 0;
  for (auto _ : state) benchmark::DoNotOptimize(queues.pop_any(value));
  queues.close();
  for (auto& t : threads) t.join();
  state.SetItemsProcessed(state.iterations());
}

void BM_Uncontended_Chan(benchmark::State& state) {
  chan::Chan<int> ch(1);
  for (auto _ : state) {
    ch.send(1);
    benchmark::DoNotOptimize(ch.recv());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Uncontended_Mutex(benchmark::State& state) {
  bench::BoundedQueue<int> q(1);
  for (auto _ : state) {
    q.push(1);
    benchmark::DoNotOptimize(q.pop());
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

// Names: BM_<case>_<Chan|Mutex|MutexSpin>[/producers]; bench/ratios.py pairs them.
BENCHMARK(BM_PingPong_Chan)->UseRealTime();
BENCHMARK_TEMPLATE(BM_PingPong_Mutex, false)->Name("BM_PingPong_Mutex")->UseRealTime();
BENCHMARK_TEMPLATE(BM_PingPong_Mutex, true)->Name("BM_PingPong_MutexSpin")->UseRealTime();
BENCHMARK(BM_Throughput_Chan)->Arg(1)->Arg(4)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Throughput_Mutex, false)->Name("BM_Throughput_Mutex")->Arg(1)->Arg(4)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Throughput_Mutex, true)->Name("BM_Throughput_MutexSpin")->Arg(1)->Arg(4)->UseRealTime();
BENCHMARK(BM_Select4_Chan)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Select4_Mutex, false)->Name("BM_Select4_Mutex")->UseRealTime();
BENCHMARK_TEMPLATE(BM_Select4_Mutex, true)->Name("BM_Select4_MutexSpin")->UseRealTime();
BENCHMARK(BM_Uncontended_Chan);
BENCHMARK(BM_Uncontended_Mutex);

BENCHMARK_MAIN();
