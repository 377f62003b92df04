"""Alert fan-out with a real Celery worker on the real Redis (skipped when Redis is down).

Every subscriber must get exactly one e-mail: when the worker is SIGKILLed mid-way and
restarted, when a send fails and is retried, and when a call is published twice.
"""

import sqlite3
import time
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from crdla.network.models import AlertDelivery, AlertSubscription, DeliveryStatus
from crdla.network.tasks import fan_out_call

from .factories import CallForTendersPageFactory, add_lot
from .worker import REDIS_URL, RealWorker, captured_recipients, redis_available, wait_for

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not redis_available(), reason="Redis injoignable : worker réel impossible"),
]


@pytest.fixture
def broker():
    """Send tasks to the real Redis on a private queue instead of running them eagerly."""
    from crdla.celery import app

    keys = ("task_always_eager", "broker_url", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    queue = f"crdla-test-{time.time_ns()}"
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    reset_connections(app)
    yield queue
    app.conf.update(saved)
    reset_connections(app)


def reset_connections(app):
    """Forget the cached queues and connection pools so the new broker settings apply."""
    from kombu import pools

    app.amqp.__dict__.pop("queues", None)
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def subscribers(count, flaky=0):
    now = timezone.now()
    AlertSubscription.objects.bulk_create(
        [
            AlertSubscription(
                email=f"prestataire{n}{'+flaky' if n < flaky else ''}@example.org",
                consent_text="J'accepte…",
                consent_at=now,
                confirmed_at=now,
            )
            for n in range(count)
        ]
    )


def publish(calls_index, culture_sector):
    call = CallForTendersPageFactory(parent=calls_index, sector=culture_sector)
    add_lot(call)
    call.save_revision().publish()
    return call


class WriteLock:
    """Hold the database's write lock from outside Django, so the worker blocks on its
    next claim: killing it then happens at a known point, mid-batch."""

    def __init__(self):
        self.handle = None

    def __enter__(self):
        db = connection.settings_dict
        if db["ENGINE"].endswith("sqlite3"):
            self.handle = sqlite3.connect(db["NAME"], isolation_level=None, timeout=30)
            self.handle.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            self.handle = psycopg.connect(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                user=db["USER"],
                password=db["PASSWORD"] or None,
                dbname=db["NAME"],
            )
            self.handle.execute("LOCK TABLE network_alertdelivery IN EXCLUSIVE MODE")
        return self

    def wait_until_workers_blocked(self, mail_dir, processes):
        """Wait until every pool process is blocked on the lock (nothing is in flight).

        PostgreSQL shows the waiting statements; SQLite does not, so there the e-mail count
        must stay still for a while (a process between its claim and its send would add one).
        """
        if isinstance(self.handle, sqlite3.Connection):
            previous, stable_since = -1, time.monotonic()
            while time.monotonic() - stable_since < 3:
                count = len(captured_recipients(mail_dir))
                if count != previous:
                    previous, stable_since = count, time.monotonic()
                time.sleep(0.2)
            return True
        db = connection.settings_dict

        def blocked():
            import psycopg

            with psycopg.connect(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                user=db["USER"],
                password=db["PASSWORD"] or None,
                dbname=db["NAME"],
                autocommit=True,
            ) as probe:
                return probe.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE '%%network_alertdelivery%%'"
                ).fetchone()[0]

        return wait_for(lambda: blocked() >= processes, timeout=30)

    def __exit__(self, *exc):
        self.handle.rollback() if hasattr(self.handle, "rollback") else None
        self.handle.close()


def assert_exactly_once(mail_dir, count):
    recipients = captured_recipients(mail_dir)
    duplicates = {r: n for r, n in Counter(recipients).items() if n > 1}
    assert duplicates == {}
    assert len(recipients) == count
    assert len(set(recipients)) == count


def test_worker_killed_mid_way_then_restarted(tmp_path, broker, calls_index, culture_sector):
    subscribers(1000)
    first = RealWorker(tmp_path, queue=broker).start()
    try:
        call = publish(calls_index, culture_sector)
        assert wait_for(lambda: len(captured_recipients(tmp_path)) >= 300, timeout=90)
        with WriteLock() as lock:
            assert lock.wait_until_workers_blocked(tmp_path, processes=first.concurrency)
            first.kill()
        sent_before_kill = len(captured_recipients(tmp_path))
    finally:
        first.stop()
    assert 300 <= sent_before_kill < 1000

    second = RealWorker(tmp_path, queue=broker).start()
    try:
        assert wait_for(lambda: len(captured_recipients(tmp_path)) >= 1000, timeout=120)
        time.sleep(2)  # anything extra would show up now
    finally:
        second.stop()
    assert_exactly_once(tmp_path, 1000)
    deliveries = AlertDelivery.objects.filter(call=call)
    assert deliveries.count() == 1000
    # Rows sent just before the kill may be left "sending" (sent, not yet marked): never resent.
    assert (
        deliveries.exclude(status=DeliveryStatus.SENT)
        .exclude(status=DeliveryStatus.SENDING)
        .count()
        == 0
    )
    assert deliveries.filter(status=DeliveryStatus.SENDING).count() <= 2


def test_failed_sends_are_retried_once_each(tmp_path, broker, calls_index, culture_sector):
    subscribers(120, flaky=10)
    worker = RealWorker(
        tmp_path,
        queue=broker,
        TEST_EMAIL_BACKEND="tests.network.mail_backends.FlakyFileBackend",
    ).start()
    try:
        call = publish(calls_index, culture_sector)
        assert wait_for(lambda: len(captured_recipients(tmp_path)) >= 120, timeout=90)
        time.sleep(2)
    finally:
        worker.stop()
    assert_exactly_once(tmp_path, 120)
    flaky = AlertDelivery.objects.filter(call=call, email__contains="+flaky")
    assert flaky.count() == 10
    assert set(flaky.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 2)}
    assert set(
        AlertDelivery.objects.filter(call=call)
        .exclude(email__contains="+flaky")
        .values_list("attempts", flat=True)
    ) == {1}


def test_double_publish_and_duplicate_task_never_send_twice(
    tmp_path, broker, calls_index, culture_sector
):
    subscribers(200)
    worker = RealWorker(tmp_path, queue=broker).start()
    try:
        call = publish(calls_index, culture_sector)
        call.save_revision().publish()  # a double click on "Publier"
        fan_out_call.delay(call.pk, 0)  # and a duplicated task
        assert wait_for(lambda: len(captured_recipients(tmp_path)) >= 200, timeout=90)
        time.sleep(3)
    finally:
        worker.stop()
    assert_exactly_once(tmp_path, 200)
    assert AlertDelivery.objects.filter(call=call).count() == 200
