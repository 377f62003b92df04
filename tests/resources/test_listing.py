"""Resource listing: filters by kind, sector, theme, audience and axis; pagination; empty states."""

import pytest

from crdla.resources.models import RESULTS_PER_PAGE
from tests.factories import AudienceFactory, ResourcePageFactory, SectorFactory, ThemeFactory, axis


@pytest.fixture
def tagged(culture_index):
    gouvernance = ThemeFactory(slug="gouvernance", name="Gouvernance")
    rh = ThemeFactory(slug="emploi-rh", name="Emploi et RH")
    dla = AudienceFactory(slug="charges-de-mission-dla", name="Chargés de mission DLA")
    sport = SectorFactory(slug="sport", name="Sport")
    first = ResourcePageFactory(
        parent=culture_index, title="Fiche gouvernance associative", kind="fiche_pratique"
    )
    first.themes.set([gouvernance])
    first.audiences.set([dla])
    first.axes.set([axis(2)])
    first.save_revision().publish()
    second = ResourcePageFactory(parent=culture_index, title="Étude emploi sportif", kind="etude")
    second.themes.set([rh])
    second.sectors.set([sport])
    second.axes.set([axis(3)])
    second.save_revision().publish()
    return first, second


@pytest.mark.parametrize(
    "query, expected, absent",
    [
        ("type=fiche_pratique", "Fiche gouvernance associative", "Étude emploi sportif"),
        ("theme=emploi-rh", "Étude emploi sportif", "Fiche gouvernance associative"),
        ("public=charges-de-mission-dla", "Fiche gouvernance associative", "Étude emploi sportif"),
        ("secteur=sport", "Étude emploi sportif", "Fiche gouvernance associative"),
        ("axe=2", "Fiche gouvernance associative", "Étude emploi sportif"),
        ("axe=3&type=etude", "Étude emploi sportif", "Fiche gouvernance associative"),
    ],
)
def test_filters(client, culture_index, tagged, query, expected, absent):
    body = client.get(f"{culture_index.url}?{query}").content.decode()
    assert expected in body
    assert absent not in body


@pytest.mark.parametrize("query", ["type=inconnu", "axe=abc", "theme=a%20b", "page=-3", "page=zz"])
def test_bad_filter_values_are_ignored(client, culture_index, tagged, query):
    response = client.get(f"{culture_index.url}?{query}")
    assert response.status_code == 200


def test_nul_bytes_are_refused_cleanly(client, culture_index, tagged):
    # PostgreSQL rejects NUL in text: the request is refused before reaching the database
    response = client.get(f"{culture_index.url}?theme=%00")
    assert response.status_code == 400


def test_no_match_shows_an_empty_state(client, culture_index, tagged):
    body = client.get(f"{culture_index.url}?type=bilan").content.decode()
    assert "Aucune ressource ne correspond à ces filtres" in body
    assert "Effacer les filtres" in body


def test_empty_listing(client, culture_index):
    body = client.get(culture_index.url).content.decode()
    assert "Aucune ressource publiée pour le moment." in body


def test_pagination(client, culture_index):
    for number in range(RESULTS_PER_PAGE + 3):
        ResourcePageFactory(parent=culture_index, title=f"Ressource paginée {number:02d}")
    first = client.get(culture_index.url)
    assert len(first.context["resources"].object_list) == RESULTS_PER_PAGE
    assert 'rel="next"' in first.content.decode()
    second = client.get(f"{culture_index.url}?page=2")
    assert len(second.context["resources"].object_list) == 3
    # filters are kept in the page links
    body = client.get(f"{culture_index.url}?type=guide").content.decode()
    assert "type=guide&amp;page=2" in body


def test_resource_detail_shows_documents_breadcrumbs_and_related(client, culture_index, tagged):
    first, _second = tagged
    other = ResourcePageFactory(parent=culture_index, title="Autre fiche gouvernance")
    other.themes.set(first.themes.all())
    other.save_revision().publish()
    body = client.get(first.url).content.decode()
    assert 'aria-label="Fil d’Ariane"' in body
    assert "Centre de ressources DLA Culture" in body
    assert "Ressources associées" in body and "Autre fiche gouvernance" in body


def test_the_results_are_kept_per_filter_and_page_and_links_keep_valid_filters_only(
    client, culture_index
):
    """The results are one fragment per (filters, page): a page, a filter or a new resource
    is never answered with another's results, and the pagination links, which are part of
    that fragment, carry only the valid filters (never a visitor's other parameters)."""
    for number in range(RESULTS_PER_PAGE + 3):
        ResourcePageFactory(parent=culture_index, title=f"Ressource paginée {number:02d}")
    first = client.get(culture_index.url).content.decode()
    second = client.get(f"{culture_index.url}?page=2").content.decode()
    assert "Ressource paginée 00" in second and "Ressource paginée 00" not in first
    poisoned = client.get(f"{culture_index.url}?type=guide&utm=piege").content.decode()
    results = poisoned.split('class="results"')[1].split("</section>")[0]
    assert "page=2" in results and "utm" not in results
    assert "type=guide&amp;page=2" in client.get(f"{culture_index.url}?type=guide").content.decode()
    ResourcePageFactory(parent=culture_index, title="Ressource du jour")
    assert "Ressource du jour" in client.get(culture_index.url).content.decode()
