#!/usr/bin/env python3
"""The production stack on this machine, without Docker: what docker-compose.yml starts.

two gunicorn instances (production settings, the same Redis cache) · Celery worker and beat on the machine's Redis · PostgreSQL
(a database of its own) · an SMTP catcher (aiosmtpd, messages kept in a Maildir) · the search
stand-in (noida-db, Elasticsearch API) behind ELASTICSEARCH_URL · media in a private bucket of a
local S3 server (moto), as production keeps them in object storage.

    make stack                      # or: .venv/bin/python .ci/stack.py  (Ctrl-C stops it)

Environment: STACK_DATABASE_URL (postgres://postgres@127.0.0.1:5432/crdla_stack, recreated),
STACK_REDIS (redis://127.0.0.1:6379), STACK_BROKER_DB / STACK_CACHE_DB (7 / 8, flushed),
STACK_PORT (8112: the web; the SMTP catcher, the search stand-in and the fault relays on the
next five ports, the second web instance and the S3 server on the sixth and seventh),
STACK_DEMO=0 to skip the demo content, STACK_S3=0 to keep media on the local disk.

tests/stack/ drives the same class over real HTTP and real SMTP. With ``faults=True`` the
broker, the cache and the search engine are reached through relays (``FaultProxy``) that a
test cuts or hangs, and the SMTP catcher can be restarted to crash mid-batch.
"""

import mailbox
import os
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
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


class FaultProxy:
    """A TCP relay in front of one dependency, to fail it the ways production does.

    ``refuse()``: the service is down (open connections cut, new ones refused);
    ``hang()``: it accepts connections and never answers (open ones stall too);
    ``restore()``: traffic flows again. One thread relays every connection.
    """

    def __init__(self, name, port, target_host, target_port):
        self.name = name
        self.port = port
        self.target = (target_host, target_port)
        self.mode = "pass"
        self.listener = None
        self.peers = {}
        self.held = []
        self.selector = selectors.DefaultSelector()
        self.wake_r, self.wake_w = socket.socketpair()
        self.requested = None
        self.applied = threading.Event()
        self.running = False

    def start(self):
        self._listen()
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        self.running = True
        threading.Thread(target=self._run, name=f"relais-{self.name}", daemon=True).start()
        return self

    def refuse(self):
        self._switch("refuse")

    def hang(self):
        self._switch("hang")

    def restore(self):
        self._switch("pass")

    def stop(self):
        try:
            self._switch("refuse")
        finally:
            self.running = False
            self.wake_w.send(b"x")

    def _switch(self, mode):
        self.applied.clear()
        self.requested = mode
        self.wake_w.send(b"x")
        if not self.applied.wait(5):
            raise RuntimeError(f"relais {self.name} : le mode {mode} n'a pas été appliqué")

    def _listen(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        self.selector.register(listener, selectors.EVENT_READ, "accept")

    def _close(self, sock):
        try:
            self.selector.unregister(sock)
        except (KeyError, ValueError):
            pass
        try:
            sock.close()
        except OSError:
            pass

    def _drop(self, sock):
        peer = self.peers.pop(sock, None)
        self._close(sock)
        if peer is not None:
            self.peers.pop(peer, None)
            self._close(peer)

    def _apply(self, mode):
        if mode in ("refuse", "pass"):
            for sock in self.held:
                self._close(sock)
            self.held = []
        if mode == "refuse":
            for sock in list(self.peers):
                self._drop(sock)
            if self.listener is not None:
                self._close(self.listener)
                self.listener = None
        else:
            if mode == "hang":
                for sock in list(self.peers):
                    self.selector.unregister(sock)
                    self.held.append(sock)
                self.peers = {}
            if self.listener is None:
                self._listen()
        self.mode = mode
        self.applied.set()

    def _accept(self):
        client, _address = self.listener.accept()
        if self.mode == "hang":
            self.held.append(client)
            return
        try:
            upstream = socket.create_connection(self.target, timeout=2)
        except OSError:
            client.close()
            return
        for sock in (client, upstream):
            sock.settimeout(10)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.selector.register(sock, selectors.EVENT_READ, "relay")
        self.peers[client], self.peers[upstream] = upstream, client

    def _relay(self, sock):
        try:
            data = sock.recv(65536)
            if data:
                self.peers[sock].sendall(data)
                return
        except (OSError, KeyError):
            pass
        self._drop(sock)

    def _run(self):
        while self.running:
            for key, _events in self.selector.select(timeout=1):
                try:
                    if key.data == "wake":
                        self.wake_r.recv(64)
                        if self.requested:
                            mode, self.requested = self.requested, None
                            self._apply(mode)
                    elif key.data == "accept" and self.listener is not None:
                        self._accept()
                    elif key.data == "relay" and key.fileobj in self.peers:
                        self._relay(key.fileobj)
                except OSError as exc:  # one connection's trouble never stops the relay
                    print(f"relais {self.name} : {exc!r}", file=sys.stderr)
        for sock in [*self.peers, *self.held]:
            self._close(sock)


class Stack:
    """Start and stop every process of the stack; knows its URLs and the caught mail."""

    def __init__(self, workdir=None, port=None, demo=None, faults=False):
        self.port = int(port or os.environ.get("STACK_PORT", 8112))
        self.smtp_port = self.port + 1
        self.search_port = self.port + 2
        self.web2_port = self.port + 6
        self.s3_port = self.port + 7
        self.s3 = os.environ.get("STACK_S3", "1") != "0"
        self.s3_url = f"http://127.0.0.1:{self.s3_port}"
        self.bucket = "crdla-stack-media"
        self.s3_keys = {"AWS_ACCESS_KEY_ID": "pile", "AWS_SECRET_ACCESS_KEY": "pile-secret"}
        self.faults = faults
        self.proxies = {}
        self.workdir = Path(workdir or ROOT / "var" / "stack")
        self.maildir = self.workdir / "maildir"
        self.database_url = os.environ.get(
            "STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crdla_stack"
        )
        self.redis = os.environ.get("STACK_REDIS", "redis://127.0.0.1:6379")
        self.broker_db = os.environ.get("STACK_BROKER_DB", "7")
        self.cache_db = os.environ.get("STACK_CACHE_DB", "8")
        self.demo = (os.environ.get("STACK_DEMO", "1") != "0") if demo is None else demo
        self.processes = {}
        self.search = None
        self.url = f"http://127.0.0.1:{self.port}"
        # A second web instance: same settings and cache, another process (invalidation
        # across web processes is what the page cache must get right).
        self.url2 = f"http://127.0.0.1:{self.web2_port}"

    # --- environment ---------------------------------------------------------------------

    def _through(self, name, url):
        """``url`` with its host and port replaced by relay ``name``'s, when there is one."""
        proxy = self.proxies.get(name)
        if proxy is None:
            return url
        parsed = urlparse(url)
        return parsed._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()

    @property
    def broker_url(self):
        return self._through("broker", f"{self.redis}/{self.broker_db}")

    @property
    def cache_url(self):
        url = self._through("cache", f"{self.redis}/{self.cache_db}")
        return url.replace("redis://", "rediscache://", 1)

    @property
    def search_url(self):
        return self._through("search", self.search.url) if self.search else ""

    def start_proxies(self):
        redis = urlparse(self.redis)
        targets = {
            "broker": (redis.hostname, redis.port or 6379),
            "cache": (redis.hostname, redis.port or 6379),
        }
        if self.search:
            targets["search"] = ("127.0.0.1", self.search_port)
        for offset, (name, (host, port)) in enumerate(targets.items(), start=3):
            self.proxies[name] = FaultProxy(name, self.port + offset, host, port).start()

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
            ELASTICSEARCH_URL=self.search_url,
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
        for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_DEFAULT_ACL"):
            env.pop(name, None)
        if self.s3:
            env.update(
                AWS_STORAGE_BUCKET_NAME=self.bucket,
                AWS_S3_ENDPOINT_URL=self.s3_url,
                AWS_S3_REGION_NAME="us-east-1",
                **self.s3_keys,
            )
        return env

    def manage(self, *args, timeout=900):
        started = time.monotonic()
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), check=True, timeout=timeout
        )
        print(f"pile : manage.py {args[0]} en {time.monotonic() - started:.0f} s", flush=True)

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
        for db in (self.broker_db, self.cache_db):
            redis.Redis.from_url(f"{self.redis}/{db}").flushdb()

    def start(self):
        started = time.monotonic()
        self.secret_key = secrets.token_urlsafe(64)
        self.fresh_state()
        sys.path.insert(0, str(ROOT))
        from tests.search.standins import NoidaElasticsearch

        self.search = NoidaElasticsearch(port=self.search_port)
        reason = self.search.start()
        if reason:
            self.search = None
            print(
                f"Moteur de recherche de remplacement indisponible ({reason}) : recherche en base"
            )
        if self.faults:
            self.start_proxies()
        self.start_smtp()
        if self.s3:
            self.start_s3()
        # collectstatic needs no database: it runs while the migrations do.
        collectstatic = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "collectstatic.log", "ab"),  # noqa: SIM115
        )
        self.manage("migrate", "--no-input", "-v", "0")
        if collectstatic.wait(600):
            raise RuntimeError(f"collectstatic a échoué : voir {self.workdir}/collectstatic.log")
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
        address = f"127.0.0.1:{self.port}"
        # Links in e-mails use the default Wagtail site's root URL: this stack's address.
        if self.demo:
            self.manage("load_initial_data", "--no-users", "--address", address, timeout=1800)
        else:
            self.manage(
                "shell",
                "-c",
                "from wagtail.models import Site; Site.objects.filter(is_default_site=True)"
                f".update(hostname='127.0.0.1', port={self.port})",
            )
        # Both web instances start together: the migrations ran once, above.
        for name, port in (("web", self.port), ("web2", self.web2_port)):
            self.spawn(
                name,
                PYTHON,
                "-m",
                "gunicorn",
                "crdla.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "30",
            )
        for url in (self.url, self.url2):
            if not wait_for(lambda url=url: self.ready(url)[0] == 200, timeout=90):
                raise RuntimeError(f"la pile ne répond pas sur {url}/readyz/ : {self.ready(url)}")
        print(f"pile : prête en {time.monotonic() - started:.0f} s", flush=True)
        return self

    def start_smtp(self, crash_after=None):
        """(Re)start the SMTP catcher; with ``crash_after`` it dies before the next message."""
        running = self.processes.get("smtp")
        if running is not None and running.poll() is None:
            os.killpg(running.pid, signal.SIGTERM)
            running.wait(10)
        args = [str(self.maildir)] + ([str(crash_after)] if crash_after is not None else [])
        process = self.spawn(
            "smtp",
            PYTHON,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{self.smtp_port}",
            "-c",
            "tests.stack.catcher.Catcher",
            *args,
        )

        def listening():
            with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1) as sock:
                return sock.recv(3) == b"220"

        if not wait_for(listening, timeout=20, interval=0.1):
            raise RuntimeError(f"le collecteur SMTP ne démarre pas (port {self.smtp_port})")
        return process

    def s3_client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            config=Config(connect_timeout=2, read_timeout=30, retries={"total_max_attempts": 1}),
            endpoint_url=self.s3_url,
            region_name="us-east-1",
            aws_access_key_id=self.s3_keys["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.s3_keys["AWS_SECRET_ACCESS_KEY"],
        )

    def start_s3(self):
        """The local S3 server (moto) and the media bucket, private."""
        self.spawn("s3", PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port))
        if not wait_for(lambda: self.s3_client().list_buckets() is not None, 30, 0.2):
            raise RuntimeError(f"le serveur S3 ne démarre pas (port {self.s3_port})")
        self.s3_client().create_bucket(Bucket=self.bucket, ACL="private")

    def shell(self, code, timeout=300):
        """Run ``code`` in ``manage.py shell`` with the stack's settings; returns its output."""
        done = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env(),
            timeout=timeout,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py shell a échoué :\n{done.stderr[-3000:]}")
        return done.stdout

    def ready(self, url=None):
        try:
            with urllib.request.urlopen(f"{url or self.url}/readyz/", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except OSError as exc:
            return None, str(exc)

    def stop(self):
        for name in ("web", "web2", "beat", "worker", "smtp", "s3"):
            process = self.processes.get(name)
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for proxy in self.proxies.values():
            try:
                proxy.stop()
            except RuntimeError as exc:
                print(exc, file=sys.stderr)
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
            f"Pile prête : {stack.url}/ et {stack.url2}/ (SMTP 127.0.0.1:{stack.smtp_port}, courriels dans "
            f"{stack.maildir}, médias dans le compartiment {stack.bucket} de {stack.s3_url}) ; Ctrl-C pour arrêter."
        )
        print(stack.ready()[1])
        # Blocked first (after the children started, which would inherit the mask): without
        # it SIGTERM would end this process at once and leave its children running.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
