"""Migration workflows 0002: the programme e-mails already sent (``NotificationLog``) are
copied into the outbox's ``SentEmail`` under the keys ``send_once`` uses, so that upgrading a
deployment does not send them again."""

import pytest
from django.utils import timezone

from crdla.outbox.models import SentEmail
from tests.migrations import latest, migrate

BEFORE = [("workflows", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_sent_notifications_are_kept_as_sent_emails():
    NotificationLog = migrate(BEFORE).get_model("workflows", "NotificationLog")
    now = timezone.now()
    NotificationLog.objects.create(
        task_id=7, kind="opened", recipients="Expert@Example.org", sent_at=now
    )
    NotificationLog.objects.create(
        task_id=7, kind="decided:3", recipients="m@example.org", sent_at=now
    )
    NotificationLog.objects.create(
        task_id=8, kind="reminder", recipients="x@example.org"
    )  # not sent

    migrate(latest())

    assert set(SentEmail.objects.values_list("event", "recipient")) == {
        ("workflows:opened:7", "expert@example.org"),
        ("workflows:decided:7", "m@example.org"),
    }
    assert not SentEmail.objects.filter(sent_at=None).exists()
