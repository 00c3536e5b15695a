#!/usr/bin/env python3
"""What the chan-* checks cost on top of a clang-tidy run, and what the driver does with it.

For every file of each input, in one run and interleaved file by file so that
machine noise hits both alike:
  trivial: clang-tidy-19 --load=<plugin> --checks=-*,misc-unused-alias-decls
           (the plugin loaded, a parse and one trivial AST check: with no
           check at all clang-tidy does not even parse the file)
  chan-*:  clang-tidy-19 --load=<plugin> --checks=-*,chan-*
CPU time is user+sys of the child (os.wait4's rusage), peak memory its max RSS.
With --rounds N each file runs N times in each mode, the order alternating, and
counts its least CPU time (the driver's -j1/-j2 likewise, the least wall time):
one round's sums move by a tenth on a shared machine, more than the checks cost.
The chan-* run prints the analyzer's own phase times (chanlint.PhaseTimes):
for the generated TUs, the analysis' CPU time and page faults per channel
statement are read from them (the analysis alone; the least of
--analysis-runs chan-* runs, as other processes only ever add to it), not
from the difference of the two runs, which the parse's noise swamps.

Inputs: (a) the fixtures, (b) TUs from bench/gen_corpus.py at three sizes,
(c) Boost's example programs (Debian's libboost1.81-doc): heavy headers, no
channels. A Boost example counts only if the trivial run compiles it; the
sample is a seeded shuffle of the sorted list, so it is the same every run.
Then the driver: chanlint over the fixtures' compile_commands.json, -j1
against -j2 (wall time, no cache), and a cold cache against a warm one.
Then the language server (`chanlint --lsp`, driven over stdio as an editor
would): edit-to-diagnostics on a realistic ~100-line file, cold (didOpen of a
fresh server: the preamble is built) against an edit in the body (didChange:
the preamble is reused), median of several runs; and the same without the
preamble (initializationOptions.preamble = false), as the server was before.

Prints one Markdown table. scripts/bench.sh is the wrapper that builds first.

  bench/bench.py [--quick] [--build build/release]
"""
import argparse
import glob
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lsp"))
import gen_corpus  # noqa: E402
from lsp_client import LspClient, file_uri  # noqa: E402

BOOST_EXAMPLES = "/usr/share/doc/libboost1.81-doc/examples"
CHAN_FLAGS = ["-std=c++20", "-I" + os.path.join(ROOT, "chan", "include")]
TRIVIAL = "--checks=-*,misc-unused-alias-decls"
CHAN = "--checks=-*,chan-*"
PHASE_TIMES = "--config={CheckOptions: {chanlint.PhaseTimes: true}}"
# "chanlint: phase times: FILE: total 2.0 ms (CPU 1.9 ms, 120 page faults), collection ..."
ANALYSIS_TOTAL = re.compile(r"phase times: .*?: total ([\d.]+) ms \(CPU ([\d.]+) ms, (\d+) page faults\)")
# The language server's file: a realistic service of 92 lines.
LSP_FILE = os.path.join(ROOT, "fixtures", "realistic", "b12_pubsub_unsubscribe_close.cpp")
LSP_TIMEOUT = 300  # seconds for one analysis, however loaded the machine


class Run:
    """One child process: CPU seconds (user+sys), peak RSS in MB, wall seconds, exit code;
    with keep_stderr, what it wrote on stderr."""

    def __init__(self, cmd, cwd=None, keep_stderr=False):
        with tempfile.TemporaryFile(mode="w+") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                                    stderr=err if keep_stderr else subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            self.wall = time.perf_counter() - start
            err.seek(0)
            self.stderr = err.read()
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
        self.analysis = []  # per chan-* run of all files: (CPU ms, page faults) of the analysis

    def add(self, trivials, chans):
        """One file's runs of each mode (one per round): its CPU time is the least of
        them, the run other processes disturbed least; its peak memory the largest."""
        self.files += 1
        for k, runs in enumerate((trivials, chans)):
            self.cpu[k] += min(r.cpu for r in runs)
            self.peak[k] = max(self.peak[k], max(r.peak_mb for r in runs))
        self.add_analysis(min(chans, key=lambda r: r.cpu))

    def add_analysis(self, chan):
        """The analyzer's own totals from a chan-* run's phase-times line. No line: the TU
        declares no library type, the analysis stopped at once."""
        cpu, faults = 0.0, 0
        for m in ANALYSIS_TOTAL.finditer(chan.stderr):
            cpu += float(m.group(2))
            faults += int(m.group(3))
        self.analysis.append((cpu, faults))

    def least_analysis(self):
        """The run of least analysis CPU time, the one other processes disturbed least:
        (CPU ms, page faults)."""
        return min(self.analysis)


def tidy(a, check, source, flags):
    options = [PHASE_TIMES] if check == CHAN else []
    return Run([a.clang_tidy, "--load=" + a.plugin, check] + options + ["--quiet", source, "--"] + flags,
               keep_stderr=check == CHAN)


def chan_run(a, source, flags):
    chan = tidy(a, CHAN, source, flags)
    if chan.code != 0:
        # The file parses, so the plugin failed: its figures would measure a crash.
        sys.exit("bench: chan-* run failed (exit %d) on %s:\n%s"
                 % (chan.code, source, chan.stderr[-2000:]))
    return chan


def measure_pair(a, source, flags, pair):
    """Runs trivial then chan-* on one file, --rounds times, the order alternating from
    round to round; returns False if the file does not compile."""
    trivial = tidy(a, TRIVIAL, source, flags)
    if trivial.code != 0:
        return False
    trivials, chans = [trivial], [chan_run(a, source, flags)]
    for k in range(1, a.rounds):
        first_chan = k % 2 == 1
        for chan in (first_chan, not first_chan):
            if chan:
                chans.append(chan_run(a, source, flags))
            else:
                trivials.append(tidy(a, TRIVIAL, source, flags))
    pair.add(trivials, chans)
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
    j1s, j2s = [], []
    for k in range(a.rounds):  # alternating which goes first; the least wall time of each
        for jobs in (("-j1", "-j2") if k % 2 == 0 else ("-j2", "-j1")):
            (j1s if jobs == "-j1" else j2s).append(Run(base + [jobs, "--no-cache"], cwd=ROOT))
    j1 = min(j1s, key=lambda r: r.wall)
    j2 = min(j2s, key=lambda r: r.wall)
    cache = os.path.join(tmp, "cache")
    cold = Run(base + ["-j2", "--cache-dir=" + cache], cwd=ROOT)
    warm = Run(base + ["-j2", "--cache-dir=" + cache], cwd=ROOT)
    for name, r in [("-j1", r) for r in j1s] + [("-j2", r) for r in j2s] + [("cold", cold), ("warm", warm)]:
        if r.code not in (0, 1):  # 1: findings
            sys.exit("bench: chanlint %s exited %d" % (name, r.code))
    n = len(sources)
    return [
        ("driver `chanlint` on the fixtures: `-j1` → `-j2`, wall s, no cache" + rounds_note(a), n,
         "%.1f" % j1.wall, "%.1f" % j2.wall, "speedup %.2fx" % (j1.wall / j2.wall),
         "%.0f (1 worker)" % j1.peak_mb, "%.0f (2 workers, ≈%.0f per worker)" % (j2.peak_mb, j2.peak_mb / 2),
         "%.2f" % (j2.peak_mb / j1.peak_mb), "–"),
        ("driver `chanlint` on the fixtures: cold → warm cache (`-j2`), wall s", n,
         "%.1f" % cold.wall, "%.1f" % warm.wall, "warm = %.1f%% of cold" % (100 * warm.wall / cold.wall),
         "%.0f" % cold.peak_mb, "%.0f" % warm.peak_mb, "%.2f" % (warm.peak_mb / cold.peak_mb), "–"),
    ]


def lsp_session(a, root, source, preamble):
    """One server: didOpen, then edits below the includes, each waited for.
    Returns (seconds to the first diagnostics, [seconds after each edit],
    the server's peak RSS in MB)."""
    uri = file_uri(source)
    with open(source) as f:
        text = f.read()
    c = LspClient([a.chanlint, "--lsp"], cwd=root)
    try:
        c.request("initialize", {"processId": os.getpid(), "rootUri": file_uri(root),
                                 "capabilities": {},
                                 "initializationOptions": {"debounceMs": 0, "preamble": preamble}},
                  timeout=LSP_TIMEOUT)
        c.notify("initialized", {})
        start = time.perf_counter()
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
        c.wait_for_diagnostics(uri, LSP_TIMEOUT, version=1)
        cold = time.perf_counter() - start
        edits = []
        end = text.count("\n")
        for version in range(2, 2 + a.lsp_edits):
            # A new declaration at the end of the file: the body changes, the includes do not.
            start = time.perf_counter()
            c.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": end, "character": 0},
                                              "end": {"line": end, "character": 0}},
                                    "text": "int bench_edit_%d = %d;\n" % (version, version)}]})
            c.wait_for_diagnostics(uri, LSP_TIMEOUT, version=version)
            edits.append(time.perf_counter() - start)
            end += 1
        c.request("shutdown", timeout=LSP_TIMEOUT)
        c.notify("exit")
        _, status, usage = os.wait4(c.proc.pid, 0)
        c.proc.returncode = os.waitstatus_to_exitcode(status)
        if c.proc.returncode != 0:
            sys.exit("bench: chanlint --lsp exited %d" % c.proc.returncode)
        return cold, edits, usage.ru_maxrss / 1024.0
    finally:
        c.close()


def lsp_rows(a, tmp):
    """Edit-to-diagnostics in the language server, with and without the preamble."""
    root = os.path.join(tmp, "lsp")
    os.makedirs(root)
    source = os.path.join(root, os.path.basename(LSP_FILE))
    shutil.copyfile(LSP_FILE, source)
    with open(os.path.join(root, "compile_commands.json"), "w") as f:
        json.dump([{"directory": root, "file": source,
                    "arguments": ["clang++-19"] + CHAN_FLAGS + ["-c", source]}], f)
    with open(source) as f:
        lines = f.read().count("\n")
    runs = {True: ([], [], 0.0), False: ([], [], 0.0)}
    for _ in range(a.lsp_runs):
        for preamble in (True, False):  # interleaved, so that noise hits both
            cold, edits, peak = lsp_session(a, root, source, preamble)
            colds, warms, top = runs[preamble]
            colds.append(cold)
            warms.extend(edits)
            runs[preamble] = (colds, warms, max(top, peak))
    out = []
    for preamble, label in ((True, "preamble kept"), (False, "no preamble (`preamble: false`)")):
        colds, warms, peak = runs[preamble]
        cold, warm = statistics.median(colds), statistics.median(warms)
        out.append(("LSP `chanlint --lsp`, %s: didOpen → edit in the body, wall s to "
                    "publishDiagnostics (%d-line file, median of %d opens / %d edits)"
                    % (label, lines, len(colds), len(warms)), 1,
                    "%.2f" % cold, "%.2f" % warm, "edit = %.0f%% of cold" % (100 * warm / cold),
                    "%.0f (server)" % peak, "–", "–", "–"))
    return out


def row(name, pair, statements=None):
    t, c = pair.cpu
    per_stmt = "–"
    if statements:
        cpu_ms, faults = pair.least_analysis()
        per_stmt = "%.3f ms, %.1f page faults (least of %d runs)" % (
            cpu_ms / statements, faults / statements, len(pair.analysis))
    return (name, pair.files, "%.1f" % t, "%.1f" % c, "%.2f" % (c / t),
            "%.0f" % pair.peak[0], "%.0f" % pair.peak[1], "%.2f" % (pair.peak[1] / pair.peak[0]), per_stmt)


def analysis_growth(generated):
    """Issue 12's target: the analysis time per statement within 20% from the smallest to the
    largest generated TU. generated: (statements, Pair) of each size."""
    per_stmt = {n: pair.least_analysis()[0] / n for n, pair in generated}
    small, large = min(per_stmt), max(per_stmt)
    spread = max(per_stmt.values()) / min(per_stmt.values())
    return ("Analysis CPU per statement (phase times): %s; %d over %d statements %.2fx, "
            "largest over smallest of all sizes %.2fx (target: within 1.20x)."
            % (", ".join("%d: %.3f ms" % (n, v) for n, v in sorted(per_stmt.items())),
               large, small, per_stmt[large] / per_stmt[small], spread))


def rounds_note(a):
    return ", least of %d rounds" % a.rounds if a.rounds > 1 else ""


def ordinal(n):
    return "%d%s" % (n, "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    p.add_argument("--clang-tidy", default="clang-tidy-19")
    p.add_argument("--quick", action="store_true",
                   help="every 12th fixture, 10 Boost examples, the three sizes as usual")
    p.add_argument("--fixture-step", type=int, default=1,
                   help="measure every Nth fixture (1: all of them)")
    p.add_argument("--sizes", default="100,1000,5000", help="generated TU sizes, in channel statements")
    p.add_argument("--analysis-runs", type=int, default=3,
                   help="chan-* runs of each generated TU for its analysis time per statement (the least)")
    p.add_argument("--boost", type=int, default=30, help="Boost examples to measure")
    p.add_argument("--rounds", type=int, default=1,
                   help="runs of each mode per file (and of the driver's -j1/-j2), the order "
                        "alternating; each file counts its least CPU time: on a shared machine "
                        "one round's clang-tidy rows move by a tenth, more than the checks cost")
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--no-driver", action="store_true")
    p.add_argument("--no-lsp", action="store_true")
    p.add_argument("--lsp-runs", type=int, default=5,
                   help="fresh language servers per mode (each: one open, then the edits)")
    p.add_argument("--lsp-edits", type=int, default=3, help="edits per language server")
    p.add_argument("--lsp-only", action="store_true",
                   help="the language server's rows alone (no clang-tidy or driver runs)")
    a = p.parse_args()
    if a.quick:
        a.fixture_step, a.boost, a.lsp_runs = 12, min(a.boost, 10), min(a.lsp_runs, 3)
    a.plugin = os.path.join(a.build, "checks", "libChanlintPlugin.so")
    a.chanlint = os.path.join(a.build, "driver", "chanlint")
    for path in (a.chanlint,) if a.lsp_only else (a.plugin, a.chanlint):
        if not os.path.exists(path):
            sys.exit("bench: %s is missing: build first (scripts/bench.sh does)" % path)
    if not a.lsp_only and not os.path.isdir(BOOST_EXAMPLES):
        sys.exit("bench: %s is missing: apt-get install libboost1.81-doc libboost1.81-dev" % BOOST_EXAMPLES)

    rows = []
    generated = []  # (statements, Pair) of each generated TU
    tmp = tempfile.mkdtemp(prefix="chanlint-bench-")
    try:
        # Measure copies: a rebuild of the tree during the run must not change
        # (or break) what is measured halfway through.
        for attr in ("plugin", "chanlint"):
            if os.path.exists(getattr(a, attr)):
                setattr(a, attr, shutil.copy2(getattr(a, attr), tmp))
        if a.lsp_only:
            rows += lsp_rows(a, tmp)
            return print_table(rows)
        fix = fixtures(a)
        pair = Pair()
        # A fixture may be meant not to compile (a RecvChan has no close): left out, and said.
        fix = [f for f in fix if measure_pair(a, f, CHAN_FLAGS, pair)]
        label = "(a) fixtures" + (", every %s" % ordinal(a.fixture_step) if a.fixture_step > 1 else "")
        label += rounds_note(a)
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
            # The analysis alone, again: on a shared machine its CPU time moves by a
            # quarter from run to run.
            for _ in range(a.analysis_runs - 1):
                pair.add_analysis(tidy(a, CHAN, path, CHAN_FLAGS))
            rows.append(row("(b) generated TU, %d channel statements" % count, pair, count))
            generated.append((count, pair))

        pair = Pair()
        tried = 0
        for f in boost_candidates(a):
            if pair.files == a.boost:
                break
            tried += 1
            measure_pair(a, f, ["-std=c++20"], pair)
        rows.append(row("(c) Boost 1.81 examples (%d of %d tried compile with -std=c++20)"
                        % (pair.files, tried) + rounds_note(a), pair))

        if not a.no_driver:
            rows += driver_rows(a, fix, tmp)
        if not a.no_lsp:
            rows += lsp_rows(a, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(rows)
    if len(generated) > 1:
        print("\n" + analysis_growth(generated))
    return 0


def print_table(rows):
    print("| input | files | trivial CPU s | chan-* CPU s | ratio | trivial peak MB | chan-* peak MB "
          "| memory ratio | analysis per statement (phase times: CPU, page faults) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
