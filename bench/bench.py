#!/usr/bin/env python3
"""What the chan-* checks cost on top of a clang-tidy run, and what the driver does with it.

For every file of each input, in one run and interleaved file by file so that
machine noise hits both alike:
  trivial: clang-tidy-19 --load=<plugin> --checks=-*,misc-unused-alias-decls
           (the plugin loaded, a parse and one trivial AST check: with no
           check at all clang-tidy does not even parse the file)
  chan-*:  clang-tidy-19 --load=<plugin> --checks=-*,chan-*
CPU time is user+sys of the child (os.wait4's rusage), peak memory its max RSS.

Inputs: (a) the fixtures, (b) TUs from bench/gen_corpus.py at three sizes,
(c) Boost's example programs (Debian's libboost1.81-doc): heavy headers, no
channels. A Boost example counts only if the trivial run compiles it; the
sample is a seeded shuffle of the sorted list, so it is the same every run.
Then the driver: chanlint over the fixtures' compile_commands.json, -j1
against -j2 (wall time, no cache), and a cold cache against a warm one.

Prints one Markdown table. scripts/bench.sh is the wrapper that builds first.

  bench/bench.py [--quick] [--build build/release]
"""
import argparse
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402

BOOST_EXAMPLES = "/usr/share/doc/libboost1.81-doc/examples"
CHAN_FLAGS = ["-std=c++20", "-I" + os.path.join(ROOT, "chan", "include")]
TRIVIAL = "--checks=-*,misc-unused-alias-decls"
CHAN = "--checks=-*,chan-*"


class Run:
    """One child process: CPU seconds (user+sys), peak RSS in MB, wall seconds, exit code."""

    def __init__(self, cmd, cwd=None):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        self.wall = time.perf_counter() - start
        self.cpu = usage.ru_utime + usage.ru_stime
        self.peak_mb = usage.ru_maxrss / 1024.0  # Linux: kilobytes
        self.code = os.waitstatus_to_exitcode(status)
        proc.returncode = self.code


class Pair:
    """Sums of the trivial and chan-* runs over the files of one input."""

    def __init__(self):
        self.files = 0
        self.cpu = [0.0, 0.0]
        self.peak = [0.0, 0.0]

    def add(self, trivial, chan):
        self.files += 1
        for k, r in enumerate((trivial, chan)):
            self.cpu[k] += r.cpu
            self.peak[k] = max(self.peak[k], r.peak_mb)


def tidy(a, check, source, flags):
    return Run([a.clang_tidy, "--load=" + a.plugin, check, "--quiet", source, "--"] + flags)


def measure_pair(a, source, flags, pair):
    """Runs trivial then chan-* on one file; returns False if the file does not compile."""
    trivial = tidy(a, TRIVIAL, source, flags)
    if trivial.code != 0:
        return False
    pair.add(trivial, tidy(a, CHAN, source, flags))
    return True


def fixtures(a):
    files = sorted(glob.glob(os.path.join(ROOT, "fixtures", "*", "*.cpp")))
    return files[:: a.fixture_step]


def boost_candidates(a):
    files = sorted(glob.glob(os.path.join(BOOST_EXAMPLES, "**", "*.cpp"), recursive=True))
    random.Random(a.seed).shuffle(files)
    return files


def driver_rows(a, sources, tmp):
    """chanlint over the sources' compile_commands.json: -j1 vs -j2, cold vs warm cache."""
    db_dir = os.path.join(tmp, "db")
    os.makedirs(db_dir)
    db = [{"directory": ROOT, "file": s,
           "arguments": ["clang++-19"] + CHAN_FLAGS + ["-c", s, "-o", "/dev/null"]} for s in sources]
    with open(os.path.join(db_dir, "compile_commands.json"), "w") as f:
        json.dump(db, f)
    base = [a.chanlint, "-p", db_dir, "-q", "--srcroot=" + ROOT]
    j1 = Run(base + ["-j1", "--no-cache"], cwd=ROOT)
    j2 = Run(base + ["-j2", "--no-cache"], cwd=ROOT)
    cache = os.path.join(tmp, "cache")
    cold = Run(base + ["-j2", "--cache-dir=" + cache], cwd=ROOT)
    warm = Run(base + ["-j2", "--cache-dir=" + cache], cwd=ROOT)
    for name, r in (("-j1", j1), ("-j2", j2), ("cold", cold), ("warm", warm)):
        if r.code not in (0, 1):  # 1: findings
            sys.exit("bench: chanlint %s exited %d" % (name, r.code))
    n = len(sources)
    return [
        ("driver `chanlint` on the fixtures: `-j1` → `-j2`, wall s, no cache", n,
         "%.1f" % j1.wall, "%.1f" % j2.wall, "speedup %.2fx" % (j1.wall / j2.wall),
         "%.0f (1 worker)" % j1.peak_mb, "%.0f (2 workers, ≈%.0f per worker)" % (j2.peak_mb, j2.peak_mb / 2),
         "%.2f" % (j2.peak_mb / j1.peak_mb), "–"),
        ("driver `chanlint` on the fixtures: cold → warm cache (`-j2`), wall s", n,
         "%.1f" % cold.wall, "%.1f" % warm.wall, "warm = %.1f%% of cold" % (100 * warm.wall / cold.wall),
         "%.0f" % cold.peak_mb, "%.0f" % warm.peak_mb, "%.2f" % (warm.peak_mb / cold.peak_mb), "–"),
    ]


def row(name, pair, statements=None):
    t, c = pair.cpu
    per_stmt = "–"
    if statements:
        per_stmt = "%.2f ms" % (1000 * (c - t) / statements)
    return (name, pair.files, "%.1f" % t, "%.1f" % c, "%.2f" % (c / t),
            "%.0f" % pair.peak[0], "%.0f" % pair.peak[1], "%.2f" % (pair.peak[1] / pair.peak[0]), per_stmt)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    p.add_argument("--clang-tidy", default="clang-tidy-19")
    p.add_argument("--quick", action="store_true",
                   help="every 12th fixture, 10 Boost examples, the three sizes as usual")
    p.add_argument("--sizes", default="100,1000,5000", help="generated TU sizes, in channel statements")
    p.add_argument("--boost", type=int, default=30, help="Boost examples to measure")
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--no-driver", action="store_true")
    a = p.parse_args()
    a.fixture_step = 1
    if a.quick:
        a.fixture_step, a.boost = 12, min(a.boost, 10)
    a.plugin = os.path.join(a.build, "checks", "libChanlintPlugin.so")
    a.chanlint = os.path.join(a.build, "driver", "chanlint")
    for path in (a.plugin, a.chanlint):
        if not os.path.exists(path):
            sys.exit("bench: %s is missing: build first (scripts/bench.sh does)" % path)
    if not os.path.isdir(BOOST_EXAMPLES):
        sys.exit("bench: %s is missing: apt-get install libboost1.81-doc libboost1.81-dev" % BOOST_EXAMPLES)

    rows = []
    tmp = tempfile.mkdtemp(prefix="chanlint-bench-")
    try:
        fix = fixtures(a)
        pair = Pair()
        # A fixture may be meant not to compile (a RecvChan has no close): left out, and said.
        fix = [f for f in fix if measure_pair(a, f, CHAN_FLAGS, pair)]
        label = "(a) fixtures" + (", every %dth" % a.fixture_step if a.fixture_step > 1 else "")
        if pair.files < len(fixtures(a)):
            label += " (%d of %d compile)" % (pair.files, len(fixtures(a)))
        rows.append(row(label, pair))

        for n in (int(s) for s in a.sizes.split(",")):
            text, count = gen_corpus.generate(n, a.seed)
            path = os.path.join(tmp, "corpus_%d.cpp" % n)
            with open(path, "w") as f:
                f.write(text)
            pair = Pair()
            if not measure_pair(a, path, CHAN_FLAGS, pair):
                sys.exit("bench: generated corpus_%d.cpp does not compile" % n)
            rows.append(row("(b) generated TU, %d channel statements" % count, pair, count))

        pair = Pair()
        tried = 0
        for f in boost_candidates(a):
            if pair.files == a.boost:
                break
            tried += 1
            measure_pair(a, f, ["-std=c++20"], pair)
        rows.append(row("(c) Boost 1.81 examples (%d of %d tried compile with -std=c++20)"
                        % (pair.files, tried), pair))

        if not a.no_driver:
            rows += driver_rows(a, fix, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("| input | files | trivial CPU s | chan-* CPU s | ratio | trivial peak MB | chan-* peak MB "
          "| memory ratio | (chan-* − trivial) CPU per statement |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
