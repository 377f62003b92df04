"""Fuzzing the knowledge-base search (page, JSON API, suggestions) and the calls-for-tenders
listing with hypothesis: never a server error, and DLA-only resources never leak."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends import get_backend
from search.indexing import iter_documents
from tests.public_site import add_network_and_search_pages, build_public_site
from tests.security.test_fuzz_listing import VALUES

SEARCH_PARAMETERS = [
    "q",
    "tri",
    "page",
    "centre",
    "secteur",
    "type",
    "theme",
    "public",
    "axe",
    "region",
    "annee",
]
SEARCH_VALUES = st.one_of(
    VALUES,
    st.sampled_from(
        ["guide", "modele-eco", "cm-dla", "culture", "44", "2024", "pertinence", "date", "*", '"']
    ),
)
SEARCH_QUERIES = st.lists(st.tuples(st.sampled_from(SEARCH_PARAMETERS), SEARCH_VALUES), max_size=8)
CALL_QUERIES = st.lists(
    st.tuples(
        st.sampled_from(["secteur", "departement", "type", "page"]),
        st.one_of(VALUES, st.sampled_from(["culture", "51", "2A", "individuel", "collectif"])),
    ),
    max_size=6,
)
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site(home):
    site = add_network_and_search_pages(build_public_site(home, resources=3))
    get_backend().rebuild(iter_documents())
    return site


def has_nul(query):
    return any("\x00" in name or "\x00" in value for name, value in query)


@FUZZ
@given(query=SEARCH_QUERIES)
def test_search_never_fails(client, site, query):
    restricted = site["restricted_resource"].title
    for path in ("/recherche/", "/recherche/api/", "/recherche/suggestions/"):
        response = client.get(path, query)
        if has_nul(query):
            assert response.status_code == 400, (path, query)
            continue
        assert response.status_code == 200, (path, query, response.status_code)
        if response["Content-Type"].startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
        else:
            body = response.content.decode()
        assert restricted not in body, (path, query)


@FUZZ
@given(query=CALL_QUERIES)
def test_calls_listing_never_fails(client, site, query):
    for path in ("/consultations/", "/consultations/rss/", site["calls_index"].url):
        response = client.get(path, query)
        if has_nul(query):
            assert response.status_code == 400, (path, query)
            continue
        assert response.status_code == 200, (path, query, response.status_code)


@pytest.mark.parametrize("path", ["/recherche/", "/recherche/api/"])
def test_huge_page_number_shows_the_last_page(client, site, path):
    """Regression: a page number beyond SQLite's integers was a 500 (OverflowError)."""
    response = client.get(path, {"q": "guide", "page": "9" * 400})
    assert response.status_code == 200
