"""The exact request bodies built for Elasticsearch, checked against the ES 8 reference.

No server needed. These pin down what the stand-ins only approximate or skip (see
search/README.md): the analysis chain in Lucene's order, combined_fields' rules (one search
analyzer, boosts >= 1), typo tolerance on short fields only, phrases, bounded _source and
highlights, the page window, the phrase suggester's collate query with the visibility
filter, the first index created with its alias.
"""

import re

from search.backends.elastic import (
    HIGHLIGHT_MAX_ANALYZED_OFFSET,
    HIT_SOURCE,
    ElasticsearchBackend,
    index_definition,
)
from search.results import MAX_RESULT_WINDOW, SORT_DATE, SearchQuery


def backend(**kwargs):
    # No request is sent by the builders: any address will do.
    return ElasticsearchBackend("http://127.0.0.1:9", "body", **kwargs)


def analyzer_of(mapping, path):
    node = mapping
    for part in path.split("."):
        node = node["properties"][part] if "properties" in node else node["fields"][part]
    return node["analyzer"]


def test_index_definition_french_analysis_in_lucene_order():
    body = index_definition("crdla-knowledge-1").to_dict()
    analysis = body["settings"]["analysis"]
    # Stemming before folding: FrenchLightStemmer's -ère/-ième/-ète rules need the accents,
    # and the _french_ stop list is accented.
    chain = analysis["analyzer"]["crdla_french"]["filter"]
    assert chain == [
        "lowercase",
        "crdla_french_elision",
        "crdla_french_stop",
        "crdla_french_stemmer",
        "asciifolding",
    ]
    assert analysis["analyzer"]["crdla_french"]["char_filter"] == ["crdla_apostrophes"]
    assert analysis["char_filter"]["crdla_apostrophes"] == {
        "type": "mapping",
        "mappings": ["\u2019 => '", "\u02bc => '"],
    }
    assert analysis["filter"]["crdla_french_stemmer"] == {
        "type": "stemmer",
        "language": "light_french",
    }
    assert analysis["filter"]["crdla_french_stop"]["stopwords"] == "_french_"
    elision = analysis["filter"]["crdla_french_elision"]
    assert elision["articles_case"] is True and {"l", "d", "qu"} <= set(elision["articles"])
    # Suggestions propose words as written: no stemming, no folding.
    assert analysis["analyzer"]["crdla_words"]["filter"] == ["lowercase"]
    properties = body["mappings"]["properties"]
    assert properties["spelling"]["analyzer"] == "crdla_words"
    assert properties["suggest"]["contexts"] == [
        {"name": "visibility", "type": "category", "path": "visibility"}
    ]
    for facet in ("centre", "sectors", "kinds", "themes", "audiences", "axes", "regions", "year"):
        assert properties[facet] == {"type": "keyword"}
    assert properties["title"]["fields"]["raw"] == {"type": "keyword"}
    assert properties["content_hash"] == {"type": "keyword", "index": False}


def test_index_settings_bound_pages_and_highlights():
    body = index_definition("x").to_dict()
    settings = body["settings"]
    assert settings["max_result_window"] == MAX_RESULT_WINDOW == 10_000
    assert settings["highlight"] == {"max_analyzed_offset": HIGHLIGHT_MAX_ANALYZED_OFFSET}
    properties = body["mappings"]["properties"]
    # Offsets in the postings: the unified highlighter never re-analyses these texts.
    for field in ("title", "summary", "body", "attachments"):
        assert properties[field]["index_options"] == "offsets"
    assert "aliases" not in body


def test_first_index_is_created_with_its_alias():
    body = index_definition("crdla-knowledge-initial", "crdla-knowledge").to_dict()
    assert body["aliases"] == {"crdla-knowledge": {}}
    assert backend().first_index_name == "body-knowledge-initial"


def clauses(body):
    # elasticsearch.dsl merges the visibility filter and the text query into one bool.
    return body["query"]["bool"]


def test_term_centric_main_clause_fuzzy_and_phrase(anonymous):
    body = backend().build_search(anonymous, SearchQuery(text="chantier banque")).to_dict()
    text = clauses(body)
    # Visibility is a filter of the main query, never of the post_filter.
    assert text["filter"] == [{"terms": {"visibility": ["public"]}}]
    assert text["minimum_should_match"] == 1
    assert "must" not in text
    combined, fuzzy, phrase = (clause.popitem() for clause in text["should"])
    assert combined == (
        "combined_fields",
        {
            "query": "chantier banque",
            "fields": ["title^4", "summary^3", "body^2", "attachments"],
            "minimum_should_match": "2<75%",
        },
    )
    assert fuzzy[0] == "multi_match"
    assert fuzzy[1] == {
        "query": "chantier banque",
        "fields": ["title^2", "title.folded^2", "summary"],
        "type": "best_fields",
        "fuzziness": "AUTO",
        "prefix_length": 1,
        "max_expansions": 20,
        "minimum_should_match": "2<75%",
        "tie_breaker": 0.3,
    }
    assert phrase[1]["type"] == "phrase" and phrase[1]["slop"] == 3
    assert phrase[1]["tie_breaker"] == 0.3 and phrase[1]["boost"] == 2


def test_combined_fields_rules_of_the_reference():
    """CombinedFieldsQueryBuilder: text fields only, one shared search analyzer, boosts >= 1."""
    from search.backends.elastic import TEXT_FIELDS

    mapping = index_definition("x").to_dict()["mappings"]
    analyzers = set()
    for entry in TEXT_FIELDS:
        name, _, boost = entry.partition("^")
        assert float(boost or 1) >= 1.0
        field = mapping["properties"][name]
        assert field["type"] == "text" and "search_analyzer" not in field
        analyzers.add(analyzer_of(mapping, name))
    assert analyzers == {"crdla_french"}


def test_quoted_phrases_are_required(anonymous):
    for typed in ('"fonds propres" association', "« fonds propres » association"):
        body = backend().build_search(anonymous, SearchQuery(text=typed)).to_dict()
        text = clauses(body)
        assert text["must"] == [
            {
                "multi_match": {
                    "query": "fonds propres",
                    "fields": ["title^4", "summary^3", "body^2", "attachments"],
                    "type": "phrase",
                    "tie_breaker": 0.3,
                }
            }
        ]
        # The other clauses get the words without the quote marks.
        assert text["should"][0]["combined_fields"]["query"] == "fonds propres association"


def test_syntax_is_plain_text(anonymous):
    query = SearchQuery(text='trésorerie (AND title:x* "')
    body = backend().build_search(anonymous, query).to_dict()
    text = clauses(body)
    assert text["should"][0]["combined_fields"]["query"] == "trésorerie (AND title:x*"
    # No query_string, simple_query_string or wildcard anywhere.
    assert not re.search(r"query_string|wildcard|regexp", str(body))


def test_bounded_source_highlights_and_facets(anonymous):
    query = SearchQuery(text="trésorerie", filters={"kinds": ["outil"], "themes": ["a", "b"]})
    body = backend().build_search(anonymous, query).to_dict()
    assert body["_source"] == HIT_SOURCE
    assert not {"body", "attachments", "spelling"} & set(body["_source"])
    highlight = body["highlight"]
    assert highlight["type"] == "unified"
    assert highlight["max_analyzed_offset"] == HIGHLIGHT_MAX_ANALYZED_OFFSET
    assert highlight["pre_tags"] == ["\x02"] and highlight["post_tags"] == ["\x03"]
    assert highlight["fields"] == {
        "title": {"number_of_fragments": 0},
        "summary": {},
        "body": {},
        "attachments": {},
    }
    assert body["post_filter"] == {
        "bool": {"filter": [{"terms": {"kinds": ["outil"]}}, {"terms": {"themes": ["a", "b"]}}]}
    }
    assert "visibility" not in str(body["post_filter"])
    # Each facet is filtered by the other selections only.
    kinds = body["aggs"]["facet_kinds"]
    assert kinds["filter"] == {"bool": {"filter": [{"terms": {"themes": ["a", "b"]}}]}}
    assert kinds["aggs"]["values"]["terms"]["field"] == "kinds"
    year = body["aggs"]["facet_year"]["filter"]["bool"]["filter"]
    assert {"terms": {"kinds": ["outil"]}} in year and {"terms": {"themes": ["a", "b"]}} in year
    assert body["sort"][0] == "_score"
    assert body["track_total_hits"] is True


def test_opensearch_spells_the_highlight_limit_its_way(anonymous):
    body = backend(opensearch=True).build_search(anonymous, SearchQuery(text="x")).to_dict()
    assert body["highlight"]["max_analyzer_offset"] == HIGHLIGHT_MAX_ANALYZED_OFFSET
    assert "max_analyzed_offset" not in body["highlight"]


def test_phrase_suggester_collates_on_the_visibility(anonymous, dla_officer):
    for user, visibilities in ((anonymous, ["public"]), (dla_officer, ["public", "dla"])):
        body = backend().build_search(user, SearchQuery(text="trésorerei")).to_dict()
        suggestion = body["suggest"]["spelling"]
        assert suggestion["text"] == "trésorerei"
        phrase = suggestion["phrase"]
        assert phrase["field"] == "spelling" and phrase["gram_size"] == 1
        assert phrase["direct_generator"] == [
            {"field": "spelling", "suggest_mode": "always", "min_word_length": 4}
        ]
        collate = phrase["collate"]
        assert collate["prune"] is False
        template = collate["query"]["source"]["bool"]
        assert template["filter"] == [{"terms": {"visibility": visibilities}}]
        assert template["must"][0]["combined_fields"]["query"] == "{{suggestion}}"


def test_pages_stay_within_the_result_window(anonymous, dla_officer):
    assert SearchQuery(page=1_001).page == 1_000
    assert SearchQuery(page=10_000, per_page=10).page == 1_000
    assert SearchQuery(page=0).page == 1
    body = backend().build_search(anonymous, SearchQuery(text="x", page=10_000)).to_dict()
    assert body["from"] + body["size"] <= MAX_RESULT_WINDOW
    body = (
        backend().build_search(dla_officer, SearchQuery(text="x", sort=SORT_DATE, page=3)).to_dict()
    )
    assert body["query"]["bool"]["filter"] == [{"terms": {"visibility": ["public", "dla"]}}]
    assert body["sort"][0] == {"published_date": {"order": "desc"}}
    assert body["from"] == 20 and body["size"] == 10
    assert body["aggs"]["facet_kinds"]["filter"] == {"match_all": {}}


def test_no_text_no_highlight_or_suggestion(anonymous):
    body = backend().build_search(anonymous, SearchQuery()).to_dict()
    assert "highlight" not in body and "suggest" not in body
    assert body["sort"][0] == {"published_date": {"order": "desc"}}


def test_autocomplete_body_has_visibility_context(anonymous):
    body = backend().build_autocomplete(anonymous, "tréso").to_dict()
    completion = body["suggest"]["titles"]["completion"]
    assert completion["contexts"] == {"visibility": ["public"]}
    assert completion["field"] == "suggest"


def test_more_like_this_body(anonymous):
    body = backend().build_similar(42, anonymous).to_dict()
    bool_query = body["query"]["bool"]
    assert bool_query["filter"] == [
        {"terms": {"visibility": ["public"]}},
        {"bool": {"must_not": [{"ids": {"values": ["42"]}}]}},
    ]
    mlt = bool_query["must"][0]["more_like_this"]
    assert mlt["like"] == [{"_index": "body-knowledge", "_id": "42"}]
    assert mlt["fields"] == ["title", "summary", "body"]
    assert body["_source"] == HIT_SOURCE


def test_client_timeouts_and_retries():
    es = backend(search_timeout=2.5, index_timeout=45)
    assert es.client._request_timeout == 2.5
    assert es.client._retry_on_timeout is False
    assert es.client._max_retries == 1
    assert es.writer._request_timeout == 45
    assert es.writer._retry_on_timeout is False
