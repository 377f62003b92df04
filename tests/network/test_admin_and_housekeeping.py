"""Admin views of the networks (failed alert sends visible) and the housekeeping tasks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from crdla.network.models import (
    AlertDelivery,
    CallForTendersIndexPage,
    CallForTendersPage,
    DeliveryStatus,
    DirectoryPage,
    IntranetPage,
    NetworkPage,
    SurveyPage,
)
from crdla.network.tasks import requeue_pending_deliveries

from .factories import AlertSubscriptionFactory, CallForTendersPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(calls_index, culture_sector):
    return CallForTendersPageFactory(parent=calls_index, sector=culture_sector)


def test_failed_sends_are_listed_in_the_admin(client, admin_user, call):
    subscription = AlertSubscriptionFactory()
    AlertDelivery.objects.create(
        call=call,
        subscription=subscription,
        email="refuse@example.org",
        status=DeliveryStatus.FAILED,
        attempts=2,
        last_error="450 try again",
    )
    AlertDelivery.objects.create(
        call=call, subscription=subscription, email="ok@example.org", status=DeliveryStatus.SENT
    )
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_network_alertdelivery:list")
    response = client.get(url, {"status": DeliveryStatus.FAILED})
    assert response.status_code == 200
    content = response.content.decode()
    assert "refuse@example.org" in content and "450 try again" in content
    assert "ok@example.org" not in content
    assert client.get(reverse("wagtailsnippets_network_alertsubscription:list")).status_code == 200


def test_officers_cannot_see_the_alert_admin(client, officer51):
    client.force_login(officer51)
    response = client.get(reverse("wagtailsnippets_network_alertdelivery:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_interrupted_and_stale_deliveries(call, django_capture_on_commit_callbacks):
    from django.core import mail

    subscription = AlertSubscriptionFactory(email="attente@example.org")
    pending = AlertDelivery.objects.create(
        call=call, subscription=subscription, email=subscription.email
    )
    interrupted = AlertDelivery.objects.create(
        call=call,
        round=1,
        subscription=subscription,
        email=subscription.email,
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    AlertDelivery.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call.save_revision().publish()
    mail.outbox.clear()
    assert requeue_pending_deliveries() == 1
    pending.refresh_from_db()
    interrupted.refresh_from_db()
    assert pending.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["attente@example.org"]]
    # Never resent automatically: reported for a human decision.
    assert interrupted.status == DeliveryStatus.UNKNOWN


def test_page_tree_rules(home, grand_est):
    assert DirectoryPage in home.specific_class.allowed_subpage_models()
    allowed = set(NetworkPage.allowed_subpage_models())
    assert {CallForTendersIndexPage, IntranetPage, SurveyPage} <= allowed
    assert CallForTendersPage.allowed_parent_page_models() == [CallForTendersIndexPage]


def test_officer_opens_the_admin_form_for_a_new_call(client, calls_index, officer51):
    client.force_login(officer51)
    url = reverse("wagtailadmin_pages:add", args=["network", "callfortenderspage", calls_index.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Profil anonymisé de la structure" in response.content.decode()
    other = Page.objects.get(pk=calls_index.get_parent().pk)
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["network", "intranetpage", other.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_officer_publishes_a_call_from_the_admin_and_subscribers_are_alerted(
    client, calls_index, dla51, officer51, culture_sector, django_capture_on_commit_callbacks
):
    from django.core import mail
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    from crdla.core.models import Departement

    AlertSubscriptionFactory(email="conseil@example.org")
    client.force_login(officer51)
    url = reverse("wagtailadmin_pages:add", args=["network", "callfortenderspage", calls_index.pk])
    deadline = (timezone.localtime() + datetime.timedelta(days=15)).strftime("%Y-%m-%d %H:%M")
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    data = nested_form_data(
        {
            "title": "Stratégie de financement d'un tiers-lieu",
            "slug": "strategie-financement-tiers-lieu",
            "reference": "DLA51-2026-900",
            "dla": dla51.pk,
            "kind": "individuel",
            "status": "ouvert",
            "structure_type": "SCIC",
            "sector": culture_sector.pk,
            "structure_size": "10-49",
            "departement": Departement.objects.get(code="51").pk,
            "description": rich_text("<p>Diversifier les financements.</p>"),
            "lots": inline_formset([{"title": "Diagnostic", "days": "3", "ceiling": "2700"}]),
            "territories": [],
            "publication_date": now,
            "deadline": deadline,
            "documents": inline_formset([]),
            "required_pieces": "Proposition",
            "contact_name": "Chargée de mission",
            "contact_email": "dla51@example.org",
            "corrections": inline_formset([]),
            "action-publish": "publish",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    call = CallForTendersPage.objects.get(reference="DLA51-2026-900")
    assert call.live
    assert [m.to for m in mail.outbox] == [["conseil@example.org"]]
    assert "Stratégie de financement" in mail.outbox[0].subject
