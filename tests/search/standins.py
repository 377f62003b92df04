"""In-memory Elasticsearch stand-ins started on loopback for the ES backend's tests.

noida-db (PyPI, MIT) bundles one binary speaking several protocols; we enable only its
Elasticsearch service (it reports itself as ES 8.15) on a random port with a throw-away
data directory, so it can never touch the real PostgreSQL/Redis of this machine.
"""

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from importlib.resources import files
from pathlib import Path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


class NoidaElasticsearch:
    """A noida-db process serving only Elasticsearch on 127.0.0.1:<random port>."""

    def __init__(self, port=None):
        self.port = port
        self.process = None
        self.data_dir = None
        self.url = None
        self.log = None

    def start(self):
        """Start the server; returns a reason string when it cannot, else None."""
        try:
            import noida_db  # noqa: F401
        except ImportError:
            return "noida-db n'est pas installé (pip install noida-db)"
        binary = Path(str(files("noida_db").joinpath("noida-db")))
        if not binary.exists():
            return f"binaire noida-db absent ({binary})"
        binary.chmod(0o755)
        self.data_dir = tempfile.mkdtemp(prefix="noida-es-")
        port = self.port or free_port()
        self.log = open(Path(self.data_dir) / "server.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(binary),
                "start",
                "--data-dir",
                self.data_dir,
                "--host",
                "127.0.0.1",
                "--only",
                "elasticsearch",
                "--elasticsearch-port",
                str(port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"
        if not wait_for(self.url, self.process):
            self.log.seek(0)
            output = self.log.read()[-500:]
            self.stop()
            return f"noida-db n'a pas démarré : {output}"
        return None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.log:
            self.log.close()
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


class ScriptedElasticsearch:
    """A loopback HTTP server answering like Elasticsearch from a script, to inject the
    failures a real cluster produces (4xx, 5xx, 429, slow answers, a foreign product).

    ``answer(method, path, body)`` returns ``(status, json_body)`` or
    ``(status, json_body, {"delay": seconds, "product": False, "raw": b"..."})``; every
    request is recorded in ``requests`` as (method, path, body bytes).
    """

    def __init__(self, answer):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _respond(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append((self.command, self.path, body))
                status, payload, *extra = answer(self.command, self.path, body)
                options = extra[0] if extra else {}
                time.sleep(options.get("delay", 0))
                data = options.get("raw") or json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    if options.get("product", True):
                        self.send_header("X-Elastic-Product", "Elasticsearch")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to answer to

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _respond

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def paths(self, fragment):
        return [path for method, path, body in self.requests if fragment in path]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
