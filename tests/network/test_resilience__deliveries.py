"""Findings 2, 9 and 10 of issue 12: SMTP dying mid-batch, deliveries marked sent as soon as
the server accepted them, and the deliveries admin (failed first, French reasons, read-only,
« Renvoyer »)."""

import smtplib

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from crdla.network.alerts import plan_deliveries, send_deliveries
from crdla.network.models import AlertDelivery, DeliveryStatus
from crdla.network.tasks import requeue_pending_deliveries

from .factories import AlertSubscriptionFactory, CallForTendersPageFactory, add_lot

pytestmark = pytest.mark.django_db


class DyingBackend(EmailBackend):
    """Accepts ``budget`` messages, then behaves like a server that went away."""

    budget = 2
    seen_statuses = []

    def send_messages(self, messages):
        for message in messages:
            pk = int(message.extra_headers["X-CRDLA-Delivery"])
            DyingBackend.seen_statuses.append(
                list(
                    AlertDelivery.objects.exclude(pk=pk)
                    .order_by("pk")
                    .values_list("status", flat=True)
                )
            )
            if DyingBackend.budget <= 0:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            DyingBackend.budget -= 1
        return super().send_messages(messages)


@pytest.fixture
def call(calls_index, culture_sector):
    call = CallForTendersPageFactory(parent=calls_index, sector=culture_sector)
    add_lot(call)
    return call


def test_smtp_dies_mid_batch_then_every_row_is_sent_once(settings, call):
    for n in range(6):
        AlertSubscriptionFactory(email=f"p{n}@example.org")
    ids = plan_deliveries(call, 0)
    settings.EMAIL_BACKEND = "tests.network.test_resilience__deliveries.DyingBackend"
    DyingBackend.budget = 2
    sent, failed = send_deliveries(ids)
    assert (sent, failed) == (2, 4)
    failed_rows = AlertDelivery.objects.filter(status=DeliveryStatus.FAILED)
    assert failed_rows.count() == 4
    # A server that died is nobody's fault: no attempt counted, a French reason.
    assert set(failed_rows.values_list("attempts", flat=True)) == {0}
    assert {r.last_error for r in failed_rows} == {
        "Le serveur de courriel a coupé la connexion pendant l'envoi."
    }
    # The server is back: the sweep (not only the batch task's retries) takes failed rows.
    DyingBackend.budget = 100
    AlertDelivery.objects.filter(status=DeliveryStatus.FAILED).update(claimed_at=None)
    requeue_pending_deliveries()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [f"p{n}@example.org" for n in range(6)]
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_delivery_is_sent_as_soon_as_the_server_accepted_it(settings, call):
    """Finding 9: when the next message goes out, the previous one is already « sent »
    (a kill then would not report it as interrupted)."""
    for n in range(3):
        AlertSubscriptionFactory(email=f"p{n}@example.org")
    ids = plan_deliveries(call, 0)
    settings.EMAIL_BACKEND = "tests.network.test_resilience__deliveries.DyingBackend"
    DyingBackend.budget, DyingBackend.seen_statuses = 100, []
    assert send_deliveries(ids) == (3, 0)
    assert DyingBackend.seen_statuses[1] == [DeliveryStatus.SENT, DeliveryStatus.PENDING]
    assert DyingBackend.seen_statuses[2] == [DeliveryStatus.SENT, DeliveryStatus.SENT]


def test_broker_visibility_timeout_exceeds_the_longest_retry_countdown():
    """Finding 9: a killed worker's tasks come back in minutes, never before a retry is due."""
    timeout = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert 600 < timeout <= 1800


def test_admin_lists_failed_first_read_only_with_resend(
    client, admin_user, call, django_capture_on_commit_callbacks
):
    """Finding 10."""
    ok = AlertSubscriptionFactory(email="ok@example.org")
    ko = AlertSubscriptionFactory(email="refuse@example.org")
    failed = AlertDelivery.objects.create(
        call=call,
        subscription=ko,
        email=ko.email,
        status=DeliveryStatus.ABANDONED,
        attempts=5,
        last_error="Destinataire refusé par le serveur de courriel (550).",
    )
    AlertDelivery.objects.create(
        call=call, subscription=ok, email=ok.email, status=DeliveryStatus.SENT
    )
    client.force_login(admin_user)
    content = client.get(reverse("wagtailsnippets_network_alertdelivery:list")).content.decode()
    assert content.index("refuse@example.org") < content.index("ok@example.org")
    assert "Destinataire refusé par le serveur de courriel (550)." in content
    edit = reverse("wagtailsnippets_network_alertdelivery:edit", args=[failed.pk])
    assert client.get(edit).status_code in (302, 403)
    assert client.post(edit, {"email": "x@example.org"}).status_code in (302, 403)
    delete = reverse("wagtailsnippets_network_alertdelivery:delete", args=[failed.pk])
    assert client.post(delete).status_code in (302, 403)
    assert AlertDelivery.objects.filter(pk=failed.pk, email=ko.email).exists()
    add = reverse("wagtailsnippets_network_alertdelivery:add")
    assert client.get(add).status_code in (302, 403)
    inspect = reverse("wagtailsnippets_network_alertdelivery:inspect", args=[failed.pk])
    assert client.get(inspect).status_code == 200
    # « Renvoyer »: a confirmation page, then the row leaves again.
    url = (
        reverse("wagtail_bulk_action", args=["network", "alertdelivery", "retry"])
        + f"?id={failed.pk}&next=/admin/"
    )
    assert "Renvoyer" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["refuse@example.org"]]
