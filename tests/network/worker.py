"""A real Celery worker in a subprocess, on the real Redis, for the fan-out tests."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

REDIS_URL = os.environ.get("CRDLA_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
ROOT = Path(settings.BASE_DIR)


def redis_available():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def test_database_url():
    """The URL of the database the test runs on, for the worker subprocess."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/"
        f"{db['NAME']}"
    )


class RealWorker:
    """Start, kill and restart ``celery worker`` consuming a private queue."""

    def __init__(
        self,
        mail_dir,
        queue=None,
        concurrency=2,
        settings_module="tests.network.worker_settings",
        database_url=None,
        **env,
    ):
        self.mail_dir = Path(mail_dir)
        self.settings_module = settings_module
        self.database_url = database_url
        self.queue = queue or f"crdla-test-{uuid.uuid4().hex[:8]}"
        self.concurrency = concurrency
        self.extra_env = env
        self.process = None

    def env(self):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            DATABASE_URL=self.database_url or test_database_url(),
            CELERY_BROKER_URL=REDIS_URL,
            CELERY_QUEUE=self.queue,
            CRDLA_TEST_MAIL_DIR=str(self.mail_dir),
            PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]),
            **self.extra_env,
        )
        return env

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "crdla",
                "worker",
                "-Q",
                self.queue,
                "-c",
                str(self.concurrency),
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
            ],
            cwd=ROOT,
            env=self.env(),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(self.mail_dir / f"worker-{time.time():.0f}.err", "wb"),  # noqa: SIM115
        )
        return self

    def kill(self):
        """SIGKILL the worker and its pool children: no clean shutdown, no acknowledgement."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


MESSAGE_SEPARATOR = "-" * 79


def captured_recipients(mail_dir):
    """The recipient of every message written by the file mail backend."""
    recipients = []
    for path in Path(mail_dir).glob("*.log"):
        text = path.read_text(encoding="utf-8", errors="replace")
        recipients += re.findall(r"^To: (.+)$", text, flags=re.MULTILINE)
    return recipients


def wait_for(predicate, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
