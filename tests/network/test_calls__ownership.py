"""Calls for tenders belong to a DLA (issue 9, finding 6).

An officer publishes and edits only for their own DLA, the animator for any DLA of their
network; the calls of other DLA are read-only; no alert ever goes out under a DLA the publisher
does not own or outside the call's network.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.test.utils.form_data import querydict_from_html

from crdla.access import calls as call_access
from crdla.network.models import CallForTendersPage

from .factories import AlertSubscriptionFactory, CallForTendersPageFactory, add_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def call51(calls_index, dla51, culture_sector, officer51, officer10, officer35, animator):
    call = CallForTendersPageFactory(
        parent=calls_index, dla=dla51, sector=culture_sector, title="Appel de la Marne"
    )
    add_lot(call)
    call.save_revision().publish()
    return call


def edit_url(call):
    return reverse("wagtailadmin_pages:edit", args=[call.pk])


def edit_form(client, call):
    response = client.get(edit_url(call))
    assert response.status_code == 200
    return response, querydict_from_html(response.content.decode(), form_id="page-edit-form")


def refused(response):
    """Wagtail's answer to a refused admin page: back to the dashboard with a message."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    return True


def test_officer_of_another_dla_cannot_edit_nor_publish(client, call51, officer10):
    client.force_login(officer10)
    assert refused(client.get(edit_url(call51)))
    assert refused(client.post(edit_url(call51), {"title": "Piraté"}))
    assert refused(client.post(reverse("wagtailadmin_pages:unpublish", args=[call51.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:delete", args=[call51.pk])))
    with pytest.raises(PublishPagePermissionError):
        call51.save_revision(user=officer10).publish(user=officer10)
    # ...but still reads it like everyone.
    assert client.get(call51.url).status_code == 200
    call51.refresh_from_db()
    assert call51.title == "Appel de la Marne"


def test_officer_is_offered_only_their_own_dla(client, call51, officer51, dla51, dla10):
    client.force_login(officer51)
    response, _data = edit_form(client, call51)
    choices = response.context["form"].fields["dla"].queryset
    assert list(choices) == [dla51]


def test_officer_cannot_move_their_call_to_another_dla(
    client, call51, officer51, dla10, dla35, django_capture_on_commit_callbacks
):
    AlertSubscriptionFactory(email="prestataire@example.org")
    client.force_login(officer51)
    for other in (dla10, dla35):
        _response, data = edit_form(client, call51)
        data["dla"] = str(other.pk)
        data["action-publish"] = "action-publish"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(edit_url(call51), data)
        assert response.status_code == 200  # the form again, with the error
        assert response.context["form"].errors["dla"] == [call_access.OTHER_DLA_MESSAGE]
    call51.refresh_from_db()
    assert call51.dla_id == call51.get_latest_revision().as_object().dla_id
    assert call51.dla.slug == "dla-51"
    assert mail.outbox == []


def test_officer_publishes_for_their_own_dla(
    client, call51, officer51, django_capture_on_commit_callbacks
):
    client.force_login(officer51)
    _response, data = edit_form(client, call51)
    data["title"] = "Appel de la Marne, modifié"
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(call51), data)
    assert response.status_code == 302
    call51.refresh_from_db()
    assert call51.title == "Appel de la Marne, modifié"


def test_animator_may_choose_any_dla_of_the_network(client, call51, animator, dla51, dla10, dla35):
    client.force_login(animator)
    response, data = edit_form(client, call51)
    assert set(response.context["form"].fields["dla"].queryset) == {dla51, dla10}
    data["dla"] = str(dla10.pk)
    data["action-publish"] = "action-publish"
    assert client.post(edit_url(call51), data).status_code == 302
    call51.refresh_from_db()
    assert call51.dla == dla10
    _response, data = edit_form(client, call51)
    data["dla"] = str(dla35.pk)
    response = client.post(edit_url(call51), data)
    assert response.status_code == 200
    assert "dla" in response.context["form"].errors


def test_model_refuses_a_dla_of_another_network(call51, dla35):
    call51.dla = dla35
    with pytest.raises(ValidationError) as error:
        call51.full_clean()
    assert str(call_access.NOT_IN_NETWORK_MESSAGE) in str(error.value)


def test_no_alert_under_a_dla_the_publisher_does_not_own(
    calls_index, dla10, culture_sector, officer51, officer10, django_capture_on_commit_callbacks
):
    AlertSubscriptionFactory(email="prestataire@example.org")
    call = CallForTendersPageFactory(parent=calls_index, dla=dla10, sector=culture_sector)
    add_lot(call)
    # A revision of cm.dla51's published by the system (e.g. a scheduled publication).
    with django_capture_on_commit_callbacks(execute=True):
        call.save_revision(user=officer51).publish()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        CallForTendersPage.objects.get(pk=call.pk).save_revision(user=officer10).publish(
            user=officer10
        )
    assert [m.to for m in mail.outbox] == [["prestataire@example.org"]]
    assert "DLA de l'Aube" in mail.outbox[0].body


def test_new_call_form_offers_and_presets_the_officers_dla(client, calls_index, officer51, dla51):
    client.force_login(officer51)
    url = reverse("wagtailadmin_pages:add", args=["network", "callfortenderspage", calls_index.pk])
    response = client.get(url)
    assert response.status_code == 200
    field = response.context["form"].fields["dla"]
    assert list(field.queryset) == [dla51]
    assert field.initial == dla51.pk


def test_territories_are_grouped_by_region_the_officers_open_and_ticked(
    client, calls_index, officer51, dla51
):
    """About a hundred départements: one disclosure per région, the officer's first and open
    with their DLA's département ticked, the others closed (issue 17)."""
    import re

    client.force_login(officer51)
    url = reverse("wagtailadmin_pages:add", args=["network", "callfortenderspage", calls_index.pk])
    html = client.get(url).content.decode()
    regions = re.findall(
        r'<details class="departements-by-region__region"( open)?>\s*<summary>([^<]+?) <span',
        html,
    )
    assert regions[0] == (" open", dla51.departement.region.name)
    assert all(not is_open for is_open, _name in regions[1:])
    assert len(regions) > 10
    ticked = re.findall(
        r'<input type="checkbox" name="territories" value="(\d+)"[^>]* checked', html
    )
    assert ticked == [str(dla51.departement_id)]
    assert html.count('name="territories"') > 90
    assert "Identifiant unique de la consultation" in html  # « Référence » says what it is
