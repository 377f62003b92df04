"""``send_once``: each recipient once per event, the caller's message untouched, and the claims
of sendings that failed for good purged like the sent ones."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from crdla.outbox.mail import send_once
from crdla.outbox.models import SentEmail
from crdla.outbox.service import KEEP_SENT, sweep

pytestmark = pytest.mark.django_db


def test_each_recipient_once_and_the_message_left_as_it_came():
    message = EmailMessage(
        "Vote ouvert", "Votre avis est attendu.", to=["a@example.org", "b@example.org"]
    )
    assert send_once("vote:1", message) == 2
    assert message.to == ["a@example.org", "b@example.org"]
    assert send_once("vote:1", message) == 0  # a task that runs twice sends nothing more
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]


def test_a_failed_claim_is_purged_after_the_same_delay_as_a_sent_one(monkeypatch):
    def refused(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refused)
    with pytest.raises(ConnectionRefusedError):
        send_once("vote:2", EmailMessage("Vote ouvert", "…", to=["c@example.org"]))
    claim = SentEmail.objects.get(event="vote:2")
    assert claim.sent_at is None  # kept for the retry, which finds it unsent
    recent = SentEmail.objects.create(event="vote:3", recipient="d@example.org")
    sent = SentEmail.objects.create(
        event="vote:4", recipient="e@example.org", sent_at=timezone.now() - KEEP_SENT / 2
    )
    long_ago = timezone.now() - KEEP_SENT - datetime.timedelta(days=1)
    SentEmail.objects.filter(pk=claim.pk).update(claimed_at=long_ago)
    sweep()
    assert set(SentEmail.objects.values_list("pk", flat=True)) == {recent.pk, sent.pk}
