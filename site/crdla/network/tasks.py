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


@shared_task
def requeue_pending_deliveries():
    """Safety net: queue again the deliveries still pending after 15 minutes; report crashes."""
    from .alerts import mark_interrupted
    from .models import AlertDelivery, DeliveryStatus

    mark_interrupted()
    stale = list(
        AlertDelivery.objects.filter(
            status=DeliveryStatus.PENDING,
            created_at__lt=timezone.now() - datetime.timedelta(minutes=15),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:10_000]
    )
    for start in range(0, len(stale), BATCH_SIZE):
        send_alert_batch.delay(stale[start : start + BATCH_SIZE])
    return len(stale)


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
    from .models import AlertSubscription
    from .subscriptions import send_reconsent_request

    now = timezone.now()
    deleted, _ = AlertSubscription.objects.filter(
        reconsent_requested_at__lt=now - RECONSENT_GRACE
    ).delete()
    asked = 0
    for subscription in AlertSubscription.objects.filter(
        confirmed_at__isnull=False,
        reconsent_requested_at__isnull=True,
        last_activity_at__lt=now - RECONSENT_AFTER,
    ):
        send_reconsent_request(subscription)
        subscription.reconsent_requested_at = now
        subscription.save(update_fields=["reconsent_requested_at"])
        asked += 1
    return {"asked": asked, "deleted": deleted}


@shared_task
def remind_voters():
    """Remind the officers who have not voted on an open common programme (once a day)."""
    from .vote import remind_pending_voters

    return remind_pending_voters()
