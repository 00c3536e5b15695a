#!/usr/bin/env python3
"""Measures what the chan-* checks add to a clang-tidy run, as a ratio.

For every file of a corpus (the fixtures, the chan test suite, the examples),
in one run and interleaved so that machine noise hits both alike:
  baseline: clang-tidy-19 --checks=-*,misc-unused-alias-decls
            (parsing and an AST pass with one trivial check: with no check
            at all, clang-tidy does not even parse the file)
  chanlint: clang-tidy-19 --load=<plugin> --checks=-*,chan-*
Prints a Markdown table of total seconds and the ratio chanlint/baseline.

  bench/analyzer_overhead.py --plugin build/release/checks/libChanlintPlugin.so [--repeat 3]
"""
import argparse
import glob
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus():
    files = sorted(glob.glob(os.path.join(ROOT, "fixtures", "*", "*.cpp")))
    files += sorted(glob.glob(os.path.join(ROOT, "tests", "chan", "*.cpp")))
    files += sorted(glob.glob(os.path.join(ROOT, "examples", "*", "*.cpp")))
    return files


def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--plugin", required=True)
    p.add_argument("--clang-tidy", default="clang-tidy-19")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    inc = ["-std=c++20", "-I" + os.path.join(ROOT, "chan", "include")]
    gtest = ["-isystem", "/usr/include"]
    files = corpus()
    base = chan = 0.0
    worst = (0.0, "")
    for _ in range(a.repeat):
        for f in files:
            args = [f, "--"] + inc + gtest
            b = run([a.clang_tidy, "--checks=-*,misc-unused-alias-decls", "--quiet"] + args)
            c = run([a.clang_tidy, "--load=" + a.plugin, "--checks=-*,chan-*", "--quiet"] + args)
            base += b
            chan += c
            if c / b > worst[0]:
                worst = (c / b, os.path.relpath(f, ROOT))
    print("| corpus | files | runs | clang-tidy, one trivial check (s) | with chan-* (s) | ratio |")
    print("|---|---|---|---|---|---|")
    print("| fixtures + chan tests + examples | %d | %d | %.1f | %.1f | %.2f |"
          % (len(files), a.repeat, base, chan, chan / base))
    print()
    print("Largest single-file ratio: %.2f (%s)" % worst)


if __name__ == "__main__":
    sys.exit(main())
