"""Findings 1, 3 and 7 of issue 12: publishing a call or subscribing never fails when the
broker or the mail server is down, and nothing is lost once it returns."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageLogEntry

from crdla.network.models import AlertDelivery, AlertSubscription, DeliveryStatus
from crdla.outbox.models import OutboxMessage, OutboxStatus
from crdla.outbox.service import sweep
from tests.outbox.faults import broker_down, make_due, smtp_down

from .factories import AlertSubscriptionFactory, CallForTendersPageFactory, add_lot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def new_call(calls_index, culture_sector):
    call = CallForTendersPageFactory(parent=calls_index, sector=culture_sector, live=False)
    add_lot(call)
    return call


def test_broker_down_when_a_call_is_published(
    calls_index, culture_sector, django_capture_on_commit_callbacks
):
    """Finding 1: no exception, the publication is logged, the alerts wait in the outbox and
    leave at the next sweep once the broker is back."""
    AlertSubscriptionFactory(email="conseil@example.org")
    call = new_call(calls_index, culture_sector)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        call.save_revision(log_action=True).publish(log_action=True)
    call.refresh_from_db()
    assert call.live
    assert PageLogEntry.objects.filter(page=call, action="wagtail.publish").exists()
    message = OutboxMessage.objects.get(task="crdla.network.tasks.fan_out_call")
    assert message.status == OutboxStatus.FAILED
    assert "gestionnaire de tâches" in message.reason
    assert not AlertDelivery.objects.exists() and not mail.outbox
    # The broker is back (eager here): the sweep sends the alerts, once.
    make_due()
    assert sweep()["dispatched"] >= 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert [m.to for m in mail.outbox] == [["conseil@example.org"]]
    make_due()
    sweep()
    assert len(mail.outbox) == 1


def test_officer_publishes_from_the_admin_with_the_broker_down(
    client, calls_index, officer51, culture_sector, django_capture_on_commit_callbacks
):
    """Finding 1 through the admin: a redirect, never a 500."""
    call = new_call(calls_index, culture_sector)
    client.force_login(officer51)
    url = reverse("wagtailadmin_pages:edit", args=[call.pk])
    form = client.get(url).context["form"]
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = {
        name: form[name].value()
        for name in form.fields
        if name not in ("lots", "documents", "corrections", "territories", "description")
    }
    data.update(
        {
            "description": rich_text("<p>Diversifier les financements.</p>"),
            "lots": inline_formset([{"title": "Diagnostic", "days": "3", "ceiling": "2700"}]),
            "documents": inline_formset([]),
            "corrections": inline_formset([]),
            "territories": [],
            "action-publish": "publish",
        }
    )
    data = {k: v for k, v in nested_form_data(data).items() if v is not None}
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    call.refresh_from_db()
    assert call.live
    assert OutboxMessage.objects.filter(
        task="crdla.network.tasks.fan_out_call", status=OutboxStatus.FAILED
    ).exists()


def test_smtp_down_when_the_fan_out_starts(
    settings, calls_index, culture_sector, django_capture_on_commit_callbacks
):
    """Finding 3: the failure is recorded on every delivery at once (French reason), and the
    next attempt sends them."""
    for n in range(3):
        AlertSubscriptionFactory(email=f"prestataire{n}@example.org")
    call = new_call(calls_index, culture_sector)
    with smtp_down(settings), django_capture_on_commit_callbacks(execute=True):
        call.save_revision().publish()
    deliveries = AlertDelivery.objects.filter(call=call)
    assert deliveries.count() == 3
    assert set(deliveries.values_list("status", flat=True)) <= {
        DeliveryStatus.FAILED,
        DeliveryStatus.ABANDONED,
    }
    assert all("serveur de courriel" in d.last_error for d in deliveries)
    assert not mail.outbox
    # The mail server is back: the delivery sweep resends the failed rows, once each.
    from crdla.network.tasks import requeue_pending_deliveries

    AlertDelivery.objects.update(status=DeliveryStatus.FAILED, attempts=1, claimed_at=None)
    requeue_pending_deliveries()
    assert sorted(m.to[0] for m in mail.outbox) == [f"prestataire{n}@example.org" for n in range(3)]
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_subscribing_with_smtp_down(settings, client, django_capture_on_commit_callbacks):
    """Finding 7: the form answers normally; the confirmation leaves when SMTP is back."""
    data = {"email": "prestataire@example.org", "departements": ["51"], "consent": "on"}
    with smtp_down(settings), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:alerts-subscribe"), data)
    assert response.status_code == 302
    assert AlertSubscription.objects.filter(email="prestataire@example.org").exists()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED
    assert "injoignable" in message.reason
    make_due()
    sweep()
    assert [m.to for m in mail.outbox] == [["prestataire@example.org"]]
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE


def test_subscribing_with_the_broker_down(client, django_capture_on_commit_callbacks):
    data = {"email": "prestataire@example.org", "departements": ["51"], "consent": "on"}
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:alerts-subscribe"), data)
    assert response.status_code == 302
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


def test_abandoned_after_the_last_attempt_with_a_french_reason(settings, db):
    from crdla.outbox import service

    subscription = AlertSubscriptionFactory(email="x@example.org", confirmed_at=None)
    with smtp_down(settings):
        message = service.enqueue(
            "crdla.network.tasks.send_subscription_confirmation", subscription.pk
        )
        for _ in range(service.MAX_ATTEMPTS + 2):
            make_due()
            sweep()
    message.refresh_from_db()
    assert message.status == OutboxStatus.ABANDONED
    assert message.attempts == service.MAX_ATTEMPTS
    assert "Abandonnée après" in message.reason


def test_hung_broker_costs_a_publication_a_few_seconds(
    calls_index, culture_sector, django_capture_on_commit_callbacks
):
    """Finding 6: a broker that accepts and never answers (production socket timeouts)."""
    import time

    from tests.outbox.faults import SilentListener

    call = new_call(calls_index, culture_sector)
    with SilentListener() as hung:
        with broker_down(f"redis://127.0.0.1:{hung.port}/0"):
            start = time.monotonic()
            with django_capture_on_commit_callbacks(execute=True):
                call.save_revision().publish()
            elapsed = time.monotonic() - start
    assert elapsed < 8, elapsed
    call.refresh_from_db()
    assert call.live
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED
