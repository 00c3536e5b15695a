#!/usr/bin/env python3
"""Runs a runtime witness: a program on chan that must fail the way the bug
fails (a panic with a message, a leak report), or run clean.

  witness.py --expect=panic:"send on closed channel" ./program
  witness.py --expect=leak ./program
  witness.py --expect=clean ./program
"""
import argparse
import subprocess
import sys

LEAK_EXIT = 3  # chan::testing::leak_exit_code

p = argparse.ArgumentParser()
p.add_argument("--expect", required=True)
p.add_argument("--timeout", type=float, default=20)
p.add_argument("program", nargs="+")
a = p.parse_args()
try:
    r = subprocess.run(a.program, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=a.timeout)
except subprocess.TimeoutExpired:
    sys.exit("witness: timed out (a witness must finish: use the leak checker)")
out = r.stdout
kind, _, text = a.expect.partition(":")
if kind == "clean":
    ok = r.returncode == 0
elif kind == "leak":
    ok = r.returncode == LEAK_EXIT and "leak" in out
elif kind == "panic":
    ok = r.returncode != 0 and r.returncode != LEAK_EXIT and text.strip('"') in out
else:
    sys.exit("witness: unknown expectation " + a.expect)
if not ok:
    sys.stdout.write(out)
    sys.exit("witness: expected %s, got exit code %d" % (a.expect, r.returncode))
