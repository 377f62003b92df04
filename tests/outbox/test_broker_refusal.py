"""A row the broker refused never ran: it is due again at once, its attempt is not counted,
and a worker sweeps as soon as it (re)connects to the broker (issue 12, finding 1)."""

import pytest
from django.core import mail
from django.utils import timezone

from crdla.celery import app
from crdla.outbox.models import OutboxStatus
from crdla.outbox.service import SweepOnConnect, enqueue_email, sweep

from .faults import broker_down

pytestmark = pytest.mark.django_db


def refused_email(capture):
    with broker_down(), capture(execute=True):
        message = enqueue_email("cm@example.org", "Vote ouvert", "Votre avis est attendu.")
    message.refresh_from_db()
    return message


def test_refused_row_is_due_at_once_and_its_attempt_not_counted(
    django_capture_on_commit_callbacks,
):
    message = refused_email(django_capture_on_commit_callbacks)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 0
    assert message.next_attempt_at <= timezone.now()
    assert "gestionnaire de tâches (Redis) était injoignable" in message.reason
    assert "dès son retour" in message.reason
    assert not mail.outbox
    assert sweep() == {"due": 1, "dispatched": 1}  # no backoff to wait for
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE and message.attempts == 1
    assert [m.to for m in mail.outbox] == [["cm@example.org"]]


def test_each_worker_connection_sweeps(django_capture_on_commit_callbacks):
    assert SweepOnConnect in app.steps["consumer"]
    message = refused_email(django_capture_on_commit_callbacks)
    step = SweepOnConnect.__new__(SweepOnConnect)
    with broker_down():
        step.start(consumer=None)  # still refused: logged, never raised into the worker
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    step.start(consumer=None)  # connected again (eager here): the sweep runs
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert len(mail.outbox) == 1
