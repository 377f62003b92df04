"""The exact request bodies built for Elasticsearch (no server needed).

These pin down what the stand-ins only approximate (osmem ignores custom analyzer chains
and empties completion/more_like_this; neither proves real ES scoring): the analysis
chain, boosts and fuzziness, visibility inside the main query, filtered aggregations and
post_filter, completion contexts and more_like_this.
"""

from search.backends.elastic import ElasticsearchBackend, index_definition
from search.results import SORT_DATE, SearchQuery


def backend():
    # No request is sent by the builders: any address will do.
    return ElasticsearchBackend("http://127.0.0.1:9", "body")


def test_index_definition_french_analysis():
    body = index_definition("crdla-knowledge-1").to_dict()
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["crdla_french"]["filter"] == [
        "crdla_french_elision",
        "lowercase",
        "crdla_french_stop",
        "asciifolding",
        "crdla_french_stemmer",
    ]
    assert analysis["filter"]["crdla_french_stemmer"] == {
        "type": "stemmer",
        "language": "light_french",
    }
    assert analysis["filter"]["crdla_french_stop"]["stopwords"] == "_french_"
    assert "qu" in analysis["filter"]["crdla_french_elision"]["articles"]
    properties = body["mappings"]["properties"]
    assert properties["suggest"]["contexts"] == [
        {"name": "visibility", "type": "category", "path": "visibility"}
    ]
    for facet in ("centre", "sectors", "kinds", "themes", "audiences", "axes", "regions", "year"):
        assert properties[facet] == {"type": "keyword"}
    assert properties["title"]["fields"]["raw"] == {"type": "keyword"}


def test_search_body_anonymous_with_facets(anonymous):
    query = SearchQuery(
        text='trésorerie "chantier" (AND', filters={"kinds": ["outil"], "themes": ["a", "b"]}
    )
    body = backend().build_search(anonymous, query).to_dict()
    bool_query = body["query"]["bool"]
    # Visibility is a filter of the main query, never of the post_filter.
    assert bool_query["filter"] == [{"terms": {"visibility": ["public"]}}]
    (multi_match,) = bool_query["must"]
    assert multi_match["multi_match"]["query"] == 'trésorerie "chantier" (AND'
    assert multi_match["multi_match"]["fields"] == [
        "title^4",
        "title.folded^3",
        "summary^3",
        "body^2",
        "attachments",
    ]
    assert multi_match["multi_match"]["fuzziness"] == "AUTO"
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
    assert body["highlight"]["pre_tags"] == ["\x02"]
    assert set(body["highlight"]["fields"]) == {"summary", "body", "attachments"}
    assert body["sort"][0] == "_score"
    assert body["track_total_hits"] is True


def test_search_body_for_network_and_date_sort(dla_officer):
    body = (
        backend().build_search(dla_officer, SearchQuery(text="x", sort=SORT_DATE, page=3)).to_dict()
    )
    assert body["query"]["bool"]["filter"] == [{"terms": {"visibility": ["public", "dla"]}}]
    assert body["sort"][0] == {"published_date": {"order": "desc"}}
    assert body["from"] == 20 and body["size"] == 10
    assert body["aggs"]["facet_kinds"]["filter"] == {"match_all": {}}


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
