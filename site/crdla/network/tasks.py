"""Celery tasks of the regional networks: alert fan-out and the scheduled housekeeping."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH_SIZE = getattr(settings, "CRDLA_ALERT_BATCH_SIZE", 200)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def fan_out_call(self, call_id, round_number):
    """Record the deliveries of one round of a call and queue them in batches (idempotent)."""
    from .alerts import plan_deliveries, should_notify
    from .models import CallForTendersPage

    call = CallForTendersPage.objects.filter(pk=call_id).first()
    if call is None or not should_notify(call):
        return 0
    pending = plan_deliveries(call, round_number)
    for start in range(0, len(pending), BATCH_SIZE):
        send_alert_batch.delay(pending[start : start + BATCH_SIZE])
    return len(pending)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def send_alert_batch(self, delivery_ids):
    """Send a batch of alerts on one connection; failed ones are retried with backoff."""
    from .alerts import send_deliveries
    from .models import AlertDelivery, DeliveryStatus

    sent, failed = send_deliveries(delivery_ids)
    if failed:
        retry_ids = list(
            AlertDelivery.objects.filter(
                pk__in=delivery_ids, status=DeliveryStatus.FAILED
            ).values_list("pk", flat=True)
        )
        if retry_ids:
            countdown = min(
                600, getattr(settings, "CRDLA_ALERT_RETRY_BASE", 30) * 2**self.request.retries
            )
            raise self.retry(args=[retry_ids], countdown=countdown)
    return sent


# A failed delivery whose batch task gave up (or never ran) is queued again by the sweep
# after this delay; the claim keeps it exactly-once if the batch task retries it too.
FAILED_RETRY_AFTER = datetime.timedelta(minutes=5)


@shared_task
def requeue_pending_deliveries():
    """Safety net: queue again the deliveries still pending after 5 minutes and the failed
    ones last tried 5 minutes ago or more; report crashes."""
    from django.db.models import Q

    from .alerts import mark_interrupted
    from .models import AlertDelivery, DeliveryStatus

    mark_interrupted()
    now = timezone.now()
    stale = list(
        AlertDelivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, created_at__lt=now - datetime.timedelta(minutes=5))
            | Q(status=DeliveryStatus.FAILED, claimed_at__isnull=True)
            | Q(status=DeliveryStatus.FAILED, claimed_at__lt=now - FAILED_RETRY_AFTER),
            subscription__isnull=False,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:10_000]
    )
    for start in range(0, len(stale), BATCH_SIZE):
        send_alert_batch.delay(stale[start : start + BATCH_SIZE])
    return len(stale)


@shared_task(acks_late=True)
def send_subscription_confirmation(subscription_id, event=None):
    """The double opt-in e-mail (or, to a confirmed address, its preferences link).

    Queued through the outbox: with the mail server down it fails, and the outbox sweep
    retries it with a growing delay (no retry of its own, which would hold a request in the
    embedded mode)."""
    from .models import AlertSubscription
    from .subscriptions import send_confirmation_request

    subscription = AlertSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return 0
    return send_confirmation_request(subscription, event)


@shared_task(acks_late=True)
def send_reconsent(subscription_id, event):
    """The « do you still want the alerts? » e-mail, queued through the outbox by
    ``renew_consents``; rendered at send time (its signed links stay out of the outbox)."""
    from .models import AlertSubscription
    from .subscriptions import send_reconsent_request

    subscription = AlertSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.reconsent_requested_at is None:
        return 0
    return send_reconsent_request(subscription, event)


@shared_task
def close_expired_calls():
    """Close the open calls whose reply deadline has passed (a new published revision)."""
    from .models import CallForTendersPage, CallStatus

    closed = 0
    for call in CallForTendersPage.objects.live().filter(
        status=CallStatus.OPEN, deadline__lte=timezone.now()
    ):
        with transaction.atomic():
            call.status = CallStatus.CLOSED
            call.save_revision(log_action=True).publish()
        closed += 1
    return closed


@shared_task
def purge_unconfirmed_subscriptions():
    """Delete the subscriptions not confirmed within 7 days."""
    from .models import AlertSubscription

    limit = timezone.now() - datetime.timedelta(days=7)
    deleted, _ = AlertSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=limit
    ).delete()
    return deleted


RECONSENT_AFTER = datetime.timedelta(days=3 * 365)
RECONSENT_GRACE = datetime.timedelta(days=30)


@shared_task
def renew_consents():
    """Ask subscribers inactive for 3 years to re-consent; delete those who did not in 30 days."""
    from django.utils.translation import gettext as _

    from crdla.outbox.service import enqueue

    from .models import AlertSubscription

    now = timezone.now()
    deleted, _by_model = AlertSubscription.objects.filter(
        reconsent_requested_at__lt=now - RECONSENT_GRACE
    ).delete()
    asked = 0
    for subscription in AlertSubscription.objects.filter(
        confirmed_at__isnull=False,
        reconsent_requested_at__isnull=True,
        last_activity_at__lt=now - RECONSENT_AFTER,
    ):
        # The request and its e-mail in one transaction: recorded once, sent once.
        with transaction.atomic():
            subscription.reconsent_requested_at = now
            subscription.save(update_fields=["reconsent_requested_at"])
            enqueue(
                send_reconsent,
                subscription.pk,
                f"alerts:reconsent:{subscription.pk}:{now.date().isoformat()}",
                description=_("Courriel de renouvellement du consentement à %(email)s")
                % {"email": subscription.email},
            )
        asked += 1
    return {"asked": asked, "deleted": deleted}


@shared_task
def remind_voters():
    """Remind the officers who have not voted on an open common programme (once a day)."""
    from .vote import remind_pending_voters

    return remind_pending_voters()
