#!/usr/bin/env python3
"""The production stack on this machine, without Docker: what docker-compose.yml starts.

gunicorn (production settings) · Celery worker and beat on the machine's Redis · PostgreSQL
(a database of its own) · an SMTP catcher (aiosmtpd, messages kept in a Maildir) · the search
stand-in (noida-db, Elasticsearch API) behind ELASTICSEARCH_URL.

    make stack                      # or: .venv/bin/python .ci/stack.py  (Ctrl-C stops it)

Environment: STACK_DATABASE_URL (postgres://postgres@127.0.0.1:5432/crdla_stack, recreated),
STACK_REDIS (redis://127.0.0.1:6379), STACK_BROKER_DB / STACK_CACHE_DB (7 / 8, flushed),
STACK_PORT (8112, the SMTP catcher on the next port), STACK_DEMO=0 to skip the demo content.
tests/stack/ drives the same class over real HTTP and real SMTP.
"""

import mailbox
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def wait_for(predicate, timeout=60, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(interval)
    return False


class Stack:
    """Start and stop every process of the stack; knows its URLs and the caught mail."""

    def __init__(self, workdir=None, port=None, demo=None):
        self.port = int(port or os.environ.get("STACK_PORT", 8112))
        self.smtp_port = self.port + 1
        self.workdir = Path(workdir or ROOT / "var" / "stack")
        self.maildir = self.workdir / "maildir"
        self.database_url = os.environ.get(
            "STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crdla_stack"
        )
        redis = os.environ.get("STACK_REDIS", "redis://127.0.0.1:6379")
        self.broker_url = f"{redis}/{os.environ.get('STACK_BROKER_DB', '7')}"
        self.cache_url = f"{redis.replace('redis://', 'rediscache://')}/" + os.environ.get(
            "STACK_CACHE_DB", "8"
        )
        self.demo = (os.environ.get("STACK_DEMO", "1") != "0") if demo is None else demo
        self.processes = {}
        self.search = None
        self.url = f"http://127.0.0.1:{self.port}"

    # --- environment ---------------------------------------------------------------------

    def env(self):
        env = dict(os.environ)
        env.pop("CELERY_BROKER_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="crdla.settings.production",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=self.database_url,
            CELERY_BROKER_URL=self.broker_url,
            CELERY_QUEUE="crdla-stack",
            CACHE_URL=self.cache_url,
            ELASTICSEARCH_URL=self.search.url if self.search else "",
            ELASTICSEARCH_INDEX_PREFIX="crdla-stack",
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp_port}",
            WAGTAILADMIN_BASE_URL=self.url,
            SECURE_SSL_REDIRECT="False",
            SECURE_HSTS_SECONDS="0",
            STATIC_ROOT=str(self.workdir / "static"),
            MEDIA_ROOT=str(self.workdir / "media"),
            PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]),
            LOG_LEVEL="WARNING",
        )
        return env

    def manage(self, *args, timeout=900):
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), check=True, timeout=timeout
        )

    def spawn(self, name, *args):
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self.processes[name]

    # --- lifecycle -----------------------------------------------------------------------

    def fresh_state(self):
        import psycopg
        import redis

        shutil.rmtree(self.workdir, ignore_errors=True)
        self.maildir.mkdir(parents=True)
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir()
        url = urlparse(self.database_url)
        name = url.path.lstrip("/")
        admin = self.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        for url in (self.broker_url, self.cache_url.replace("rediscache://", "redis://")):
            redis.Redis.from_url(url).flushdb()

    def start(self):
        self.secret_key = secrets.token_urlsafe(64)
        self.fresh_state()
        sys.path.insert(0, str(ROOT))
        from tests.search.standins import NoidaElasticsearch

        self.search = NoidaElasticsearch()
        reason = self.search.start()
        if reason:
            self.search = None
            print(
                f"Moteur de recherche de remplacement indisponible ({reason}) : recherche en base"
            )
        self.spawn(
            "smtp",
            PYTHON,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{self.smtp_port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(self.maildir),
        )
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        # The worker first: publications of the demo queue indexing tasks.
        self.spawn(
            "worker",
            PYTHON,
            "-m",
            "celery",
            "-A",
            "crdla",
            "worker",
            "-Q",
            "crdla-stack",
            "-c",
            "2",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
        )
        self.spawn(
            "beat",
            PYTHON,
            "-m",
            "celery",
            "-A",
            "crdla",
            "beat",
            "-l",
            "warning",
            "--schedule",
            str(self.workdir / "celerybeat-schedule"),
        )
        if self.demo:
            self.manage("load_initial_data", "--no-users", timeout=1800)
        # Links in e-mails use the default Wagtail site's root URL: this stack's address.
        self.manage(
            "shell",
            "-c",
            "from wagtail.models import Site; "
            f"Site.objects.filter(is_default_site=True).update(hostname='127.0.0.1', port={self.port})",
        )
        self.spawn(
            "web",
            PYTHON,
            "-m",
            "gunicorn",
            "crdla.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--timeout",
            "30",
        )
        if not wait_for(lambda: self.ready()[0] == 200, timeout=90):
            raise RuntimeError(f"la pile ne répond pas sur {self.url}/readyz/ : {self.ready()}")
        return self

    def ready(self):
        try:
            with urllib.request.urlopen(f"{self.url}/readyz/", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except OSError as exc:
            return None, str(exc)

    def stop(self):
        for name in ("web", "beat", "worker", "smtp"):
            process = self.processes.get(name)
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.search:
            self.search.stop()

    # --- mail ------------------------------------------------------------------------------

    def messages(self):
        return list(mailbox.Maildir(self.maildir, factory=None, create=False))


def main():
    stack = Stack()
    try:
        stack.start()
        print(
            f"Pile prête : {stack.url}/ (SMTP 127.0.0.1:{stack.smtp_port}, courriels dans "
            f"{stack.maildir}) ; Ctrl-C pour arrêter."
        )
        print(stack.ready()[1])
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
