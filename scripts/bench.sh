#!/usr/bin/env bash
# The analyzer's cost: clang-tidy with one trivial check against all chan-*
# checks, over the fixtures, generated channel code and Boost's examples, and
# the driver's -j1/-j2 and cache timings, and the language server's
# edit-to-diagnostics with and without its preamble; one Markdown table on
# stdout.
#   scripts/bench.sh [--quick] [bench/bench.py options]
# Uses the Release build in build/release, building it first if it is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ ! -x build/release/driver/chanlint ] || [ ! -f build/release/checks/libChanlintPlugin.so ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release
fi
exec python3 bench/bench.py "$@"
