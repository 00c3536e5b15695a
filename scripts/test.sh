#!/usr/bin/env bash
# README's test command: set up, build Release and ThreadSanitizer
# configurations, and run every test suite with ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh

status=0
for preset in release tsan; do
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset: test"
  ctest --preset "$preset" || status=1
done
exit $status
