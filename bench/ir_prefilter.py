#!/usr/bin/env python3
"""Before and after the syntactic pre-test that spares the IR of bodies
touching no channel (analyzer/ChannelTouch.h), in one run.

Every file is analysed by clang-tidy-19 with the plugin and all chan-*
checks, twice per repetition, interleaved: with the pre-test (the default)
and without it (CHANLINT_BUILD_ALL_IR=1, every body's IR built as before).
Per run: the analyzer's own phase times and the bodies it built IR for (the
chanlint.PhaseTimes option), and /usr/bin/time's user and system CPU time and peak RSS of the whole
clang-tidy process. Prints one Markdown table: per input, the bodies with
IR of all bodies, the median and least analysis and IR times over files and
repetitions, the CPU time summed over files (median repetition), the
largest peak RSS. Exits with an error if the findings (with their notes)
differ between the two modes on any file.

  bench/ir_prefilter.py [--reps 3] [--boost 5] [--realistic 10] [--sizes 100,1000]
"""
import argparse
import glob
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOST_EXAMPLES = "/usr/share/doc/libboost1.81-doc/examples"
PHASES = re.compile(r"phase times: .*?: total ([\d.]+) ms(?: \(CPU [\d.]+ ms[^)]*\))?, collection ([\d.]+) ms, IR ([\d.]+) ms"
                    r".*; IR of (\d+) of (\d+) bodies")
TIME = re.compile(r"^TIME ([\d.]+) ([\d.]+) (\d+)$", re.M)


def run(plugin, path, all_ir):
    env = dict(os.environ)
    env.pop("CHANLINT_BUILD_ALL_IR", None)
    if all_ir:
        env["CHANLINT_BUILD_ALL_IR"] = "1"
    cmd = ["/usr/bin/time", "-f", "TIME %U %S %M", "clang-tidy-19", "--load=" + plugin,
           "--checks=-*,chan-*", "--config={CheckOptions: {chanlint.PhaseTimes: true}}",
           path, "--", "-std=c++20", "-I" + os.path.join(ROOT, "chan", "include")]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    out = p.stdout + p.stderr
    t = TIME.search(out)
    if not t:
        sys.exit("ir_prefilter: no time for %s:\n%s" % (path, out[-2000:]))
    ph = PHASES.search(out)
    findings = sorted(l for l in p.stdout.splitlines() if re.search(r": (warning|note): ", l))
    return {
        "total": float(ph.group(1)) if ph else 0.0,  # no line: the TU has no library type
        "collection": float(ph.group(2)) if ph else 0.0,
        "ir": float(ph.group(3)) if ph else 0.0,
        "with_ir": int(ph.group(4)) if ph else 0,
        "bodies": int(ph.group(5)) if ph else 0,
        "cpu": float(t.group(1)) + float(t.group(2)),
        "mb": int(t.group(3)) / 1024.0,
        "findings": findings,
        "ok": "error:" not in p.stdout,
    }


def boost_sample(plugin, n, seed):
    """The first n Boost examples of a seeded shuffle that compile with -std=c++20 alone."""
    files = sorted(glob.glob(os.path.join(BOOST_EXAMPLES, "**", "*.cpp"), recursive=True))
    random.Random(seed).shuffle(files)
    out = []
    for f in files:
        if len(out) == n:
            break
        if run(plugin, f, False)["ok"]:
            out.append(f)
    return out


def measure(name, files, plugin, reps):
    by_mode = {False: [], True: []}
    cpu = {False: [], True: []}
    for r in range(reps):
        sums = {False: 0.0, True: 0.0}
        for f in files:
            for all_ir in ((False, True) if r % 2 == 0 else (True, False)):
                m = run(plugin, f, all_ir)
                m["file"] = f
                by_mode[all_ir].append(m)
                sums[all_ir] += m["cpu"]
        for k in sums:
            cpu[k].append(sums[k])
    # Same findings with and without the pre-test, file by file.
    for f in files:
        a = [m["findings"] for m in by_mode[False] if m["file"] == f][0]
        b = [m["findings"] for m in by_mode[True] if m["file"] == f][0]
        if a != b:
            sys.exit("ir_prefilter: findings differ on %s" % f)

    def med(all_ir, key):
        return statistics.median(m[key] for m in by_mode[all_ir])

    def least(all_ir, key):
        return min(m[key] for m in by_mode[all_ir])

    def bodies(all_ir):
        one = {m["file"]: m for m in by_mode[all_ir]}.values()  # one run per file
        return sum(m["with_ir"] for m in one), sum(m["bodies"] for m in one)

    row = [name, str(len(files))]
    row.append("%d → %d of %d" % (bodies(True)[0], bodies(False)[0], bodies(False)[1]))
    for key in ("total", "ir"):
        row.append("%.1f → %.1f (%.1f → %.1f)" % (med(True, key), med(False, key),
                                                 least(True, key), least(False, key)))
    row.append("%.1f → %.1f" % (statistics.median(cpu[True]), statistics.median(cpu[False])))
    row.append("%.0f → %.0f" % (max(m["mb"] for m in by_mode[True]),
                                max(m["mb"] for m in by_mode[False])))
    return row


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--plugin", default=os.path.join(ROOT, "build", "release", "checks", "libChanlintPlugin.so"))
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--realistic", type=int, default=10, help="fixtures/realistic files (every k-th)")
    p.add_argument("--sizes", default="100,1000", help="generated corpus sizes (channel statements)")
    p.add_argument("--boost", type=int, default=5)
    p.add_argument("--seed", type=int, default=12)
    a = p.parse_args()

    rows = []
    real = sorted(glob.glob(os.path.join(ROOT, "fixtures", "realistic", "*.cpp")))
    step = max(1, len(real) // a.realistic)
    rows.append(measure("(a) realistic fixtures", real[::step][: a.realistic], a.plugin, a.reps))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_corpus.py"), "--sizes", a.sizes,
                        "--out-dir", tmp, "--seed", str(a.seed)], check=True, capture_output=True)
        for n in a.sizes.split(","):
            f = os.path.join(tmp, "corpus_%s.cpp" % n)
            rows.append(measure("(b) generated TU, %s channel statements" % n, [f], a.plugin, a.reps))
    if a.boost:
        rows.append(measure("(c) Boost examples, no channels", boost_sample(a.plugin, a.boost, a.seed),
                            a.plugin, a.reps))

    print("| input | files | bodies with IR | analysis ms per TU, median (min) "
          "| IR ms per TU, median (min) | clang-tidy CPU s (sum) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print("\nEach cell: without the pre-test → with it; %d repetitions, interleaved." % a.reps)


if __name__ == "__main__":
    main()
