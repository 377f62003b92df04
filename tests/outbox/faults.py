"""Dependencies made to fail on purpose: a broker on a closed port, a mail server that
refuses connections, a listener that accepts and never answers."""

import contextlib
import socket
import threading

from django.utils import timezone

from crdla.outbox.models import OutboxMessage

CLOSED_BROKER = "redis://127.0.0.1:1/0"


def reset_celery_connections(app):
    from kombu import pools

    app.amqp.__dict__.pop("queues", None)
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_down(url=CLOSED_BROKER):
    """Celery publishes to a Redis that refuses connections (a real broker, not eager)."""
    from crdla.celery import app

    keys = ("task_always_eager", "broker_url", "broker_connection_timeout")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=url, broker_connection_timeout=1)
    reset_celery_connections(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        reset_celery_connections(app)


@contextlib.contextmanager
def smtp_down(settings):
    """The SMTP backend pointed at a port where nothing listens."""
    saved = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = saved


def make_due():
    """Jump past every backoff delay: the next sweep takes every failed row."""
    OutboxMessage.objects.update(next_attempt_at=timezone.now())


class SilentListener:
    """Accepts TCP connections and never answers (a hung dependency)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sock.close()
        for conn in self.accepted:
            conn.close()
