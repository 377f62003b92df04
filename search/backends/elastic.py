"""Elasticsearch backend written with ``elasticsearch.dsl`` (shipped inside the client).

One versioned index per build behind an alias: a full rebuild fills a new index and swaps
the alias in one atomic ``update_aliases`` call, so searches never meet an empty index.
French analysis (elision, lowercase, French stop words, ASCII folding, light_french
stemming), multi_match with boosts and typo tolerance, one filtered terms aggregation per
facet (each facet filtered by the *other* selections) and the selections in ``post_filter``
so counts stay right, highlights, a completion suggester with a visibility context, and
more_like_this for similar resources. Visibility is always a filter of the main query.
"""

import dataclasses
import datetime
import logging

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import (
    ConnectionTimeout,
    HttpHeaders,
    TransportError,
    Urllib3HttpNode,
)
from elastic_transport._node import NodeApiResponse
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    A,
    Completion,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from ..facets import FACET_FIELDS, build_facets
from ..results import MARK_END, MARK_START, SORT_DATE, Hit, SearchResults
from .base import KnowledgeBackend, SearchUnavailable, visibilities_for

logger = logging.getLogger(__name__)

french_elision = token_filter(
    "crdla_french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("crdla_french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("crdla_french_stemmer", type="stemmer", language="light_french")
french = analyzer(
    "crdla_french",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, "asciifolding", french_stemmer],
)
# Words as written (lower case, no accents): spelling suggestions and completion.
folded = analyzer(
    "crdla_folded", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding"]
)

# title.folded is not stemmed: typos are measured against words as written (the light
# stemmer turns « groupement » into « group », too far from « groupemant » for fuzziness).
TEXT_FIELDS = ["title^4", "title.folded^3", "summary^3", "body^2", "attachments"]
HIGHLIGHT_FIELDS = ("summary", "body", "attachments")


class KnowledgeDocument(Document):
    """A resource of the knowledge base as stored in Elasticsearch."""

    page_id = Integer()
    title = Text(analyzer=french, fields={"raw": Keyword(), "folded": Text(analyzer=folded)})
    summary = Text(analyzer=french)
    body = Text(analyzer=french)
    attachments = Text(analyzer=french)
    spelling = Text(analyzer=folded)
    url = Keyword(index=False)
    visibility = Keyword()
    published_date = Date()
    last_published_at = Date()
    centre_name = Text(analyzer=french, fields={"raw": Keyword()})
    centre = Keyword()
    sectors = Keyword()
    kinds = Keyword()
    themes = Keyword()
    audiences = Keyword()
    axes = Keyword()
    regions = Keyword()
    year = Keyword()
    # The completion suggester ignores query filters: visibility is a context of the suggestion.
    suggest = Completion(
        analyzer=folded,
        contexts=[{"name": "visibility", "type": "category", "path": "visibility"}],
    )


def index_definition(name):
    """The settings and mappings of one versioned index (an ``elasticsearch.dsl.Index``)."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(KnowledgeDocument)
    return index


def completion_inputs(title):
    """The title and its tails, so typing any word of a title suggests it."""
    words = title.split()
    return [" ".join(words[i:]) for i in range(min(len(words), 8))]


def to_es(document):
    """A built document (dict) as a ``KnowledgeDocument``."""
    fields = {f: document.get(f) or [] for f in FACET_FIELDS}
    return KnowledgeDocument(
        meta={"id": str(document["page_id"])},
        page_id=document["page_id"],
        title=document["title"],
        summary=document["summary"],
        body=document["body"],
        attachments=document["attachments"],
        spelling=f"{document['title']} {document['summary']}",
        url=document["url"],
        visibility=document["visibility"],
        published_date=document["published_date"],
        last_published_at=document["last_published_at"],
        centre_name=document.get("centre_name", ""),
        suggest={
            "input": completion_inputs(document["title"]),
            "contexts": {"visibility": [document["visibility"]]},
        },
        **fields,
    )


class OpenSearchCompatibleNode(Urllib3HttpNode):
    """Talk plain JSON to OpenSearch (it refuses the ES 8 compatibility media types) and
    mark its answers as Elasticsearch's, which the 8.x client checks on first contact."""

    REWRITES = {
        "application/vnd.elasticsearch+json; compatible-with=8": "application/json",
        "application/vnd.elasticsearch+x-ndjson; compatible-with=8": "application/x-ndjson",
    }

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = HttpHeaders(
                {key: self.REWRITES.get(value, value) for key, value in headers.items()}
            )
        response = super().perform_request(method, target, body=body, headers=headers, **kwargs)
        response_headers = HttpHeaders(dict(response.meta.headers.items()))
        response_headers["x-elastic-product"] = "Elasticsearch"
        meta = dataclasses.replace(response.meta, headers=response_headers)
        return NodeApiResponse(meta=meta, body=response.body)


def unavailable(exc):
    return SearchUnavailable(f"Elasticsearch : {exc}")


class engine_errors:
    """Context manager turning connection failures and 5xx answers into SearchUnavailable."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            return False
        if isinstance(exc, (TransportConnectionError, ConnectionTimeout)):
            raise unavailable(exc) from exc
        if isinstance(exc, ApiError) and (exc.meta.status >= 500 or exc.meta.status == 429):
            raise unavailable(exc) from exc
        if isinstance(exc, TransportError) and not isinstance(exc, ApiError):
            raise unavailable(exc) from exc
        return False


class ElasticsearchBackend(KnowledgeBackend):
    """Knowledge base in Elasticsearch (or OpenSearch in compatibility mode)."""

    name = "elasticsearch"

    def __init__(self, url, prefix="crdla", opensearch=False, refresh=False):
        options = {"request_timeout": 10, "retry_on_timeout": True, "max_retries": 2}
        if opensearch:
            options["node_class"] = OpenSearchCompatibleNode
        self.client = Elasticsearch(url, **options)
        self.alias = f"{prefix}-knowledge"
        # Tests and the rebuild ask for refreshed writes; live indexing does not wait.
        self.refresh = refresh
        self._ready = False

    # --- index management -------------------------------------------------------------

    def new_index_name(self):
        return f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"

    def create_index(self, name):
        body = index_definition(name).to_dict()
        self.client.indices.create(index=name, **body)
        return name

    def alias_targets(self):
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    def ensure_index(self):
        """Create the first versioned index and its alias if missing (checked once)."""
        if self._ready:
            return
        with engine_errors():
            if not self.alias_targets():
                name = self.create_index(self.new_index_name())
                self.client.indices.put_alias(index=name, name=self.alias)
        self._ready = True

    def swap_alias(self, new_index):
        """Point the alias at ``new_index`` in one atomic call, then drop the old indices."""
        old = self.alias_targets()
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            if name != new_index:
                self.client.options(ignore_status=404).indices.delete(index=name)

    # --- writing ------------------------------------------------------------------------

    def _actions(self, documents, index):
        for document in documents:
            action = to_es(document).to_dict(include_meta=True)
            action["_index"] = index
            yield action

    def index_many(self, documents, index=None):
        self.ensure_index()
        with engine_errors():
            count, errors = helpers.bulk(
                self.client,
                self._actions(documents, index or self.alias),
                chunk_size=500,
                refresh="wait_for" if self.refresh else False,
                raise_on_error=False,
            )
        if errors:
            logger.error("Indexation Elasticsearch : %s erreur(s), ex. %s", len(errors), errors[0])
        return count

    def remove(self, page_id):
        self.ensure_index()
        with engine_errors():
            self.client.options(ignore_status=404).delete(
                index=self.alias, id=str(page_id), refresh="wait_for" if self.refresh else None
            )

    def rebuild(self, documents, progress=None):
        with engine_errors():
            new_index = self.create_index(self.new_index_name())
            count = 0
            for ok, item in helpers.streaming_bulk(
                self.client,
                self._actions(documents, new_index),
                chunk_size=500,
                raise_on_error=False,
            ):
                if ok:
                    count += 1
                else:
                    logger.error("Document non indexé : %s", item)
                if progress and count % 500 == 0:
                    progress(count)
            self.client.indices.refresh(index=new_index)
            self.swap_alias(new_index)
        self._ready = True
        if progress:
            progress(count)
        return count

    def indexed_versions(self):
        self.ensure_index()
        with engine_errors():
            return {
                int(hit["_id"]): hit["_source"].get("last_published_at")
                for hit in helpers.scan(
                    self.client,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": ["last_published_at"]},
                )
            }

    # --- reading ------------------------------------------------------------------------

    def base_search(self, user):
        """Every search starts here: the user's visibility is a filter of the main query."""
        return Search(using=self.client, index=self.alias).filter(
            "terms", visibility=visibilities_for(user)
        )

    @staticmethod
    def text_query(text):
        # multi_match parses no syntax: quotes, brackets and operators are plain text.
        return Q(
            "multi_match",
            query=text,
            fields=TEXT_FIELDS,
            type="best_fields",
            fuzziness="AUTO",
            prefix_length=1,
            minimum_should_match="2<75%",
        )

    def build_search(self, user, query):
        """The complete request for one results page (kept separate to assert its body)."""
        text = query.text.strip()
        search = self.base_search(user).extra(track_total_hits=True)
        search = search.query(self.text_query(text)) if text else search
        filters = {f: list(v) for f, v in query.filters.items() if v}
        for field in FACET_FIELDS:
            others = [Q("terms", **{f: v}) for f, v in filters.items() if f != field]
            facet = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
            facet.bucket("values", "terms", field=field, size=100)
            search.aggs.bucket(f"facet_{field}", facet)
        if filters:
            search = search.post_filter(
                Q("bool", filter=[Q("terms", **{f: v}) for f, v in filters.items()])
            )
        if query.effective_sort == SORT_DATE or not text:
            search = search.sort(
                {"published_date": {"order": "desc"}}, {"page_id": {"order": "desc"}}
            )
        else:
            search = search.sort("_score", {"published_date": {"order": "desc"}})
        if text:
            search = search.highlight_options(
                pre_tags=[MARK_START],
                post_tags=[MARK_END],
                fragment_size=160,
                number_of_fragments=2,
            ).highlight(*HIGHLIGHT_FIELDS)
        start = (query.page - 1) * query.per_page
        return search[start : start + query.per_page]

    def search(self, user, query):
        self.ensure_index()
        with engine_errors():
            response = self.build_search(user, query).execute()
        hits = []
        for hit in response.hits:
            item = self._hit(hit.to_dict(), float(hit.meta.score or 0))
            highlight = getattr(hit.meta, "highlight", None)
            if highlight:
                fragments = [f for name in HIGHLIGHT_FIELDS for f in getattr(highlight, name, [])]
                item.highlights = [" … ".join(fragments[:2])] if fragments else []
            hits.append(item)
        counts = {
            field: {
                b["key"]: b["doc_count"]
                for b in response.aggregations[f"facet_{field}"]["values"]["buckets"]
            }
            for field in FACET_FIELDS
        }
        filters = {f: list(v) for f, v in query.filters.items() if v}
        return SearchResults(
            query=query,
            hits=hits,
            total=response.hits.total.value,
            facets=build_facets(counts, filters),
            page=query.page,
        )

    @staticmethod
    def _hit(source, score=0.0):
        published = source.get("published_date")
        if isinstance(published, str):
            published = datetime.date.fromisoformat(published[:10])
        return Hit(
            page_id=int(source["page_id"]),
            title=source.get("title", ""),
            url=source.get("url", ""),
            summary=source.get("summary", ""),
            kind=(source.get("kinds") or [""])[0],
            centre_name=source.get("centre_name", ""),
            visibility=source.get("visibility", ""),
            published_date=published,
            score=score,
        )

    def count(self, user, text):
        self.ensure_index()
        search = self.base_search(user)
        if text.strip():
            search = search.query(self.text_query(text.strip()))
        with engine_errors():
            return search.count()

    def build_autocomplete(self, user, prefix, limit=8):
        return (
            Search(using=self.client, index=self.alias)
            .source(["title", "url", "visibility"])
            .suggest(
                "titles",
                prefix,
                completion={
                    "field": "suggest",
                    "size": limit,
                    "skip_duplicates": True,
                    "contexts": {"visibility": visibilities_for(user)},
                },
            )
            .extra(size=0)
        )

    def autocomplete(self, user, prefix, limit=8):
        if len(prefix.strip()) < 2:
            return []
        self.ensure_index()
        allowed = set(visibilities_for(user))
        with engine_errors():
            response = self.build_autocomplete(user, prefix.strip(), limit).execute()
        suggestions, seen = [], set()
        for option in response.suggest.titles[0].options:
            source = option._source.to_dict()
            # Belt and braces: the context already restricts suggestions to visible ones.
            if source.get("visibility") not in allowed or option._id in seen:
                continue
            seen.add(option._id)
            suggestions.append({"title": source["title"], "url": source["url"]})
        return suggestions

    def build_similar(self, page_id, user, limit=4):
        like = Q(
            "more_like_this",
            fields=["title", "summary", "body"],
            like=[{"_index": self.alias, "_id": str(page_id)}],
            min_term_freq=1,
            min_doc_freq=1,
            max_query_terms=25,
            # Short resources share few terms: rank by score instead of demanding 30 %.
            minimum_should_match="1",
        )
        return self.base_search(user).query(like).exclude("ids", values=[str(page_id)])[:limit]

    def similar(self, page_id, user, limit=4):
        self.ensure_index()
        with engine_errors():
            response = self.build_similar(page_id, user, limit).execute()
        return [self._hit(hit.to_dict(), float(hit.meta.score or 0)) for hit in response.hits]

    def build_spelling(self, text):
        return (
            Search(using=self.client, index=self.alias)
            .suggest("spelling", text, term={"field": "spelling", "suggest_mode": "missing"})
            .extra(size=0)
        )

    def spelling_suggestion(self, user, text):
        self.ensure_index()
        with engine_errors():
            response = self.build_spelling(text).execute()
        corrected, changed = [], False
        for entry in response.suggest.spelling:
            if entry.options:
                corrected.append(entry.options[0].text)
                changed = True
            else:
                corrected.append(entry.text)
        if not changed:
            return None
        suggestion = " ".join(corrected)
        # The term suggester sees every document: only propose what this user can find.
        return suggestion if self.count(user, suggestion) else None
