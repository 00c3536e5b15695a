#!/usr/bin/env python3
"""Every positive fixture of a check beyond the four core ones, and of the
library models, has a runtime witness (docs/reliability.md, "Runtime
witnesses").

  witness_coverage.py <fixtures-dir>

Prints, per directory, each fixture that expects a warning and the
witnesses that name it, and exits 1 when a fixture has none or a witness
is not well-formed. Reads files only: it runs nothing, lit runs the
witnesses.

The directories held to it are fixtures/chan-<check>/ of every check but
the core four, and fixtures/models/ with every directory below it (Boost
Fiber, Asio, the user model; Inputs/ aside). A positive fixture is a .cpp
there with a CHECK-MESSAGES line that expects a warning. A witness is a
witness-<x>.cpp there whose RUN line expects the program to fail
(%witness --expect=panic:... or leak). Its header names the fixtures whose
shape it runs, with a line

  // Witness for: a.cpp, b.cpp, chan-other-check/c.cpp

(a name without a directory is in the witness's own, one with a directory
is relative to fixtures/). A witness must also expect the check's warning
(the analyzer reports what the program shows), and have a fixed twin,
witness-<x>-fixed.cpp, that expects no warning and runs clean both
natively (%chan_cxx) and under ThreadSanitizer (%chan_tsan_cxx). Only a
twin on Boost.Fiber may leave ThreadSanitizer out, with a line saying why
(`// No ThreadSanitizer run: <why>`): fibers that switch stacks on several
threads hang it.
"""
import os
import re
import sys

# The core checks' witnesses predate this rule; their fixtures are exempt.
CORE_CHECKS = {"chan-receiver-close", "chan-multi-sender-close", "chan-unguarded-send",
               "chan-ticker-not-stopped"}
# The library models' fixtures, whatever check they are about.
MODELS = "models"

EXPECTS_WARNING = re.compile(r"//\s*CHECK-MESSAGES[\w-]*:.*\bwarning:")
EXPECTS_FAILURE = re.compile(r"//\s*RUN:.*%witness\s+--expect=(panic|leak)\b")
RUNS_CLEAN = re.compile(r"//\s*RUN:\s*%chan_cxx\b.*%witness\s+--expect=clean\b")
RUNS_CLEAN_UNDER_TSAN = re.compile(r"//\s*RUN:\s*%chan_tsan_cxx\b.*%witness\s+--expect=clean\b")
WITNESS_FOR = re.compile(r"^//\s*Witness for:\s*(.+)$", re.M)
NO_TSAN_RUN = re.compile(r"^//\s*No ThreadSanitizer run:\s*\S", re.M)
ON_BOOST_FIBER = re.compile(r"^\s*#\s*include\s*<boost/fiber/", re.M)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def witnessed_dirs(fixtures):
    """The directories, relative to fixtures, whose positive fixtures need a
    witness: each extended check's, and models/ with all below it."""
    dirs = sorted(d for d in os.listdir(fixtures)
                  if d.startswith("chan-") and d not in CORE_CHECKS
                  and os.path.isdir(os.path.join(fixtures, d)))
    for path, subdirs, _ in os.walk(os.path.join(fixtures, MODELS)):
        subdirs[:] = sorted(d for d in subdirs if d != "Inputs")
        dirs.append(os.path.relpath(path, fixtures))
    return dirs


def is_witness(name):
    return name.startswith("witness-") and not name.endswith("-fixed.cpp")


def twin_problems(fixtures, directory, witness):
    """What is wrong with a witness's fixed twin, if anything."""
    twin = witness[:-len(".cpp")] + "-fixed.cpp"
    path = os.path.join(fixtures, directory, twin)
    if not os.path.exists(path):
        return ["has no fixed twin %s" % twin]
    text = read(path)
    problems = []
    if EXPECTS_WARNING.search(text):
        problems.append("its fixed twin %s expects a warning" % twin)
    if not RUNS_CLEAN.search(text):
        problems.append("its fixed twin %s does not run clean (%%chan_cxx ... --expect=clean)" % twin)
    tsan_left_out = NO_TSAN_RUN.search(text) and ON_BOOST_FIBER.search(text)
    if not RUNS_CLEAN_UNDER_TSAN.search(text) and not tsan_left_out:
        problems.append("its fixed twin %s does not run clean under ThreadSanitizer "
                        "(%%chan_tsan_cxx ... --expect=clean)" % twin)
    return problems


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: witness_coverage.py <fixtures-dir>")
    fixtures = sys.argv[1]
    dirs = witnessed_dirs(fixtures)

    positive = {}    # "dir/file.cpp" -> [witness paths naming it]
    witnesses = []   # (dir, file name, text)
    for directory in dirs:
        for name in sorted(os.listdir(os.path.join(fixtures, directory))):
            if not name.endswith(".cpp"):
                continue
            text = read(os.path.join(fixtures, directory, name))
            if is_witness(name) and EXPECTS_FAILURE.search(text):
                witnesses.append((directory, name, text))
            elif not name.startswith("witness-") and EXPECTS_WARNING.search(text):
                positive[directory + "/" + name] = []

    errors = []
    for directory, name, text in witnesses:
        where = directory + "/" + name
        named = [n.strip() for line in WITNESS_FOR.findall(text) for n in line.split(",")]
        if not named:
            errors.append("%s: no '// Witness for: <fixture>' line in its header" % where)
        for n in filter(None, named):
            key = n if "/" in n else directory + "/" + n
            if key in positive:
                positive[key].append(where)
            else:
                errors.append("%s: names %s, which is not a positive fixture that needs a witness"
                              % (where, n))
        if not EXPECTS_WARNING.search(text):
            errors.append("%s: expects no warning; the analyzer must report what it shows" % where)
        errors.extend("%s: %s" % (where, p) for p in twin_problems(fixtures, directory, name))

    for directory in dirs:
        print(directory)
        for key in sorted(k for k in positive if os.path.dirname(k) == directory):
            named_by = positive[key]
            shown = [os.path.basename(w) if os.path.dirname(w) == directory else w
                     for w in named_by]
            print("  %-36s %s" % (os.path.basename(key), ", ".join(shown) or "NO WITNESS"))
            if not named_by:
                errors.append("%s: a positive fixture that no witness names" % key)

    covered = sum(1 for w in positive.values() if w)
    print("%d of %d positive fixtures in %d directories have a witness (%d witnesses)"
          % (covered, len(positive), len(dirs), len(witnesses)))
    for e in errors:
        print("error: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
