"""Every Elasticsearch failure becomes the French « recherche indisponible » notice, never a
500; requests stay bounded (one per results page, no retry on a timeout, bulk requests cut
by bytes). The engine is a scripted HTTP stand-in (standins.ScriptedElasticsearch) that
answers as a real cluster does when it refuses, stalls or is not Elasticsearch at all.
"""

import json
import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

from search.backends import SearchUnavailable
from search.backends.elastic import BULK_CHUNK_BYTES, ElasticsearchBackend
from search.facets import FACET_FIELDS

from .conftest import document
from .standins import ScriptedElasticsearch, free_port

NOTICE = "La recherche est momentanément indisponible"


def error(status, kind, reason):
    return status, {"error": {"type": kind, "reason": reason}, "status": status}


EMPTY_RESULTS = {
    "took": 1,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
    "aggregations": {
        f"facet_{field}": {"doc_count": 0, "values": {"buckets": []}} for field in FACET_FIELDS
    },
    "suggest": {"spelling": [{"text": "x", "offset": 0, "length": 1, "options": []}]},
}

FAILURES = {
    "window": error(400, "search_phase_execution_exception", "Result window is too large"),
    "highlight": error(400, "illegal_argument_exception", "exceeds max_analyzed_offset"),
    "missing index": error(404, "index_not_found_exception", "no such index"),
    "queue full": error(429, "es_rejected_execution_exception", "rejected execution"),
    "server error": error(500, "null_pointer_exception", "boom"),
    "unavailable": error(503, "cluster_block_exception", "no master"),
    "not json": (200, None, {"raw": b"{oops"}),
    "timeout": (200, EMPTY_RESULTS, {"delay": 1.5}),
    "not elasticsearch": (200, EMPTY_RESULTS, {"product": False}),
}


def scripted(failure=None, product=True):
    """A cluster whose alias exists and whose searches answer ``failure`` (or nothing)."""

    def answer(method, path, body):
        if "/_alias/" in path:
            name = path.split("/_alias/")[1].split("?")[0]
            return 200, {f"{name}-initial": {"aliases": {name: {}}}}, {"product": product}
        if "_search" in path and failure:
            return failure
        return 200, EMPTY_RESULTS, {"product": product}

    return ScriptedElasticsearch(answer)


@pytest.fixture
def stub_settings():
    """Settings pointing the site at a stand-in, with short timeouts."""
    servers = []

    def configure(server_url):
        return override_settings(
            ELASTICSEARCH_URL=server_url,
            ELASTICSEARCH_INDEX_PREFIX=f"stub{uuid.uuid4().hex[:8]}",
            ELASTICSEARCH_SEARCH_TIMEOUT=0.5,
            ELASTICSEARCH_INDEX_TIMEOUT=5,
        )

    yield configure, servers
    for server in servers:
        server.stop()


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_every_engine_failure_is_the_french_notice(client, db, stub_settings, case):
    configure, servers = stub_settings
    server = scripted(FAILURES[case], product=case != "not elasticsearch")
    servers.append(server)
    with configure(server.url):
        page = client.get(reverse("search"), {"q": "trésorerie"})
        assert page.status_code == 503
        assert NOTICE in page.content.decode()
        api = client.get(reverse("search-api"), {"q": "trésorerie"})
        assert api.status_code == 503 and NOTICE in api.json()["error"]
        suggestions = client.get(reverse("search-autocomplete"), {"q": "tréso"})
        assert suggestions.status_code == 200 and suggestions.json()["suggestions"] == []


def test_unreachable_engine_is_the_french_notice(client, db, stub_settings):
    configure, _ = stub_settings
    with configure(f"http://127.0.0.1:{free_port()}"):
        page = client.get(reverse("search"), {"q": "trésorerie"})
    assert page.status_code == 503 and NOTICE in page.content.decode()


def test_a_timeout_is_not_retried(db, anonymous):
    from search.results import SearchQuery

    server = scripted(FAILURES["timeout"])
    try:
        backend = ElasticsearchBackend(server.url, "slow", search_timeout=0.5)
        with pytest.raises(SearchUnavailable):
            backend.search(anonymous, SearchQuery(text="trésorerie"))
        assert len(server.paths("_search")) == 1
    finally:
        server.stop()


def test_one_request_per_results_page_suggestion_included(client, db, stub_settings):
    configure, servers = stub_settings
    server = scripted()
    servers.append(server)
    with configure(server.url):
        response = client.get(reverse("search"), {"q": "trésorerei"})
    assert response.status_code == 200
    (search,) = [r for r in server.requests if "_search" in r[1]]
    assert "suggest" in json.loads(search[2])


def bulk_cluster(fail_bulk=False):
    """A cluster that creates indices, accepts (or refuses) bulk requests and aliases."""

    def answer(method, path, body):
        if "/_bulk" in path:
            if fail_bulk:
                return error(503, "circuit_breaking_exception", "data too large")
            lines = body.decode().splitlines()
            items = [
                {"index": {"_id": json.loads(line)["index"]["_id"], "status": 201}}
                for line in lines[::2]
            ]
            return 200, {"took": 1, "errors": False, "items": items}
        if "/_alias/" in path:
            return error(404, "aliases_not_found_exception", "missing")
        return 200, {"acknowledged": True}

    return ScriptedElasticsearch(answer)


def big_documents(count, size):
    return [document(i, f"Guide {i}", attachments="x" * size) for i in range(1, count + 1)]


def test_bulk_requests_are_cut_by_bytes(db):
    server = bulk_cluster()
    try:
        backend = ElasticsearchBackend(server.url, "bulk")
        assert backend.rebuild(big_documents(24, 1_000_000)) == 24
        bulks = [body for method, path, body in server.requests if "/_bulk" in path]
        assert len(bulks) >= 3
        assert all(len(body) <= BULK_CHUNK_BYTES for body in bulks)
        # The new index is refreshed, then put behind the alias.
        assert server.paths("/_refresh") and server.paths("/_aliases")
    finally:
        server.stop()


def test_rebuild_refused_by_the_cluster_deletes_its_index(db):
    server = bulk_cluster(fail_bulk=True)
    try:
        backend = ElasticsearchBackend(server.url, "broken")
        with pytest.raises(SearchUnavailable):
            backend.rebuild(big_documents(3, 10))
        (created,) = [
            path
            for method, path, body in server.requests
            if method == "PUT" and "_bulk" not in path
        ]
        deleted = [path for method, path, body in server.requests if method == "DELETE"]
        assert deleted == [created]
        assert not server.paths("/_aliases")
    finally:
        server.stop()
