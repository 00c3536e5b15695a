#!/usr/bin/env python3
"""What each ctest entry costs in CPU: the figure CI's budget is made of.

  scripts/ci_costs.py [BUILD_DIR] [-j N] [-R REGEX] [-E REGEX] [--csv FILE]

Runs the entries of BUILD_DIR (default build/release) the way ctest would
(command, environment and working directory from `ctest --show-only=json-v1`),
N at a time, and prints one Markdown table: CPU seconds (user+sys of the
entry and everything it started, from os.wait4), wall seconds and the result,
costliest first, with the sum. CPU time is what a loaded machine inflates
least; wall time on 2 cores is roughly the CPU sum over 2 when nothing else
runs. Use it to see where a suite's time goes before and after a change; it
does not replace ctest (no timeouts by cost, no fixtures, no retries).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def entries(build):
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=build, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    for t in json.loads(out)["tests"]:
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        if "command" not in t or props.get("DISABLED"):
            continue
        env = dict(os.environ)
        for kv in props.get("ENVIRONMENT", []):
            k, _, v = kv.partition("=")
            env[k] = v
        yield t["name"], t["command"], props.get("WORKING_DIRECTORY", build), env


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("build", nargs="?", default=os.path.join(ROOT, "build", "release"))
    p.add_argument("-j", type=int, default=2)
    p.add_argument("-R", help="only entries whose name matches")
    p.add_argument("-E", help="leave out entries whose name matches")
    p.add_argument("--csv", help="also write name,cpu,wall,result here")
    a = p.parse_args()
    todo = [e for e in entries(os.path.abspath(a.build))
            if (not a.R or re.search(a.R, e[0])) and not (a.E and re.search(a.E, e[0]))]
    running, done = {}, []
    start = time.perf_counter()
    while todo or running:
        while todo and len(running) < a.j:
            name, cmd, cwd, env = todo.pop(0)
            try:
                proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
            except OSError as e:  # e.g. a binary being relinked
                done.append((name, 0.0, 0.0, "FAILED (%s)" % e.strerror))
                continue
            running[proc.pid] = (name, time.perf_counter())
        if not running:
            continue
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        name, began = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        done.append((name, usage.ru_utime + usage.ru_stime, time.perf_counter() - began,
                     "passed" if code == 0 else "FAILED (%d)" % code))
        print("%-60s %8.1f s CPU %8.1f s wall  %s" % done[-1], file=sys.stderr, flush=True)
    done.sort(key=lambda d: -d[1])
    print("| entry | CPU s | wall s | result |\n|---|---:|---:|---|")
    for d in done:
        print("| %s | %.1f | %.1f | %s |" % d)
    print("| **sum of %d entries** | **%.0f** | %.0f elapsed with -j%d | %d failed |" % (
        len(done), sum(d[1] for d in done), time.perf_counter() - start, a.j,
        sum(d[3] != "passed" for d in done)))
    if a.csv:
        with open(a.csv, "w") as f:
            for d in done:
                f.write("%s,%.2f,%.2f,%s\n" % d)
    return 1 if any(d[3] != "passed" for d in done) else 0


if __name__ == "__main__":
    sys.exit(main())
