#!/usr/bin/env bash
# Profiles the chan-* analysis of one file alone, not the parse around it:
# perf records from the call of chanlint::TUAnalysis::run to the end of its
# phase clock (gdb breakpoints switch perf on and off), with DWARF call
# graphs, so that a 1 s analysis is not lost in a 60 s parse.
#
#   bench/profile_analysis.sh [-e page-faults] [-F 1000] OUT.data FILE [-- clang flags]
#   perf report -i OUT.data --no-children --stdio | head -60
#
# -e page-faults records every first touch of a page (a -F of N then means
# every Nth fault) instead of CPU time. The plugin is build/release's unless
# CHANLINT_PLUGIN names another; the clang flags default to the fixtures'.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVENT=cpu-clock
RATE=1000
while getopts "e:F:" opt; do
  case $opt in
    e) EVENT=$OPTARG ;;
    F) RATE=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 2 ]; then
  sed -n '2,12p' "$0"
  exit 2
fi
OUT=$1
FILE=$(realpath "$2")
shift 2
[ "${1:-}" = "--" ] && shift
FLAGS=("$@")
[ ${#FLAGS[@]} -eq 0 ] && FLAGS=(-std=c++20 "-I$ROOT/chan/include")
PLUGIN=${CHANLINT_PLUGIN:-$ROOT/build/release/checks/libChanlintPlugin.so}
for tool in perf gdb clang-tidy-19; do
  command -v $tool >/dev/null || { echo "profile_analysis: $tool is missing" >&2; exit 2; }
done
[ -f "$PLUGIN" ] || { echo "profile_analysis: $PLUGIN is missing: build first" >&2; exit 2; }

CTL=$(mktemp -d)
trap 'rm -rf "$CTL"' EXIT
mkfifo "$CTL/fifo"
# A sampling rate for time, a period for a counted event.
if [ "$EVENT" = cpu-clock ]; then SAMPLING=(-F "$RATE"); else SAMPLING=(-c "$RATE"); fi

perf record -e "$EVENT" "${SAMPLING[@]}" --call-graph dwarf,32768 -o "$OUT" \
  --delay=-1 --control="fifo:$CTL/fifo" -- \
  gdb -q -batch -nx -ex 'set breakpoint pending on' -ex 'set pagination off' \
    -ex 'break chanlint::TUAnalysis::run' \
    -ex 'break chanlint::PhaseClock::~PhaseClock' \
    -ex run -ex "shell echo enable > $CTL/fifo" -ex 'delete 1' \
    -ex continue -ex "shell echo disable > $CTL/fifo" -ex 'delete 2' -ex continue \
    --args clang-tidy-19 "--load=$PLUGIN" '--checks=-*,chan-*' \
      '--config={CheckOptions: {chanlint.PhaseTimes: true}}' "$FILE" -- "${FLAGS[@]}" \
  2>&1 | grep -a "phase times" || {
  echo "profile_analysis: no phase times: the file declares no library type, or the run failed" >&2
  exit 1
}
