#!/usr/bin/env python3
"""Sessions with `chanlint --lsp` driven by a scripted client over pipes;
ctest runs one per entry:

  lsp_session_test.py --chanlint BIN --repo DIR --work DIR <test>

The document is the chan-ticker-not-stopped runtime witness from fixtures/:
its CHECK-MESSAGES line says where the diagnostic is, its CHECK-FIXES lines
what the quick fix must produce. Projects are copies under --work with a
compile_commands.json written for them; the file "outside any database"
lives in a fresh directory under the system's temporary directory.

Every wait has a timeout: a silent server fails a test, never hangs it.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lsp_client import LspClient, ProtocolFailure, file_uri  # noqa: E402

CHECK = "chan-ticker-not-stopped"
FIXTURE = os.path.join("fixtures", CHECK, "witness-ticker.cpp")
ANALYSIS_TIMEOUT = 120  # seconds; an analysis takes about one on an idle machine

# JSON-RPC / LSP error codes.
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
SERVER_NOT_INITIALIZED = -32002


class Failure(Exception):
    pass


def check(cond, message, *details):
    if not cond:
        raise Failure(message + "".join("\n--- " + str(d) for d in details))


# ----------------------------------------------------------------------------
# Text in LSP coordinates (0-based lines, UTF-16 code units).

def utf16_len(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def index_of(text, pos):
    """The str index of an LSP position in text."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:pos["line"]])
    line = lines[pos["line"]] if pos["line"] < len(lines) else ""
    units, i = 0, 0
    while i < len(line) and units < pos["character"]:
        units += 2 if ord(line[i]) > 0xFFFF else 1
        i += 1
    return start + i


def apply_edits(text, edits):
    """TextEdits of one document (non-overlapping), applied at once."""
    spans = sorted(((index_of(text, e["range"]["start"]), index_of(text, e["range"]["end"]),
                     e["newText"]) for e in edits), reverse=True)
    for begin, end, new in spans:
        text = text[:begin] + new + text[end:]
    return text


def as_changes(edits):
    """The same edits as incremental contentChanges, applied in order: last
    position first, so that the earlier ones stay valid."""
    ordered = sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                           e["range"]["start"]["character"]), reverse=True)
    return [{"range": e["range"], "text": e["newText"]} for e in ordered]


# ----------------------------------------------------------------------------
# What the fixture expects.

class Fixture:
    def __init__(self, repo):
        with open(os.path.join(repo, FIXTURE), encoding="utf-8") as f:
            self.text = f.read()
        lines = self.text.split("\n")
        self.anchor = None
        self.fix_lines = []
        for i, line in enumerate(lines):
            m = re.search(r"CHECK-MESSAGES: :\[\[@LINE-1\]\]:(\d+): warning: .*\[(.*)\]", line)
            if m and m.group(2) == CHECK:
                # Line i-1 (0-based); the column counts bytes, and the line is ASCII.
                self.anchor = {"line": i - 1, "character": int(m.group(1)) - 1}
                # The diagnostic's range is the whole declaration, as
                # clang-tidy highlights it: from the line's first word.
                declaration = lines[i - 1]
                self.start = {"line": i - 1,
                              "character": len(declaration) - len(declaration.lstrip())}
            m = re.search(r"CHECK-FIXES(?:-NEXT)?: (.*)", line)
            if m:
                self.fix_lines.append(m.group(1).strip())
        check(self.anchor and self.fix_lines, "%s: no CHECK-MESSAGES/CHECK-FIXES for %s"
              % (FIXTURE, CHECK))

    def is_fixed(self, text):
        """The CHECK-FIXES lines appear in text as consecutive lines."""
        stripped = [l.strip() for l in text.split("\n")]
        n = len(self.fix_lines)
        return any(stripped[i:i + n] == self.fix_lines for i in range(len(stripped) - n + 1))


# ----------------------------------------------------------------------------
# Projects and servers.

class Env:
    def __init__(self, args):
        self.a = args
        self.fixture = Fixture(args.repo)
        self.clients = []
        os.makedirs(args.work, exist_ok=True)

    def project(self, name, files, cmake=False):
        """A directory with src/<file> for each (name, text) and a
        compile_commands.json at its root listing them; with cmake, the
        database is build/compile_commands.json as CMake writes it (a
        command string run in the build directory)."""
        root = os.path.join(self.a.work, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(os.path.join(root, "src"))
        build = os.path.join(root, "build") if cmake else root
        os.makedirs(build, exist_ok=True)
        entries = []
        for fname, text in files.items():
            path = os.path.join(root, "src", fname)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            include = "-I" + os.path.join(self.a.repo, "chan", "include")
            if cmake:
                entries.append({"directory": build, "file": path,
                                "command": "/usr/bin/c++ %s -std=gnu++20 -o CMakeFiles/app.dir/"
                                           "src/%s.o -c %s" % (include, fname, path),
                                "output": "CMakeFiles/app.dir/src/%s.o" % fname})
            else:
                entries.append({"directory": root, "file": path,
                                "arguments": ["clang++", "-std=c++20", include, "-c", path]})
        with open(os.path.join(build, "compile_commands.json"), "w") as f:
            json.dump(entries, f, indent=2)
        return root

    def start(self, name):
        stderr = os.path.join(self.a.work, name + ".stderr")
        c = LspClient([self.a.chanlint, "--lsp"], cwd=self.a.work, stderr_path=stderr)
        c.name = name
        self.clients.append(c)
        return c

    def server(self, name, root, options=None):
        """A server past initialize/initialized."""
        c = self.start(name)
        r = c.request("initialize", {
            "processId": os.getpid(),
            "rootUri": file_uri(root) if root else None,
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": dict({"debounceMs": 100}, **(options or {})),
        })
        check("result" in r, "initialize failed", r)
        caps = r["result"]["capabilities"]
        check(caps["textDocumentSync"]["change"] == 2, "expected incremental sync", caps)
        check(caps["positionEncoding"] == "utf-16", "expected UTF-16 positions", caps)
        check(caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"],
              "expected quick fixes", caps)
        c.notify("initialized", {})
        return c

    def open(self, c, path, text, version=1):
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": file_uri(path), "languageId": "cpp", "version": version, "text": text}})

    def change(self, c, path, version, changes):
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": file_uri(path), "version": version},
            "contentChanges": changes})

    def code_actions(self, c, path, rng, diagnostics=()):
        r = c.request("textDocument/codeAction", {
            "textDocument": {"uri": file_uri(path)}, "range": rng,
            "context": {"diagnostics": list(diagnostics)}})
        check("result" in r, "codeAction failed", r)
        return r["result"]

    def finish(self, c, expect_code=0):
        r = c.request("shutdown")
        check("result" in r and r["result"] is None, "shutdown: expected a null result", r)
        c.notify("exit")
        code = c.wait_exit()
        check(code == expect_code, "exit code %s, expected %s" % (code, expect_code))

    def close_all(self):
        for c in self.clients:
            c.close()

    def stderr_of(self, c):
        return c.stderr_text()


def the_finding(env, diagnostics):
    found = [d for d in diagnostics if d.get("code") == CHECK]
    check(len(found) == 1, "expected one %s diagnostic" % CHECK, json.dumps(diagnostics, indent=1))
    return found[0]


def check_at_fixture(env, d):
    """The diagnostic highlights the fixture's declaration, from its first
    word past the anchor (the caret of CHECK-MESSAGES), as clang-tidy does."""
    fx = env.fixture
    check(d["range"]["start"] == fx.start and d["range"]["end"]["line"] == fx.anchor["line"]
          and d["range"]["end"]["character"] > fx.anchor["character"],
          "the diagnostic's range is not the declaration at the fixture's anchor %s" % fx.anchor,
          d)


def expect_error(response, code, what):
    check("error" in response and response["error"]["code"] == code,
          "%s: expected error %d" % (what, code), json.dumps(response))


# ----------------------------------------------------------------------------
# The tests.

def test_session(env):
    """The whole loop: diagnostic with code, range, link and notes; the
    quick fix produces the fixture's expected fix; the fixed text has no
    diagnostic; close clears; shutdown and exit give 0."""
    root = env.project("session", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    c = env.server("session", root)

    sent = time.monotonic()
    env.open(c, path, env.fixture.text)
    published = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=1)
    latency = time.monotonic() - sent
    d = the_finding(env, published["diagnostics"])
    check_at_fixture(env, d)
    check(d["severity"] == 2 and d["source"] == "chanlint", "severity/source", d)
    check(d["codeDescription"]["href"].endswith("docs/checks/%s.md" % CHECK), "doc link", d)
    check(d.get("relatedInformation"), "the notes should be relatedInformation", d)

    actions = env.code_actions(c, path, d["range"], [d])
    fixes = [a for a in actions if a.get("kind") == "quickfix"]
    check(len(fixes) == 1, "expected one quick fix", json.dumps(actions, indent=1))
    fix = fixes[0]
    check(fix["diagnostics"][0]["code"] == CHECK, "the fix names its diagnostic", fix)
    edits = fix["edit"]["changes"][file_uri(path)]
    fixed = apply_edits(env.fixture.text, edits)
    check(env.fixture.is_fixed(fixed), "the quick fix does not produce the expected fix %s"
          % env.fixture.fix_lines, fixed)

    # A cursor elsewhere gets nothing.
    check(env.code_actions(c, path, {"start": {"line": 0, "character": 0},
                                     "end": {"line": 0, "character": 0}}) == [],
          "code actions far from the diagnostic")

    env.change(c, path, 2, as_changes(edits))
    after = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=2)
    check(after["diagnostics"] == [], "the fixed text still has diagnostics", after)
    check(env.code_actions(c, path, d["range"]) == [], "no quick fix once fixed")

    c.notify("textDocument/didClose", {"textDocument": {"uri": file_uri(path)}})
    cleared = c.wait_for_diagnostics(file_uri(path), 10)
    check(cleared["diagnostics"] == [], "didClose clears the diagnostics", cleared)

    # The same document again: closing it dropped its preamble too.
    sent = time.monotonic()
    env.open(c, path, env.fixture.text, version=1)
    c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=1)
    again = time.monotonic() - sent
    env.finish(c)
    print("latency didOpen -> publishDiagnostics: first %.2f s, second %.2f s" % (latency, again))


def test_bad_input(env):
    """Malformed JSON, invalid requests, unknown methods, bad params,
    framing errors, documents that are not open or not files: each gets
    the protocol's error or is ignored, and the server keeps serving."""
    root = env.project("bad_input", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    c = env.start("bad_input")

    expect_error(c.request("textDocument/codeAction", {}), SERVER_NOT_INITIALIZED,
                 "a request before initialize")
    r = c.request("initialize", {"processId": None, "rootUri": file_uri(root), "capabilities": {}})
    check("result" in r, "initialize", r)
    c.notify("initialized", {})

    def raw(body, code, what, rid=None):
        c.send_raw(body)
        m = c.wait_for(lambda m: "error" in m and m.get("id") == rid and "method" not in m, 10, what)
        check(m["error"]["code"] == code, "%s: expected %d" % (what, code), m)

    raw('{"jsonrpc":"2.0","id":1,"method":', PARSE_ERROR, "truncated JSON")
    raw('Content-Length is not JSON', PARSE_ERROR, "text that is not JSON")
    raw(b'{"jsonrpc":"2.0","id":2,"method":"x\xff"}', PARSE_ERROR, "invalid UTF-8")
    raw('[{"jsonrpc":"2.0","id":3,"method":"shutdown"}]', INVALID_REQUEST, "a batch")
    raw('"just a string"', INVALID_REQUEST, "a JSON string")
    raw('{"jsonrpc":"2.0","id":5}', INVALID_REQUEST, "no method", rid=5)
    raw('{"id":6,"method":"shutdown"}', INVALID_REQUEST, "no jsonrpc member", rid=6)
    raw('{"jsonrpc":"2.0","id":7,"method":["shutdown"]}', INVALID_REQUEST, "method not a string",
        rid=7)
    raw('{"jsonrpc":"2.0","id":8,"method":"shutdown","params":5}', INVALID_REQUEST,
        "params not structured", rid=8)

    expect_error(c.request("chanlint/noSuchMethod", {}), METHOD_NOT_FOUND, "an unknown request")
    expect_error(c.request("$/noSuchMethod"), METHOD_NOT_FOUND, "an unknown $/ request")
    expect_error(c.request("initialize", {"capabilities": {}}), INVALID_REQUEST,
                 "a second initialize")
    expect_error(c.request("textDocument/codeAction", {"textDocument": {"uri": file_uri(path)}}),
                 INVALID_PARAMS, "codeAction without a range")
    expect_error(c.request("textDocument/codeAction", {
        "textDocument": {"uri": file_uri(path)},
        "range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": "x"}}}),
        INVALID_PARAMS, "codeAction with a malformed range")

    # Ignored: unknown notifications, $/ ones, notifications with bad params.
    for method, params in [("$/cancelRequest", {"id": 1}), ("$/setTrace", {"value": "off"}),
                           ("workspace/didChangeConfiguration", {"settings": {}}),
                           ("chanlint/noSuchNotification", None),
                           ("textDocument/didOpen", {"textDocument": {"uri": file_uri(path)}}),
                           ("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.cpp",
                                                                        "version": 2},
                                                       "contentChanges": [{"text": "x"}]}),
                           ("textDocument/didClose", {})]:
        c.notify(method, params)

    # Framing errors: skipped, and the next message is read.
    c.send_bytes(b"Content-Type: application/vscode-jsonrpc\r\n\r\n")
    c.send_bytes(b"Content-Length: many\r\n\r\n")
    r = c.request("chanlint/afterFramingErrors")
    expect_error(r, METHOD_NOT_FOUND, "the request after framing errors")

    # Documents that are not files, not open, or edited out of range.
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": "untitled:Untitled-1", "languageId": "cpp", "version": 1, "text": "int main() {}"}})
    check(env.code_actions(c, "/nowhere/not-open.cpp", {"start": {"line": 0, "character": 0},
                                                        "end": {"line": 0, "character": 0}}) == [],
          "code actions for a document that is not open")
    env.open(c, path, env.fixture.text)
    env.change(c, path, 2, [{"range": {"start": {"line": 900, "character": 5},
                                       "end": {"line": 1000, "character": 0}},
                             "text": "\n// appended past the end\n"}])
    published = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=2)
    the_finding(env, published["diagnostics"])

    messages = c.drain(0.5)
    stray = [m for m in messages if "id" in m or (m.get("method") == "textDocument/publishDiagnostics"
                                                  and m["params"]["uri"].startswith("untitled:"))]
    check(not stray, "unexpected messages", *stray)
    env.finish(c)


def test_lifecycle(env):
    """Requests after shutdown get InvalidRequest; exit gives 0 after
    shutdown and 1 without; the end of the input counts as exit."""
    root = env.project("lifecycle", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")

    c = env.server("lifecycle-shutdown", root)
    r = c.request("shutdown")
    check("result" in r and r["result"] is None, "shutdown", r)
    expect_error(c.request("textDocument/codeAction", {}), INVALID_REQUEST, "a request after shutdown")
    expect_error(c.request("shutdown"), INVALID_REQUEST, "a second shutdown")
    env.open(c, path, env.fixture.text)  # ignored after shutdown
    c.notify("exit")
    check(c.wait_exit() == 0, "exit after shutdown: expected 0")
    late = [m for m in c.drain(0.2) if m.get("method") == "textDocument/publishDiagnostics"]
    check(not late, "diagnostics published after shutdown", *late)

    c = env.server("lifecycle-exit-only", root)
    c.notify("exit")
    check(c.wait_exit() == 1, "exit without shutdown: expected 1")

    c = env.start("lifecycle-exit-uninitialized")
    c.notify("exit")
    check(c.wait_exit() == 1, "exit before initialize: expected 1")

    c = env.server("lifecycle-eof", root)
    c.proc.stdin.close()
    check(c.wait_exit() == 1, "end of input without shutdown: expected 1")

    c = env.server("lifecycle-shutdown-eof", root)
    c.request("shutdown")
    c.proc.stdin.close()
    check(c.wait_exit() == 0, "end of input after shutdown: expected 0")

    # Exit while an analysis runs: prompt, and nothing is published once
    # shut down.
    c = env.server("lifecycle-exit-during-analysis", root)
    env.open(c, path, env.fixture.text)
    time.sleep(0.2)
    start = time.monotonic()
    r = c.request("shutdown")
    c.notify("exit")
    check(c.wait_exit(timeout=ANALYSIS_TIMEOUT) == 0, "exit during an analysis: expected 0")
    waited = time.monotonic() - start
    late = [m for m in c.drain(0.2) if m.get("method") == "textDocument/publishDiagnostics"]
    check(not late, "diagnostics published after shutdown", *late)
    # The server ends at once; the analysis (over a second) is abandoned.
    check(waited < 2.0, "exit took %.2f s: it waited for the analysis" % waited)
    check("published" not in c.stderr_text(), "the abandoned analysis was published",
          c.stderr_text())
    print("exit during an analysis took %.2f s" % waited)


def outside_directory():
    d = tempfile.mkdtemp(prefix="chanlint-lsp-outside-")
    probe = d
    while True:
        for name in ("compile_commands.json", "compile_flags.txt"):
            check(not os.path.exists(os.path.join(probe, name)),
                  "%s exists above the temporary directory: this test needs a file "
                  "outside any compilation database" % os.path.join(probe, name))
        parent = os.path.dirname(probe)
        if parent == probe:
            return d
        probe = parent


def test_fallback(env):
    """A file outside any compilation database is analysed with -std=c++20
    plus initializationOptions.fallbackFlags; without the include path it
    needs, the missing header is an error diagnostic, not a crash."""
    d = outside_directory()
    try:
        path = os.path.join(d, "outside.cpp")
        with open(path, "w") as f:
            f.write(env.fixture.text)

        c = env.server("fallback", None, {
            "fallbackFlags": ["-I" + os.path.join(env.a.repo, "chan", "include")]})
        env.open(c, path, env.fixture.text)
        published = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=1)
        check_at_fixture(env, the_finding(env, published["diagnostics"]))
        env.finish(c)
        check("fallback flags" in c.stderr_text(), "the log should say fallback flags were used",
              c.stderr_text())

        c = env.server("fallback-no-flags", None)
        env.open(c, path, env.fixture.text)
        published = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=1)
        errors = [x for x in published["diagnostics"] if x["severity"] == 1]
        check(errors and errors[0]["source"] == "clang" and "chan/chan.hpp" in errors[0]["message"],
              "expected the missing header as an error", json.dumps(published, indent=1))
        env.finish(c)
    finally:
        shutil.rmtree(d, ignore_errors=True)


BROKEN = """
void broken() {
  int x = ;
  undeclared_call();
}
"""


def test_broken_buffer(env):
    """A buffer that does not parse: the compiler's errors (source clang,
    severity Error) and the findings of what did parse."""
    root = env.project("broken_buffer", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    c = env.server("broken_buffer", root)
    text = env.fixture.text + BROKEN
    env.open(c, path, text)
    published = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=1)
    the_finding(env, published["diagnostics"])
    errors = [x for x in published["diagnostics"] if x["severity"] == 1]
    first_broken = len(env.fixture.text.split("\n"))  # 0-based line of "void broken"
    check(len(errors) >= 2 and all(x["source"] == "clang" for x in errors),
          "expected the compile errors", json.dumps(published, indent=1))
    check(all(x["range"]["start"]["line"] >= first_broken for x in errors),
          "errors should be in the broken function", json.dumps(errors, indent=1))
    # Repaired: the errors go, the finding stays.
    env.change(c, path, 2, [{"text": env.fixture.text}])
    repaired = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=2)
    check([x["code"] for x in repaired["diagnostics"]] == [CHECK], "after the repair", repaired)
    env.finish(c)


def test_incremental_utf16(env):
    """Incremental edits and diagnostics in UTF-16 columns, on a line with
    characters outside the BMP: the server applies the client's edits where
    the client means them, and its positions mean what the client thinks."""
    fx = env.fixture
    lines = fx.text.split("\n")
    anchor = fx.anchor["line"]
    prefix = "/* \U0001F600 caf\u00e9 */ "
    lines[anchor] = lines[anchor][:2] + prefix + lines[anchor][2:]
    text = "\n".join(lines)
    root = env.project("incremental_utf16", {"ticker.cpp": text})
    path = os.path.join(root, "src", "ticker.cpp")
    uri = file_uri(path)
    c = env.server("incremental_utf16", root)

    env.open(c, path, text)
    d = the_finding(env, c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=1)["diagnostics"])
    # The declaration starts after the prefix: its column counts the prefix.
    expected = fx.start["character"] + utf16_len(prefix)
    check(d["range"]["start"] == {"line": anchor, "character": expected},
          "UTF-16 column: expected %d (bytes would give %d)"
          % (expected, fx.start["character"] + len(prefix.encode("utf-8"))), d)

    # Another emoji, inserted right after the first one (a UTF-16 position
    # past a surrogate pair), in the same notification as a new first line.
    at = 2 + utf16_len("/* \U0001F600")
    env.change(c, path, 2, [
        {"range": {"start": {"line": anchor, "character": at},
                   "end": {"line": anchor, "character": at}}, "text": "\U0001F389"},
        {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
         "text": "// first line\n"},
    ])
    text = text.replace("\U0001F600", "\U0001F600\U0001F389", 1)
    text = "// first line\n" + text
    d = the_finding(env, c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=2)["diagnostics"])
    check(d["range"]["start"] == {"line": anchor + 1, "character": expected + 2},
          "after the incremental edits", d)

    fix = [a for a in env.code_actions(c, path, d["range"], [d]) if a["kind"] == "quickfix"]
    check(len(fix) == 1, "one quick fix", fix)
    edits = fix[0]["edit"]["changes"][uri]
    fixed = apply_edits(text, edits)
    check(fx.is_fixed(fixed.replace(prefix.replace("\U0001F600", "\U0001F600\U0001F389"), "")),
          "the quick fix, applied in UTF-16, gives the expected fix", fixed)
    # The server's copy matches the client's only if every edit landed
    # where it was meant: then the fix silences the check.
    env.change(c, path, 3, as_changes(edits))
    after = c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=3)
    check(after["diagnostics"] == [], "after the fix", after)
    env.finish(c)


def test_build_folder(env):
    """A plain CMake project: build/compile_commands.json, no database
    setting. The server finds the database where clangd does (the build/
    directory of a parent) and analyses with its include path: the finding,
    no missing-header error."""
    root = env.project("build_folder", {"witness-ticker.cpp": env.fixture.text}, cmake=True)
    check(not os.path.exists(os.path.join(root, "compile_commands.json")), "database at the root")
    path = os.path.join(root, "src", "witness-ticker.cpp")
    c = env.server("build_folder", root)
    env.open(c, path, env.fixture.text)
    published = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=1)
    errors = [x for x in published["diagnostics"] if x["severity"] == 1]
    check(not errors, "compile errors: the database in build/ was not used",
          json.dumps(published, indent=1), c.stderr_text())
    check_at_fixture(env, the_finding(env, published["diagnostics"]))
    database = os.path.join(root, "build", "compile_commands.json")
    check("compile command for %s: %s" % (path, database) in c.stderr_text(),
          "the log should name build/compile_commands.json", c.stderr_text())
    env.finish(c)


def test_save_during_analysis(env):
    """didSave for the version being analysed (an editor that saves right
    after opening, or on every change) does not restart the analysis: one
    analysis, its result published, nothing dropped."""
    root = env.project("save_during_analysis", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    uri = file_uri(path)
    c = env.server("save_during_analysis", root)
    env.open(c, path, env.fixture.text)
    deadline = time.monotonic() + 30
    while "analysing %s version 1" % path not in c.stderr_text():
        check(time.monotonic() < deadline, "the analysis of version 1 did not start",
              c.stderr_text())
        time.sleep(0.01)
    check(published_versions(c.drain(0), uri) == [], "version 1 was published before the save "
          "could be sent; the machine is too fast for this test's timing")
    c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    published = c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=1)
    the_finding(env, published["diagnostics"])
    later = published_versions(c.drain(1.5), uri)
    log = c.stderr_text()
    check(later == [], "published again after the save", later)
    check(log.count("analysing %s" % path) == 1 and "dropped" not in log,
          "the save restarted the analysis", log)
    # After the result, a save analyses again (headers may have been saved).
    c.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=1)
    check(c.stderr_text().count("analysing %s" % path) == 2, "a later save did not analyse",
          c.stderr_text())
    env.finish(c)


def test_quick_fix_on_the_line(env):
    """The client names the diagnostics of the cursor's line in the request's
    context (Neovim and VS Code do): the quick fix is offered with the
    cursor anywhere on that line, as in clangd; other servers' diagnostics
    in the context get nothing."""
    root = env.project("quick_fix_on_the_line", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    c = env.server("quick_fix_on_the_line", root)
    env.open(c, path, env.fixture.text)
    published = c.wait_for_diagnostics(file_uri(path), ANALYSIS_TIMEOUT, version=1)
    d = the_finding(env, published["diagnostics"])
    line = d["range"]["start"]["line"]
    clangd = {"range": d["range"], "message": "unused variable 't'", "source": "clangd",
              "code": "-Wunused-variable", "severity": 2}
    for character in (0, 1):  # in the indentation, before the range
        cursor = {"start": {"line": line, "character": character},
                  "end": {"line": line, "character": character}}
        check(env.code_actions(c, path, cursor) == [],
              "without context, a cursor off the range gets nothing (character %d)" % character)
        fixes = [a for a in env.code_actions(c, path, cursor, [clangd, d])
                 if a["kind"] == "quickfix"]
        check(len(fixes) == 1 and fixes[0]["diagnostics"] == [d],
              "expected the quick fix of the named diagnostic at character %d" % character,
              json.dumps(fixes, indent=1))
        check(env.fixture.is_fixed(apply_edits(env.fixture.text,
                                               fixes[0]["edit"]["changes"][file_uri(path)])),
              "the quick fix does not produce the expected fix")
        check(env.code_actions(c, path, cursor, [clangd]) == [],
              "another server's diagnostic got chanlint's fix")
    env.finish(c)


def published_versions(messages, uri):
    return [m["params"].get("version") for m in messages
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]


def test_debounce(env):
    """A burst of edits makes one analysis, of the last version."""
    root = env.project("debounce", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    uri = file_uri(path)
    c = env.server("debounce", root, {"debounceMs": 800})
    env.open(c, path, env.fixture.text)
    c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=1)

    last = 11
    for v in range(2, last + 1):
        env.change(c, path, v, [{"range": {"start": {"line": 0, "character": 0},
                                           "end": {"line": 0, "character": 0}},
                                 "text": "// edit %d\n" % v}])
        time.sleep(0.03)
    published = c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=last)
    d = the_finding(env, published["diagnostics"])
    check(d["range"]["start"]["line"] == env.fixture.anchor["line"] + last - 1,
          "the diagnostic moved with the %d inserted lines" % (last - 1), d)
    versions = published_versions(c.drain(1.5), uri)
    check(versions == [], "published for versions other than the last", versions)
    analyses = c.stderr_text().count("analysing " + path)
    check(analyses == 2, "expected 2 analyses (open, end of burst), got %d" % analyses,
          c.stderr_text())
    env.finish(c)


def test_stale_results(env):
    """An edit while the analysis runs: the old version's result is
    dropped, never published; the new one is."""
    root = env.project("stale_results", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    uri = file_uri(path)
    c = env.server("stale_results", root, {"debounceMs": 0})
    env.open(c, path, env.fixture.text)
    # Wait until the analysis of version 1 has started, then change.
    deadline = time.monotonic() + 30
    while "analysing %s version 1" % path not in c.stderr_text():
        check(time.monotonic() < deadline, "the analysis of version 1 did not start",
              c.stderr_text())
        time.sleep(0.01)
    early = published_versions(c.drain(0), uri)
    check(early == [], "version 1 was published before the change could be sent; "
          "the machine is too fast for this test's timing", early)
    fixed_lines = env.fixture.text.split("\n")
    a = env.fixture.anchor["line"]
    fixed_lines.insert(a + 1, "  chan::Defer stop_t([&] { t.stop(); });")
    env.change(c, path, 2, [{"text": "\n".join(fixed_lines)}])
    published = c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=2)
    check(published["diagnostics"] == [], "version 2 is fixed", published)
    versions = published_versions(c.drain(1.0), uri)
    check(versions == [], "published after version 2", versions)
    # Everything received: version 1 never came.
    check("dropped the analysis of %s version 1" % uri in c.stderr_text(),
          "the log should say version 1 was dropped", c.stderr_text())
    env.finish(c)


def test_responsive(env):
    """Requests are answered at once while an analysis runs."""
    root = env.project("responsive", {"witness-ticker.cpp": env.fixture.text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    uri = file_uri(path)
    c = env.server("responsive", root)
    env.open(c, path, env.fixture.text)
    time.sleep(0.1)
    delays = []
    for i in range(5):
        sent = time.monotonic()
        if i % 2:
            r = c.request("textDocument/codeAction", {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": []}}, timeout=10)
            check(r.get("result") == [], "no fixes before the analysis is done", r)
        else:
            expect_error(c.request("chanlint/ping", timeout=10), METHOD_NOT_FOUND, "ping")
        delays.append(time.monotonic() - sent)
    # Responses and notifications come in the order they were written: a
    # publication before the last response would be among the unconsumed.
    early = published_versions(c.drain(0), uri)
    check(early == [], "the analysis ended before the requests were answered (%s); "
          "they did not run during it" % delays, early)
    published = c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=1)
    check(published["diagnostics"], "diagnostics", published)
    check(max(delays) < 1.0, "slow responses while analysing: %s" % delays)
    env.finish(c)
    print("responses while analysing: max %.1f ms" % (1000 * max(delays)))


def test_preamble(env):
    """The precompiled preamble: an edit of the body reuses it, an edit of
    an #include line rebuilds it (the server's log says which), and the
    diagnostics of every version are those of a server without one."""
    text = env.fixture.text
    include = "#include <chrono>\n"
    check(include in text and "wait_ticks(3);" in text, "the fixture changed", text)
    include_line = text[:text.index(include)].count("\n")
    body_edit = text.replace("wait_ticks(3);", "wait_ticks(4);")
    body_line = body_edit.split("\n").index("  wait_ticks(4);")
    versions = [
        (1, None),
        # In main's body, far below the includes.
        (2, {"range": {"start": {"line": body_line, "character": 13},
                       "end": {"line": body_line, "character": 14}}, "text": "4"}),
        # A new #include line.
        (3, {"range": {"start": {"line": include_line + 1, "character": 0},
                       "end": {"line": include_line + 1, "character": 0}},
             "text": "#include <vector>\n"}),
    ]
    root = env.project("preamble", {"witness-ticker.cpp": text})
    path = os.path.join(root, "src", "witness-ticker.cpp")
    uri = file_uri(path)
    published = {}
    for preamble in (True, False):
        c = env.server("preamble" if preamble else "no_preamble", root, {"preamble": preamble})
        for version, change in versions:
            sent = time.monotonic()
            if change is None:
                env.open(c, path, text)
            else:
                env.change(c, path, version, [change])
            p = c.wait_for_diagnostics(uri, ANALYSIS_TIMEOUT, version=version)
            latency = time.monotonic() - sent
            published.setdefault(version, []).append(p["diagnostics"])
            print("preamble %s, version %d: %.2f s to diagnostics" % (preamble, version, latency))
        log = c.stderr_text()
        env.finish(c)
        said = [l.split(": ", 2)[-1] for l in log.split("\n")
                if "preamble of %s version" % path in l]
        if not preamble:
            check(said == [], "the preamble was used with preamble: false", log)
            continue
        check(len(said) == 3, "expected one preamble line per analysis", log)
        check(said[0].startswith("built in") and "first analysis" in said[0],
              "version 1 should build the preamble", said[0])
        check(said[1] == "reused", "an edit of the body should reuse the preamble", said[1])
        check(said[2].startswith("built in") and "the includes changed" in said[2],
              "an edit of an #include line should rebuild the preamble", said[2])
    for version, (with_it, without_it) in sorted(published.items()):
        check(with_it == without_it, "version %d: other diagnostics with the preamble" % version,
              json.dumps(with_it, indent=1), json.dumps(without_it, indent=1))
    finding = the_finding(env, published[3][0])
    check(finding["range"]["start"]["line"] == env.fixture.anchor["line"] + 1,
          "the finding moved down with the new #include line", finding)


TESTS = {name[5:]: fn for name, fn in globals().items() if name.startswith("test_")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--chanlint", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("test", choices=sorted(TESTS))
    args = p.parse_args()
    args.chanlint, args.repo = os.path.abspath(args.chanlint), os.path.abspath(args.repo)
    args.work = os.path.join(os.path.abspath(args.work), args.test)
    shutil.rmtree(args.work, ignore_errors=True)
    env = Env(args)
    try:
        TESTS[args.test](env)
    except (Failure, ProtocolFailure) as e:
        print("FAIL %s: %s" % (args.test, e))
        for c in env.clients:
            print("--- stderr of the server '%s':\n%s" % (c.name, c.stderr_text()[-4000:]))
        return 1
    finally:
        env.close_all()
    print("PASS %s" % args.test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
