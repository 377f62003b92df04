"""Where every notification e-mail is handed to the mail server, once per (event, recipient).

Messages are built by ``crdla.core.emails`` (plain-text subject, text and HTML parts,
absolute links) and sent by Celery tasks queued through the outbox (``enqueue_email`` for an
e-mail rendered as of the event, or a task of its own that renders at send time when the
e-mail carries a short-lived link that must not sit in the outbox's table, such as the
password reset). ``send_once`` claims a ``SentEmail`` row under a row lock before sending, so
a task that runs twice sends nothing the second time. The alert fan-out keeps its own
exactly-once claim (``crdla.network.alerts``) and its batch connection.
"""

import uuid

from django.db import transaction
from django.utils import timezone

from .models import SentEmail


def new_event(prefix):
    """A fresh event key, for an e-mail each request of which is a new event."""
    return f"{prefix}:{uuid.uuid4().hex}"


def send_once(event, message):
    """Send ``message`` to each recipient not yet sent ``event``; returns how many were sent."""
    sent = 0
    recipients = list(message.to)
    try:
        for recipient in recipients:
            sent += _send_to(event, message, recipient)
    finally:
        message.to = recipients  # the caller's message is left as it came
    return sent


def _send_to(event, message, recipient):
    """Send ``message`` to ``recipient`` alone unless ``event`` already reached them: 1 or 0."""
    log, _created = SentEmail.objects.get_or_create(
        event=event[:200], recipient=recipient.lower()[:254]
    )
    with transaction.atomic():
        log = SentEmail.objects.select_for_update().get(pk=log.pk)
        if log.sent_at is not None:
            return 0
        message.to = [recipient]
        message.send()
        log.sent_at = timezone.now()
        log.save(update_fields=["sent_at"])
    return 1
