#!/usr/bin/env bash
# Builds the `fuzz` preset and runs chanlint_fuzz (fuzz/) for a while,
# seeded with the fixtures and the inputs it once crashed on, with the chan
# dictionary.
#   scripts/fuzz.sh [seconds]      default 60
# Environment:
#   CHANLINT_FUZZ_SEEDS      how many fixtures seed the corpus (default: one per
#                            10 s of the run, at least 8; "all" for every one)
#   CHANLINT_FUZZ_TIMEOUT    seconds one input may take before it counts as a
#                            hang (default 30)
#   CHANLINT_FUZZ_ARTIFACTS  where crashing and hanging inputs are kept
#                            (default build/fuzz/artifacts)
#   CHANLINT_FUZZ_NO_BUILD=1 run the chanlint_fuzz already built
#   CHANLINT_FUZZER          that binary (default build/fuzz/fuzz/chanlint_fuzz;
#                            the asan preset builds one too, and its ctest entry
#                            reliability.fuzz_smoke runs this script on it)
# Exits 0 when the run found nothing, 1 on a crash, a sanitizer report, a
# hang or an out-of-memory, 2 if it could not build or start. The last line
# is a one-line summary; docs/reliability.md explains how to turn a finding
# into a regression fixture.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-60}"
timeout="${CHANLINT_FUZZ_TIMEOUT:-30}"
artifacts="${CHANLINT_FUZZ_ARTIFACTS:-$root/build/fuzz/artifacts}"

start=$(date +%s)
if [ -z "${CHANLINT_FUZZ_NO_BUILD:-}" ] &&
   ! { cmake --preset fuzz >/dev/null && cmake --build --preset fuzz; }; then
  echo "fuzz: the fuzz preset did not build" >&2
  exit 2
fi
built=$(date +%s)
fuzzer="${CHANLINT_FUZZER:-$root/build/fuzz/fuzz/chanlint_fuzz}"
if [ ! -x "$fuzzer" ]; then
  echo "fuzz: no fuzzer at $fuzzer" >&2
  exit 2
fi

# Each execution parses the chan and std headers (about 2 s of CPU under
# ASan), and libFuzzer runs every seed before it mutates: a short run takes
# an evenly spread sample of the fixtures, rotated by the day so that CI
# goes through all of them.
mapfile -t fixtures < <(find fixtures tests/reliability/fuzz-regressions -name '*.cpp' | LC_ALL=C sort)
want="${CHANLINT_FUZZ_SEEDS:-$(( seconds / 10 > 8 ? seconds / 10 : 8 ))}"
[ "$want" = all ] && want=${#fixtures[@]}
stride=$(( (${#fixtures[@]} + want - 1) / want ))
offset=$(( 10#$(date +%j) % stride ))
work="$(mktemp -d "${TMPDIR:-/tmp}/chanlint-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
seeds=0
for (( i = offset; i < ${#fixtures[@]}; i += stride )); do
  # Flat names: the fixture's path with '/' as '__'.
  cp "${fixtures[$i]}" "$work/corpus/${fixtures[$i]//\//__}"
  seeds=$((seeds + 1))
done
echo "fuzz: $seeds of ${#fixtures[@]} fixtures as seeds (every ${stride}th from $offset), ${seconds} s, timeout ${timeout} s per input"

status=0
# Leaks are not looked for: clang 19 itself leaks on ordinary code (a
# SmallVector in the deduction-failure info that Sema::MakeDeductionFailureInfo
# puts in the ASTContext, which runs no destructors; the first long run's
# only finding), and Debian's clang has no frame pointers, so telling its
# leaks from ours would need the slow unwinder on every malloc (10x slower).
# Growth is still caught by -rss_limit_mb; the asan preset's suite checks
# our leaks. The analysis prints clang's "N warnings generated." for every
# input: not news.
"$fuzzer" "$work/corpus" \
    -detect_leaks=0 \
    -dict="$root/fuzz/chan.dict" \
    -max_total_time="$seconds" \
    -max_len=16384 \
    -timeout="$timeout" \
    -rss_limit_mb=4096 \
    -malloc_limit_mb=4096 \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1 \
    2>&1 | grep --line-buffered -v -E '^[0-9]+ warnings? generated\.$' | tee "$work/log" || status=$?
end=$(date +%s)

# libFuzzer's own figures: the last status line and the final stats.
last=$(grep -E '^#[0-9]+' "$work/log" | tail -1 || true)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
found=$(grep -c -E '^(==[0-9]+== ?ERROR|SUMMARY: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|.*runtime error:|ALARM: working on the last Unit)' "$work/log" || true)
kept=$(grep -o "Test unit written to [^ ]*" "$work/log" | sed 's/Test unit written to //' | sort -u | tr '\n' ' ')
verdict="no crash, no hang"
if [ "$status" -ne 0 ] || [ "${found:-0}" -ne 0 ]; then
  verdict="FOUND a crash or hang (${found:-0} report lines); inputs: ${kept:-none}"
  status=1
fi
echo "fuzz: ${execs:-?} executions in $((end - built)) s (build $((built - start)) s), cov ${cov:-?}, features ${ft:-?}, corpus ${corp:-?}, seeds $seeds: $verdict"
exit "$status"
