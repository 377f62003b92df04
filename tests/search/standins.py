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

    def __init__(self):
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
        port = free_port()
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
