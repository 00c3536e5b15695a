#!/usr/bin/env bash
# chanlint over the Boost example programs (docs/real-world.md): fails on a
# crash, a TU over the time limit or a finding docs/real-world.md does not
# list. CI runs the sample:
#   scripts/real_code.sh [CHANLINT] --sample
# CHANLINT defaults to build/release/driver/chanlint, built first if missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then
  if [ ! -x build/release/driver/chanlint ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release --target chanlint
  fi
fi
exec python3 scripts/real_code.py "$@"
