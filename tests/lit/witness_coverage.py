#!/usr/bin/env python3
"""Every positive fixture of a check beyond the four core ones has a runtime
witness (docs/reliability.md, "Runtime witnesses").

  witness_coverage.py <fixtures-dir>

Prints, per check, each fixture that expects a warning and the witnesses
that name it, and exits 1 when a fixture has none or a witness is not
well-formed. Reads files only: it runs nothing, lit runs the witnesses.

A positive fixture is a .cpp in fixtures/chan-<check>/ with a
CHECK-MESSAGES line that expects a warning. A witness is a
witness-<x>.cpp there whose RUN line expects the program to fail
(%witness --expect=panic:... or leak). Its header names the fixtures whose
shape it runs, with a line

  // Witness for: a.cpp, b.cpp, chan-other-check/c.cpp

(a name without a directory is in the witness's own). A witness must also
expect the check's warning (the analyzer reports what the program shows),
and have a fixed twin, witness-<x>-fixed.cpp, that expects no warning and
runs clean both natively and under ThreadSanitizer (%chan_tsan_cxx).
"""
import os
import re
import sys

# The core checks' witnesses predate this rule; their fixtures are exempt.
CORE_CHECKS = {"chan-receiver-close", "chan-multi-sender-close", "chan-unguarded-send",
               "chan-ticker-not-stopped"}

EXPECTS_WARNING = re.compile(r"//\s*CHECK-MESSAGES[\w-]*:.*\bwarning:")
EXPECTS_FAILURE = re.compile(r"//\s*RUN:.*%witness\s+--expect=(panic|leak)\b")
RUNS_CLEAN = re.compile(r"//\s*RUN:\s*%chan_cxx\b.*%witness\s+--expect=clean\b")
RUNS_CLEAN_UNDER_TSAN = re.compile(r"//\s*RUN:\s*%chan_tsan_cxx\b.*%witness\s+--expect=clean\b")
WITNESS_FOR = re.compile(r"^//\s*Witness for:\s*(.+)$", re.M)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def extended_checks(fixtures):
    return sorted(d for d in os.listdir(fixtures)
                  if d.startswith("chan-") and d not in CORE_CHECKS
                  and os.path.isdir(os.path.join(fixtures, d)))


def is_witness(name):
    return name.startswith("witness-") and not name.endswith("-fixed.cpp")


def twin_problems(fixtures, check, witness):
    """What is wrong with a witness's fixed twin, if anything."""
    twin = witness[:-len(".cpp")] + "-fixed.cpp"
    path = os.path.join(fixtures, check, twin)
    if not os.path.exists(path):
        return ["has no fixed twin %s" % twin]
    text = read(path)
    problems = []
    if EXPECTS_WARNING.search(text):
        problems.append("its fixed twin %s expects a warning" % twin)
    if not RUNS_CLEAN.search(text):
        problems.append("its fixed twin %s does not run clean (%%chan_cxx ... --expect=clean)" % twin)
    if not RUNS_CLEAN_UNDER_TSAN.search(text):
        problems.append("its fixed twin %s does not run clean under ThreadSanitizer "
                        "(%%chan_tsan_cxx ... --expect=clean)" % twin)
    return problems


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: witness_coverage.py <fixtures-dir>")
    fixtures = sys.argv[1]
    checks = extended_checks(fixtures)

    positive = {}    # "check/file.cpp" -> [witness paths naming it]
    witnesses = []   # (check, file name, text)
    for check in checks:
        for name in sorted(os.listdir(os.path.join(fixtures, check))):
            if not name.endswith(".cpp"):
                continue
            text = read(os.path.join(fixtures, check, name))
            if is_witness(name) and EXPECTS_FAILURE.search(text):
                witnesses.append((check, name, text))
            elif not name.startswith("witness-") and EXPECTS_WARNING.search(text):
                positive[check + "/" + name] = []

    errors = []
    for check, name, text in witnesses:
        where = check + "/" + name
        named = [n.strip() for line in WITNESS_FOR.findall(text) for n in line.split(",")]
        if not named:
            errors.append("%s: no '// Witness for: <fixture>' line in its header" % where)
        for n in filter(None, named):
            key = n if "/" in n else check + "/" + n
            if key in positive:
                positive[key].append(where)
            else:
                errors.append("%s: names %s, which is not a positive fixture of an extended check"
                              % (where, n))
        if not EXPECTS_WARNING.search(text):
            errors.append("%s: expects no warning; the analyzer must report what it shows" % where)
        errors.extend("%s: %s" % (where, p) for p in twin_problems(fixtures, check, name))

    for check in checks:
        print(check)
        for key in sorted(k for k in positive if k.startswith(check + "/")):
            named_by = positive[key]
            shown = [w.split("/", 1)[1] if w.startswith(check + "/") else w for w in named_by]
            print("  %-30s %s" % (key.split("/", 1)[1], ", ".join(shown) or "NO WITNESS"))
            if not named_by:
                errors.append("%s: a positive fixture that no witness names" % key)

    covered = sum(1 for w in positive.values() if w)
    print("%d of %d positive fixtures in %d checks have a witness (%d witnesses)"
          % (covered, len(positive), len(checks), len(witnesses)))
    for e in errors:
        print("error: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
