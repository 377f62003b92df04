"""Calls for tenders: listing with filters, RSS, statuses, automatic closing, rectificatif."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from crdla.core.models import Departement
from crdla.network.alerts import matching_subscriptions
from crdla.network.models import AlertDelivery, CallCorrection, CallForTendersPage, CallStatus
from crdla.network.tasks import close_expired_calls

from .factories import AlertSubscriptionFactory, CallForTendersPageFactory, add_lot

pytestmark = pytest.mark.django_db


def make_call(calls_index, sector, publish=True, **fields):
    call = CallForTendersPageFactory(parent=calls_index, sector=sector, **fields)
    add_lot(call)
    if publish:
        call.save_revision().publish()
    return call


def test_listing_filters_by_sector_departement_and_kind(
    client, calls_index, culture_sector, sport_sector
):
    a = make_call(calls_index, culture_sector, title="Appel culture Marne")
    b = make_call(
        calls_index,
        sport_sector,
        title="Appel sport Aube",
        kind="collectif",
        departement=Departement.objects.get(code="10"),
    )
    closed = make_call(calls_index, culture_sector, title="Appel clos")
    CallForTendersPage.objects.filter(pk=closed.pk).update(status=CallStatus.CLOSED)

    def titles(**params):
        response = client.get(reverse("network:calls"), params)
        assert response.status_code == 200
        return {c.title for c in response.context["calls"]}

    assert titles() == {a.title, b.title}
    assert titles(secteur="sport") == {b.title}
    assert titles(departement="51") == {a.title}
    assert titles(type="collectif") == {b.title}
    assert titles(secteur="culture", type="collectif") == set()


def test_call_page_and_index_render(client, calls_index, culture_sector):
    call = make_call(calls_index, culture_sector)
    CallCorrection.objects.create(page=call, text="La date limite est reportée.")
    response = client.get(call.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert call.reference in content
    assert "La date limite est reportée." in content
    assert "Lot unique" in content
    response = client.get(calls_index.url)
    assert call.title in response.content.decode()


def test_rss_feed_lists_open_calls_with_filters(client, calls_index, culture_sector, sport_sector):
    a = make_call(calls_index, culture_sector, title="Appel culture")
    b = make_call(calls_index, sport_sector, title="Appel sport")
    response = client.get(reverse("network:calls-feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert a.reference in body and b.reference in body
    body = client.get(reverse("network:calls-feed"), {"secteur": "sport"}).content.decode()
    assert b.reference in body and a.reference not in body


def test_expired_calls_are_closed_by_the_beat_task(calls_index, culture_sector):
    expired = make_call(calls_index, culture_sector)
    CallForTendersPage.objects.filter(pk=expired.pk).update(
        publication_date=timezone.now() - datetime.timedelta(days=30),
        deadline=timezone.now() - datetime.timedelta(minutes=1),
    )
    running = make_call(calls_index, culture_sector)
    assert close_expired_calls() == 1
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.status == CallStatus.CLOSED
    assert expired.get_latest_revision().as_object().status == CallStatus.CLOSED
    assert running.status == CallStatus.OPEN
    assert close_expired_calls() == 0


def test_status_transitions_are_checked(calls_index, culture_sector):
    call = make_call(calls_index, culture_sector)
    call.status = CallStatus.AWARDED
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert "Passage impossible" in str(error.value)
    call.status = CallStatus.CANCELLED
    call.full_clean()
    call.save()
    call.status = CallStatus.OPEN
    with pytest.raises(ValidationError):
        call.full_clean()


def test_award_only_after_deadline(calls_index, culture_sector):
    call = make_call(calls_index, culture_sector)
    CallForTendersPage.objects.filter(pk=call.pk).update(status=CallStatus.CLOSED)
    call.refresh_from_db()
    call.status = CallStatus.AWARDED
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert "après sa date limite" in str(error.value)


def test_deadline_must_follow_publication(calls_index, culture_sector):
    call = make_call(calls_index, culture_sector, publish=False)
    call.deadline = call.publication_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        call.full_clean()


def test_matching_by_preferences(calls_index, culture_sector, sport_sector):
    call = make_call(calls_index, culture_sector, publish=False, kind="collectif")
    call.territories.add(Departement.objects.get(code="08"))
    everything = AlertSubscriptionFactory()
    culture = AlertSubscriptionFactory()
    culture.sectors.add(culture_sector)
    sport = AlertSubscriptionFactory()
    sport.sectors.add(sport_sector)
    ardennes = AlertSubscriptionFactory()  # a territory of the call, not its département
    ardennes.departements.add(Departement.objects.get(code="08"))
    bretagne = AlertSubscriptionFactory()
    bretagne.departements.add(Departement.objects.get(code="35"))
    collectif = AlertSubscriptionFactory(kinds=["collectif", "regional"])
    individuel = AlertSubscriptionFactory(kinds=["individuel"])
    unconfirmed = AlertSubscriptionFactory(confirmed_at=None)
    matched = {pk for pk, _email in matching_subscriptions(call)}
    assert matched == {everything.pk, culture.pk, ardennes.pk, collectif.pk}
    assert not {sport.pk, bretagne.pk, individuel.pk, unconfirmed.pk} & matched


def test_rectificatif_notifies_again_once(
    calls_index, culture_sector, django_capture_on_commit_callbacks
):
    AlertSubscriptionFactory(email="a@example.org")
    AlertSubscriptionFactory(email="b@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        call = make_call(calls_index, culture_sector)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]

    # Publishing again without a new rectificatif sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        call.save_revision().publish()
    assert len(mail.outbox) == 2

    CallCorrection.objects.create(page=call, text="Le lot 2 est supprimé.")
    with django_capture_on_commit_callbacks(execute=True):
        call.save_revision().publish()
        call.save_revision().publish()  # a double click
    assert len(mail.outbox) == 4
    rectificatifs = mail.outbox[2:]
    assert all(m.subject.startswith("Rectificatif") for m in rectificatifs)
    assert all("Le lot 2 est supprimé." in m.body for m in rectificatifs)
    assert AlertDelivery.objects.filter(call=call, round=1).count() == 2


def test_cancelled_or_closed_call_sends_nothing(
    calls_index, culture_sector, django_capture_on_commit_callbacks
):
    AlertSubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        make_call(calls_index, culture_sector, status=CallStatus.CANCELLED)
    assert mail.outbox == []


def test_officer_of_the_network_can_publish_under_the_index(calls_index, officer51, officer35):
    from wagtail.models import Page

    index_page = Page.objects.get(pk=calls_index.pk)
    assert index_page.permissions_for_user(officer51).can_publish_subpage()
    assert not index_page.permissions_for_user(officer35).can_add_subpage()


def test_the_national_listing_follows_closing_and_keeps_only_known_filters(
    client, calls_index, culture_sector
):
    """The listing's results are one fragment per (known filters, page): the beat task's
    closing (a publication) takes a call out of it at once; an unknown filter value is answered
    but not kept, and the links carry the valid filters only."""
    call = make_call(calls_index, culture_sector, title="Appel bientôt clos")
    url = reverse("network:calls")

    def open_section(**params):
        body = client.get(url, params).content.decode()
        return body.split('class="card-grid"')[1].split("</ul>")[0] if "card-grid" in body else ""

    assert call.title in open_section()
    assert call.title in open_section(secteur="culture")
    CallForTendersPage.objects.filter(pk=call.pk).update(
        publication_date=timezone.now() - datetime.timedelta(days=30),
        deadline=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert close_expired_calls() == 1
    assert call.title not in open_section()
    assert call.title not in open_section(secteur="culture")
    response = client.get(url, {"secteur": "inconnu", "utm": "piege"})
    assert response.status_code == 200 and not response.context["cacheable"]
    content = response.content.decode().split("<h1>")[1].split("</main>")[0]
    assert "utm=piege" not in content


def test_the_filter_form_shows_each_visitors_filters(client, calls_index, culture_sector):
    """The form is rendered once per generation and known filters: each answer marks its own."""
    make_call(calls_index, culture_sector, title="Appel culture Marne")

    def form(**params):
        page = client.get(reverse("network:calls"), params).content.decode()
        return page.split('class="filters"')[1].split("</form>")[0]

    for code in ("51", "10", "51"):
        assert f'value="{code}" selected' in form(departement=code)
    assert " selected" not in form()
    assert " selected" not in form(departement="zz")  # unknown: answered, not kept
