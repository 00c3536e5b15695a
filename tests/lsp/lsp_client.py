"""A scripted LSP client for the tests: starts `chanlint --lsp`, frames and
sends messages over its stdin, and collects what it writes on stdout on a
reader thread, so that a test can wait for a response or a notification
with a timeout (a silent server fails the test; it never hangs it).
"""
import json
import os
import queue
import subprocess
import threading
import time


class ProtocolFailure(Exception):
    pass


def file_uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


class LspClient:
    def __init__(self, cmd, cwd=None, env=None, stderr_path=None):
        self.cmd = cmd
        self.stderr_file = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
        self.stderr_path = stderr_path
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr_file, cwd=cwd, env=env)
        self.messages = queue.Queue()
        self.seen = []  # every message received, in order, with its arrival time
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # --- Framing.
    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.rstrip(b"\r\n")
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers["content-length"])
            body = out.read(length)
            if len(body) < length:
                self.messages.put(None)
                return
            message = json.loads(body.decode("utf-8"))
            self.messages.put((time.monotonic(), message))

    def send_raw(self, body):
        """Sends one framed message whose body is given as bytes or text."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send_bytes(self, data):
        """Sends bytes as they are, framing included."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        self.send_raw(json.dumps(message))

    # --- Messages.
    def notify(self, method, params=None):
        m = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            m["params"] = params
        self.send(m)

    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        m = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            m["params"] = params
        self.send(m)
        return rid

    def request(self, method, params=None, timeout=30):
        """The whole response message (result or error)."""
        rid = self.request_async(method, params)
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout,
                             "the response to %s (id %d)" % (method, rid))

    def wait_for(self, predicate, timeout, what):
        """The first message, received since the last wait or earlier and
        not yet consumed, for which predicate holds."""
        deadline = time.monotonic() + timeout
        for i, (t, m) in enumerate(self.seen):
            if m is not None and predicate(m):
                del self.seen[i]
                return m
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolFailure("timed out after %ss waiting for %s; unconsumed messages:\n%s"
                                      % (timeout, what, self.describe_unconsumed()))
            try:
                item = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if item is None:
                raise ProtocolFailure("the server closed its output while waiting for %s "
                                      "(exit code %s)" % (what, self.proc.poll()))
            t, m = item
            if predicate(m):
                m["_received"] = t
                return m
            m["_received"] = t
            self.seen.append((t, m))

    def drain(self, seconds):
        """Every message that arrives within seconds (for 'nothing more
        comes' checks), plus those not consumed yet."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                item = self.messages.get(timeout=left)
            except queue.Empty:
                break
            if item is None:
                break
            t, m = item
            m["_received"] = t
            self.seen.append((t, m))
        out = [m for _, m in self.seen]
        self.seen = []
        return out

    def describe_unconsumed(self):
        return "\n".join(json.dumps(m)[:400] for _, m in self.seen) or "(none)"

    def wait_for_diagnostics(self, uri, timeout, version=None):
        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and (version is None or p.get("version") == version)
        what = "publishDiagnostics for %s%s" % (uri, "" if version is None else " v%d" % version)
        return self.wait_for(match, timeout, what)["params"]

    # --- Ending.
    def wait_exit(self, timeout=30):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise ProtocolFailure("the server did not exit within %ss" % timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        if self.stderr_file is not subprocess.DEVNULL:
            self.stderr_file.close()

    def stderr_text(self):
        if not self.stderr_path:
            return ""
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")
