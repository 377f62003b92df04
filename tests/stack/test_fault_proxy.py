"""The stack's fault relay on its own (no stack): it relays, refuses, hangs and recovers, as
the fault scenarios of test_resilience.py assume."""

import socket
import socketserver
import threading

import pytest

from .conftest import load_stack_module


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(1024):
            self.request.sendall(data)


@pytest.fixture
def relay():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proxy = load_stack_module().FaultProxy("echo", port, *server.server_address).start()
    yield proxy
    proxy.stop()
    server.shutdown()
    server.server_close()


def ask(port, timeout=2):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"ping")
        return sock.recv(4)


def test_relays_refuses_hangs_and_recovers(relay):
    assert ask(relay.port) == b"ping"
    held = socket.create_connection(("127.0.0.1", relay.port), timeout=2)
    held.sendall(b"a")
    assert held.recv(1) == b"a"
    relay.refuse()
    assert held.recv(1) == b""  # open connections are cut
    with pytest.raises(ConnectionRefusedError):
        ask(relay.port)
    relay.hang()
    with pytest.raises(TimeoutError):
        ask(relay.port, timeout=0.5)  # accepted, never answered
    relay.restore()
    assert ask(relay.port) == b"ping"
    held.close()
