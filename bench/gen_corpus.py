#!/usr/bin/env python3
"""Generates realistic, graceful channel code on `chan` for the analyzer benchmark.

One translation unit is a sequence of small "modules", each a pattern that
real services use: a class holding member channels and its own worker thread,
a worker pool on chan::Group and a WaitGroup closer, a pipeline of stages,
a heartbeat on a ticker stopped by Defer and watching ctx.done(), and
request/reply helpers with try_send / try_recv. Names, constants, stage
counts and pool sizes vary by module; everything is drawn from a seeded
random generator, so the same arguments always give the same bytes.

A "channel statement" is one channel operation in the source: send, recv,
try_send, try_recv, close, a select, or a range-for over a channel. Modules
are added until the TU reaches the requested count; the exact count is
printed (and written as the file's first comment).

  bench/gen_corpus.py --statements 1000 -o corpus_1000.cpp [--seed 12]
  bench/gen_corpus.py --sizes 100,1000,5000 --out-dir DIR   # corpus_<n>.cpp each
"""
import argparse
import os
import random
import re
import sys

# What counts as one channel statement (see the docstring).
_OPS = re.compile(r"\.(send|recv|try_send|try_recv|close)\(|chan::select\(|"
                  r"for \((?:int|auto|Request\d+) \w+ : ")


def count_channel_statements(text):
    return len(_OPS.findall(text))


def service(i, rng):
    factor = rng.randint(2, 9)
    cap = rng.choice([1, 4, 8, 16])
    n = rng.randint(5, 40)
    return f"""
// A service owns its request and reply channels; its worker is the sole
// sender on replies_ and closes it when requests_ is closed and drained.
class Service{i} {{
 public:
  explicit Service{i}(chan::Context ctx) : ctx_(ctx), requests_({cap}), replies_({cap}) {{}}
  void start() {{ worker_ = std::thread([this] {{ serve(); }}); }}
  bool submit(int v) {{
    return chan::select(chan::send_case(requests_, v), chan::recv_case(ctx_.done())) == 0;
  }}
  void stop() {{
    requests_.close();
    if (worker_.joinable()) worker_.join();
  }}
  chan::RecvChan<int> replies() const {{ return replies_; }}

 private:
  void serve() {{
    chan::Defer closeReplies([&] {{ replies_.close(); }});
    for (int v : requests_) {{
      if (chan::select(chan::send_case(replies_, v * {factor}), chan::recv_case(ctx_.done())) == 1) return;
    }}
  }}
  chan::Context ctx_;
  chan::Chan<int> requests_;
  chan::Chan<int> replies_;
  std::thread worker_;
}};

int run_service{i}() {{
  auto [ctx, cancel] = chan::with_cancel(chan::background());
  chan::Defer stopCtx([&] {{ cancel(); }});
  Service{i} svc(ctx);
  svc.start();
  int total = 0;
  std::thread reader([&total, replies = svc.replies()] {{
    for (int r : replies) total += r;
  }});
  for (int k = 0; k < {n}; ++k) {{
    if (!svc.submit(k)) break;
  }}
  svc.stop();
  reader.join();
  return total;
}}
"""


def pool(i, rng):
    workers = rng.randint(2, 8)
    cap = rng.choice([2, 4, 16])
    add = rng.randint(1, 100)
    return f"""
// Worker pool: a feeder closes jobs, the workers share results and a
// closer closes it once the WaitGroup says every worker is done.
int run_pool{i}(const std::vector<int>& items) {{
  chan::Group g(chan::background());
  chan::Chan<int> jobs({cap});
  chan::Chan<int> results({cap});
  g.go([jobs, items](const chan::Context& ctx) mutable {{
    chan::Defer closeJobs([&] {{ jobs.close(); }});
    for (int it : items) {{
      if (chan::select(chan::send_case(jobs, it), chan::recv_case(ctx.done())) == 1) return;
    }}
  }});
  chan::WaitGroup wg;
  for (int w = 0; w < {workers}; ++w) {{
    wg.add(1);
    g.go([jobs, results, wg, w](const chan::Context& ctx) mutable {{
      chan::Defer finished([&] {{ wg.done(); }});
      for (int j : jobs) {{
        if (chan::select(chan::send_case(results, j + w + {add}), chan::recv_case(ctx.done())) == 1) return;
      }}
    }});
  }}
  chan::go([wg, results]() mutable {{
    wg.wait();
    results.close();
  }});
  int sum = 0;
  for (int r : results) sum += r;
  g.wait();
  return sum;
}}
"""


def pipeline(i, rng):
    stages = rng.randint(2, 5)
    out = [f"""
// Pipeline: each stage owns its output channel and closes it when its
// input is drained; the consumer ranges over the last one.
chan::RecvChan<int> source{i}(int n) {{
  chan::Chan<int> out;
  chan::go([out, n]() mutable {{
    chan::Defer closeOut([&] {{ out.close(); }});
    for (int k = 0; k < n; ++k) out.send(k);
  }});
  return out;
}}
"""]
    for s in range(stages):
        op = rng.choice(["v + 1", "v * 2", "v - 3", "v ^ 5", "v % 97"])
        out.append(f"""
chan::RecvChan<int> stage{i}_{s}(chan::RecvChan<int> in) {{
  chan::Chan<int> out({rng.choice([0, 1, 8])});
  chan::go([in, out]() mutable {{
    chan::Defer closeOut([&] {{ out.close(); }});
    for (int v : in) out.send({op});
  }});
  return out;
}}
""")
    chain = f"source{i}({rng.randint(10, 100)})"
    for s in range(stages):
        chain = f"stage{i}_{s}({chain})"
    out.append(f"""
int run_pipeline{i}() {{
  int sum = 0;
  for (int v : {chain}) sum += v;
  return sum;
}}
""")
    return "".join(out)


def heartbeat(i, rng):
    period = rng.randint(1, 20)
    timeout = rng.randint(20, 200)
    return f"""
// Heartbeat: a ticker stopped by Defer; every wait also watches ctx.done().
void heartbeat{i}(chan::Context ctx, chan::SendChan<int> beats) {{
  chan::Ticker ticker = chan::new_ticker(std::chrono::milliseconds({period}));
  chan::Defer stopTicker([&] {{ ticker.stop(); }});
  for (int n = 0;; ++n) {{
    if (chan::select(chan::recv_case(ticker.c()), chan::recv_case(ctx.done())) == 1) return;
    if (chan::select(chan::send_case(beats, n), chan::recv_case(ctx.done())) == 1) return;
  }}
}}

int run_heartbeat{i}() {{
  auto [ctx, cancel] = chan::with_timeout(chan::background(), std::chrono::milliseconds({timeout}));
  chan::Defer stopCtx([&] {{ cancel(); }});
  chan::Chan<int> beats(1);
  chan::WaitGroup wg;
  wg.add(1);
  chan::go([ctx, beats, wg]() mutable {{
    chan::Defer finished([&] {{ wg.done(); }});
    heartbeat{i}(ctx, beats);
  }});
  int seen = 0;
  bool running = true;
  while (running) {{
    chan::select(chan::recv_case(beats, [&](std::optional<int>) {{ ++seen; }}),
                 chan::recv_case(ctx.done(), [&](auto) {{ running = false; }}));
  }}
  wg.wait();
  return seen;
}}
"""


def request_reply(i, rng):
    cap = rng.choice([1, 4, 32])
    n = rng.randint(3, 30)
    return f"""
// Request/reply: each request carries its own reply channel (capacity 1, so
// the server never blocks on a caller that gave up); helpers poll without blocking.
struct Request{i} {{
  int value;
  chan::Chan<int> reply;
}};

bool try_publish{i}(chan::SendChan<int> out, int v) {{ return out.try_send(v); }}

int poll{i}(chan::RecvChan<int> in) {{
  auto r = in.try_recv();
  return r.has_value() ? *r : -1;
}}

int run_server{i}() {{
  chan::Chan<Request{i}> requests({cap});
  std::thread server([requests] {{
    for (Request{i} req : requests) req.reply.send(req.value + {i});
  }});
  int sum = 0;
  for (int k = 0; k < {n}; ++k) {{
    chan::Chan<int> reply(1);
    requests.send(Request{i}{{k, reply}});
    if (std::optional<int> v = reply.recv()) sum += *v;
  }}
  requests.close();
  server.join();
  chan::Chan<int> spare(2);
  if (try_publish{i}(spare, sum)) sum = poll{i}(spare);
  return sum;
}}
"""


PATTERNS = [service, pool, pipeline, heartbeat, request_reply]

HEADER = """\
#include <chan/chan.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>
"""


def generate(target, seed):
    """Returns (text, channel statement count) with at least `target` statements."""
    rng = random.Random(seed)
    modules, runs, count = [], [], 0
    i = 0
    while count < target:
        pattern = PATTERNS[i % len(PATTERNS)] if i < len(PATTERNS) else rng.choice(PATTERNS)
        text = pattern(i, rng)
        modules.append(text)
        count += count_channel_statements(text)
        name = {"service": "run_service", "pool": "run_pool", "pipeline": "run_pipeline",
                "heartbeat": "run_heartbeat", "request_reply": "run_server"}[pattern.__name__]
        runs.append(f"  total += {name}{i}({'items' if pattern is pool else ''});")
        i += 1
    main = ("\nint main() {\n  std::vector<int> items{1, 2, 3, 4, 5, 6, 7, 8};\n"
            "  long total = 0;\n" + "\n".join(runs) + "\n  std::printf(\"%ld\\n\", total);\n}\n")
    body = HEADER + "".join(modules) + main
    count = count_channel_statements(body)
    head = (f"// Generated by bench/gen_corpus.py --statements {target} --seed {seed}: "
            f"{count} channel statements, {i} modules. Do not edit.\n")
    return head + body, count


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--statements", type=int, help="channel statements in one TU")
    p.add_argument("-o", "--output", help="output file (with --statements; default stdout)")
    p.add_argument("--sizes", help="comma-separated statement counts, one TU each")
    p.add_argument("--out-dir", help="directory for --sizes (corpus_<n>.cpp)")
    p.add_argument("--seed", type=int, default=12)
    a = p.parse_args()
    if a.sizes:
        if not a.out_dir:
            p.error("--sizes needs --out-dir")
        os.makedirs(a.out_dir, exist_ok=True)
        for n in (int(s) for s in a.sizes.split(",")):
            text, count = generate(n, a.seed)
            path = os.path.join(a.out_dir, f"corpus_{n}.cpp")
            with open(path, "w") as f:
                f.write(text)
            print(f"{path}\t{count}")
        return 0
    if a.statements is None:
        p.error("give --statements N or --sizes N,M,...")
    text, count = generate(a.statements, a.seed)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    print(f"{count} channel statements", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
