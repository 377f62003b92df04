"""Test databases cloned from a migrated template instead of migrated one by one.

Running the 240-odd migrations (Wagtail's, viewflow's and ours) takes about a minute; every
pytest process used to pay it, and with xdist every worker: ``make test`` starts five such
processes and ``.ci/run`` ten. Now the first process that needs a test database migrates it and
keeps a copy as a template; the others (xdist workers, the real-worker runs, schemathesis, a
later ``make test``) clone the template in a second.

The template's name holds a hash of everything that can change what the migrations produce:
the project's code and fixtures (the migrations, and the ``post_migrate`` handlers that create
groups and permissions) and the installed packages' versions. Change any of them and the next
run migrates again. SQLite templates are files in ``var/``; PostgreSQL templates are databases
named ``crdla_tpl_<hash>`` (``CREATE DATABASE … TEMPLATE``). Older templates are removed when a
new one is made.

Only the ``migrate`` call of Django's ``create_test_db`` is replaced: the test database's name,
its serialization for ``serialized_rollback`` and its teardown stay Django's and pytest-django's.
Set ``CRDLA_TEST_TEMPLATE=0`` to migrate every test database as before.
"""

import fcntl
import hashlib
import os
import sqlite3
import sys
import tempfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HASHED = ("site", "workflows", "search", "fixtures")
HASHED_SUFFIXES = {".py", ".json", ".csv", ".yaml", ".yml", ".txt"}


def enabled():
    return os.environ.get("CRDLA_TEST_TEMPLATE", "1") != "0"


def install():
    """Route the ``migrate`` of ``create_test_db`` through the template (pytest_configure)."""
    from django.core import management

    if getattr(management.call_command, "template_db", False):
        return
    original = management.call_command

    def call_command(command_name, *args, **options):
        caller = sys._getframe(1).f_code.co_name
        if command_name == "migrate" and caller == "create_test_db":
            from django.db import connections

            return migrate_from_template(
                connections[options.get("database", "default")],
                lambda: original(command_name, *args, **options),
            )
        return original(command_name, *args, **options)

    call_command.template_db = True
    management.call_command = call_command


def fingerprint(vendor):
    digest = hashlib.sha256(vendor.encode())
    for top in HASHED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in HASHED_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    packages = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()})
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:12]


@contextmanager
def locked(name):
    """One process at a time makes or clones a template (xdist workers start together)."""
    path = Path(tempfile.gettempdir()) / f"crdla-test-template-{name}.lock"
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def migrate_from_template(connection, migrate):
    vendor = connection.vendor
    if not enabled() or vendor not in {"sqlite", "postgresql"}:
        return migrate()
    key = fingerprint(vendor)
    if vendor == "sqlite":
        engine, lock = SqliteTemplate(connection, key), hashlib.sha256(bytes(ROOT)).hexdigest()[:12]
    else:  # the PostgreSQL server is the machine's: one lock for every checkout
        engine, lock = PostgresTemplate(connection, key), "postgresql"
    with locked(lock):
        if engine.exists():
            engine.restore()
            return None
        migrate()
        engine.save()
        engine.remove_older()
    return None


class SqliteTemplate:
    def __init__(self, connection, key):
        self.connection = connection
        self.directory = ROOT / "var"
        self.path = self.directory / f"test-template-{key}.sqlite3"

    def exists(self):
        return self.path.exists()

    def restore(self):
        self.connection.ensure_connection()
        source = sqlite3.connect(self.path)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()

    def save(self):
        self.directory.mkdir(exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        try:
            self.connection.ensure_connection()
            self.connection.connection.backup(target)
        finally:
            target.close()
        os.replace(partial, self.path)

    def remove_older(self):
        for path in self.directory.glob("test-template-*.sqlite3"):
            if path != self.path:
                path.unlink(missing_ok=True)


class PostgresTemplate:
    PREFIX = "crdla_tpl_"

    def __init__(self, connection, key):
        self.connection = connection
        self.name = f"{self.PREFIX}{key}"

    def run(self, sql, params=None):
        with self.connection.creation._nodb_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def exists(self):
        return bool(self.run("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]))

    def restore(self):
        """Replace the empty test database Django just created by a clone of the template."""
        quote = self.connection.ops.quote_name
        test_name = self.connection.settings_dict["NAME"]
        self.connection.close()
        self.run(f"DROP DATABASE {quote(test_name)}")
        self.run(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(self.name)}")

    def save(self):
        quote = self.connection.ops.quote_name
        test_name = self.connection.settings_dict["NAME"]
        self.connection.close()
        self.run(f"CREATE DATABASE {quote(self.name)} TEMPLATE {quote(test_name)}")

    def remove_older(self):
        quote = self.connection.ops.quote_name
        older = self.run(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [f"{self.PREFIX}%", self.name],
        )
        for (name,) in older:
            try:
                self.run(f"DROP DATABASE {quote(name)}")
            except Exception:  # noqa: BLE001 - another machine's run may be cloning it
                continue
