"""A real Celery worker on the real Redis broker indexes what a publish sends after commit."""

import os
import threading
import time

import pytest

from search.models import KnowledgeEntry
from tests.factories import ResourcePageFactory

BROKER = os.environ.get("SEARCH_TEST_BROKER_URL", "redis://127.0.0.1:6379/11")


def redis_available():
    import redis

    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def worker(settings):
    if not redis_available():
        pytest.skip(f"Redis injoignable ({BROKER}) : test du vrai worker Celery ignoré")
    from celery.contrib.testing.worker import start_worker

    from crdla.celery import app

    previous = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=BROKER, task_always_eager=False, result_backend=None)
    reset_connection_pools(app)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.connection_for_write().default_channel.client.flushdb()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(previous)
        reset_connection_pools(app)


def reset_connection_pools(app):
    """Forget pooled connections made with an earlier broker URL (another test, same process)."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def task_threads():
    """Names of the threads that ran our task: the worker's, not the test's."""
    from celery.signals import task_prerun

    names = []

    def record(sender=None, **kwargs):
        if sender and sender.name == "search.tasks.sync_knowledge_entry":
            names.append(threading.current_thread().name)

    task_prerun.connect(record, weak=False)
    yield names
    task_prerun.disconnect(record)


@pytest.mark.celery_worker  # on SQLite the test database becomes a file the worker shares
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publish_is_indexed_by_a_real_worker(worker, task_threads, culture_index):
    page = ResourcePageFactory(parent=culture_index, title="Fonds de roulement", live=False)
    page.save_revision().publish()  # autocommit: the task is sent on commit
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if KnowledgeEntry.objects.filter(page_id=page.pk).exists():
            break
        time.sleep(0.2)
    assert KnowledgeEntry.objects.get(page_id=page.pk).title == "Fonds de roulement"
    page.refresh_from_db()
    page.unpublish()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and KnowledgeEntry.objects.filter(page_id=page.pk).exists():
        time.sleep(0.2)
    assert not KnowledgeEntry.objects.filter(page_id=page.pk).exists()
    assert task_threads and threading.current_thread().name not in task_threads
