#!/usr/bin/env python3
"""Runs chan_bench and prints the table of docs/performance.md.

    bench/ratios.py build/release/bench/chan_bench [--repetitions N]

Each benchmark runs N times; the table gives medians of real time per item
and the ratios chan / baseline (below 1: chan is faster).
"""
import argparse
import json
import platform
import re
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--min-time", default="0.5")
    args = parser.parse_args()

    out = subprocess.run(
        [args.binary, "--benchmark_format=json",
         f"--benchmark_repetitions={args.repetitions}",
         "--benchmark_report_aggregates_only=true",
         f"--benchmark_min_time={args.min_time}"],
        check=True, capture_output=True, text=True).stdout
    report = json.loads(out)

    medians = {}
    for b in report["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        # BM_<case>_<impl>[/<arg>][/real_time]
        m = re.match(r"BM_(\w+?)_(Chan|MutexSpin|Mutex)(/\d+)?", b["run_name"])
        if not m:
            continue
        case = m.group(1) + (f" ({m.group(3)[1:]} producers)" if m.group(3) else "")
        medians.setdefault(case, {})[m.group(2)] = b["real_time"]

    ctx = report["context"]
    print(f"Machine: {ctx['num_cpus']} CPUs @ {ctx['mhz_per_cpu']} MHz, {platform.system()} "
          f"{platform.release()}; benchmark library built as {ctx.get('library_build_type', '?')}")
    print()
    print("| benchmark | chan ns/item | mutex+cv ns/item | chan / mutex+cv "
          "| mutex+cv+spin ns/item | chan / mutex+cv+spin |")
    print("|---|---:|---:|---:|---:|---:|")
    for case, t in medians.items():
        chan, mutex, spin = t.get("Chan"), t.get("Mutex"), t.get("MutexSpin")
        cells = [case, f"{chan:.0f}", f"{mutex:.0f}", f"{chan / mutex:.2f}"]
        cells += [f"{spin:.0f}", f"{chan / spin:.2f}"] if spin else ["–", "–"]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
