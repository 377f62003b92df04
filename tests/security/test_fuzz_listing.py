"""Fuzzing the public query parameters of the resource listing: never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ResourcePageFactory

PARAMETERS = ["type", "secteur", "theme", "public", "axe", "page"]

# Plausible values mixed with hostile ones: huge numbers, NUL bytes, SQL, unicode, markup.
VALUES = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "guide",
            "outil",
            "2",
            "0",
            "-1",
            "last",
            "1e9",
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "%00",
            "🙂",
            "9" * 400,
        ]
    ),
)
QUERIES = st.lists(st.tuples(st.sampled_from(PARAMETERS), VALUES), max_size=8)


@pytest.fixture
def listing(culture_index):
    for number in range(3):
        ResourcePageFactory(parent=culture_index, slug=f"r{number}")
    ResourcePageFactory(parent=culture_index, slug="reserve", visibility="dla")
    return culture_index


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=QUERIES)
def test_listing_never_fails(client, listing, query):
    response = client.get(listing.url, query)
    if any("\x00" in value for _name, value in query):
        assert response.status_code == 400
        assert "caractère nul" in response.content.decode()
        return
    assert response.status_code == 200, (query, response.status_code)
    assert "/reserve/" not in response.content.decode()


@pytest.mark.parametrize("path", ["/ressources\x00/", "/?page=\x00", "/?\x00=1"])
def test_null_characters_get_a_400_not_a_500(client, home, path):
    response = client.get(path)
    assert response.status_code == 400
