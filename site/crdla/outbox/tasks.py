"""The outbox's own tasks: the sweep (Celery beat every minute, and each time a worker
connects to the broker) and the plain notification e-mail."""

from celery import shared_task


@shared_task(ignore_result=True)
def sweep_outbox():
    """Dispatch again the side effects the broker, mail server or search engine refused."""
    from .service import sweep

    return sweep()


@shared_task(acks_late=True, ignore_result=True)
def send_email(to, subject, text, html=None, event=None):
    """One notification e-mail (text and HTML parts, crdla.core.emails) queued through the
    outbox, sent once per (event, recipient); a mail server that refuses it fails the task and
    the outbox sweep retries it."""
    from crdla.core import emails

    from .mail import new_event, send_once

    message = emails.build_message(subject, text, [to], html=html)
    return send_once(event or new_event("email"), message)
