"""Finding 6 of issue 12: a search engine that accepts connections and never answers costs a
page a few seconds (the production timeouts), with the French notice or without the similar
resources, never a 500."""

import time

import pytest
from django.urls import reverse

from tests.factories import ResourcePageFactory
from tests.outbox.faults import SilentListener

NOTICE = "La recherche est momentanément indisponible"


@pytest.fixture
def hung_engine(settings):
    with SilentListener() as hung:
        settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{hung.port}"
        settings.ELASTICSEARCH_INDEX_PREFIX = f"hung{hung.port}"
        yield hung


def timed(client, url, **params):
    start = time.monotonic()
    response = client.get(url, params)
    return response, time.monotonic() - start


def test_search_page_shows_the_notice_within_seconds(client, db, hung_engine):
    response, elapsed = timed(client, reverse("search"), q="trésorerie")
    assert response.status_code == 503 and NOTICE in response.content.decode()
    assert elapsed < 8, elapsed


def test_resource_page_hides_similar_resources_within_seconds(client, culture_index, hung_engine):
    page = ResourcePageFactory(parent=culture_index, title="Plan de trésorerie")
    response, elapsed = timed(client, page.url)
    assert response.status_code == 200
    assert "Plan de trésorerie" in response.content.decode()
    assert elapsed < 8, elapsed
