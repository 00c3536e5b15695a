#!/usr/bin/env python3
"""Runs every chan-* check on a program whose first line states the expected
result, and compares exactly:

  // EXPECT: chan-receiver-close at line 31     one warning, that check, that line
  // EXPECT: chan-unguarded-send at line 40     (one such line per expected warning)
  // EXPECT: silent                             no warning

  check_expect.py --clang-tidy=... --plugin=... --chan-include=... program.cpp
"""
import argparse
import re
import subprocess
import sys

p = argparse.ArgumentParser()
p.add_argument("--clang-tidy", required=True)
p.add_argument("--plugin", required=True)
p.add_argument("--chan-include", required=True)
p.add_argument("input")
a = p.parse_args()

# The leading "// EXPECT:" lines: one per expected warning, or one "silent".
expected = []
silent = False
with open(a.input, encoding="utf-8") as f:
    for line in f:
        if not line.startswith("// EXPECT:"):
            break
        m = re.match(r"// EXPECT: (chan-[a-z-]+) at line (\d+)", line)
        if m:
            expected.append((m.group(1), int(m.group(2))))
        elif line.startswith("// EXPECT: silent"):
            silent = True
        else:
            sys.exit("bad expectation: " + line.strip())
if silent == bool(expected):
    sys.exit("the first lines must be '// EXPECT: <check> at line N' (one per warning) "
             "or a single '// EXPECT: silent'")

r = subprocess.run([a.clang_tidy, "--load=" + a.plugin, "--checks=-*,chan-*", "--quiet",
                    a.input, "--", "-std=c++20", "-I" + a.chan_include],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
if re.search(r": (fatal )?error: ", r.stdout):
    sys.stdout.write(r.stdout)
    sys.exit("the program does not compile")
actual = [(c, int(l)) for l, c in
          re.findall(r":(\d+):\d+: warning: .*\[(chan-[a-z-]+)\]", r.stdout)]
if sorted(actual) != sorted(expected):
    sys.stdout.write(r.stdout)
    sys.exit("expected %s, got %s" % (expected or "silence", actual or "silence"))
