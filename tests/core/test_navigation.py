"""The main menu: a fixed set of sections, the centres grouped under one entry (usable with
eight centres), « Le DLA » pages chosen by their « afficher dans les menus » box."""

import re

import pytest

from tests.factories import CentrePageFactory, NetworkPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Le DLA",
    "Centres de ressources",
    "Ressources",
    "Programmes",
    "Réseaux et annuaire",
    "Consultations",
    "Alertes",
    "Rechercher",
]


def main_menu(client):
    body = client.get("/").content.decode()
    return re.search(r'<nav class="main-nav".*?</nav>', body, re.S).group(0)


def top_level_entries(menu):
    """The text of each top-level entry: a group's <summary> or a plain link."""
    menu = re.sub(r"(<summary>[^<]+</summary>).*?</details>", r"\1</details>", menu, flags=re.S)
    entries = re.findall(
        r'<li(?: class="nav-group")?>(?:<details name="menu"><summary>([^<]+)</summary>|<a [^>]*>([^<]+)</a>)',
        menu,
    )
    return [summary or link for summary, link in entries]


def test_eight_centres_fit_under_one_menu_entry(client, home):
    centres = [CentrePageFactory(parent=home) for _ in range(8)]
    StandardPageFactory(parent=home, title="Le Dispositif", slug="le-dla", show_in_menus=True)
    StandardPageFactory(parent=home, title="Mentions légales", slug="mentions-legales")
    NetworkPageFactory(parent=home, slug="grand-est")
    menu = main_menu(client)
    assert top_level_entries(menu) == SECTIONS
    group = re.search(r"<summary>Centres de ressources</summary>(.*?)</details>", menu, re.S)
    assert [f'href="{centre.url}"' in group.group(1) for centre in centres] == [True] * 8
    about = re.search(r"<summary>Le DLA</summary>(.*?)</details>", menu, re.S).group(1)
    assert "Le Dispositif" in about and "Mentions légales" not in about
    assert "Réseau DLA Grand Est" in menu


def test_a_restricted_or_draft_centre_stays_out_of_the_menu(client, home):
    CentrePageFactory(parent=home, short_name="CRDLA Visible")
    CentrePageFactory(parent=home, short_name="CRDLA Brouillon", live=False)
    menu = main_menu(client)
    assert "CRDLA Visible" in menu and "CRDLA Brouillon" not in menu
