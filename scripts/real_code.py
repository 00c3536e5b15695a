#!/usr/bin/env python3
"""chanlint over real code nobody here wrote: the Boost 1.81 example programs
that Debian's libboost1.81-doc ships (docs/real-world.md).

  scripts/real_code.py [CHANLINT] [--sample | --shard I/N] [--group NAME]...
                       [--out DIR] [-j N] [--time-limit S] [--no-determinism] [--list]

Writes a compile database for the corpus (below) into DIR (default
build/real-code), runs `chanlint -p DIR --format=json` over it with a per-TU
time limit, and FAILS (exit 1) on
  - a crash: chanlint killed by a signal, or an exit code other than 0
    (clean), 1 (findings) or 3 (TUs that failed to compile);
  - a TU that failed for another reason than compiler errors;
  - a TU over the time limit (chanlint's exit 6);
  - a finding that the verdict table of docs/real-world.md does not list
    (printed as a table row to paste there, verdict to fill in);
  - SARIF that differs between a -j2 and a -j1 run of the determinism
    sample (every DETERMINISM_STRIDE-th TU of the run): two runs, two -j.
TUs that do not compile are counted and named, and do not fail the run.
Prints one summary line, and keeps in DIR: compile_commands.json,
chanlint.json, chanlint.stderr, determinism-*.sarif and summary.md (the
figures and lists in the form docs/real-world.md gives them).

The corpus, sorted by path relative to the examples directory: every
example of the GROUPS below, then every STRIDE-th of the other .cpp files.
--sample keeps the groups that exercise the channel models (Fiber, Asio C++20,
the Asio tutorials) and every SAMPLE_STRIDE-th TU of the rest, from an offset
that turns with the day of the year (--sample-offset fixes it): what CI runs
(ctest's reliability.real_code_sample). Every run sees every channel example;
SAMPLE_STRIDE consecutive days see the whole corpus.
--shard I/N keeps every N-th TU from the I-th (1-based) of the corpus.
--group NAME (repeatable) keeps only the TUs of the named groups ("other"
names the stride of the rest), after --sample or --shard: the run of one
library's examples after a change to its model (`--group thread`).
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = "/usr/share/doc/libboost1.81-doc/examples"
DOC = os.path.join(ROOT, "docs", "real-world.md")
CXX = "clang++-19"


class Group:
    """Examples taken whole. include: extra -I directories relative to
    EXAMPLES (the example's own directory and EXAMPLES are always two);
    defines: -D flags the group needs."""

    def __init__(self, name, patterns, exclude=(), include=(), defines=(), in_sample=False):
        self.name, self.patterns, self.exclude = name, patterns, exclude
        self.include, self.defines, self.in_sample = include, defines, in_sample

    def files(self):
        out = set()
        for p in self.patterns:
            out.update(os.path.relpath(f, EXAMPLES)
                       for f in glob.glob(os.path.join(EXAMPLES, p), recursive=True))
        return sorted(f for f in out if not any("/%s/" % x in f for x in self.exclude))


GROUPS = [
    # GPU and NUMA examples need CUDA, HIP or libnuma.
    Group("fiber", ["libs/fiber/examples/**/*.cpp"], exclude=("cuda", "hip", "numa"),
          in_sample=True),
    Group("asio-cpp20", ["libs/asio/example/cpp20/**/*.cpp"], in_sample=True),
    Group("asio-tutorial", ["libs/asio/example/cpp03/tutorial/**/*.cpp"], in_sample=True),
    # Beast's examples include "example/common/...", from its root.
    Group("beast", ["libs/beast/**/*.cpp"], include=("libs/beast",)),
    Group("thread", ["libs/thread/example/*.cpp"]),
]
STRIDE = 20          # the other examples: every 20th, sorted
SAMPLE_STRIDE = 8    # --sample: every 8th TU outside the sample's groups (CI's budget)
DETERMINISM_STRIDE = 10
DEFAULT_TIME_LIMIT = 300  # seconds per TU; the heaviest take ~40 s alone on 2 loaded cores

VERDICTS = ("real issue", "intended", "false positive, fix pending")


def corpus():
    """[(group name, path relative to EXAMPLES)], sorted by path."""
    taken = {}
    for g in GROUPS:
        for f in g.files():
            taken.setdefault(f, g.name)
    rest = sorted(os.path.relpath(f, EXAMPLES)
                  for f in glob.glob(os.path.join(EXAMPLES, "**", "*.cpp"), recursive=True))
    rest = [f for f in rest if f not in taken]
    for f in rest[::STRIDE]:
        taken[f] = "other"
    return sorted(((g, f) for f, g in taken.items()), key=lambda t: t[1])


def select(tus, args):
    if args.sample:
        sampled = {g.name for g in GROUPS if g.in_sample}
        kept = [t for t in tus if t[0] in sampled]
        rest = [t for t in tus if t[0] not in sampled]
        tus = sorted(kept + rest[args.sample_offset::SAMPLE_STRIDE], key=lambda t: t[1])
    elif args.shard:
        i, n = args.shard
        tus = tus[i - 1::n]
    if args.group:
        tus = [t for t in tus if t[0] in args.group]
    return tus


def compile_command(group, rel):
    path = os.path.join(EXAMPLES, rel)
    g = next((x for x in GROUPS if x.name == group), None)
    # The examples directory stands for Boost's root, which some examples
    # include from ("libs/iostreams/example/container_device.hpp").
    flags = ["-std=c++20", "-I" + os.path.dirname(path), "-I" + EXAMPLES]
    if g:
        flags += ["-I" + os.path.join(EXAMPLES, d) for d in g.include]
        flags += ["-D" + d for d in g.defines]
    return {"directory": EXAMPLES, "file": path,
            "arguments": [CXX] + flags + ["-c", path, "-o", "/dev/null"]}


def write_database(directory, tus):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "compile_commands.json"), "w") as f:
        json.dump([compile_command(g, rel) for g, rel in tus], f, indent=1)


# --- The verdict table of docs/real-world.md.

TABLE_HEADER = "| check | file | line | fingerprint | verdict | why |"


def read_verdicts(path=DOC):
    """{fingerprint: row} from the table under TABLE_HEADER."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    try:
        start = lines.index(TABLE_HEADER)
    except ValueError:
        sys.exit("real_code: %s has no verdict table (header %r)" % (path, TABLE_HEADER))
    for n, line in enumerate(lines[start + 2:], start + 3):
        if not line.startswith("|"):
            break
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 6:
            sys.exit("real_code: %s:%d: a verdict row has 6 cells" % (path, n))
        check, file, line_no, fingerprint, verdict, why = cells
        if verdict not in VERDICTS:
            sys.exit("real_code: %s:%d: verdict %r is none of %s" % (path, n, verdict, VERDICTS))
        if not why:
            sys.exit("real_code: %s:%d: a verdict needs its why" % (path, n))
        rows[fingerprint] = {"check": check, "file": file, "line": line_no, "verdict": verdict}
    return rows


def table_row(f):
    return "| %s | `%s` | %d | `%s` | ? | %s |" % (
        f["check"], f["path"], f["location"]["start"]["line"], f["fingerprint"], f["message"])


# --- Running chanlint.

class Run:
    """chanlint as a child: exit code, wall and CPU seconds (user+sys), peak RSS in MB."""

    def __init__(self, cmd, stderr_path):
        start = time.monotonic()
        with open(stderr_path, "w") as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
        self.wall = time.monotonic() - start
        self.cpu = usage.ru_utime + usage.ru_stime
        self.peak_mb = usage.ru_maxrss / 1024.0
        self.code = os.waitstatus_to_exitcode(status)  # -N: killed by signal N
        with open(stderr_path, errors="replace") as f:
            self.stderr = f.read()


def chanlint_cmd(a, db_dir, fmt, out, jobs):
    limit = ["--tu-time-limit=%d" % a.time_limit] if a.time_limit else []
    return [a.chanlint, "-p", db_dir, "--srcroot=" + EXAMPLES, "--no-cache", "-q",
            "-j%d" % jobs] + limit + ["--format=" + fmt, "-o", out]


def determinism(a, tus, problems):
    """SARIF of the determinism sample, -j2 then -j1: every byte the same.
    Returns the sample's size and the two runs' wall and CPU seconds."""
    sample = tus[::DETERMINISM_STRIDE]
    db_dir = os.path.join(a.out, "determinism")
    write_database(db_dir, sample)
    outs, wall, cpu = [], 0.0, 0.0
    for jobs in (2, 1):
        out = os.path.join(a.out, "determinism-j%d.sarif" % jobs)
        r = Run(chanlint_cmd(a, db_dir, "sarif", out, jobs), out + ".stderr")
        wall, cpu = wall + r.wall, cpu + r.cpu
        if r.code not in (0, 1, 3):
            problems.append("determinism: the -j%d run exited %d" % (jobs, r.code))
            return len(sample), wall, cpu
        with open(out, "rb") as f:
            outs.append(f.read())
    if outs[1] != outs[0]:
        problems.append("determinism: the SARIF of the -j1 run differs from the -j2 run's")
    return len(sample), wall, cpu


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chanlint", nargs="?", help="the chanlint binary (default: the release build)")
    p.add_argument("--out", default=os.path.join(ROOT, "build", "real-code"))
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--time-limit", type=int, default=DEFAULT_TIME_LIMIT,
                   help="seconds per TU (default %d; 0: none)" % DEFAULT_TIME_LIMIT)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--sample", action="store_true", help="the CI sample (see above)")
    which.add_argument("--shard", help="I/N: every N-th TU from the I-th")
    p.add_argument("--sample-offset", type=int, choices=range(SAMPLE_STRIDE),
                   default=time.localtime().tm_yday % SAMPLE_STRIDE,
                   help="--sample: which of the %d rotations of the rest (default: the day "
                        "of the year modulo %d)" % (SAMPLE_STRIDE, SAMPLE_STRIDE))
    p.add_argument("--group", action="append", metavar="NAME",
                   choices=[g.name for g in GROUPS] + ["other"],
                   help="only the TUs of this group (repeatable): %s, other"
                        % ", ".join(g.name for g in GROUPS))
    p.add_argument("--no-determinism", action="store_true",
                   help="skip the determinism runs")
    p.add_argument("--list", action="store_true", help="print the selected TUs and exit")
    a = p.parse_args()
    if a.shard:
        m = re.fullmatch(r"(\d+)/(\d+)", a.shard)
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
            p.error("--shard takes I/N with 1 <= I <= N")
        a.shard = (int(m.group(1)), int(m.group(2)))
    if not os.path.isdir(EXAMPLES):
        sys.exit("real_code: %s is missing: scripts/setup.sh installs libboost1.81-doc" % EXAMPLES)
    if not a.chanlint:
        a.chanlint = os.path.join(ROOT, "build", "release", "driver", "chanlint")
    a.chanlint = os.path.abspath(a.chanlint)
    if not os.access(a.chanlint, os.X_OK):
        sys.exit("real_code: no chanlint at %s: build it, or give its path" % a.chanlint)

    tus = select(corpus(), a)
    if a.list:
        for g, rel in tus:
            print("%-14s %s" % (g, rel))
        print("%d TUs" % len(tus))
        return 0
    verdicts = read_verdicts()
    a.out = os.path.abspath(a.out)
    shutil.rmtree(a.out, ignore_errors=True)
    write_database(a.out, tus)
    report_path = os.path.join(a.out, "chanlint.json")
    cmd = chanlint_cmd(a, a.out, "json", report_path, a.jobs)
    which = "sample, offset %d of %d" % (a.sample_offset, SAMPLE_STRIDE) if a.sample else (
        "shard %d/%d" % a.shard if a.shard else "whole corpus")
    if a.group:
        which += ", group%s %s" % ("s" if len(a.group) > 1 else "", " ".join(a.group))
    print("real_code: %d TUs (%s): %s" % (len(tus), which, " ".join(shlex.quote(c) for c in cmd)),
          flush=True)
    run = Run(cmd, os.path.join(a.out, "chanlint.stderr"))

    problems = []
    report = None
    if run.code < 0:
        problems.append("chanlint crashed (signal %d); rerun with -j1 to find the TU:\n%s"
                        % (-run.code, run.stderr[-4000:]))
    elif run.code not in (0, 1, 3, 6):
        problems.append("chanlint exited %d:\n%s" % (run.code, run.stderr[-4000:]))
    else:
        try:
            with open(report_path) as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            problems.append("no JSON report (%s); chanlint exited %d" % (e, run.code))

    not_compiled, timed_out, findings, unlisted = [], [], [], []
    if report:
        for t in report["translationUnits"]:
            if t.get("timedOut"):
                timed_out.append(t["path"])
            elif t["failed"] and t["compilerErrors"]:
                first = t["compilerErrors"][0]
                where = os.path.relpath(first["location"]["file"], EXAMPLES)
                if where.startswith(".."):
                    where = first["location"]["file"]
                not_compiled.append((t["path"], "%s:%d: %s" % (
                    where, first["location"]["start"]["line"], first["message"])))
            elif t["failed"]:
                problems.append("%s failed, not by a compiler error: %s"
                                % (t["path"], t["failureReason"]))
        for path in timed_out:
            problems.append("%s exceeded the time limit of %d s" % (path, a.time_limit))
        findings = report["findings"]
        unlisted = [f for f in findings if f["fingerprint"] not in verdicts]
        for f in unlisted:
            problems.append("a finding not in docs/real-world.md: %s:%d: %s [%s]" % (
                f["path"], f["location"]["start"]["line"], f["message"], f["check"]))

    det = "determinism not checked"
    if report and not a.no_determinism:
        det = "determinism on %d TUs (%.0f s wall, %.0f s CPU)" % determinism(a, tus, problems)

    compiled = len(tus) - len(not_compiled) - len(timed_out) if report else 0
    summary = ("real_code: %d TUs, %d compiled, %d failed to compile, %d over the time limit, "
               "%d findings (%d listed, %d unlisted), %s; chanlint %.0f s wall, %.0f s CPU, "
               "peak %.0f MB; %s" % (
                   len(tus), compiled, len(not_compiled), len(timed_out), len(findings),
                   len(findings) - len(unlisted), len(unlisted),
                   det,
                   run.wall, run.cpu, run.peak_mb, "FAIL" if problems else "PASS"))

    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write("%s\n\nTUs that did not compile (%d):\n\n" % (summary, len(not_compiled)))
        f.writelines("- `%s`: %s\n" % nc for nc in not_compiled)
        f.write("\nFindings (%d):\n\n%s\n|---|---|---|---|---|---|\n" % (len(findings), TABLE_HEADER))
        f.writelines(table_row(x) + "\n" for x in findings)
    for nc in not_compiled:
        print("real_code: did not compile: %s: %s" % nc)
    if unlisted:
        print("real_code: findings to judge in docs/real-world.md (verdict: %s):"
              % " | ".join(VERDICTS))
        for f in unlisted:
            print(table_row(f))
    for msg in problems:
        print("real_code: FAIL: " + msg)
    print(summary)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
