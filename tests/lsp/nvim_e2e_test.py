#!/usr/bin/env python3
"""End to end with a real editor: headless Neovim (Debian's 0.7.2) starts
`chanlint --lsp` as docs/editors.md configures it, gets the diagnostic of
the chan-ticker-not-stopped witness, asks for code actions with the cursor
at the start of the line, applies the quick fix and writes the file
(nvim_e2e.lua does the editor's part). Then this script checks the file on
disk holds the fixture's expected fix and that chanlint, run again on it,
finds nothing.

The project is a plain CMake one: build/compile_commands.json (a command
string run in the build directory, the include path only there), no
database setting. The server must find it as clangd does; with the
fallback flags the header would be missing.

  nvim_e2e_test.py --chanlint BIN --repo DIR --work DIR --nvim BIN

Neovim runs with its own HOME and XDG directories under --work, so no user
configuration takes part; on failure, its report, its output and the LSP
log (which holds the server's stderr) are printed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lsp_session_test import CHECK, Fixture  # noqa: E402

TIMEOUT_MS = int(os.environ.get("CHANLINT_E2E_WAIT_MS", "90000"))  # per wait inside Neovim
OVERALL_TIMEOUT = 240  # seconds for the whole Neovim run


def fail(message, *details):
    print("FAIL nvim_e2e: " + message)
    for d in details:
        print("---\n" + d)
    sys.exit(1)


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return "(no %s)" % path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--chanlint", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--nvim", required=True)
    a = p.parse_args()
    chanlint, repo = os.path.abspath(a.chanlint), os.path.abspath(a.repo)
    work = os.path.join(os.path.abspath(a.work), "nvim_e2e")
    shutil.rmtree(work, ignore_errors=True)

    nvim = shutil.which(a.nvim)
    if not nvim:
        fail("Neovim (%s) not found: scripts/setup.sh installs it (Debian package neovim)" % a.nvim)
    version = subprocess.run([nvim, "--version"], capture_output=True, text=True).stdout
    print(version.splitlines()[0] if version else "nvim: no version")

    fixture = Fixture(repo)
    project = os.path.join(work, "project")
    os.makedirs(os.path.join(project, "src"))
    path = os.path.join(project, "src", "witness-ticker.cpp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(fixture.text)
    build = os.path.join(project, "build")
    os.makedirs(build)
    obj = "CMakeFiles/witness.dir/src/witness-ticker.cpp.o"
    with open(os.path.join(build, "compile_commands.json"), "w") as f:
        json.dump([{"directory": build, "file": path, "output": obj,
                    "command": "/usr/bin/c++ -I%s -std=gnu++20 -o %s -c %s"
                               % (os.path.join(repo, "chan", "include"), obj, path)}], f,
                  indent=2)

    home = os.path.join(work, "home")
    env = dict(os.environ)
    for var, sub in [("HOME", ""), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")]:
        d = os.path.join(home, sub)
        os.makedirs(d, exist_ok=True)
        env[var] = d
    report_path = os.path.join(work, "report.json")
    env.update({
        "CHANLINT_E2E_CHANLINT": chanlint,
        "CHANLINT_E2E_FILE": path,
        "CHANLINT_E2E_OUT": report_path,
        "CHANLINT_E2E_TIMEOUT_MS": str(TIMEOUT_MS),
    })
    lsp_log = os.path.join(home, "cache", "nvim", "lsp.log")

    cmd = [nvim, "--headless", "--noplugin", "-n", "-i", "NONE",
           "-u", os.path.join(HERE, "nvim_e2e.lua")]
    try:
        r = subprocess.run(cmd, cwd=project, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=OVERALL_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        fail("Neovim did not finish within %d s" % OVERALL_TIMEOUT,
             "report: " + read(report_path), "output: %s%s" % (e.stdout or "", e.stderr or ""),
             "LSP log (tail):\n" + read(lsp_log)[-6000:])

    def details():
        return ["report: " + read(report_path), "Neovim exit code %d, output:\n%s%s"
                % (r.returncode, r.stdout, r.stderr), "LSP log (tail):\n" + read(lsp_log)[-6000:]]

    try:
        with open(report_path) as f:
            report = json.load(f)
    except (OSError, ValueError):
        fail("Neovim wrote no report", *details())
    if r.returncode != 0 or not report.get("ok"):
        fail("the editor session failed after steps %s: %s" % (report.get("steps"),
                                                             report.get("error")), *details())

    diags = report["diagnostics"]
    if len(diags) != 1 or diags[0]["code"] != CHECK or diags[0]["source"] != "chanlint":
        fail("expected one %s diagnostic from chanlint" % CHECK, *details())
    # Neovim's columns are bytes; the witness's line is ASCII. The range is
    # the declaration, as clang-tidy highlights it.
    got = (diags[0]["lnum"], diags[0]["col"])
    want = (fixture.start["line"], fixture.start["character"])
    if got != want:
        fail("the diagnostic is at %s, the fixture's declaration at %s" % (got, want),
             *details())
    if report.get("cursor") != [want[0] + 1, 0]:
        fail("the code action was not asked for at the start of the line", *details())
    if report.get("offset_encoding") != "utf-16":
        fail("the client should use UTF-16 offsets", *details())
    if report.get("server_exit_code") != 0:
        fail("the server exited with %s after shutdown/exit" % report.get("server_exit_code"),
             *details())

    on_disk = read(path)
    if not fixture.is_fixed(on_disk):
        fail("the written file does not hold the expected fix %s" % fixture.fix_lines, on_disk,
             *details())

    again = subprocess.run([chanlint, "--no-cache", "-p", build, path],
                           capture_output=True, text=True, timeout=300)
    if again.returncode != 0:
        fail("chanlint still reports findings in the fixed file (exit %d)" % again.returncode,
             again.stdout + again.stderr)

    print("diagnostic: %s:%d:%d %s [%s]" % (os.path.basename(path), got[0] + 1, got[1] + 1,
                                            diags[0]["message"], diags[0]["code"]))
    print("quick fix: %s" % ", ".join(x["title"] for x in report["actions"]))
    print("attach -> diagnostic in Neovim: %.0f ms" % report["latency_ms"])
    print("PASS nvim_e2e: steps %s; the fixed file re-analysed clean" % report["steps"])


if __name__ == "__main__":
    main()
