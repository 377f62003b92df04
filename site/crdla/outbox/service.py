"""The transactional outbox, in one module: enqueue, dispatch, record the outcome, sweep.

``enqueue(task, *args)`` writes an ``OutboxMessage`` in the current transaction and, once it
commits, hands the task to Celery (``dispatch``). Nothing here ever raises into the request
that caused it: a broker that refuses the message, or (embedded mode, eager Celery) a task
that fails because the mail server or the search engine is down, leaves the row « failed »
with a readable French reason, and ``sweep`` (Celery beat every minute, at worker start, and
after a request at most once a minute in the embedded mode) dispatches it again with a
growing delay, up to ``MAX_ATTEMPTS``, then flags it « à traiter » in the admin. A row the
broker refused never ran: it is due again at once and its attempt is not counted, and every
worker sweeps each time it (re)connects to the broker, so that what was refused during a
broker outage goes out as soon as the broker is back, not at the next beat tick.

The worker reports back through Celery's signals: the outbox id travels in a message header
(kept across the task's own retries), so a task that finally fails is retried by the sweep
and a task that succeeds marks its row done. Tasks must be idempotent: a row whose worker
never reported back (a lost message) is dispatched again after ``STALE_AFTER``.
"""

import datetime
import logging
import smtplib
import socket
import threading
import time
from functools import partial

from celery import bootsteps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OutboxMessage, OutboxStatus, SentEmail

logger = logging.getLogger(__name__)

HEADER = "crdla_outbox_id"
MAX_ATTEMPTS = getattr(settings, "CRDLA_OUTBOX_MAX_ATTEMPTS", 8)
# First retry after a minute, doubling up to an hour: 1+2+4+…+60 min ≈ 2 h before a person.
BACKOFF_BASE = datetime.timedelta(seconds=getattr(settings, "CRDLA_OUTBOX_BACKOFF_SECONDS", 60))
BACKOFF_MAX = datetime.timedelta(hours=1)
# The dispatch after the commit normally takes the row; the sweep leaves it that long.
GRACE = datetime.timedelta(seconds=30)
STALE_AFTER = datetime.timedelta(seconds=getattr(settings, "CRDLA_OUTBOX_STALE_SECONDS", 3600))
KEEP_DONE = datetime.timedelta(days=7)
KEEP_SENT = datetime.timedelta(days=30)


def enqueue(task, *args, description=""):
    """Record ``task(*args)`` in the current transaction; dispatch it after the commit."""
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(
        task=name,
        args=list(args),
        description=str(description)[:255],
        next_attempt_at=timezone.now() + GRACE,
    )
    transaction.on_commit(partial(dispatch, message.pk), robust=True)
    return message


def enqueue_email(to, subject, text, html=None, event=None):
    """One e-mail to ``to`` (rendered now, as of the event), sent by a worker after the
    commit, once per (``event``, ``to``); one row per recipient, so a refusal delays that
    e-mail alone. Without an ``event`` the e-mail is an event of its own."""
    from crdla.core.emails import plain_subject

    from .mail import new_event

    subject = plain_subject(subject)
    return enqueue(
        "crdla.outbox.tasks.send_email",
        to,
        subject,
        str(text),
        html,
        event or new_event("email"),
        description=_("Courriel « %(subject)s » à %(to)s") % {"subject": subject, "to": to},
    )


def dispatch(message_id):
    """Hand one row to Celery (in the embedded mode: run it). Never raises.

    The row is claimed first (pending/failed → dispatched), so the dispatch after the commit
    and a sweep never send it twice.
    """
    now = timezone.now()
    try:
        claimed = OutboxMessage.objects.filter(
            pk=message_id, status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
        ).update(status=OutboxStatus.DISPATCHED, attempts=F("attempts") + 1, dispatched_at=now)
        if not claimed:
            return False
        message = OutboxMessage.objects.get(pk=message_id)
        task = _celery_task(message.task)
        task.apply_async(args=message.args, headers={HEADER: message.pk}, retry=False)
    except Exception as exc:  # broker down, or (eager) the task itself failed
        logger.warning("Outbox %s non confiée : %r", message_id, exc)
        try:
            record_failure(message_id, exc, broker=not _eager())
        except Exception:  # the database itself is gone: the sweep will find the row
            logger.exception("Outbox %s : échec non enregistré", message_id)
        return False
    return True


def _eager():
    from crdla.celery import app

    return bool(app.conf.task_always_eager)


def _celery_task(name):
    from crdla.celery import app

    try:
        return app.tasks[name]
    except KeyError:
        # Not registered yet (autodiscovery is lazy). Importing the task modules is costly —
        # Celery's Django fix-up runs every system check — so only when the name is unknown.
        app.loader.import_default_modules()
        return app.tasks[name]


def backoff(attempts):
    return min(BACKOFF_MAX, BACKOFF_BASE * 2 ** max(0, attempts - 1))


def record_failure(message_id, exc, broker=False):
    """A dispatched row failed: schedule the next attempt, or flag it after the last one."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None or message.status != OutboxStatus.DISPATCHED:
        return
    if broker:
        # The task never ran: nothing to back off from. The next sweep can only run once the
        # broker carries it again (at a worker's reconnection, or beat's next tick).
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.DISPATCHED).update(
            status=OutboxStatus.FAILED,
            attempts=F("attempts") - 1,
            reason=_("%(cause)s Nouvel essai dès son retour.") % {"cause": broker_reason()},
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now(),
        )
        return
    cause = readable_reason(exc)
    if message.attempts >= MAX_ATTEMPTS:
        status = OutboxStatus.ABANDONED
        reason = _(
            "%(cause)s Abandonnée après %(attempts)s tentatives : relancez-la depuis cette "
            "page une fois le service rétabli."
        ) % {"cause": cause, "attempts": message.attempts}
    else:
        status = OutboxStatus.FAILED
        reason = _("%(cause)s Nouvel essai automatique prévu.") % {"cause": cause}
    OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.DISPATCHED).update(
        status=status,
        reason=reason,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        next_attempt_at=timezone.now() + backoff(message.attempts),
    )


def broker_reason():
    return _("Le gestionnaire de tâches (Redis) était injoignable.")


def readable_reason(exc):
    """A French sentence for the admin, from the exception a task or a dispatch raised."""
    from celery.exceptions import Retry

    if isinstance(exc, Retry) and isinstance(exc.exc, BaseException):
        exc = exc.exc  # eager mode: the task asked for a retry of its own
    for klass in type(exc).__mro__:
        module = klass.__module__ or ""
        if module.startswith(
            ("kombu", "redis", "amqp", "celery.exceptions")
        ) and klass.__name__ in (
            "OperationalError",
            "ConnectionError",
            "TimeoutError",
        ):
            return broker_reason()
        if klass.__name__ == "SearchUnavailable" or module.startswith("elastic"):
            return _("Le moteur de recherche était indisponible.")
        if issubclass(klass, smtplib.SMTPRecipientsRefused):
            return _("Le serveur de courriel a refusé le destinataire.")
        if issubclass(klass, smtplib.SMTPException):
            return _("Le serveur de courriel a refusé ou interrompu l'envoi.")
        if issubclass(klass, (socket.timeout, TimeoutError)):
            return _("Un service extérieur (courriel ou recherche) n'a pas répondu à temps.")
        if issubclass(klass, ConnectionError):
            return _("Un service extérieur (courriel ou recherche) était injoignable.")
    return _("Erreur inattendue (%(kind)s) : voir les journaux du worker.") % {
        "kind": type(exc).__name__
    }


def record_success(message_id):
    OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxStatus.DONE).update(
        status=OutboxStatus.DONE, done_at=timezone.now(), reason=""
    )


def sweep(limit=500):
    """Dispatch again what is due (pending, failed, or dispatched and never reported back)."""
    now = timezone.now()
    OutboxMessage.objects.filter(
        status=OutboxStatus.DISPATCHED, dispatched_at__lt=now - STALE_AFTER
    ).update(
        status=OutboxStatus.FAILED,
        reason=_("Le worker n'a pas rendu compte de la tâche : nouvel essai."),
        next_attempt_at=now,
    )
    due = list(
        OutboxMessage.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    dispatched = sum(1 for pk in due if dispatch(pk))
    OutboxMessage.objects.filter(status=OutboxStatus.DONE, done_at__lt=now - KEEP_DONE).delete()
    SentEmail.objects.filter(
        Q(sent_at__lt=now - KEEP_SENT) | Q(sent_at=None, claimed_at__lt=now - KEEP_SENT)
    ).delete()
    return {"due": len(due), "dispatched": dispatched}


def retry_now(queryset):
    """The admin's « relancer »: failed or abandoned rows get a fresh set of attempts."""
    ids = list(
        queryset.filter(
            Q(status__in=[OutboxStatus.FAILED, OutboxStatus.ABANDONED])
            | Q(status=OutboxStatus.PENDING)
        ).values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    return sum(1 for pk in ids if dispatch(pk))


# --- the embedded mode: no beat, so a request sweeps at most once a minute -----------------

_last_sweep = 0.0
_sweep_lock = threading.Lock()


def sweep_after_request(sender=None, **kwargs):
    global _last_sweep
    interval = getattr(settings, "CRDLA_OUTBOX_REQUEST_SWEEP_SECONDS", 60)
    if time.monotonic() - _last_sweep < interval or not _sweep_lock.acquire(blocking=False):
        return
    try:
        _last_sweep = time.monotonic()
        sweep(limit=50)
    except Exception:
        logger.exception("Balayage des tâches de fond impossible")
    finally:
        _sweep_lock.release()


# --- Celery signals: the worker reports back ---------------------------------------------


def _message_id(task):
    request = getattr(task, "request", None)
    headers = getattr(request, "headers", None) or {}
    return headers.get(HEADER) or getattr(request, HEADER, None)


def on_task_success(sender=None, **kwargs):
    message_id = _message_id(sender)
    if message_id:
        try:
            record_success(message_id)
        except Exception:
            logger.exception("Outbox %s : succès non enregistré", message_id)


def on_task_failure(sender=None, exception=None, **kwargs):
    message_id = _message_id(sender)
    if message_id:
        try:
            record_failure(message_id, exception)
        except Exception:
            logger.exception("Outbox %s : échec non enregistré", message_id)


def on_task_retry(sender=None, request=None, **kwargs):
    """The task retries itself (its own backoff): not lost, keep the row fresh."""
    headers = getattr(request, "headers", None) or {}
    message_id = headers.get(HEADER) or getattr(request, HEADER, None)
    if message_id:
        try:
            OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.DISPATCHED).update(
                dispatched_at=timezone.now()
            )
        except Exception:
            logger.exception("Outbox %s : nouvel essai non enregistré", message_id)


class SweepOnConnect(bootsteps.StartStopStep):
    """A consumer step of every worker: sweep the outbox each time the worker connects to
    the broker (at start, and after it lost the broker and found it again)."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, consumer):
        from .tasks import sweep_outbox

        try:
            sweep_outbox.apply_async(retry=False)
        except Exception:
            logger.exception("Balayage des tâches de fond non envoyé à la connexion du worker")


def connect_signals():
    from celery import signals
    from django.core.signals import request_finished

    signals.task_success.connect(on_task_success, dispatch_uid="crdla-outbox-success")
    signals.task_failure.connect(on_task_failure, dispatch_uid="crdla-outbox-failure")
    signals.task_retry.connect(on_task_retry, dispatch_uid="crdla-outbox-retry")
    from crdla.celery import app

    app.steps["consumer"].add(SweepOnConnect)
    if getattr(settings, "CRDLA_OUTBOX_SWEEP_ON_REQUEST", False):
        request_finished.connect(sweep_after_request, dispatch_uid="crdla-outbox-request-sweep")
