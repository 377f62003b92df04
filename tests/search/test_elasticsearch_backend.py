"""The Elasticsearch backend against noida-db, an in-memory ES 8.15 stand-in (see standins.py).

noida-db runs what is asserted here (custom French analysis, bulk, combined_fields,
multi_match with fuzziness, phrases, filtered aggregations with post_filter, highlights,
completion with contexts, the phrase suggester with collate, more_like_this, aliases,
index.max_result_window). What a stand-in cannot prove (exact scoring, phrase slop, real ES
refusing malformed bodies) is covered by the request-body tests in
test_elasticsearch_queries.py; search/README.md lists the differences.
"""

import json
import threading
import uuid

import pytest
from django.test import override_settings

from search.backends import SearchUnavailable
from search.backends.elastic import ElasticsearchBackend
from search.indexing import check_index, iter_documents, repair_index, sync_page
from search.results import MAX_RESULT_WINDOW, SearchQuery

from .conftest import SECRET_WORD, document
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
def es(es_url, db):
    # db: a write bumps the cache generation, kept in the database.
    backend = ElasticsearchBackend(es_url, f"test{uuid.uuid4().hex[:10]}")
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
    # Stemmed before folding: Lucene's -ère rule joins feminine and masculine forms.
    assert analyze("financière") == analyze("financier") == analyze("financières")
    assert analyze("conseillère") == analyze("conseiller") == analyze("Conseillers")
    # Elision with both apostrophes, at the start of a sentence too.
    assert analyze("L’économie") == analyze("l'économie") == analyze("economie")


def test_multi_word_queries_across_fields(es_loaded, anonymous):
    # One word in the title, the other in the body: found (best_fields found nothing).
    assert titles(es_loaded.search(anonymous, SearchQuery(text="chantier banque"))) == [
        "Trésorerie d'un chantier d'insertion"
    ]
    assert titles(es_loaded.search(anonymous, SearchQuery(text="festivals billetterie"))) == [
        "Économie des festivals de musique"
    ]
    hit = es_loaded.search(anonymous, SearchQuery(text="chantier banque")).hits[0]
    assert "<mark>chantier</mark>" in str(hit.title_html)
    assert "<mark>banque</mark>" in str(hit.highlighted[0])


def test_stemming_pairs_find_each_other(es, anonymous):
    es.index_many(
        [
            document(901, "La conseillère du réseau", "Une fiche financière."),
            document(902, "Accompagnement des structures", "Le conseiller financier."),
        ]
    )
    for text in ("conseiller", "conseillère", "financière", "financier", "Financieres"):
        assert set(titles(es.search(anonymous, SearchQuery(text=text)))) == {
            "La conseillère du réseau",
            "Accompagnement des structures",
        }, text


def test_quoted_phrase_is_required(es, anonymous):
    es.index_many(
        [
            document(911, "Renforcer les fonds propres", "Quand les associations épargnent."),
            document(912, "Les fonds de dotation", "Ressources propres et mécénat."),
        ]
    )
    assert len(es.search(anonymous, SearchQuery(text="fonds propres")).hits) == 2
    for typed in ('"fonds propres"', "« fonds propres »"):
        assert titles(es.search(anonymous, SearchQuery(text=typed))) == [
            "Renforcer les fonds propres"
        ]


def test_deep_pages_stay_within_the_window(es_loaded, anonymous):
    # The stand-in enforces index.max_result_window like ES: these would be 400s unclamped.
    for page in (1_001, 10_000):
        results = es_loaded.search(anonymous, SearchQuery(text="trésorerie", page=page))
        assert results.page == MAX_RESULT_WINDOW // 10 and results.hits == []


def test_hits_carry_no_body_or_attachments(es, anonymous):
    big = "Le plan de trésorerie mensuel. " * 1_600  # 50,000 characters (the stand-in is slow)
    es.index_many([document(921, "Guide trésorerie", "Court.", body=big, attachments=big)])
    body = es.build_search(anonymous, SearchQuery(text="trésorerie")).to_dict()
    raw = es.client.search(index=es.alias, body=body)
    size = len(json.dumps(raw.body))
    assert raw["hits"]["total"]["value"] == 1
    assert size < 5_000, size
    assert set(raw["hits"]["hits"][0]["_source"]) <= set(body["_source"])


def test_suggestions_only_find_visible_documents(es_loaded, anonymous, dla_officer):
    # The word exists only in the DLA-only resource.
    assert es_loaded.search(anonymous, SearchQuery(text="confidentialisime")).suggestion is None
    assert es_loaded.spelling_suggestion(anonymous, "confidentialisime") is None
    officer = es_loaded.search(dla_officer, SearchQuery(text="confidentialisime"))
    assert officer.suggestion == "confidentialissime"
    # Words as written, the user's capital and apostrophe kept.
    assert (
        es_loaded.spelling_suggestion(anonymous, "Trésorerei d’un chantier")
        == "Trésorerie d’un chantier"
    )


def test_first_index_and_alias_created_once_under_a_race(es_url, db):
    prefix = f"race{uuid.uuid4().hex[:8]}"
    barrier = threading.Barrier(2)

    class Racing(ElasticsearchBackend):
        seen = False

        def alias_targets(self, client=None):
            targets = super().alias_targets(client)
            if not self.seen:  # both processes see no alias before either creates one
                self.seen = True
                barrier.wait(timeout=10)
            return targets

    backends = [Racing(es_url, prefix) for _ in range(2)]
    threads = [threading.Thread(target=b.ensure_index) for b in backends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert backends[0].alias_targets() == [f"{prefix}-knowledge-initial"]
        backends[1].index_many([document(931, "Écrit après la course")])
        assert backends[0].indexed_hashes().keys() == {931}
    finally:
        drop_indices(backends[0])


def test_failed_rebuild_drops_its_index_and_keeps_the_old_one(es_loaded, anonymous):
    (before,) = es_loaded.alias_targets()
    prefix = es_loaded.alias

    def documents():
        yield from iter_documents()
        raise RuntimeError("la base a disparu")

    with pytest.raises(RuntimeError):
        es_loaded.rebuild(documents())
    indices = es_loaded.client.indices.get(index=f"{prefix}-*")
    assert sorted(indices) == [before]
    assert es_loaded.search(anonymous, SearchQuery()).total == 4
    # A refused document aborts the rebuild the same way.
    refused = document(941, "Date impossible")
    refused["published_date"] = "pas une date"
    with pytest.raises(SearchUnavailable):
        es_loaded.rebuild([*iter_documents(), refused])
    assert sorted(es_loaded.client.indices.get(index=f"{prefix}-*")) == [before]


def test_live_writes_never_create_an_index_under_the_alias_name(es_loaded):
    for name in es_loaded.alias_targets():
        es_loaded.client.indices.delete(index=name)
    with pytest.raises(SearchUnavailable):
        es_loaded.index_many([document(951, "Perdu")])
    assert not es_loaded.client.indices.exists(index=es_loaded.alias)
    # The next write creates the index and its alias again.
    es_loaded.index_many([document(951, "Retrouvé")])
    assert es_loaded.alias_targets() == [f"{es_loaded.alias}-initial"]


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


def test_a_search_made_before_the_indexing_is_not_kept_after_it(client, es_url, resources):
    """Seen on the two-instance stack: a search made between a publication and its indexing
    (a task run after the commit) was kept for the publication's generation, so the page was
    never found. An index write bumps the generation, as with the database backend."""
    prefix = f"view{uuid.uuid4().hex[:8]}"
    with override_settings(ELASTICSEARCH_URL=es_url, ELASTICSEARCH_INDEX_PREFIX=prefix):
        from search.backends import get_backend

        backend = get_backend()
        backend.rebuild(iter_documents())
        page = resources["gouvernance"]
        page.title = "Gouvernance des cerfs-volants"
        page.save_revision().publish()  # its indexing task waits for a commit (none in tests)
        link = f'href="{page.url}"'
        assert link not in client.get("/recherche/", {"q": "cerfs-volants"}).content.decode()
        sync_page(page.pk)  # what the task does
        found = client.get("/recherche/", {"q": "cerfs-volants"}).content.decode()
        drop_indices(backend)
        assert link in found
