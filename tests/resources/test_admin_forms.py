"""Admin form of a resource that knows who is typing (issue 17): the centre's sector is
pre-set, every taxonomy is a list of checkboxes, labels are in correct French."""

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
def test_new_resource_has_its_centre_sector_and_french_labels(
    client, culture_index, culture_expert
):
    client.force_login(culture_expert)
    url = reverse("wagtailadmin_pages:add", args=("resources", "resourcepage", culture_index.pk))
    html = client.get(url).content.decode()
    centre = culture_index.get_parent().specific
    assert checked_values(html, "sectors") == {str(centre.sector_id)}
    # Every taxonomy is a list of checkboxes, « Régions » included.
    assert re.search(r'<input type="checkbox" name="regions"', html)
    assert '<select name="regions"' not in html
    assert "un(e)" not in html
    assert "Ajouter un document" in html and "Documents joints" in html


@pytest.mark.django_db
def test_one_way_to_attach_a_document_and_fields_that_say_what_they_are_for(
    client, culture_index, culture_expert
):
    from crdla.resources.models import ResourcePage

    assert "document" not in ResourcePage.body.field.stream_block.child_blocks
    client.force_login(culture_expert)
    url = reverse("wagtailadmin_pages:add", args=("resources", "resourcepage", culture_index.pk))
    html = client.get(url).content.decode()
    assert "Document à télécharger" not in html  # the body's former document block
    assert html.count("Ajouter un document") == 1
    for help_text in (
        "Sert au filtre « Type » des listes et de la recherche.",
        "Deux ou trois phrases, reprises dans les listes et les résultats de recherche.",
        "Elle ne publie rien : la publication suit la modération.",
        "Le secteur de votre centre est coché d&#x27;office",
        "Seulement si la ressource concerne des régions précises",
    ):
        assert help_text in html, help_text
