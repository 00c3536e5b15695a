#!/usr/bin/env python3
"""Tests of the chanlint driver; ctest runs one per entry:

  driver_test.py --chanlint BIN --plugin SO --clang-tidy BIN --repo DIR
                 --multitool BIN --apply-replacements BIN --cxx BIN
                 --work DIR <test>

Every test works on fresh copies of tests/driver/Inputs/project (made under
--work, outside the repository, so that the repository's .clang-tidy does
not apply), with a compile_commands.json written for the copy. Runs never
touch the user's cache: they pass --no-cache or a --cache-dir of their own.
"""
import argparse
import difflib
import filecmp
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "Inputs", "project")
DEFAULT_SOURCES = ("graceful.cpp", "publisher.cpp", "squares.cpp")


class Failure(Exception):
    pass


def check(cond, message, *details):
    if not cond:
        raise Failure(message + "".join("\n--- " + str(d) for d in details))


class Env:
    def __init__(self, args):
        self.a = args
        os.makedirs(args.work, exist_ok=True)

    # --- A project copy with its compilation database.
    def project(self, name, sources=DEFAULT_SOURCES):
        root = os.path.join(self.a.work, name)
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(INPUTS, root)
        self.write_database(root, sources)
        return root

    def write_database(self, root, sources):
        build = os.path.join(root, "build")
        os.makedirs(build, exist_ok=True)
        entries = []
        for s in sources:
            path = os.path.join(root, "src", s)
            entries.append({
                "directory": build,
                "file": path,
                "arguments": [self.a.cxx, "-std=c++20",
                              "-I" + os.path.join(self.a.repo, "chan", "include"),
                              "-I" + os.path.join(root, "include"),
                              "-c", path, "-o", s + ".o"],
            })
        with open(os.path.join(build, "compile_commands.json"), "w") as f:
            json.dump(entries, f, indent=2)
        return build

    # --- Running the tools.
    def chanlint(self, args, cwd=None, stdin=None, cache=False, user=None):
        cmd = [self.a.chanlint] + ([] if cache else ["--no-cache"]) + args
        start = time.monotonic()
        r = subprocess.run(cmd, cwd=cwd or self.a.work, input=stdin, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, user=user)
        r.seconds = time.monotonic() - start
        r.cmd = " ".join(cmd)
        return r

    def chanlint_json(self, args, cwd=None, expect_rc=None, **kw):
        # Options go before a `--`: what follows it are compile flags.
        cut = args.index("--") if "--" in args else len(args)
        r = self.chanlint(args[:cut] + ["--format=json"] + args[cut:], cwd=cwd, **kw)
        if expect_rc is not None:
            check(r.returncode == expect_rc,
                  "%s: exit %d, expected %d" % (r.cmd, r.returncode, expect_rc), r.stderr)
        try:
            return r, json.loads(r.stdout)
        except ValueError:
            raise Failure("%s: no JSON on stdout" % r.cmd, r.stdout, r.stderr)


def findings_key(report):
    return sorted((f["check"], f["path"], f["location"]["start"]["line"],
                   f["location"]["start"]["column"], f["message"])
                  for f in report["findings"])


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tree_digest(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            out[os.path.relpath(p, root)] = sha(p)
    return out


# ----------------------------------------------------------------------------
# The tests.

RUN_CHECK_CHAN_TIDY = re.compile(r"//\s*RUN:\s*%check_chan_tidy\s+(.*)$")


def lit_invocations(fixture):
    """How the lit harness (tests/lit/check_chan_tidy.py) runs clang-tidy on
    a fixture: per %check_chan_tidy RUN line, (checks, clang-tidy arguments,
    compile flags added to "-std=c++20 -I<chan>"). A fixture without one (a
    %check_expect program) runs every chan check, as check_expect.py does."""
    out = []
    with open(fixture, encoding="utf-8") as f:
        for line in f:
            m = RUN_CHECK_CHAN_TIDY.search(line)
            if not m:
                continue
            # lit's %S: the fixture's directory (models' Inputs/, say).
            words = [w.replace("%S", os.path.dirname(fixture))
                     for w in shlex.split(m.group(1))]
            cut = words.index("--") if "--" in words else len(words)
            positional = [w for w in words[:cut] if not w.startswith("-")]  # %s check %t
            check(len(positional) == 3, "%s: cannot read the RUN line" % fixture, line)
            rest = words[cut + 1:]
            tidy_args, compile_extra = rest, []
            if "--" in rest:
                tidy_args, compile_extra = rest[:rest.index("--")], rest[rest.index("--") + 1:]
            out.append(("-*," + positional[1], tuple(tidy_args), tuple(compile_extra)))
    return out or [("-*,chan-*", (), ())]


PARITY_LINE = re.compile(
    r"^(/[^:\n]+):(\d+):(\d+): (warning|error|note): (.*?)(?: \[([\w\-.,]+)\])?$")
SUPPRESSION_LINE = re.compile(r"^(Suppressed \d+ warnings|Use -header-filter=)")


def tidy_findings(text, files):
    """clang-tidy's text as (check, level, file, line, column, message,
    [notes]) per file."""
    found = {f: [] for f in files}
    last = None
    for line in text.splitlines():
        m = PARITY_LINE.match(line)
        if not m:
            continue
        file, ln, col, level, msg, name = m.groups()
        if level == "note":
            check(last is not None, "a note before any warning in clang-tidy's output", line)
            last[-1].append((file, int(ln), int(col), msg))
            continue
        last = (name, level, file, int(ln), int(col), msg, [])
        check(file in found, "clang-tidy reported outside the analysed files", line)
        found[file].append(last)
    return found


def chanlint_findings(report, files):
    """The same from chanlint's JSON: the anchor is clang's line:col."""
    found = {f: [] for f in files}
    diags = list(report["findings"])
    for tu in report["translationUnits"]:
        diags += tu["compilerErrors"]
    for d in diags:
        loc, anchor = d["location"], d["anchor"]
        check(loc["file"] in found, "chanlint reported outside the analysed files", d)
        check((loc["start"]["line"], loc["start"]["column"]) <= (anchor["line"], anchor["column"])
              and (anchor["line"], anchor["column"]) <= (loc["end"]["line"], loc["end"]["column"]),
              "the anchor is outside the location's region", d)
        found[loc["file"]].append(
            (d["check"], d["level"], loc["file"], anchor["line"], anchor["column"],
             d["message"], [(n["location"]["file"], n["location"]["start"]["line"],
                             n["location"]["start"]["column"], n["message"])
                            for n in d["notes"]]))
    return found


def compare_runs(env, label, files, tidy_cmd, chanlint_args, cwd):
    """Runs clang-tidy with the plugin and chanlint (at once: one core each)
    over the same files; returns a list of differences: the text on stdout
    byte for byte (warnings, notes, source lines, carets and highlights,
    fix-it hints), clang-tidy's "Suppressed N warnings (...)" lines, and the
    findings as JSON (check, level, file, anchor, message, notes)."""
    tidy = subprocess.Popen(tidy_cmd, cwd=cwd, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    json_path = os.path.join(env.a.work, "parity.json")
    cut = chanlint_args.index("--") if "--" in chanlint_args else len(chanlint_args)
    r = env.chanlint(chanlint_args[:cut] + ["-j1", "--color=never", "--format=json",
                                            "-o", json_path] + chanlint_args[cut:], cwd=cwd)
    tidy_out, tidy_err = tidy.communicate()
    check(r.returncode in (0, 1, 3), "%s: exit %d" % (r.cmd, r.returncode), r.stderr)
    with open(json_path) as f:
        report = json.load(f)

    problems = []
    if tidy_out != r.stdout:
        diff = difflib.unified_diff(tidy_out.splitlines(), r.stdout.splitlines(),
                                    "clang-tidy + plugin", "chanlint", lineterm="", n=2)
        problems.append("the text differs:\n" + "\n".join(list(diff)[:80]))
    suppressed = [[l for l in err.splitlines() if SUPPRESSION_LINE.match(l)]
                  for err in (tidy_err, r.stderr)]
    if suppressed[0] != suppressed[1]:
        problems.append("the suppression summary differs: clang-tidy %s, chanlint %s"
                        % tuple(suppressed))
    expected, actual = tidy_findings(tidy_out, files), chanlint_findings(report, files)
    norm = lambda xs: sorted((a[:6] + (tuple(a[6]),)) for a in xs)
    for f in files:
        e, a = norm(expected[f]), norm(actual[f])
        if e != a:
            problems.append("%s: the findings differ\nclang-tidy + plugin:\n  %s\nchanlint:\n  %s"
                            % (f, "\n  ".join(map(str, e)), "\n  ".join(map(str, a))))
    count = sum(map(len, expected.values()))
    print("%-60s %3d file(s) %3d finding(s) %s" % (label, len(files), count,
                                                  "MISMATCH" if problems else "ok"))
    return problems, count, suppressed[0]


def analysed_fixtures(repo):
    """The fixtures the driver is compared and validated on: every lit
    fixture except the runtime witnesses (witness-*.cpp). A witness is a
    program written to be run; lit checks what the analyzer says about it,
    and it adds nothing to what the driver's front end is tested on here,
    while each one costs these tests a parse per tool (over 100 of them)."""
    return [f for f in sorted(glob.glob(os.path.join(repo, "fixtures", "**", "*.cpp"),
                                        recursive=True))
            if not os.path.basename(f).startswith("witness-")]


def daily_sample(files, stride, label):
    """Every stride-th of files, from an offset that turns with the day of the
    year: what the driver tests that re-run every fixture take in CI, whose
    budget cannot hold them whole (stride consecutive days see every file).
    CHANLINT_TEST_SAMPLE=all takes every file, =K the K-th offset."""
    choice = os.environ.get("CHANLINT_TEST_SAMPLE", "")
    if choice == "all":
        return files
    offset = int(choice) % stride if choice.isdigit() else time.localtime().tm_yday % stride
    print("%s: every %d%s fixture from offset %d, %d of %d (CHANLINT_TEST_SAMPLE=%d repeats it, "
          "=all takes every one)" % (label, stride, {2: "nd", 3: "rd"}.get(stride, "th"), offset,
                                     len(files[offset::stride]), len(files), offset))
    return files[offset::stride]


def test_parity(env):
    """chanlint prints what clang-tidy with the plugin prints, on every
    fixture (analysed_fixtures: the witnesses aside; in CI a daily eighth of
    them, daily_sample: the two front ends share one analysis, so what can
    differ is the printing, which any fixture exercises): the same text on stdout byte for byte (each warning and note,
    its source line, the caret and the highlighted range, fix-it hints), the
    same "Suppressed N warnings (...)" summary, and the same findings in its
    JSON (check, level, file, line, column, message, notes).

    Each fixture runs as the lit harness runs it: the check of each of its
    %check_chan_tidy RUN lines, with that line's clang-tidy arguments and
    the harness's compile flags; a %check_expect program with every chan
    check. Fixtures that run alike share one run of each tool (clang-tidy
    sorts its diagnostics over all files, as chanlint does). A project with
    a NOLINT, a finding in a header and a compiler warning covers the
    suppression summary, which no fixture needs."""
    fixtures = daily_sample(analysed_fixtures(env.a.repo), 8, "parity")
    check(fixtures, "no fixtures found under %s/fixtures" % env.a.repo)
    groups = {}
    for fixture in fixtures:
        for invocation in lit_invocations(fixture):
            groups.setdefault(invocation, []).append(fixture)
    flags = ["-std=c++20", "-I" + os.path.join(env.a.repo, "chan", "include")]

    problems, findings, summaries = [], 0, []
    for (checks, tidy_args, compile_extra), files in sorted(groups.items()):
        label = " ".join((checks,) + tidy_args + compile_extra)
        p, n, s = compare_runs(
            env, label, files,
            [env.a.clang_tidy, "--load=" + env.a.plugin, "--checks=" + checks]
            + list(tidy_args) + files + ["--"] + flags + list(compile_extra),
            ["--checks=" + checks] + list(tidy_args) + files + ["--"] + flags
            + list(compile_extra), env.a.repo)
        problems += p
        findings += n
    check(findings, "no findings at all: is the plugin loaded?")

    # The suppression summary: a NOLINT (publisher.cpp), a finding in a
    # header outside the header filter, a compiler warning of a check that
    # is not enabled.
    root = env.project("parity", DEFAULT_SOURCES + ("header_user.cpp",))
    os.makedirs(os.path.join(root, "include"), exist_ok=True)
    with open(os.path.join(root, "include", "ticking.h"), "w") as f:
        f.write("#pragma once\n#include <chan/chan.hpp>\n#include <chrono>\n"
                "inline void tick_once() {\n"
                "  chan::Ticker t = chan::new_ticker(std::chrono::milliseconds(1));\n"
                "  (void)t.c().recv();\n}\n")
    with open(os.path.join(root, "src", "header_user.cpp"), "w") as f:
        f.write('#include "ticking.h"\nint ratio(int a) { return a / 0; }\n'
                "void use() { tick_once(); }\n")
    build = os.path.join(root, "build")
    sources = [os.path.join(root, "src", s) for s in DEFAULT_SOURCES + ("header_user.cpp",)]
    p, n, s = compare_runs(env, "project with NOLINT, header and compiler warning", sources,
                           [env.a.clang_tidy, "--load=" + env.a.plugin, "--checks=-*,chan-*",
                            "-p", build] + sources,
                           ["--checks=-*,chan-*", "-p", build] + sources, root)
    problems += p
    check(any("NOLINT" in l for l in s) and any("non-user code" in l for l in s)
          and any("check filters" in l for l in s),
          "the project should make clang-tidy suppress a NOLINT, a header's and a compiler "
          "warning", s)
    for problem in problems:
        print("== " + problem)
    check(not problems, "%d difference(s) between the plugin and chanlint" % len(problems))


def test_help(env):
    """`chanlint --help` shows what docs/driver.md documents: its usage lines
    (`merge`'s -o optional) and every option of its tables, the short and
    long names alike (-q and --quiet: LLVM hides an alias unless told)."""
    r = subprocess.run([env.a.chanlint, "--help"], text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    check(r.returncode == 0, "--help: exit %d" % r.returncode, r.stderr)
    with open(os.path.join(env.a.repo, "docs", "driver.md"), encoding="utf-8") as f:
        doc = f.read()
    usage = re.search(r"```\n(chanlint \[options\].*?)```", doc, re.S)
    check(usage, "docs/driver.md has no usage block")
    for line in usage.group(1).splitlines():
        check(line.strip() in r.stdout, "--help lacks the usage line %r" % line, r.stdout)
    options = set()
    for row in re.findall(r"^\| (`-.*?) \|", doc, re.M):
        options.update(re.findall(r"`(-{1,2}[a-z][\w-]*)", row))
    check({"-q", "--quiet", "-o", "--checks"} <= options,
          "the option tables of docs/driver.md were not found", sorted(options))
    missing = [o for o in sorted(options)
               if not re.search(r"^\s+%s(?=[=\s])" % re.escape(o), r.stdout, re.M)]
    check(not missing, "--help does not list %s" % ", ".join(missing), r.stdout)


def validate_sarif(env, path):
    tool = env.a.multitool
    check(os.path.isfile(tool) and os.access(tool, os.X_OK),
          "SARIF Multitool not found at %s: run scripts/setup.sh (it installs "
          "@microsoft/sarif-multitool under .deps/npm)" % tool)
    out = path + ".validation.sarif"
    r = subprocess.run([tool, "validate", path, "--rule-kind", "Sarif;Gh",
                        "--level", "Error;Warning", "-o", out, "--log", "ForceOverwrite"],
                       text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    check(r.returncode == 0 and os.path.isfile(out),
          "Sarif.Multitool failed on %s (exit %d)" % (path, r.returncode), r.stdout)
    with open(out) as f:
        log = json.load(f)
    problems = [res for run in log["runs"] for res in run.get("results", [])
                if res.get("level", "warning") in ("error", "warning")]
    check(not problems, "%s: %d SARIF validation problem(s)" % (path, len(problems)), r.stdout)
    print("valid: %s" % path)


def test_sarif_validation(env):
    """The SARIF of the fixtures (analysed_fixtures; in CI a daily sixth of
    them, daily_sample), of a project with a failing TU, and of a merge passes
    the SARIF Multitool's SARIF and GitHub rules: no error, no warning."""
    # One command for all: fixtures whose RUN lines add compile flags (a
    # model's headers in Inputs/) would not compile here; parity runs them.
    fixtures = daily_sample([f for f in analysed_fixtures(env.a.repo)
                             if not any(extra for _, _, extra in lit_invocations(f))],
                            6, "sarif_validation")
    check(fixtures, "no fixtures found")
    out = os.path.join(env.a.work, "fixtures.sarif")
    r = env.chanlint(fixtures + ["--format=sarif", "-o", out, "-q", "--", "-std=c++20",
                                 "-I" + os.path.join(env.a.repo, "chan", "include")],
                     cwd=env.a.repo)
    check(r.returncode in (0, 1), "%s: exit %d" % (r.cmd, r.returncode), r.stderr)
    with open(out) as f:
        log = json.load(f)
    results = log["runs"][0]["results"]
    check(results, "the fixtures' SARIF has no results")
    check(any("codeFlows" in x for x in results), "no result has a codeFlow")
    check(any("fixes" in x for x in results), "no result has a fix")
    check(any("relatedLocations" in x for x in results), "no result has relatedLocations")
    validate_sarif(env, out)

    root = env.project("sarif", DEFAULT_SOURCES + ("broken.cpp",))
    out = os.path.join(env.a.work, "failing.sarif")
    r = env.chanlint(["-p", os.path.join(root, "build"), "--format=sarif", "-o", out, "-q"],
                     cwd=root)
    check(r.returncode == 3, "expected exit 3 with broken.cpp, got %d" % r.returncode, r.stderr)
    with open(out) as f:
        log = json.load(f)
    inv = log["runs"][0]["invocations"][0]
    check(inv["exitCode"] == 3 and inv["executionSuccessful"] is False,
          "the invocation does not record the failure", inv)
    notes = inv.get("toolExecutionNotifications", [])
    check(len(notes) == 1 and "broken.cpp" in notes[0]["message"]["text"],
          "expected one toolExecutionNotification for broken.cpp", notes)
    validate_sarif(env, out)


def test_exit_codes(env):
    """0: no findings; 1: findings; 2: usage or input errors; 3: a TU failed
    to analyse, with the other results and that TU's findings still out."""
    root = env.project("exit")
    build = os.path.join(root, "build")
    src = os.path.join(root, "src")

    r = env.chanlint(["-p", build, os.path.join(src, "graceful.cpp")])
    check(r.returncode == 0, "graceful.cpp: exit %d, expected 0" % r.returncode, r.stdout, r.stderr)
    r = env.chanlint(["-p", build, os.path.join(src, "squares.cpp")])
    check(r.returncode == 1, "squares.cpp: exit %d, expected 1" % r.returncode, r.stderr)
    check("[chan-multi-sender-close]" in r.stdout, "findings not printed", r.stdout)

    usage = {
        "unknown flag": ["-p", build, "--no-such-flag"],
        "bad --format": ["-p", build, "--format=xml"],
        "missing file": ["-p", build, os.path.join(src, "nope.cpp")],
        "missing -p dir": ["-p", os.path.join(root, "nowhere")],
        "missing --config-file": ["-p", build, "--config-file", os.path.join(root, "nope.yaml")],
        "bad --shard": ["-p", build, "--shard", "4/3"],
        "bad --header-filter": ["-p", build, "--header-filter", "("],
        "missing --baseline": ["-p", build, "--baseline", os.path.join(root, "nope.sarif")],
        "no database": [os.path.join(src, "graceful.cpp")],
        "no checks": ["-p", build, "--checks=-*"],
    }
    # A source with no compile command of its own.
    shutil.copy(os.path.join(src, "graceful.cpp"), os.path.join(src, "orphan.cpp"))
    usage["no compile command"] = ["-p", build, os.path.join(src, "orphan.cpp")]
    for what, args in usage.items():
        cwd = "/" if what == "no database" else None
        r = env.chanlint(args, cwd=cwd)
        check(r.returncode == 2, "%s: exit %d, expected 2" % (what, r.returncode), r.stderr)
        check(r.stderr.startswith("chanlint"), "%s: no error message" % what, r.stderr)
        check("Stack dump" not in r.stderr, "%s: crashed" % what, r.stderr)
    # An unreadable (malformed) .clang-tidy on the way up from the source.
    with open(os.path.join(root, ".clang-tidy"), "w") as f:
        f.write("Checks: [unterminated\n")
    r = env.chanlint(["-p", build, os.path.join(src, "graceful.cpp")])
    check(r.returncode == 2 and ".clang-tidy" in r.stderr,
          "malformed .clang-tidy: exit %d, expected 2 naming the file" % r.returncode, r.stderr)
    shutil.copy(os.path.join(INPUTS, ".clang-tidy"), os.path.join(root, ".clang-tidy"))

    env.write_database(root, DEFAULT_SOURCES + ("broken.cpp",))
    r, report = env.chanlint_json(["-p", build], expect_rc=3)
    broken = [t for t in report["translationUnits"] if t["path"].endswith("broken.cpp")]
    check(broken and broken[0]["failed"] and broken[0]["compilerErrors"],
          "broken.cpp is not reported as failed with its compiler errors", report)
    checks = {(f["path"].split("/")[-1], f["check"]) for f in report["findings"]}
    check(("broken.cpp", "chan-receiver-close") in checks,
          "the finding that parsed in broken.cpp is missing", checks)
    check(("squares.cpp", "chan-multi-sender-close") in checks,
          "the other TUs' findings are missing", checks)
    r = env.chanlint(["-p", build])
    check(r.returncode == 3 and "this_does_not_compile" in r.stdout,
          "the text output lacks the compiler error", r.stdout)


def test_config(env):
    """.clang-tidy files apply as in clang-tidy (CheckOptions, Checks that
    name chan checks, NOLINT); Checks written for other tools leave the chan
    checks on; --checks and --config-file override."""
    root = env.project("config")
    build = os.path.join(root, "build")
    # Inputs/project/.clang-tidy says Checks: '-*,bugprone-*': all chan checks still run,
    # and publish_quietly's NOLINT silences its send.
    _, report = env.chanlint_json(["-p", build], expect_rc=1)
    checks = sorted(k[0] for k in findings_key(report))
    check(checks == ["chan-multi-sender-close", "chan-ticker-not-stopped", "chan-unguarded-send"],
          "the project's .clang-tidy changed the chan checks", checks)

    with open(os.path.join(root, "src", ".clang-tidy"), "w") as f:
        f.write("InheritParentConfig: true\n"
                "Checks: '-chan-ticker-not-stopped'\n"
                "CheckOptions:\n"
                "  chan-unguarded-send.WarnWhenContextIgnored: false\n")
    _, report = env.chanlint_json(["-p", build], expect_rc=1)
    checks = sorted(k[0] for k in findings_key(report))
    check(checks == ["chan-multi-sender-close"],
          "Checks/CheckOptions of src/.clang-tidy not applied", checks)

    _, report = env.chanlint_json(["-p", build, "--checks=-*,chan-ticker-not-stopped"],
                                  expect_rc=1)
    checks = sorted(k[0] for k in findings_key(report))
    check(checks == ["chan-ticker-not-stopped"], "--checks did not override", checks)

    cfg = os.path.join(root, "only-multi.yaml")
    with open(cfg, "w") as f:
        f.write("Checks: '-*,chan-multi-sender-close'\n")
    _, report = env.chanlint_json(["-p", build, "--config-file", cfg], expect_rc=1)
    checks = sorted(k[0] for k in findings_key(report))
    check(checks == ["chan-multi-sender-close"], "--config-file not applied", checks)


def test_models(env):
    """A user model file (docs/models.md) adds an in-house channel class:
    by --model or by chanlint.ModelFiles in .clang-tidy (relative to that
    file); its content, not its name, is part of the cache key; an invalid
    one is an error naming the file, the key and the problem, exit 5."""
    root = env.project("models", sources=("fetch.cpp",))
    build = os.path.join(root, "build")
    fixtures = os.path.join(env.a.repo, "fixtures", "models")
    os.makedirs(os.path.join(root, "include"), exist_ok=True)
    shutil.copy(os.path.join(fixtures, "Inputs", "blocking_queue.hpp"),
                os.path.join(root, "include"))
    model = os.path.join(root, "queue.json")
    shutil.copy(os.path.join(fixtures, "Inputs", "blocking-queue.json"), model)
    shutil.copy(os.path.join(fixtures, "blocking-queue-senders-close.cpp"),
                os.path.join(root, "src", "fetch.cpp"))

    # Without the model the queue is an ordinary class: nothing to say.
    _, report = env.chanlint_json(["-p", build], expect_rc=0)
    _, report = env.chanlint_json(["-p", build, "--model", model], expect_rc=1)
    checks = sorted(k[0] for k in findings_key(report))
    check(checks == ["chan-multi-sender-close"], "--model: findings", checks)

    # The same through .clang-tidy, relative to the file that names it.
    with open(os.path.join(root, ".clang-tidy"), "w") as f:
        f.write("CheckOptions:\n  chanlint.ModelFiles: 'queue.json'\n")
    _, report = env.chanlint_json(["-p", build], expect_rc=1)
    check(sorted(k[0] for k in findings_key(report)) == ["chan-multi-sender-close"],
          "chanlint.ModelFiles in .clang-tidy not applied", findings_key(report))

    # The cache key holds the model's content.
    cache = os.path.join(root, "cache")
    args = ["-p", build, "--cache-dir", cache, "--stats", "--format=json"]
    first = env.chanlint(args, cache=True)
    again = env.chanlint(args, cache=True)
    check("0 analysed, 1 from cache" in again.stderr, "unchanged model: no cache hit",
          again.stderr)
    with open(model) as f:
        text = f.read()
    with open(model, "w") as f:
        f.write(text.replace('"type": "BlockingQueue"', '"type": "SomeOtherQueue"'))
    edited = env.chanlint(args, cache=True)
    check("1 analysed" in edited.stderr, "an edited model reused cached results",
          edited.stderr)
    check(json.loads(edited.stdout)["findings"] == [],
          "a model of another type still finds the queue's close", edited.stdout)
    check(first.returncode == 1, "first cached run: exit %d" % first.returncode, first.stderr)

    # Invalid models: exit 5, file, key and problem named; no analysis.
    bad = os.path.join(root, "bad.json")
    cases = {
        '{"name": "x", "channels": [{"type": "Q", "direction": "sideways"}]}':
            'bad.json: channels[0].direction: must be one of "both", "send", "recv"',
        '{"name": "x", "chanels": []}': "bad.json: chanels: unknown key",
        '{"name": "x", "channels": [{"type": "Q", "send": "push"}]}':
            "bad.json: channels[0].send: must be an array of strings",
        '{"name": "x",': "bad.json: parse error at line 1",
    }
    for text, expected in cases.items():
        with open(bad, "w") as f:
            f.write(text)
        r = env.chanlint(["-p", build, "--model", bad])
        check(r.returncode == 5, "%s: exit %d, expected 5" % (text, r.returncode), r.stderr)
        check(expected in r.stderr, "%s: message lacks %r" % (text, expected), r.stderr)
        check("Stack dump" not in r.stderr, "%s: crashed" % text, r.stderr)
    r = env.chanlint(["-p", build, "--model", os.path.join(root, "nope.json")])
    check(r.returncode == 5 and "cannot read model file" in r.stderr,
          "missing model: exit %d" % r.returncode, r.stderr)


def test_baseline(env):
    """--baseline reports only findings whose fingerprints are new; moving
    code (line shifts) does not make old findings new."""
    root = env.project("baseline")
    build = os.path.join(root, "build")
    base = os.path.join(root, "baseline.sarif")
    r = env.chanlint(["-p", build, "--format=sarif", "-o", base, "-q"])
    check(r.returncode == 1, "first run: exit %d" % r.returncode, r.stderr)

    r, report = env.chanlint_json(["-p", build, "--baseline", base], expect_rc=0)
    check(not report["findings"] and report["summary"]["suppressedByBaseline"] == 3,
          "with its own baseline, nothing should be new", report["summary"])

    # Shift every line of squares.cpp and publisher.cpp.
    for name in ("squares.cpp", "publisher.cpp"):
        path = os.path.join(root, "src", name)
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write("// A new header comment.\n// Another line.\n\n" + text)
    r, report = env.chanlint_json(["-p", build, "--baseline", base], expect_rc=0)
    check(not report["findings"], "line shifts made old findings new", findings_key(report))

    # A new bug is new.
    with open(os.path.join(root, "src", "publisher.cpp"), "a") as f:
        f.write("\nvoid publish_more(const chan::Context &ctx, chan::SendChan<int> out) {\n"
                "  out.send(42);\n}\n")
    r, report = env.chanlint_json(["-p", build, "--baseline", base], expect_rc=1)
    keys = findings_key(report)
    check(len(keys) == 1 and keys[0][0] == "chan-unguarded-send",
          "expected exactly the new unguarded send", keys)


def git(root, *args):
    subprocess.run(["git", "-c", "user.name=chanlint", "-c", "user.email=chanlint@example.com",
                    "-c", "commit.gpgsign=false", "-C", root] + list(args),
                   check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_diff(env):
    """--diff-base REV and --diff=- report only findings on changed lines."""
    root = env.project("diff")
    build = os.path.join(root, "build")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")

    r, report = env.chanlint_json(["-p", build, "--diff-base", "HEAD"], cwd=root, expect_rc=0)
    check(not report["findings"], "nothing changed, yet findings were reported", findings_key(report))

    # A new bug in publisher.cpp and an unrelated edit in squares.cpp.
    with open(os.path.join(root, "src", "publisher.cpp"), "a") as f:
        f.write("\nvoid publish_more(const chan::Context &ctx, chan::SendChan<int> out) {\n"
                "  out.send(42);\n}\n")
    sq = os.path.join(root, "src", "squares.cpp")
    with open(sq) as f:
        text = f.read()
    with open(sq, "w") as f:
        f.write(text.replace("long sum = 0;", "long sum = 0; // running total"))

    r, report = env.chanlint_json(["-p", build, "--diff-base", "HEAD"], cwd=root, expect_rc=1)
    keys = findings_key(report)
    check(len(keys) == 1 and keys[0][:2] == ("chan-unguarded-send", "src/publisher.cpp"),
          "expected only the new send", keys)
    check(report["summary"]["outsideDiff"] >= 3, "old findings not counted as outside the diff",
          report["summary"])

    diff = subprocess.run(["git", "-C", root, "diff", "HEAD"], text=True,
                          stdout=subprocess.PIPE, check=True).stdout
    r, report2 = env.chanlint_json(["-p", build, "--diff=-"], cwd=root, stdin=diff, expect_rc=1)
    check(findings_key(report2) == keys, "--diff=- and --diff-base disagree",
          findings_key(report2), keys)

    r = env.chanlint(["-p", build, "--diff=-"], cwd=root, stdin="this is not a diff\n")
    check(r.returncode == 2, "a malformed diff should be an input error", r.stderr)


def test_fix(env):
    """--fix applies fix-its atomically and idempotently; without --fix no
    file changes; the fixed sources compile and the fixed findings are gone."""
    root = env.project("fix")
    build = os.path.join(root, "build")
    src = os.path.join(root, "src")
    os.chmod(os.path.join(src, "squares.cpp"), 0o640)
    before = tree_digest(src)

    for fmt in ("text", "json", "sarif", "codeclimate"):
        r = env.chanlint(["-p", build, "--format=" + fmt, "--export-fixes",
                          os.path.join(root, "fixes.yaml")])
        check(r.returncode == 1, "exit %d" % r.returncode, r.stderr)
    check(tree_digest(src) == before, "a run without --fix changed the sources")

    r, report = env.chanlint_json(["-p", build])
    fixable = [f for f in report["findings"] if f["fixes"]]
    check(len(fixable) == 3, "expected three findings with fix-its", findings_key(report))

    r = env.chanlint(["-p", build, "--fix"])
    check(r.returncode == 1, "--fix: exit %d" % r.returncode, r.stderr)
    check("applied 3 fix-its in 2 files" in r.stderr, "fix summary", r.stderr)
    after = tree_digest(src)
    changed = sorted(k for k in after if after[k] != before.get(k))
    check(changed == ["publisher.cpp", "squares.cpp"], "changed files", changed)
    check(stat.S_IMODE(os.stat(os.path.join(src, "squares.cpp")).st_mode) == 0o640,
          "permissions were not kept")
    leftovers = [n for n in os.listdir(src) if ".tmp" in n or "chanlint" in n]
    check(not leftovers, "temporary files left behind", leftovers)
    with open(os.path.join(src, "squares.cpp")) as f:
        fixed = f.read()
    check("chan::Defer stop_tick([&] { tick.stop(); });" in fixed, "ticker fix missing", fixed)
    check("close_results" not in fixed and "wg.wait(); results.close();" in fixed,
          "multi-sender fix missing", fixed)

    for s in DEFAULT_SOURCES:
        c = subprocess.run([env.a.cxx, "-std=c++20", "-fsyntax-only",
                            "-I" + os.path.join(env.a.repo, "chan", "include"),
                            os.path.join(src, s)], text=True, stderr=subprocess.PIPE)
        check(c.returncode == 0, "%s does not compile after --fix" % s, c.stderr)

    r, report = env.chanlint_json(["-p", build], expect_rc=0)
    check(not report["findings"], "findings remain after --fix", findings_key(report))

    # Idempotent: a second --fix changes nothing.
    r = env.chanlint(["-p", build, "--fix"])
    check(r.returncode == 0 and tree_digest(src) == after, "a second --fix changed files",
          r.stderr)


def test_export_fixes(env):
    """--export-fixes writes clang-tidy's YAML; clang-apply-replacements
    applies it to the same result as --fix."""
    root = env.project("export")
    build = os.path.join(root, "build")
    out_dir = os.path.join(root, "fixes")
    os.makedirs(out_dir)
    yaml_path = os.path.join(out_dir, "chanlint.yaml")
    r = env.chanlint(["-p", build, "--export-fixes", yaml_path, "-q"])
    check(r.returncode == 1, "exit %d" % r.returncode, r.stderr)
    with open(yaml_path) as f:
        text = f.read()
    for needle in ("MainSourceFile:", "Diagnostics:", "DiagnosticName:  chan-multi-sender-close",
                   "DiagnosticName:  chan-ticker-not-stopped", "Replacements:", "BuildDirectory:",
                   "FilePath:", "FileOffset:"):
        check(needle in text, "the YAML lacks %r" % needle, text)

    twin = env.project("export-fix")
    env.chanlint(["-p", os.path.join(twin, "build"), "--fix", "-q"])
    # The YAML names the first copy's files: apply it there and compare.
    r = subprocess.run([env.a.apply_replacements, out_dir], text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    check(r.returncode == 0, "clang-apply-replacements failed", r.stdout)
    for s in DEFAULT_SOURCES:
        a = os.path.join(root, "src", s)
        b = os.path.join(twin, "src", s)
        check(filecmp.cmp(a, b, shallow=False),
              "%s: clang-apply-replacements and --fix disagree" % s,
              open(a).read(), open(b).read())


def test_cache(env):
    """An unchanged TU is answered by the cache; a changed one (even only a
    comment, which may hold NOLINT) is analysed again."""
    root = env.project("cache")
    build = os.path.join(root, "build")
    cache = os.path.join(root, "cache")
    args = ["-p", build, "--cache-dir", cache, "--stats", "--format=json"]
    first = env.chanlint(args, cache=True)
    check(first.returncode == 1, "exit %d" % first.returncode, first.stderr)
    check("3 analysed, 0 from cache, 3 cache misses" in first.stderr, "first run stats",
          first.stderr)
    second = env.chanlint(args, cache=True)
    check("0 analysed, 3 from cache" in second.stderr, "second run did not hit the cache",
          second.stderr)
    check(first.stdout == second.stdout, "cached results differ from fresh ones")

    path = os.path.join(root, "src", "publisher.cpp")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("    out.send(i);\n  out.close();\n}\n\nvoid publish_quietly",
                             "    out.send(i); // NOLINT\n  out.close();\n}\n\nvoid publish_quietly", 1))
    third = env.chanlint(args, cache=True)
    check("1 analysed, 2 from cache, 1 cache misses" in third.stderr,
          "a changed comment did not invalidate the TU", third.stderr)
    report = json.loads(third.stdout)
    check(not any(f["path"].endswith("publisher.cpp") for f in report["findings"]),
          "the NOLINT added was not honoured", findings_key(report))

    r = env.chanlint(args + ["--checks=-*,chan-ticker-not-stopped"], cache=True)
    check("3 analysed" in r.stderr, "a different configuration reused cached results", r.stderr)


def test_cache_without_preprocessing(env):
    """A warm run knows an unchanged TU's key without preprocessing it; an
    edited header, or a new one that an #include now finds first, makes the
    TU preprocess (and here analyse) again."""
    root = env.project("cache_direct")
    os.makedirs(os.path.join(root, "include"))
    settings = os.path.join(root, "include", "settings.hpp")
    with open(settings, "w") as f:
        f.write("#pragma once\nconstexpr int kCount = 3;\n")
    with open(os.path.join(root, "src", "configured.cpp"), "w") as f:
        f.write('#include <chan/chan.hpp>\n#include "settings.hpp"\n\n'
                "void produce(chan::Chan<int> out) {\n"
                "  for (int i = 0; i < kCount; ++i)\n    out.send(i);\n  out.close();\n}\n")
    build = env.write_database(root, DEFAULT_SOURCES + ("configured.cpp",))
    args = ["-p", build, "--cache-dir", os.path.join(root, "cache"), "--stats",
            "--format=json"]

    def stats(expect, why):
        r = env.chanlint(args, cache=True)
        check(r.returncode in (0, 1), "exit %d" % r.returncode, r.stderr)
        for e in expect:
            check(e in r.stderr, why, r.stderr)
        return r

    cold = stats(["4 analysed, 0 from cache"], "first run")
    warm = stats(["0 analysed, 4 from cache", "4 hits without preprocessing"],
                 "an unchanged run preprocessed")
    check(cold.stdout == warm.stdout, "cached results differ from fresh ones")
    with open(settings, "w") as f:
        f.write("#pragma once\nconstexpr int kCount = 4;\n")
    stats(["1 analysed, 3 from cache", "3 hits without preprocessing"],
          "an edited header did not invalidate its TU alone")
    # Quoted includes search the includer's directory before -I: this one
    # now shadows include/settings.hpp.
    with open(os.path.join(root, "src", "settings.hpp"), "w") as f:
        f.write("#pragma once\nconstexpr int kCount = 5;\n")
    stats(["1 analysed, 3 from cache"], "a header that now shadows another was not seen")
    stats(["0 analysed, 4 from cache", "4 hits without preprocessing"],
          "the fast path did not come back")


def test_shard(env):
    """--shard i/n: disjoint shards whose union is the whole."""
    root = env.project("shard", DEFAULT_SOURCES + ("broken.cpp",))
    build = os.path.join(root, "build")
    _, whole = env.chanlint_json(["-p", build, "-j2"])
    seen_tus, seen_findings = [], []
    for i in (1, 2, 3):
        _, part = env.chanlint_json(["-p", build, "--shard", "%d/3" % i])
        tus = [t["path"] for t in part["translationUnits"]]
        check(1 <= len(tus) <= 2, "shard %d/3 has %d TUs" % (i, len(tus)), tus)
        seen_tus += tus
        seen_findings += findings_key(part)
    check(len(seen_tus) == len(set(seen_tus)), "shards overlap", seen_tus)
    check(sorted(seen_tus) == sorted(t["path"] for t in whole["translationUnits"]),
          "the shards' TUs are not the whole", seen_tus)
    check(sorted(seen_findings) == findings_key(whole), "the shards' findings are not the whole's")


def test_jobs(env):
    """The output is byte-identical for -j1 and -j2."""
    root = env.project("jobs", DEFAULT_SOURCES + ("broken.cpp",))
    build = os.path.join(root, "build")
    for fmt in ("text", "sarif", "json", "codeclimate"):
        outs = []
        for j in ("1", "2"):
            r = env.chanlint(["-p", build, "-j", j, "--format=" + fmt, "--color=never"])
            check(r.returncode == 3, "-j%s exit %d" % (j, r.returncode), r.stderr)
            outs.append(r.stdout)
        check(outs[0] == outs[1], "--format=%s differs between -j1 and -j2" % fmt)
        check(outs[0].strip(), "--format=%s printed nothing" % fmt)


def test_merge(env):
    """`chanlint merge` of the shards' SARIF has the whole run's results."""
    root = env.project("merge")
    build = os.path.join(root, "build")
    whole = os.path.join(root, "whole.sarif")
    env.chanlint(["-p", build, "--format=sarif", "-o", whole, "-q"])
    parts = []
    for i in (1, 2):
        p = os.path.join(root, "part%d.sarif" % i)
        env.chanlint(["-p", build, "--shard", "%d/2" % i, "--format=sarif", "-o", p, "-q"])
        parts.append(p)
    merged = os.path.join(root, "merged.sarif")
    r = subprocess.run([env.a.chanlint, "merge"] + parts + ["-o", merged], text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(r.returncode == 0, "merge: exit %d" % r.returncode, r.stderr)

    def key(path):
        with open(path) as f:
            run = json.load(f)["runs"]
        check(len(run) == 1, "expected one run", path)
        rules = [x["id"] for x in run[0]["tool"]["driver"]["rules"]]
        out = []
        for res in run[0]["results"]:
            check(rules[res["ruleIndex"]] == res["ruleId"], "ruleIndex points elsewhere", res)
            loc = res["locations"][0]["physicalLocation"]
            out.append((res["ruleId"], loc["artifactLocation"]["uri"], loc["region"]["startLine"],
                        res["partialFingerprints"]["chanlintFingerprint/v1"]))
        return sorted(out), len(run[0]["invocations"])

    whole_key, _ = key(whole)
    merged_key, invocations = key(merged)
    check(merged_key == whole_key, "merged results differ from the whole run", merged_key, whole_key)
    check(invocations == 2, "each shard's invocation should be kept")
    validate_sarif(env, merged)

    r = subprocess.run([env.a.chanlint, "merge", os.path.join(root, "src", "squares.cpp")],
                       text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(r.returncode == 2, "merging a non-SARIF file should fail with 2", r.stderr)


def snapshot(root):
    """Every entry under root with its type, size and times, without opening
    any (a FIFO would block): what a run that writes nothing leaves alone."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            out[os.path.relpath(p, root)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    st = os.lstat(root)
    out["."] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def test_outputs(env):
    """-o, --export-fixes and `merge -o` respect their target: standard output
    ('-', /dev/stdout), a FIFO and a character device are written through, a
    symlink is followed (the link stays, its target gets the report), a
    regular file is replaced atomically; an output that cannot be written
    fails before the analysis with exit 4, creating and changing nothing."""
    root = env.project("outputs", ("publisher.cpp", "squares.cpp"))
    build = os.path.join(root, "build")
    sarif = ["-p", build, "--format=sarif", "-q"]

    def results(text, what):
        try:
            run = json.loads(text)["runs"][0]
        except (ValueError, KeyError, IndexError):
            raise Failure("%s: not a SARIF log" % what, text[:2000])
        return sorted((x["ruleId"], x["partialFingerprints"]["chanlintFingerprint/v1"])
                      for x in run["results"])

    reference = os.path.join(root, "reference.sarif")
    r = env.chanlint(sarif + ["-o", reference])
    check(r.returncode == 1, "-o file: exit %d" % r.returncode, r.stderr)
    analysis_seconds = r.seconds
    with open(reference) as f:
        expected = results(f.read(), reference)
    check(expected, "the project's SARIF has no results")
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE(os.stat(reference).st_mode)
    check(mode == 0o666 & ~umask, "a new report has mode %o, expected %o" % (mode, 0o666 & ~umask))

    # Standard output, by name and by device.
    for target in ("-", "/dev/stdout"):
        r = env.chanlint(sarif + ["-o", target])
        check(r.returncode == 1, "-o %s: exit %d" % (target, r.returncode), r.stderr)
        check(results(r.stdout, "-o " + target) == expected,
              "-o %s printed other results than -o file" % target)
    check(os.path.islink("/dev/stdout"), "/dev/stdout is no longer a symlink")
    r = env.chanlint(["-p", build, "--color=never", "-o", "-", "-q"])
    check(r.returncode == 1 and "[chan-multi-sender-close]" in r.stdout,
          "--format=text -o - did not print the text report", r.stdout, r.stderr)
    r = env.chanlint(["-p", build, "--export-fixes", "-"])
    check(r.returncode == 1 and r.stdout.startswith("---") and "Diagnostics:" in r.stdout,
          "--export-fixes - did not print the YAML alone", r.stdout[:2000], r.stderr)
    r = env.chanlint(sarif + ["--export-fixes", "-"])
    check(r.returncode == 2 and "standard output" in r.stderr,
          "a SARIF and a YAML both on stdout: exit %d, expected 2" % r.returncode, r.stderr)

    # A character device is written through, and stays one.
    r = env.chanlint(sarif + ["-o", "/dev/null"])
    check(r.returncode == 1 and stat.S_ISCHR(os.stat("/dev/null").st_mode),
          "-o /dev/null: exit %d, or it is no longer a device" % r.returncode, r.stderr)

    # A FIFO: its reader gets the whole report; the FIFO stays a FIFO.
    def read_fifo(args, what):
        fifo = os.path.join(root, "report.fifo")
        os.mkfifo(fifo)
        got = {}

        def reader():
            with open(fifo) as f:  # blocks until chanlint opens it
                got["text"] = f.read()
        t = threading.Thread(target=reader, daemon=True)
        t.start()
        r = args(fifo)
        t.join(120)
        check(not t.is_alive(), "%s: the FIFO's reader got no end of file" % what, r.stderr)
        check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "%s: the FIFO was replaced" % what)
        os.remove(fifo)
        return r, got.get("text", "")

    r, text = read_fifo(lambda fifo: env.chanlint(sarif + ["-o", fifo]), "-o fifo")
    check(r.returncode == 1, "-o fifo: exit %d" % r.returncode, r.stderr)
    check(results(text, "the FIFO's reader") == expected, "the FIFO's reader got other results")
    r, text = read_fifo(lambda fifo: env.chanlint(["-p", build, "-q", "--export-fixes", fifo]),
                        "--export-fixes fifo")
    check(r.returncode == 1 and "Diagnostics:" in text, "--export-fixes fifo", text, r.stderr)
    r, text = read_fifo(lambda fifo: subprocess.run(
        [env.a.chanlint, "merge", reference, "-o", fifo], text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE), "merge -o fifo")
    check(r.returncode == 0 and results(text, "merge -o fifo") == expected,
          "merge -o fifo: exit %d" % r.returncode, r.stderr)

    # Symlinks: the link stays, its (relative) target is replaced with its
    # permissions; a dangling link gets its target created.
    reports = os.path.join(root, "reports")
    os.makedirs(reports)
    kept = os.path.join(reports, "kept.sarif")
    with open(kept, "w") as f:
        f.write("old\n")
    os.chmod(kept, 0o640)
    link = os.path.join(root, "link.sarif")
    os.symlink(os.path.join("reports", "kept.sarif"), link)
    r = env.chanlint(sarif + ["-o", link])
    check(r.returncode == 1, "-o symlink: exit %d" % r.returncode, r.stderr)
    check(os.path.islink(link) and os.readlink(link) == os.path.join("reports", "kept.sarif"),
          "the symlink was replaced")
    with open(kept) as f:
        check(results(f.read(), kept) == expected, "the symlink's target lacks the report")
    check(stat.S_IMODE(os.stat(kept).st_mode) == 0o640, "the target's permissions changed")
    dangling = os.path.join(root, "dangling.yaml")
    os.symlink(os.path.join("reports", "fixes.yaml"), dangling)
    r = env.chanlint(["-p", build, "-q", "--export-fixes", dangling])
    check(r.returncode == 1 and os.path.islink(dangling), "--export-fixes dangling symlink",
          r.stderr)
    with open(os.path.join(reports, "fixes.yaml")) as f:
        check("Diagnostics:" in f.read(), "the dangling symlink's target was not written")
    merged_link = os.path.join(root, "merged-link.sarif")
    os.symlink("reference.sarif", merged_link)
    r = subprocess.run([env.a.chanlint, "merge", reference, "-o", merged_link], text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(r.returncode == 0 and os.path.islink(merged_link), "merge -o symlink", r.stderr)
    with open(reference) as f:
        check(results(f.read(), "merge -o symlink") == expected, "merge -o symlink results")

    # Unwritable: fail fast (exit 4, before any analysis: no TU reaches the
    # cache) and create or change nothing.
    cache = os.path.join(root, "cache")
    unwritable = {
        "missing directory": os.path.join(root, "nowhere", "report.sarif"),
        "a directory": reports,
        "below a regular file": os.path.join(root, "src", "graceful.cpp", "report.sarif"),
    }
    user = None
    locked = os.path.join(root, "locked")
    os.makedirs(locked)
    if os.geteuid() == 0:
        user = "nobody"  # root writes anywhere: test permissions as another user
    else:
        os.chmod(locked, 0o555)
    unwritable["no permission"] = os.path.join(locked, "report.sarif")
    before = snapshot(root)
    for what, target in unwritable.items():
        runs = [("-o", env.chanlint(["-p", build, "--cache-dir", cache, "-o", target],
                                    cache=True, user=user if what == "no permission" else None)),
                ("--export-fixes",
                 env.chanlint(["-p", build, "--cache-dir", cache, "--export-fixes", target],
                              cache=True, user=user if what == "no permission" else None)),
                ("merge -o", subprocess.run([env.a.chanlint, "merge", reference, "-o", target],
                                            text=True, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE,
                                            user=user if what == "no permission" else None))]
        for option, r in runs:
            label = "%s to %s" % (option, what)
            check(r.returncode == 4, "%s: exit %d, expected 4" % (label, r.returncode), r.stderr)
            check(r.stderr.startswith("chanlint: error: cannot write " + target),
                  "%s: no message naming the output" % label, r.stderr)
            check("findings in" not in r.stderr and not os.path.exists(cache),
                  "%s: the analysis ran" % label, r.stderr)
            if hasattr(r, "seconds"):
                check(r.seconds < analysis_seconds / 2,
                      "%s: took %.1fs, the analysis takes %.1fs" % (label, r.seconds,
                                                                   analysis_seconds))
    after = snapshot(root)
    check(after == before, "a failed run created or changed files",
          sorted(set(after.items()) ^ set(before.items())))


def test_bounds(env):
    """A bound that cuts the analysis short is said, not hidden: on stderr
    and in the summary line, in SARIF (a toolExecutionNotification with its
    descriptor and location; the log still validates) and in JSON, from the
    cache too. Below the depth bound, a 12-deep chain of helpers and a
    sender 6 tasks deep keep their findings."""
    fixtures = os.path.join(env.a.repo, "fixtures", "bounds")
    deep = os.path.join(fixtures, "deep-chains.cpp")
    past = os.path.join(fixtures, "past-depth-bound.cpp")
    # 65 tasks started by one function: one more than the task bound.
    tasks = os.path.join(env.a.work, "many-tasks.cpp")
    with open(tasks, "w") as f:
        f.write("#include <chan/chan.hpp>\n\nvoid start_65_senders(chan::Chan<int> ch) {\n")
        f.writelines("  chan::go([ch] { ch.send(%d); });\n" % i for i in range(65))
        f.write("}\n")
    sixty_fifth = 3 + 65
    with open(past) as f:
        cut_line = next(i for i, l in enumerate(f, 1) if l.startswith("void layer1("))
    flags = ["--", "-std=c++20", "-I" + os.path.join(env.a.repo, "chan", "include")]
    cache = os.path.join(env.a.work, "cache")
    sources = [deep, past, tasks]

    sarif = os.path.join(env.a.work, "bounds.sarif")
    r = env.chanlint(sources + ["--cache-dir", cache, "--format=sarif", "-o", sarif] + flags,
                     cache=True)
    check(r.returncode == 1, "exit %d, expected 1 (deep-chains' findings)" % r.returncode,
          r.stderr)
    expected_stderr = [
        "chanlint: warning: %s:%d:35: the analysis of 'receive_then_close_33_calls_down' does "
        "not follow 'close_at_bottom' from here" % (past, cut_line),  # outside the srcroot
        "chanlint: warning: many-tasks.cpp:%d:3: 'start_65_senders' was not analysed: it "
        "starts more than 64 tasks" % sixty_fifth]
    for line in expected_stderr:
        check(line in r.stderr, "stderr does not say: " + line, r.stderr)
    check("2 analyses cut short by a bound" in r.stderr, "the summary does not count them",
          r.stderr)

    with open(sarif) as f:
        run = json.load(f)["runs"][0]
    found = {(x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
              .split("/")[-1], x["locations"][0]["physicalLocation"]["region"]["startLine"])
             for x in run["results"]}
    for line in (10, 42):
        check(("chan-receiver-close", "deep-chains.cpp", line) in found,
              "deep-chains.cpp:%d lost its finding below the depth bound" % line, sorted(found))
    check(not any(rule == "chan-receiver-close" and uri == "past-depth-bound.cpp"
                  for rule, uri, _ in found),
          "the close past the depth bound was analysed", sorted(found))
    inv = run["invocations"][0]
    check(inv["executionSuccessful"] is True and inv["exitCode"] == 1,
          "a bound is not a failed run", inv)
    notes = inv.get("toolExecutionNotifications", [])
    got = sorted((n["descriptor"]["id"], n["level"],
                  n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[-1],
                  n["locations"][0]["physicalLocation"]["region"]["startLine"]) for n in notes)
    check(got == [("chanlint.bound.call-depth", "warning", "past-depth-bound.cpp", cut_line),
                  ("chanlint.bound.tasks", "warning", "many-tasks.cpp", sixty_fifth)],
          "the SARIF run does not carry the two bound notifications", got)
    validate_sarif(env, sarif)

    # JSON, from the cache this time: the bounds are part of a TU's result.
    r, report = env.chanlint_json(sources + ["--cache-dir", cache, "--stats"] + flags,
                                  expect_rc=1, cache=True)
    check("3 from cache" in r.stderr, "the second run did not use the cache", r.stderr)
    check(report["summary"]["cutShortByBound"] == 2, "summary.cutShortByBound", report["summary"])
    bounds = sorted((b["bound"], b["limit"], b["root"], b["path"].split("/")[-1],
                     b["location"]["start"]["line"]) for b in report["bounds"])
    check(bounds == [("call-depth", 32, "receive_then_close_33_calls_down", "past-depth-bound.cpp",
                      cut_line),
                     ("tasks", 64, "start_65_senders", "many-tasks.cpp", sixty_fifth)],
          "the JSON bounds", report["bounds"])
    for line in expected_stderr:
        check(line in r.stderr, "stderr from the cache does not say: " + line, r.stderr)


# Parses for about 20 minutes of one core: clang evaluates a constant
# expression of 2^31 steps (-fconstexpr-steps below) while it parses.
SLOW_TU = """constexpr unsigned long spin(unsigned long N) {
  unsigned long Sum = 0;
  for (unsigned long I = 0; I < N; ++I)
    Sum += I;
  return Sum;
}
static_assert(spin(1UL << 40) != 1);
"""


def test_time_limit(env):
    """--tu-time-limit: a TU still running at the limit is said on stderr at
    once and becomes a failed TU (SARIF: a chanlint.tu-time-limit
    notification at its file, the log still valid; JSON: timedOut and its
    reason), the other TUs are analysed and reported, and chanlint exits 6
    without waiting for the parse it gave up on, with -j2 and with -j1 (the
    TU after the slow one still runs). Below the limit, nothing changes."""
    root = env.project("time-limit")
    build = os.path.join(root, "build")
    slow = os.path.join(root, "src", "slow.cpp")
    with open(slow, "w") as f:
        f.write(SLOW_TU)
    env.write_database(root, ("graceful.cpp", "publisher.cpp", "slow.cpp", "squares.cpp"))
    db_path = os.path.join(build, "compile_commands.json")
    with open(db_path) as f:
        db = json.load(f)
    for e in db:
        if e["file"] == slow:
            e["arguments"].insert(1, "-fconstexpr-steps=2147483647")
    with open(db_path, "w") as f:
        json.dump(db, f)
    # Far above what the other TUs take on a loaded machine (3 s of CPU each,
    # up to 30 s of wall time seen on 2 busy cores), far below the slow one.
    limit = 60
    said = "slow.cpp: exceeded the time limit of %d s" % limit
    bound = 400  # seconds

    # -j2, SARIF: stderr read as it comes, to see the line arrive before the end.
    sarif = os.path.join(env.a.work, "time-limit.sarif")
    cmd = [env.a.chanlint, "--no-cache", "-p", build, "-j2", "--tu-time-limit=%d" % limit,
           "--format=sarif", "-o", sarif]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=env.a.work, text=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    lines = [(time.monotonic() - start, line) for line in proc.stderr]
    code = proc.wait()
    wall = time.monotonic() - start
    stderr = "".join(line for _, line in lines)
    check(code == 6, "-j2: exit %d, expected 6 (a TU over the time limit)" % code, stderr)
    check(wall < bound, "-j2: took %.0f s: it waited for the TU it gave up on" % wall, stderr)
    at = [i for i, (_, line) in enumerate(lines) if said in line]
    summary = [i for i, (_, line) in enumerate(lines) if " findings in " in line]
    check(at and summary and at[0] < summary[0],
          "stderr does not say %r before the summary" % said, stderr)
    check(lines[at[0]][0] < limit + 120, "the time limit was said %.0f s after the start, not at "
          "once" % lines[at[0]][0], stderr)
    check("4 translation units, 1 failed to analyse (1 over the time limit)" in stderr,
          "the summary does not count it", stderr)
    with open(sarif) as f:
        run = json.load(f)["runs"][0]
    inv = run["invocations"][0]
    check(inv["exitCode"] == 6 and inv["executionSuccessful"] is False,
          "the SARIF invocation does not fail", inv)
    notes = [(n["descriptor"]["id"], n["level"],
              n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[-1])
             for n in inv.get("toolExecutionNotifications", [])]
    check(notes == [("chanlint.tu-time-limit", "error", "slow.cpp")],
          "the SARIF run does not carry the time-limit notification", notes)
    rules = {(x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
              .split("/")[-1]) for x in run["results"]}
    check({("chan-unguarded-send", "publisher.cpp"),
           ("chan-multi-sender-close", "squares.cpp")} <= rules,
          "the other TUs' findings are missing", sorted(rules))
    validate_sarif(env, sarif)

    # -j1, JSON: the one worker's place is taken over; squares.cpp comes after.
    r, report = env.chanlint_json(["-p", build, "-j1", "--tu-time-limit=%d" % limit],
                                  expect_rc=6)
    check(r.seconds < bound, "-j1: took %.0f s" % r.seconds, r.stderr)
    check(said in r.stderr, "-j1: stderr does not say %r" % said, r.stderr)
    tus = {t["path"].split("/")[-1]: t for t in report["translationUnits"]}
    check(tus["slow.cpp"]["failed"] and tus["slow.cpp"]["timedOut"] and
          tus["slow.cpp"]["failureReason"] == "exceeded the time limit of %d s" % limit,
          "slow.cpp is not a TU over the time limit", tus["slow.cpp"])
    check(not any(t["timedOut"] or t["failed"] for n, t in tus.items() if n != "slow.cpp"),
          "another TU failed", tus)
    check(report["summary"]["timedOut"] == 1 and report["summary"]["failed"] == 1,
          "summary.timedOut/failed", report["summary"])
    check(any(f["path"].endswith("squares.cpp") for f in report["findings"]),
          "-j1: the TU after the slow one was not analysed", report["findings"])

    # Below the limit: the usual exit and no word of it.
    r, report = env.chanlint_json(["-p", build, os.path.join(root, "src", "squares.cpp"),
                                   "--tu-time-limit=%d" % bound], expect_rc=1)
    check(report["summary"]["timedOut"] == 0 and "time limit" not in r.stderr,
          "a run within the limit mentions it", r.stderr)


TESTS = {name[len("test_"):]: fn for name, fn in globals().items() if name.startswith("test_")}


def run_named_test(tests, options):
    """The command line of a test script: --<option> for each of options,
    then the test's name from tests; runs it in a fresh work directory and
    returns the exit code (shared with tests/reliability/reliability_test.py)."""
    p = argparse.ArgumentParser()
    for opt in options:
        p.add_argument("--" + opt, required=True)
    p.add_argument("test", choices=sorted(tests))
    args = p.parse_args()
    args.work = os.path.join(os.path.abspath(args.work), args.test)
    shutil.rmtree(args.work, ignore_errors=True)
    try:
        tests[args.test](Env(args))
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    print("PASS: %s" % args.test)
    return 0


def main():
    return run_named_test(TESTS, ("chanlint", "plugin", "clang-tidy", "repo", "multitool",
                                  "apply-replacements", "cxx", "work"))


if __name__ == "__main__":
    sys.exit(main())
