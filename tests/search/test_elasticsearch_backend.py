"""The Elasticsearch backend against noida-db, an in-memory ES 8.15 stand-in (see standins.py).

noida-db runs everything used here (custom French analyzer, bulk, multi_match with
fuzziness, filtered aggregations with post_filter, highlights, completion with contexts,
term suggester, more_like_this, aliases). What a stand-in cannot prove (exact scoring,
real ES refusing malformed bodies) is covered by the request-body tests in
test_elasticsearch_queries.py.
"""

import uuid

import pytest
from django.test import override_settings

from search.backends import SearchUnavailable
from search.backends.elastic import ElasticsearchBackend
from search.indexing import check_index, iter_documents, repair_index, sync_page
from search.results import SearchQuery

from .conftest import SECRET_WORD
from .standins import NoidaElasticsearch, free_port


@pytest.fixture(scope="module")
def es_url():
    server = NoidaElasticsearch()
    reason = server.start()
    if reason:
        pytest.skip(f"Stand-in Elasticsearch indisponible : {reason}")
    yield server.url
    server.stop()


@pytest.fixture
def es(es_url):
    backend = ElasticsearchBackend(es_url, f"test{uuid.uuid4().hex[:10]}", refresh=True)
    yield backend
    drop_indices(backend)


def drop_indices(backend):
    # Named deletes: real ES refuses wildcard deletes (action.destructive_requires_name).
    for name in backend.alias_targets():
        backend.client.options(ignore_status=404).indices.delete(index=name)


@pytest.fixture
def es_loaded(es, resources):
    es.rebuild(iter_documents())
    return es


def titles(results):
    return [hit.title for hit in results.hits]


def test_mapping_created_with_french_analysis(es_loaded):
    (index_name,) = es_loaded.alias_targets()
    mapping = es_loaded.client.indices.get_mapping(index=es_loaded.alias)[index_name]["mappings"]
    properties = mapping["properties"]
    assert properties["title"]["analyzer"] == "crdla_french"
    assert properties["title"]["fields"]["raw"]["type"] == "keyword"
    assert properties["themes"]["type"] == "keyword"
    assert properties["suggest"]["type"] == "completion"

    def analyze(text):
        tokens = es_loaded.client.indices.analyze(
            index=es_loaded.alias, analyzer="crdla_french", text=text
        )["tokens"]
        return [t["token"] for t in tokens]

    # Stop word dropped, accents folded, plural and singular stemmed alike.
    assert analyze("Les Économies") == analyze("economie")
    assert len(analyze("Les Économies")) == 1


def test_search_ranks_title_first_with_typos(es_loaded, anonymous):
    results = es_loaded.search(anonymous, SearchQuery(text="trésorerie"))
    assert results.total == 2
    assert results.hits[0].title == "Trésorerie d'un chantier d'insertion"
    # Typo tolerance (fuzziness AUTO) and accent folding.
    assert "Groupement d'employeurs dans le sport" in titles(
        es_loaded.search(anonymous, SearchQuery(text="groupemant employeur"))
    )
    assert titles(es_loaded.search(anonymous, SearchQuery(text="economie festivals")))[0] == (
        "Économie des festivals de musique"
    )


def test_highlights(es_loaded, anonymous):
    hit = es_loaded.search(anonymous, SearchQuery(text="banque")).hits[0]
    assert "<mark>banque</mark>" in str(hit.highlighted[0])


def test_facets_and_post_filter(es_loaded, anonymous):
    results = es_loaded.search(anonymous, SearchQuery(filters={"kinds": ["outil"]}))
    assert titles(results) == ["Trésorerie d'un chantier d'insertion"]
    kinds = {f.value: (f.count, f.selected) for f in results.facets["kinds"]}
    assert kinds == {
        "outil": (1, True),
        "guide": (1, False),
        "etude": (1, False),
        "fiche_pratique": (1, False),
    }
    assert {f.value: f.count for f in results.facets["year"]} == {"2024": 1}
    combined = es_loaded.search(
        anonymous, SearchQuery(filters={"themes": ["modele-economique"], "year": ["2022"]})
    )
    assert titles(combined) == ["Économie des festivals de musique"]


def test_sort_by_date_and_pagination(es_loaded, anonymous):
    first = es_loaded.search(anonymous, SearchQuery(per_page=3))
    second = es_loaded.search(anonymous, SearchQuery(per_page=3, page=2))
    dates = [h.published_date for h in first.hits + second.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 4


def test_visibility_on_every_path(es_loaded, anonymous, dla_officer, resources):
    secret = resources["restricted"].pk
    assert es_loaded.search(anonymous, SearchQuery(text=SECRET_WORD)).total == 0
    everything = es_loaded.search(anonymous, SearchQuery(per_page=50))
    assert secret not in [h.page_id for h in everything.hits]
    assert {f.value: f.count for f in everything.facets["kinds"]}["outil"] == 1
    assert es_loaded.autocomplete(anonymous, "grille") == []
    assert es_loaded.spelling_suggestion(anonymous, "confidentialisime") is None
    assert secret not in [h.page_id for h in es_loaded.similar(resources["festival"].pk, anonymous)]
    # …and the network sees it everywhere.
    assert es_loaded.search(dla_officer, SearchQuery(text=SECRET_WORD)).total == 1
    assert es_loaded.autocomplete(dla_officer, "grille")[0]["title"].startswith("Grille")


def test_similar(es_loaded, dla_officer, resources):
    ids = [h.page_id for h in es_loaded.similar(resources["restricted"].pk, dla_officer)]
    assert resources["restricted"].pk not in ids
    assert resources["tresorerie"].pk in ids or resources["festival"].pk in ids


def test_special_characters(es_loaded, anonymous):
    for text in ['"', "(", 'title:"x" AND (', "*", "a OR", "\\", "/regex/", "^~!{}[]"]:
        es_loaded.search(anonymous, SearchQuery(text=text))


def test_delete_reindex_and_check(es_loaded, anonymous, resources):
    page_id = resources["groupement"].pk
    es_loaded.remove(page_id)
    es_loaded.remove(page_id)  # idempotent
    assert es_loaded.search(anonymous, SearchQuery(text="groupement")).total == 0
    report = check_index(es_loaded)
    assert report.missing == [page_id] and not report.extra
    assert repair_index(report, es_loaded) == 1
    assert check_index(es_loaded).ok
    sync_page(page_id, es_loaded)
    assert es_loaded.search(anonymous, SearchQuery(text="groupement")).total == 1


def test_rebuild_swaps_alias_atomically(es_loaded, anonymous):
    (before,) = es_loaded.alias_targets()
    seen = []
    # While the new index is being filled, the alias still serves the old one.
    es_loaded.rebuild(
        iter_documents(),
        progress=lambda n: seen.append(es_loaded.search(anonymous, SearchQuery()).total),
    )
    (after,) = es_loaded.alias_targets()
    assert after != before
    assert all(total == 4 for total in seen)
    assert not es_loaded.client.indices.exists(index=before)
    assert es_loaded.search(anonymous, SearchQuery()).total == 4


def test_engine_down_raises_search_unavailable(anonymous):
    backend = ElasticsearchBackend(f"http://127.0.0.1:{free_port()}", "down")
    backend.client = backend.client.options(max_retries=0, request_timeout=1)
    with pytest.raises(SearchUnavailable):
        backend.search(anonymous, SearchQuery(text="x"))
    with pytest.raises(SearchUnavailable):
        backend.index_many([])


def test_views_use_elasticsearch_when_configured(client, es_url, resources):
    prefix = f"view{uuid.uuid4().hex[:8]}"
    with override_settings(ELASTICSEARCH_URL=es_url, ELASTICSEARCH_INDEX_PREFIX=prefix):
        from search.backends import get_backend

        backend = get_backend()
        assert isinstance(backend, ElasticsearchBackend)
        backend.rebuild(iter_documents())
        response = client.get("/recherche/api/", {"q": "trésorerie", "type": "outil"})
        data = response.json()
        assert [r["title"] for r in data["results"]] == ["Trésorerie d'un chantier d'insertion"]
        assert response.status_code == 200
        drop_indices(backend)
