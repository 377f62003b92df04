"""Admin form of a call for tenders that knows who is typing (issue 17): the officer's DLA
(a list of the DLA the access policy allows), its département and territory are pre-set."""

import re

import pytest
from django.urls import reverse


def checked_values(html, name):
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if "checked" in tag}


def selected_value(html, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return select.group(1), chosen.group(1) if chosen else None


@pytest.mark.django_db
def test_new_call_is_preset_from_the_officer_dla(
    client, calls_index, officer10, dla10, dla51, dla35
):
    client.force_login(officer10)
    url = reverse("wagtailadmin_pages:add", args=("network", "callfortenderspage", calls_index.pk))
    html = client.get(url).content.decode()
    options, chosen = selected_value(html, "dla")
    assert chosen == str(dla10.pk)
    assert f'value="{dla51.pk}"' not in options  # an officer publishes for their own DLA
    assert f'value="{dla35.pk}"' not in options  # never another network's
    _options, departement = selected_value(html, "departement")
    assert departement == str(dla10.departement_id)
    assert checked_values(html, "territories") == {str(dla10.departement_id)}
    assert "Identifiant unique de la consultation" in html  # « Référence » explained
    assert "un(e)" not in html


@pytest.mark.django_db
def test_call_for_another_network_dla_is_refused(client, calls_index, officer10, dla35):
    from crdla.network.models import CallForTendersPage
    from crdla.network.models.calls import CallForTendersPageForm

    form_class = CallForTendersPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, CallForTendersPageForm)
    form = form_class(
        data={"dla": dla35.pk},
        instance=CallForTendersPage(),
        parent_page=calls_index,
        for_user=officer10,
    )
    form.is_valid()
    assert "dla" in form.errors
