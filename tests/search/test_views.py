"""The search page, its JSON twin and the autocomplete endpoint, per role and bad input."""

import pytest
from django.urls import reverse

from .conftest import SECRET_WORD

pytestmark = pytest.mark.usefixtures("db_backend")


def api(client, **params):
    response = client.get(reverse("search-api"), params)
    assert response.status_code == 200
    return response.json()


def test_page_renders_results_facets_and_highlights(client):
    response = client.get(reverse("search"), {"q": "trésorerie"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 ressources trouvées pour « trésorerie »" in html
    assert 'role="status"' in html
    assert "<mark>" in html
    assert '<label for="search-q">' in html
    assert 'name="type" value="outil"' in html  # facet checkbox
    assert "Modèle économique" in html


def test_anonymous_never_sees_restricted_through_any_path(client, resources):
    secret = resources["restricted"]
    for params in ({"q": SECRET_WORD}, {"q": ""}, {"type": "outil"}, {"q": "trésorerie"}):
        html = client.get(reverse("search"), params).content.decode()
        assert secret.title not in html
        data = api(client, **params)
        assert secret.pk not in [r["id"] for r in data["results"]]
    suggestions = client.get(reverse("search-autocomplete"), {"q": "grille"}).json()
    assert suggestions["suggestions"] == []
    page = client.get(resources["festival"].url)
    assert page.status_code == 200
    assert secret.title not in page.content.decode()


def test_dla_officer_sees_restricted(client, dla_officer, resources):
    client.force_login(dla_officer)
    data = api(client, q=SECRET_WORD)
    assert [r["id"] for r in data["results"]] == [resources["restricted"].pk]
    assert data["results"][0]["restricted"] is True
    html = client.get(reverse("search"), {"q": SECRET_WORD}).content.decode()
    assert "Réservé au réseau DLA" in html
    suggestions = client.get(reverse("search-autocomplete"), {"q": "grille"}).json()
    assert suggestions["suggestions"][0]["url"] == resources["restricted"].url


def test_json_api_contract(client):
    data = api(client, q="trésorerie", type="outil")
    assert data["total"] == 1
    result = data["results"][0]
    assert result["title"] == "Trésorerie d'un chantier d'insertion"
    assert result["url"].startswith("http://testserver/")
    assert {f["value"]: f["count"] for f in data["facets"]["type"]} == {"outil": 1, "etude": 1}
    assert data["facets"]["type"][0]["selected"] in (True, False)
    assert "html_url" in data and "type=outil" in data["html_url"]


def test_spelling_suggestion_link(client):
    html = client.get(reverse("search"), {"q": "groupemant"}).content.decode()
    assert "Vouliez-vous dire" in html
    assert "?q=groupement" in html


def test_no_results_help(client):
    html = client.get(reverse("search"), {"q": "zzzzqqq", "annee": "2021"}).content.decode()
    assert "Aucune ressource ne correspond." in html
    assert "Retirer le filtre Année : 2021" in html


def test_empty_query_shows_latest(client):
    data = api(client)
    dates = [r["published_date"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 4
    assert data["sort"] == "date"


def test_long_query_truncated_with_notice(client):
    data = api(client, q="trésorerie " * 60)
    assert len(data["query"]) <= 200
    assert "trop longue" in data["notices"][0]


def test_unknown_facet_values_ignored_with_notice(client):
    data = api(client, q="", type="inexistant", theme="modele-economique", axe="abc")
    assert data["total"] == 2
    notices = " ".join(data["notices"])
    assert "inexistant" in notices and "abc" in notices


@pytest.mark.parametrize(
    "text",
    ['"', "(((", 'title:"x" AND (', "*", "NEAR(a b)", "'; DROP TABLE x; --", "\x00", "é" * 500],
)
def test_special_characters_never_500(client, text):
    # NUL bytes are refused site-wide with a French 400 (crdla.core middleware), before search.
    expected = 400 if "\x00" in text else 200
    assert client.get(reverse("search"), {"q": text}).status_code == expected
    assert client.get(reverse("search-api"), {"q": text}).status_code == expected
    assert client.get(reverse("search-autocomplete"), {"q": text}).status_code == expected


def test_page_out_of_range_shows_last_page(client):
    data = api(client, q="", page="999")
    assert data["page"] == 1 and data["total"] == 4
    data = api(client, q="", page="abc")
    assert data["page"] == 1


@pytest.mark.parametrize("page", ["1001", "10000", "9" * 5000])
def test_pages_past_the_result_window_are_capped_with_a_notice(client, page):
    data = api(client, q="trésorerie", page=page)
    assert data["page"] == 1  # two results: the last page
    if len(page) < 10:
        assert "10\xa0000 premières réponses" in data["notices"][0]
    html = client.get(reverse("search"), {"q": "trésorerie", "page": page})
    assert html.status_code == 200


def test_pagination_links_keep_the_query(client, resources, culture_index):
    from tests.factories import ResourcePageFactory

    for n in range(11):
        ResourcePageFactory(
            parent=culture_index, title=f"Fiche trésorerie {n}"
        ).save_revision().publish()
    from search.backends import get_backend
    from search.indexing import iter_documents

    get_backend().rebuild(iter_documents())
    response = client.get(reverse("search"), {"q": "trésorerie", "type": "outil", "tri": "date"})
    html = response.content.decode()
    assert "Fiche trésorerie" not in html  # kind filter: only the outil
    response = client.get(reverse("search"), {"q": "trésorerie", "tri": "date"})
    html = response.content.decode()
    assert "?q=tr%C3%A9sorerie&amp;tri=date&amp;page=2" in html
    assert client.get(reverse("search"), {"q": "trésorerie", "page": 2}).status_code == 200


def test_header_has_search_link(client, home):
    html = client.get("/recherche/").content.decode()
    assert 'href="/recherche/"' in html


def test_similar_resources_on_resource_page(client, resources):
    html = client.get(resources["festival"].url).content.decode()
    assert "Ressources similaires" in html
    assert "Trésorerie d&#x27;un chantier d&#x27;insertion" in html


def test_engine_down_gives_503_with_message(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_INDEX_PREFIX = "down"
    from search.backends import get_backend

    get_backend().client = get_backend().client.options(max_retries=0, request_timeout=1)
    response = client.get(reverse("search"), {"q": "x"})
    assert response.status_code == 503
    assert "momentanément indisponible" in response.content.decode()
    assert client.get(reverse("search-api"), {"q": "x"}).status_code == 503


def test_rendered_results_are_kept_per_audience_and_signed_in_state(
    client, dla_officer, make_user, resources
):
    """The results' HTML is kept per (query, filters, page, audience, signed in): a DLA
    officer's rendering, which lists a restricted tool, never reaches anyone else."""
    secret = f'href="{resources["restricted"].url}"'  # the hit's link
    params = {"q": SECRET_WORD}
    client.force_login(dla_officer)
    assert secret in client.get(reverse("search"), params).content.decode()
    client.logout()
    anonymous = client.get(reverse("search"), params).content.decode()
    assert secret not in anonymous
    assert "connectez-vous pour les consulter" in anonymous
    client.force_login(make_user("comite.search"))  # signed in, outside the network
    outsider = client.get(reverse("search"), params).content.decode()
    assert secret not in outsider
    assert "connectez-vous pour les consulter" not in outsider
    opened = client.get(reverse("search"), {**params, "filtres": "1"}).content.decode()
    assert opened != outsider  # the facets' disclosure opened: its own rendering
