#!/usr/bin/env bash
# README's main command: set up, build the release preset, configure the
# bundled example service (examples/service) and run chanlint on it. The
# findings are printed; the SARIF report goes to chanlint.sarif at the
# repository root. The example has bugs on purpose: findings are the point,
# so this exits 0 when chanlint ran (its exit code 0 or 1), and with
# chanlint's code when it could not run or analyse (2, 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/setup.sh

echo "== build: release preset"
cmake --preset release >/dev/null
cmake --build --preset release

echo "== configure: examples/service (compile_commands.json in build/service)"
cmake -S examples/service -B build/service -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null

echo "== chanlint -p build/service"
status=0
build/release/driver/chanlint -p build/service --format=sarif -o chanlint.sarif || status=$?
case "$status" in
  0 | 1)
    echo "main: chanlint ran (exit $status); SARIF report: $root/chanlint.sarif"
    exit 0
    ;;
  *)
    echo "main: chanlint could not complete (exit $status)" >&2
    exit "$status"
    ;;
esac
