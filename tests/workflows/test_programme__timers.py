"""Reminders before the review deadline: fired by fire_due_timers (the Celery beat task), once
per deadline, only to reviewers who have not answered, and the review stays open."""

import datetime
from unittest import mock

from django.core import mail
from django.utils import timezone
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from crdla.outbox.models import SentEmail
from workflows.tasks import fire_workflow_timers


def reminders():
    return [m for m in mail.outbox if m.subject.startswith("Rappel")]


def at(days):
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() + datetime.timedelta(days=days),
    )


def test_reminders_fire_once_before_the_deadline(
    submitted_programme, pilotage, committee, django_capture_on_commit_callbacks
):
    process = pilotage.process(submitted_programme)
    assert process.review_deadline > timezone.now() + datetime.timedelta(days=20)
    # the CDC answers early: no reminder for them
    pilotage.do(
        committee["cdc"],
        submitted_programme,
        "review_cdc",
        {"opinion": "favourable", "comment": "Ok."},
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert fire_due_timers() == 0
    assert reminders() == []

    with at(19), django_capture_on_commit_callbacks(execute=True):
        assert fire_workflow_timers.delay().get() == 4
    sent = reminders()
    assert sorted(m.to[0] for m in sent) == sorted(
        committee[i].email for i in ("porteuse", "dgefp", "ministere", "avise")
    )
    assert "Date limite des avis" in sent[0].body
    assert "/pilotage/" in sent[0].body

    # a second sweep (or a retried beat) sends nothing more
    with at(20), django_capture_on_commit_callbacks(execute=True):
        assert fire_due_timers() == 0
    assert len(reminders()) == 4
    assert SentEmail.objects.filter(event__startswith="workflows:reminder:").count() == 4

    # the non-interrupting reminder left the reviews open and the process running
    for institution in ("porteuse", "dgefp", "ministere", "avise"):
        task = pilotage.open_task(submitted_programme, f"review_{institution}")
        assert task.status == STATUS.ASSIGNED
    process.refresh_from_db()
    assert process.status == "NEW"


def test_a_new_round_gets_its_own_reminders(
    submitted_programme,
    pilotage,
    committee,
    chair,
    culture_editor,
    django_capture_on_commit_callbacks,
):
    pilotage.review_all(committee, submitted_programme, opinion="reserved")
    pilotage.decide(chair, submitted_programme, "revise")
    # answered reviews left no pending timer behind
    with at(30), django_capture_on_commit_callbacks(execute=True):
        assert fire_due_timers() == 0
    pilotage.submit(culture_editor, submitted_programme)
    mail.outbox.clear()
    with at(19), django_capture_on_commit_callbacks(execute=True):
        assert fire_due_timers() == 5
    assert len(reminders()) == 5


def test_report_reminder_goes_to_the_centre_before_the_due_date(
    submitted_programme,
    pilotage,
    committee,
    chair,
    culture_editor,
    django_capture_on_commit_callbacks,
):
    pilotage.review_all(committee, submitted_programme)
    pilotage.decide(chair, submitted_programme, "approve")
    mail.outbox.clear()
    tz = timezone.get_current_timezone()
    before = datetime.datetime(2026, 7, 1, 12, tzinfo=tz)
    with mock.patch("django.utils.timezone.now", return_value=before):
        with django_capture_on_commit_callbacks(execute=True):
            assert fire_due_timers() == 0
    # due 15 July: the reminder fires from 12 July
    after = datetime.datetime(2026, 7, 13, 12, tzinfo=tz)
    with mock.patch("django.utils.timezone.now", return_value=after):
        with django_capture_on_commit_callbacks(execute=True):
            assert fire_due_timers() == 1
            assert fire_due_timers() == 0
    assert [m.to[0] for m in reminders()] == [culture_editor.email]
    assert "Bilan à mi-parcours" in reminders()[0].subject
