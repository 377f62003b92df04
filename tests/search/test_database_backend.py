"""The database backend (SQLite FTS5 or PostgreSQL full text, whichever runs the tests)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from search.results import SORT_DATE, SearchQuery

from .conftest import SECRET_WORD


def titles(results):
    return [hit.title for hit in results.hits]


def test_finds_french_text_ranked_title_first(db_backend, anonymous):
    results = db_backend.search(anonymous, SearchQuery(text="trésorerie"))
    assert results.total == 2  # the DLA-only grille is not counted for anonymous visitors
    assert results.hits[0].title == "Trésorerie d'un chantier d'insertion"


def test_accents_are_folded(db_backend, anonymous):
    results = db_backend.search(anonymous, SearchQuery(text="economie festivals"))
    assert titles(results) == ["Économie des festivals de musique"]


def test_plural_and_singular_match(db_backend, anonymous):
    assert db_backend.search(anonymous, SearchQuery(text="chantiers")).total == 1
    assert db_backend.search(anonymous, SearchQuery(text="festival")).total == 1


def test_highlights_are_marked_and_escaped(db_backend, anonymous):
    hit = db_backend.search(anonymous, SearchQuery(text="banque")).hits[0]
    html = str(hit.highlighted[0])
    assert "<mark>banque</mark>" in html


def test_empty_query_lists_latest_first(db_backend, anonymous):
    results = db_backend.search(anonymous, SearchQuery(text=""))
    assert results.total == 4
    dates = [hit.published_date for hit in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_sort_by_date(db_backend, anonymous):
    results = db_backend.search(anonymous, SearchQuery(text="trésorerie", sort=SORT_DATE))
    assert titles(results) == [
        "Trésorerie d'un chantier d'insertion",
        "Économie des festivals de musique",
    ]


def test_facets_count_the_matched_set(db_backend, anonymous):
    results = db_backend.search(anonymous, SearchQuery(text="trésorerie"))
    themes = {f.value: f.count for f in results.facets["themes"]}
    assert themes == {"modele-economique": 2}
    kinds = {f.value: f.count for f in results.facets["kinds"]}
    assert kinds == {"outil": 1, "etude": 1}
    labels = {f.value: f.label for f in results.facets["kinds"]}
    assert labels["etude"] == "Étude / enquête"


def test_selected_facet_keeps_counts_of_its_alternatives(db_backend, anonymous):
    results = db_backend.search(anonymous, SearchQuery(text="", filters={"kinds": ["outil"]}))
    assert titles(results) == ["Trésorerie d'un chantier d'insertion"]
    kinds = {f.value: (f.count, f.selected) for f in results.facets["kinds"]}
    # Counts of the other kinds ignore the kind selection itself…
    assert kinds == {
        "outil": (1, True),
        "guide": (1, False),
        "etude": (1, False),
        "fiche_pratique": (1, False),
    }
    # …while the other facets follow it.
    assert {f.value: f.count for f in results.facets["year"]} == {"2024": 1}


def test_filters_combine_across_facets(db_backend, anonymous):
    query = SearchQuery(filters={"themes": ["modele-economique"], "year": ["2022"]})
    assert titles(db_backend.search(anonymous, query)) == ["Économie des festivals de musique"]


def test_pagination(db_backend, anonymous):
    first = db_backend.search(anonymous, SearchQuery(per_page=3, page=1))
    second = db_backend.search(anonymous, SearchQuery(per_page=3, page=2))
    assert len(first.hits) == 3 and len(second.hits) == 1
    assert not set(titles(first)) & set(titles(second))


def test_dla_officer_sees_restricted_everywhere(db_backend, dla_officer):
    results = db_backend.search(dla_officer, SearchQuery(text=SECRET_WORD))
    assert results.total == 1 and results.hits[0].is_restricted
    assert db_backend.autocomplete(dla_officer, "grille")[0]["title"].startswith("Grille")


def test_anonymous_never_gets_restricted(db_backend, anonymous, resources):
    assert db_backend.search(anonymous, SearchQuery(text=SECRET_WORD)).total == 0
    assert db_backend.autocomplete(anonymous, "grille") == []
    assert db_backend.spelling_suggestion(anonymous, "confidentialisime") is None
    everything = db_backend.search(anonymous, SearchQuery(text="", per_page=50))
    assert resources["restricted"].pk not in [h.page_id for h in everything.hits]
    for hit in db_backend.similar(resources["festival"].pk, anonymous, limit=10):
        assert hit.page_id != resources["restricted"].pk
    outils = {f.value: f.count for f in everything.facets["kinds"]}
    assert outils["outil"] == 1


def test_spelling_suggestion(db_backend, anonymous, dla_officer):
    assert (
        db_backend.spelling_suggestion(anonymous, "groupemant employeurs")
        == "groupement employeurs"
    )
    assert db_backend.spelling_suggestion(dla_officer, "confidentialisime") == SECRET_WORD


def test_similar_resources(db_backend, anonymous, dla_officer, resources):
    similar = db_backend.similar(resources["festival"].pk, dla_officer)
    ids = [h.page_id for h in similar]
    assert resources["festival"].pk not in ids
    assert resources["restricted"].pk in ids or resources["tresorerie"].pk in ids


def test_special_characters_never_break(db_backend, anonymous):
    for text in ['"', "(", 'title:"x" AND (', "*", "-", "NEAR(", "'; DROP TABLE x; --", "^~!{}[]"]:
        db_backend.search(anonymous, SearchQuery(text=text))
        db_backend.autocomplete(anonymous, text)


def test_remove_and_reindex_are_idempotent(db_backend, anonymous, resources):
    page_id = resources["groupement"].pk
    db_backend.remove(page_id)
    db_backend.remove(page_id)
    assert db_backend.search(anonymous, SearchQuery(text="groupement")).total == 0
    from search.indexing import sync_page

    sync_page(page_id, db_backend)
    sync_page(page_id, db_backend)
    assert db_backend.search(anonymous, SearchQuery(text="groupement")).total == 1


def test_results_are_cached_until_the_index_changes(db_backend, anonymous, dla_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import document

    query = SearchQuery(text="trésorerie", filters={"themes": ["modele-economique"]})
    first = db_backend.search(anonymous, query)
    with CaptureQueriesContext(connection) as queries:
        again = db_backend.search(anonymous, query)
    # A cached answer costs no search query; with per-process caches (these settings) the
    # cache generation is read from the database, once (a shared cache holds it instead).
    assert [q["sql"] for q in queries if "pagecache_cachegeneration" not in q["sql"]] == []
    assert len(queries) <= 1
    assert (titles(again), again.total, again.facets) == (titles(first), first.total, first.facets)
    # Visibility is part of the key: the network sees its DLA-only resource.
    assert db_backend.search(anonymous, SearchQuery(text="trésorerie")).total == 2
    assert db_backend.search(dla_officer, SearchQuery(text="trésorerie")).total == 3

    db_backend.index_many(
        [document(990001, "Trésorerie des associations", themes=["modele-economique"])]
    )
    assert db_backend.search(anonymous, query).total == first.total + 1
    db_backend.remove(990001)
    assert db_backend.search(anonymous, query).total == first.total


def test_an_entry_changed_in_place_is_matched_by_its_new_text(db_backend, anonymous):
    """The engine's match structures follow an UPDATE of an entry (FTS5 triggers on SQLite,
    the narrow match table's triggers on PostgreSQL), not only the index's delete + insert."""
    from search.models import KnowledgeEntry

    entry = KnowledgeEntry.objects.get(title="Trésorerie d'un chantier d'insertion")
    KnowledgeEntry.objects.filter(pk=entry.pk).update(title="Zythologie d'un chantier")
    results = db_backend.search(anonymous, SearchQuery(text="zythologie"))
    assert [hit.page_id for hit in results.hits] == [entry.pk]
    KnowledgeEntry.objects.filter(pk=entry.pk).delete()
    assert db_backend.search(anonymous, SearchQuery(text="chantier zythologie")).total == 0


HYPHENATED = [
    "médico-social",
    "Médico-social tiers-lieu",
    "médico-social or tiers-lieu",
    "-médico-social association",
    "Île-de-France",
    "c'est-à-dire",
    '"accompagnement médico-social"',  # a quoted phrase: kept as a phrase
    "médico-social,tiers-lieu",  # one chain of two words: kept
    "covid-19",
]


@pytest.mark.parametrize("text", HYPHENATED)
def test_hyphenated_words_find_what_their_phrase_finds(db, text):
    """PostgreSQL: a hyphenated word is matched by its whole word's lexeme instead of a phrase
    of it and its parts (positions read from every candidate's large vector); the entries
    found are the phrase's, word for word."""
    from django.db import connection

    from search.backends.database import DatabaseBackend, compound_words_alone

    from .conftest import document

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's full-text phrases")
    texts = [
        "Accompagnement médico-social des associations en Île-de-France",
        "Le médico et le social, deux mondes",
        "Social médico",
        "Un tiers-lieu culturel, c'est-à-dire un lieu partagé",
        "Le tiers des lieux",
        "L'association et le covid-19",
        "Médico-social, tiers-lieu : une association",
    ]
    backend = DatabaseBackend()
    backend.rebuild(document(980000 + i, title) for i, title in enumerate(texts))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(page_id), websearch_to_tsquery('crdla_french'::regconfig, %s)::text "
            "FROM search_knowledgematch "
            "WHERE search_vector @@ websearch_to_tsquery('crdla_french'::regconfig, %s)",
            [text, text],
        )
        phrase_found, tsquery = cursor.fetchone()
    results = backend.search(AnonymousUser(), SearchQuery(text=text))
    assert {hit.page_id for hit in results.hits} == set(phrase_found or [])
    reduced = compound_words_alone(tsquery)
    assert (reduced is None) == (text in HYPHENATED[-3:]), (tsquery, reduced)


FEW_WORDS = [
    ("trésorerie", 6),
    ("trésorerie associations", 3),  # both in one title or summary, or apart
    ("trésorerie trésoreries", 6),  # one lexeme twice
    ("la trésorerie", 6),  # a stop word
    ("budget trésorerie", 1),
    ("plan financement", 2),
]


@pytest.mark.parametrize("text, found", FEW_WORDS)
def test_a_search_of_one_or_two_words_ranks_as_the_general_statement_does(db, text, found):
    """PostgreSQL: a query of one or two words ranks only the entries whose title or summary
    holds every word (their own index); every match, the ranked ones and their order are
    those of the general statement, which ranks every match."""
    from django.db import connection

    from search.backends.database import DatabaseBackend, PostgresDialect

    from .conftest import document

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's ranking")
    DatabaseBackend().rebuild(
        [
            document(970001, "Trésorerie", "La trésorerie des associations."),
            document(
                970002, "Guide", "Trésorerie : les bases.", "Les associations et la trésorerie."
            ),
            document(970003, "Fonds propres", "Rien ici.", "La trésorerie, plus loin."),
            document(970004, "Trésorerie et trésorerie", "", "Des associations."),
            document(970005, "Budget", "Le budget, la trésorerie.", "Sans plus."),
            document(970006, "Guide", "Trésorerie : les bases.", "Un mot de trésorerie."),
            document(970007, "Plan de financement", "Le plan.", "Un financement."),
            document(970008, "Le plan", "Rien.", "Le financement, très loin du " + "mot " * 300),
        ]
    )
    dialect = PostgresDialect()
    with connection.cursor() as cursor:
        few_words = dialect.match(cursor, text, ranked=True)
        general = dialect.match(cursor, text + " .", ranked=True)  # not a few words: general
    assert sorted(few_words.ids) == sorted(general.ids) and len(general.ids) == found
    assert few_words.above == general.above and few_words.below == general.below
    assert list(few_words.ranked()) == list(general.ranked())
