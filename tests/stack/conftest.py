"""The whole stack (.ci/stack.py) started once for the session: gunicorn with the production
settings, Celery worker and beat on Redis, PostgreSQL, aiosmtpd, the search stand-in; the
broker, the cache and the search engine behind relays the fault scenarios cut or hang."""

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_stack_module():
    spec = importlib.util.spec_from_file_location("crdla_stack", ROOT / ".ci" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def stack():
    if not os.environ.get("STACK_DATABASE_URL") and not os.environ.get(
        "DATABASE_URL", ""
    ).startswith("postgres"):
        pytest.skip("la pile complète demande PostgreSQL (STACK_DATABASE_URL)")
    module = load_stack_module()
    running = module.Stack(faults=True)
    try:
        running.start()
    except Exception:
        running.stop()
        raise
    yield running
    running.stop()
