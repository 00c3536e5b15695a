#!/usr/bin/env python3
"""Runs chan-* checks on a fixture and verifies it, like upstream clang-tidy's
check_clang_tidy.py:

  check_chan_tidy.py [options] <fixture.cpp> <check-name> <temp-prefix>
                     [-- <clang-tidy args> [-- <compile args>]]

* CHECK-MESSAGES lines are matched against clang-tidy's output; any other
  warning or error fails the test. A fixture without CHECK-MESSAGES must
  produce no warning at all (the silent twin).
* CHECK-NOTES lines, when present, are matched with every note.
* CHECK-FIXES lines are matched against the file after `--fix`.
* Every fix-it must hold: the fixed file compiles, and the check is silent
  on it afterwards.
"""
import argparse
import os
import re
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kw)


def filecheck(args, input_file, check_file, prefix, implicit_not, strict=False):
    cmd = [args.filecheck, "-input-file=" + input_file, check_file,
           "-check-prefix=" + prefix, "-dump-input=fail"]
    if strict:
        cmd.append("-strict-whitespace")
    if implicit_not:
        cmd.append("-implicit-check-not=" + implicit_not)
    r = run(cmd)
    if r.returncode != 0:
        sys.stdout.write(r.stdout)
        sys.exit("FileCheck failed for " + prefix)


def unfixed_warnings(output):
    """Messages of the warnings that clang-tidy did not fix."""
    result = []
    blocks = re.split(r"(?m)^(?=\S+: warning: )", output)
    for block in blocks:
        m = re.match(r"\S+: warning: (.*)", block)
        if m and "FIX-IT applied" not in block:
            result.append(m.group(1))
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--clang-tidy", required=True)
    p.add_argument("--plugin", required=True)
    p.add_argument("--filecheck", required=True)
    p.add_argument("--chan-include", required=True)
    p.add_argument("--check-suffix", default="")
    p.add_argument("input")
    p.add_argument("check")
    p.add_argument("temp")
    p.add_argument("extra", nargs="*")
    # A second "--" separates compile flags. Split there before argparse,
    # which drops every "--" among the positionals (Python < 3.12).
    argv = sys.argv[1:]
    cuts = [i for i, a in enumerate(argv) if a == "--"]
    compile_extra = []
    if len(cuts) >= 2:
        argv, compile_extra = argv[:cuts[1]], argv[cuts[1] + 1:]
    args = p.parse_args(argv)

    with open(args.input, encoding="utf-8") as f:
        text = f.read()
    suffix = ("-" + args.check_suffix) if args.check_suffix else ""
    msg_prefix, note_prefix, fix_prefix = (
        "CHECK-MESSAGES" + suffix, "CHECK-NOTES" + suffix, "CHECK-FIXES" + suffix)
    has_messages = msg_prefix + ":" in text
    has_notes = note_prefix + ":" in text
    has_fixes = fix_prefix + ":" in text

    # Keep line numbers, drop the expectations from what clang-tidy sees.
    cleaned = re.sub(r"// *CHECK-[A-Z0-9\-]*:[^\r\n]*", "//", text)
    temp_cpp = args.temp + ".cpp"
    os.makedirs(os.path.dirname(os.path.abspath(temp_cpp)), exist_ok=True)
    with open(temp_cpp, "w", encoding="utf-8") as f:
        f.write(cleaned)

    tidy_args = list(args.extra)
    compile_args = ["-std=c++20", "-I" + args.chan_include] + compile_extra
    tidy = [args.clang_tidy, "--load=" + args.plugin, "--checks=-*," + args.check,
            "--fix", "--quiet"] + tidy_args + [temp_cpp, "--"] + compile_args
    r = run(tidy)
    output = r.stdout
    out_file = args.temp + ".msg"
    with open(out_file, "w", encoding="utf-8") as f:
        f.write(output)

    if has_messages:
        filecheck(args, out_file, args.input, msg_prefix, "{{warning|error}}:")
    elif re.search(r"(warning|error):", output):
        sys.stdout.write(output)
        sys.exit("the fixture expects no warning, but clang-tidy reported some")
    if has_notes:
        filecheck(args, out_file, args.input, note_prefix, "{{note|warning|error}}:")

    with open(temp_cpp, encoding="utf-8") as f:
        fixed = f.read()
    if has_fixes:
        fixed_check = args.temp + ".fixed.cpp"
        with open(fixed_check, "w", encoding="utf-8") as f:
            f.write(re.sub(r"^.*CHECK-.*$", "", fixed, flags=re.M))
        filecheck(args, fixed_check, args.input, fix_prefix, None, strict=True)
    elif fixed != cleaned:
        sys.exit("fix-its were applied, but the fixture has no CHECK-FIXES")

    if fixed != cleaned:
        # The fixes must hold: the result compiles and the check is silent.
        # One parse tells both: clang-tidy reports compiler errors as errors.
        # Match the severity field, not a message that names an *_error type.
        r = run([args.clang_tidy, "--load=" + args.plugin, "--checks=-*," + args.check,
                 "--quiet"] + tidy_args + [temp_cpp, "--"] + compile_args)
        if re.search(r"^\S.*?:\d+:\d+: (fatal )?error: ", r.stdout, flags=re.M):
            sys.stdout.write(r.stdout)
            sys.exit("the fixed file does not compile")
        # Warnings that had no fix-it may stay; the fixed ones must be gone.
        remaining = re.findall(r"warning: (.*)", r.stdout)
        unfixed = unfixed_warnings(output)
        for message in remaining:
            if message in unfixed:
                unfixed.remove(message)
            else:
                sys.stdout.write(r.stdout)
                sys.exit("the check still warns after its fix-its were applied")


if __name__ == "__main__":
    main()
