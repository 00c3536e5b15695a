#!/usr/bin/env python3
"""Reliability tests of the chanlint driver (docs/reliability.md); ctest
runs one per entry:

  reliability_test.py --chanlint BIN --repo DIR --database DIR
                      --multitool BIN --cxx BIN --work DIR <test>

  self         chanlint over the project's own sources that use chan (the
               compile database of this build): no finding, no failure.
  determinism  the fixtures' SARIF is byte-identical across runs, -j1/-j2
               and a cold/warm cache, and no run without --fix changes a
               source.
  odd_paths    sources under a directory with spaces, non-ASCII and URI
               delimiters: percent-encoded URIs in SARIF that the SARIF
               Multitool accepts, literal paths in JSON and text, --fix.
  fuzz_regressions  what chanlint_fuzz crashed on, in every format and
               through the cache: no crash, valid JSON.

It reuses driver_test.py's helpers (Env, check, validate_sarif).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "driver"))
import driver_test  # noqa: E402
from driver_test import Failure, check, tree_digest, validate_sarif  # noqa: E402

CHAN_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]chan/', re.M)
# The analyzer's own code and its tests: C++ about channel code, not with it.
NOT_CHAN_USERS = ("analyzer", "checks", "driver", "lsp", "fuzz", "tests/analyzer",
                  "tests/driver", "tests/lsp")


def own_chan_sources(repo, database):
    """The database's sources in the repository that include a chan header."""
    with open(os.path.join(database, "compile_commands.json")) as f:
        entries = json.load(f)
    out = set()
    for e in entries:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        rel = os.path.relpath(path, repo)
        if rel.startswith("..") or rel.startswith("build" + os.sep):
            continue
        if any(rel == d or rel.startswith(d + "/") for d in NOT_CHAN_USERS):
            continue
        with open(path, errors="replace") as f:
            if CHAN_INCLUDE.search(f.read()):
                out.add(path)
    return sorted(out)


def test_self(env):
    """Every finding in the project's own channel code is fixed or carries
    a NOLINT that says why (a test that leaks on purpose)."""
    files = own_chan_sources(env.a.repo, env.a.database)
    rels = [os.path.relpath(f, env.a.repo) for f in files]
    # Not vacuous: the chan tests and the example are in.
    for expected in ("tests/chan/channel_test.cpp", "tests/chan/time_test.cpp",
                     "examples/pipeline/main.cpp"):
        check(expected in rels, "%s is not among the sources analysed" % expected, rels)
    print("analysing %d sources: %s" % (len(rels), " ".join(rels)))
    r, report = env.chanlint_json(["-p", env.a.database, "-j2"] + files, cwd=env.a.repo)
    summary = report["summary"]
    problems = ["%s:%d:%d: %s [%s]" % (f["path"], f["location"]["start"]["line"],
                                       f["location"]["start"]["column"], f["message"],
                                       f["check"])
                for f in report["findings"]]
    failed = [t["path"] for t in report["translationUnits"] if t.get("failed")]
    check(r.returncode == 0 and not problems and not failed,
          "chanlint on its own sources: exit %d, %d finding(s), %d failed TU(s): fix "
          "each, or suppress it with // NOLINT(check): why" %
          (r.returncode, len(problems), len(failed)), "\n".join(problems), failed, r.stderr)
    check(summary["translationUnits"] == len(files), "not every source was analysed", summary)
    print("clean: %d TUs, %d cut short by a bound" %
          (summary["translationUnits"], summary.get("cutShortByBound", 0)))


def fixture_corpus(repo):
    files = []
    for d in ("realistic", "graceful"):
        root = os.path.join(repo, "fixtures", d)
        files += [os.path.join(root, n) for n in sorted(os.listdir(root)) if n.endswith(".cpp")]
    return files


def test_determinism(env):
    """The same SARIF, byte for byte, from a cold run at -j2, a warm (cached)
    run at -j2 and an uncached run at -j1; the sources are untouched."""
    repo = env.a.repo
    # Every 8th program (about 14), from an offset that turns with the day:
    # the property does not grow with the count, CI time does (all 110 took
    # 11 minutes on a loaded machine).
    files = fixture_corpus(repo)[time.localtime().tm_yday % 8::8]
    check(len(files) >= 10, "too few fixtures found", files)
    digest_dirs = sorted({os.path.dirname(f) for f in files})
    before = {d: tree_digest(d) for d in digest_dirs}
    flags = ["--", "-std=c++20", "-I" + os.path.join(repo, "chan", "include")]
    cache = os.path.join(env.a.work, "cache")
    runs = {
        "cold -j2": ["-j2", "--cache-dir", cache],
        "warm -j2": ["-j2", "--cache-dir", cache],
        "uncached -j1": ["-j1", "--no-cache"],
    }
    outputs = {}
    for label, opts in runs.items():
        r = env.chanlint(files + opts + ["--format=sarif", "--srcroot", repo, "-q"] + flags,
                         cwd=repo, cache=True)
        check(r.returncode in (1, 3), "%s: exit %d" % (label, r.returncode), r.stderr)
        outputs[label] = r.stdout
        print("%s: %.0f s, %d bytes" % (label, r.seconds, len(r.stdout)))
    log = json.loads(outputs["cold -j2"])
    results = log["runs"][0]["results"]
    check(results and any("fixes" in x for x in results),
          "the corpus gave no findings with fix-its: the no-write check would be vacuous")
    first = outputs["cold -j2"]
    for label, out in outputs.items():
        if out != first:
            a, b = first.splitlines(), out.splitlines()
            diff = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            raise Failure("%s differs from cold -j2 at line %d" % (label, diff + 1),
                          "\n".join(a[max(0, diff - 3):diff + 3]),
                          "\n".join(b[max(0, diff - 3):diff + 3]))
    after = {d: tree_digest(d) for d in digest_dirs}
    check(after == before, "a run without --fix changed a source")
    print("identical: %d results over %d TUs" % (len(results), len(files)))


ODD_DIR = "odd path ü #1"
ODD_FILE = "squares 100% ü.cpp"


def test_odd_paths(env):
    """Spaces, non-ASCII and URI delimiters in directory and file names."""
    root = os.path.join(env.a.work, ODD_DIR)
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(driver_test.INPUTS, root)
    src = os.path.join(root, "src")
    os.rename(os.path.join(src, "squares.cpp"), os.path.join(src, ODD_FILE))
    build = env.write_database(root, (ODD_FILE, "graceful.cpp"))
    rel = "src/" + ODD_FILE

    out = os.path.join(root, "out.sarif")
    r = env.chanlint(["-p", build, "--format=sarif", "-o", out, "-q"], cwd=root)
    check(r.returncode == 1, "exit %d" % r.returncode, r.stderr)
    with open(out, encoding="utf-8") as f:
        log = json.load(f)
    run = log["runs"][0]
    base = run["originalUriBaseIds"]["SRCROOT"]["uri"]
    # RFC 3986: every byte outside the unreserved and sub-delims set, and
    # outside ':' '@' '/', is %XX (UTF-8 bytes for non-ASCII).
    safe = "/-._~!$&'()*+,;=:@"
    check(base == "file://" + urllib.parse.quote(root, safe=safe) + "/",
          "SRCROOT's URI is not the encoded root", base)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in run["results"] for loc in res["locations"]}
    want = urllib.parse.quote(rel, safe=safe)
    check(want in uris, "no result's URI is %s" % want, sorted(uris))
    for u in uris:
        check(not re.search(r"[^\x21-\x7e]|#|%(?![0-9A-F]{2})", u),
              "URI not percent-encoded: %r" % u)
        check(urllib.parse.unquote(u) in (rel, "src/graceful.cpp"), "URI decodes to %r" %
              urllib.parse.unquote(u))
    validate_sarif(env, out)

    r, report = env.chanlint_json(["-p", build], cwd=root, expect_rc=1)
    paths = {f["path"] for f in report["findings"]}
    check(paths == {rel}, "JSON paths are not the literal relative path", paths)
    r = env.chanlint(["-p", build, "--color=never"], cwd=root)
    check(rel + ":" in r.stdout, "the text output does not name %r" % rel, r.stdout)

    before = tree_digest(src)
    r = env.chanlint(["-p", build, "--fix"], cwd=root)
    after = tree_digest(src)
    check(re.search(r"applied \d+ fix-its? in 1 file", r.stderr) and
          [k for k in after if after[k] != before.get(k)] == [ODD_FILE],
          "--fix did not rewrite %r alone" % ODD_FILE, r.stderr)
    c = subprocess.run([env.a.cxx, "-std=c++20", "-fsyntax-only",
                        "-I" + os.path.join(env.a.repo, "chan", "include"),
                        os.path.join(src, ODD_FILE)], text=True, stderr=subprocess.PIPE)
    check(c.returncode == 0, "the fixed file does not compile", c.stderr)
    r = env.chanlint(["-p", build, "-q"], cwd=root)
    check(r.returncode == 0, "findings remain after --fix: exit %d" % r.returncode, r.stdout)


FUZZ_REGRESSIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz-regressions")


def test_fuzz_regressions(env):
    """Every input chanlint_fuzz crashed on (fuzz-regressions/) is analysed
    in every format, through the result cache twice, without a crash, and
    the structured outputs are valid UTF-8 JSON."""
    inputs = sorted(glob.glob(os.path.join(FUZZ_REGRESSIONS, "*.cpp")))
    check(inputs, "no inputs in %s" % FUZZ_REGRESSIONS)
    flags = ["--", "-std=c++20", "-I" + os.path.join(env.a.repo, "chan", "include")]
    cache = os.path.join(env.a.work, "cache")
    for src in inputs:
        name = os.path.basename(src)
        for fmt in ("text", "json", "sarif", "codeclimate", "text"):
            r = subprocess.run([env.a.chanlint, "--cache-dir", cache, "--format=" + fmt, src] +
                               flags, cwd=env.a.work, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            check(r.returncode in (0, 1, 3), "%s, --format=%s: exit %d" %
                  (name, fmt, r.returncode), r.stderr.decode(errors="replace")[-3000:])
            if fmt != "text":
                try:
                    json.loads(r.stdout.decode("utf-8"))
                except ValueError as e:
                    raise Failure("%s, --format=%s: not UTF-8 JSON: %s" % (name, fmt, e))
        print("ok: %s" % name)


TESTS = {"self": test_self, "determinism": test_determinism, "odd_paths": test_odd_paths,
         "fuzz_regressions": test_fuzz_regressions}


def main():
    return driver_test.run_named_test(
        TESTS, ("chanlint", "repo", "database", "multitool", "cxx", "work"))


if __name__ == "__main__":
    sys.exit(main())
