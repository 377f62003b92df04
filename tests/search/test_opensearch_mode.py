"""OpenSearch mode against osmem-server (in-memory, OpenSearch 3.8-compatible).

osmem refuses the ES 8 client's compatibility media type; the OpenSearch mode node talks
plain JSON. osmem ignores our custom elision filter and approximates ranking, completion,
highlight offsets and more_like_this, so only what it runs faithfully is asserted here.
"""

import uuid

import pytest

from search.backends.elastic import ElasticsearchBackend
from search.indexing import iter_documents
from search.results import SearchQuery

from .conftest import SECRET_WORD


@pytest.fixture(scope="module")
def osmem_url():
    try:
        from osmem_server import OsmemError, OsmemServer
    except ImportError:
        pytest.skip("osmem-server n'est pas installé (pip install osmem-server)")
    try:
        server = OsmemServer.start(seed=[], freeze=False, japanese=False)
    except (OsmemError, OSError) as exc:
        pytest.skip(f"osmem-server n'a pas démarré : {exc}")
    yield server.url
    server.close()


def test_without_opensearch_mode_the_server_refuses(osmem_url):
    from elasticsearch import ApiError, UnsupportedProductError

    backend = ElasticsearchBackend(osmem_url, "plain")
    # Any request with a body is refused with a 406 (media type not supported).
    with pytest.raises((ApiError, UnsupportedProductError)):
        backend.client.search(index="_all", query={"match_all": {}})


def test_index_search_facets_and_visibility(osmem_url, resources, anonymous, dla_officer):
    backend = ElasticsearchBackend(osmem_url, f"os{uuid.uuid4().hex[:8]}", opensearch=True)
    assert backend.rebuild(iter_documents()) == 5
    results = backend.search(anonymous, SearchQuery(text="trésorerie"))
    # osmem's fuzzy matching is looser than ES's: the right ones are found, maybe more.
    assert {h.title for h in results.hits} >= {
        "Trésorerie d'un chantier d'insertion",
        "Économie des festivals de musique",
    }
    assert resources["restricted"].pk not in [h.page_id for h in results.hits]
    filtered = backend.search(anonymous, SearchQuery(filters={"kinds": ["outil"]}))
    assert [h.title for h in filtered.hits] == ["Trésorerie d'un chantier d'insertion"]
    assert {f.value: f.count for f in filtered.facets["kinds"]}["guide"] == 1
    # osmem's loose fuzziness finds other resources, never the DLA-only one.
    anonymous_hits = backend.search(anonymous, SearchQuery(text=SECRET_WORD, per_page=50)).hits
    assert resources["restricted"].pk not in [h.page_id for h in anonymous_hits]
    network_hits = backend.search(dla_officer, SearchQuery(text=SECRET_WORD, per_page=50)).hits
    assert resources["restricted"].pk in [h.page_id for h in network_hits]
    backend.remove(resources["tresorerie"].pk)
    assert resources["tresorerie"].pk not in backend.indexed_hashes()
