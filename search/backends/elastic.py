"""Elasticsearch backend written with ``elasticsearch.dsl`` (shipped inside the client).

Every request is shaped after the Elasticsearch 8 reference, not after what a stand-in
accepts (``search/README.md`` lists the reference pages and what the stand-ins skip):

- one versioned index per build behind an alias; the first index is created together with
  its alias in one request, a rebuild fills a new index and swaps the alias in one
  ``update_aliases`` call, and a failed rebuild deletes what it half built;
- French analysis in Lucene's order (stemming before accent folding, so « financière » and
  « financier » share a stem), the same analyzer on both sides;
- a term-centric main clause (``combined_fields``: each word may sit in a different field),
  typo tolerance on the title and summary only, a phrase clause with slop, quoted phrases
  required;
- bounded answers: ``_source`` limited to what a hit shows, highlights from the offsets
  stored in the postings, pages capped at ``index.max_result_window``, short timeouts for
  web requests and longer ones for indexing, bulk requests cut by bytes;
- the visibility filter inside every query, including the collate query of the phrase
  suggester, so a suggestion always finds something the user may see.
"""

import contextlib
import dataclasses
import datetime
import logging
import re

from elastic_transport import HttpHeaders, TransportError, Urllib3HttpNode
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, helpers
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
    char_filter,
    token_filter,
)

from crdla.pagecache import generation

from ..documents import document_hash
from ..facets import FACET_FIELDS, build_facets
from ..results import MARK_END, MARK_START, MAX_RESULT_WINDOW, SORT_DATE, Hit, SearchResults
from .base import KnowledgeBackend, SearchUnavailable, split_phrases, visibilities_for

logger = logging.getLogger(__name__)

# --- analysis ----------------------------------------------------------------------------

# Lucene's elision filter knows both apostrophes, but the words field (suggestions) keeps
# them: one apostrophe everywhere, so « l’économie » and « l'économie » are one word.
apostrophes = char_filter(
    "crdla_apostrophes", type="mapping", mappings=["\u2019 => '", "\u02bc => '"]
)
french_elision = token_filter(
    "crdla_french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("crdla_french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("crdla_french_stemmer", type="stemmer", language="light_french")
# Stop words and the light stemmer before the folding: the stop list is accented, and
# FrenchLightStemmer's « -ère », « -ième », « -ète » rules need the accents. Lowercase comes
# before the elision, which changes nothing in Lucene (articles_case) and lets the stand-in
# elide « L' » too.
french = analyzer(
    "crdla_french",
    tokenizer="standard",
    char_filter=[apostrophes],
    filter=["lowercase", french_elision, french_stop, french_stemmer, "asciifolding"],
)
# Words as written without accents, not stemmed: typos are measured against them (the
# stemmer turns « groupement » into « group », too far from « groupemant » for fuzziness).
folded = analyzer(
    "crdla_folded",
    tokenizer="standard",
    char_filter=[apostrophes],
    filter=["lowercase", french_elision, "asciifolding"],
)
# Words as written, accents kept: the phrase suggester proposes these words.
words = analyzer(
    "crdla_words", tokenizer="standard", char_filter=[apostrophes], filter=["lowercase"]
)

# --- query shapes ------------------------------------------------------------------------

# combined_fields: fields sharing one search analyzer, boosts >= 1 (CombinedFieldsQueryBuilder).
TEXT_FIELDS = ["title^4", "summary^3", "body^2", "attachments"]
# Typo tolerance on the short fields only: fuzzy expansion over attachments is costly and
# finds noise.
FUZZY_FIELDS = ["title^2", "title.folded^2", "summary"]
# combined_fields applies it to the query's terms across the fields (not per field).
MINIMUM_SHOULD_MATCH = "2<75%"
TIE_BREAKER = 0.3
PHRASE_SLOP = 3
HIGHLIGHT_FIELDS = ("summary", "body", "attachments")
# Equal to the index setting: where offsets are not stored, highlighting stops there
# instead of failing the whole search (DefaultHighlighter / CustomUnifiedHighlighter).
HIGHLIGHT_MAX_ANALYZED_OFFSET = 1_000_000
# What a hit shows; body and attachments (up to 300,000 characters) never travel.
HIT_SOURCE = [
    "page_id",
    "title",
    "url",
    "summary",
    "kinds",
    "centre_name",
    "visibility",
    "published_date",
]
BULK_CHUNK_DOCUMENTS = 500
BULK_CHUNK_BYTES = 10 * 1024 * 1024
BULK_RETRIES_ON_429 = 3


class KnowledgeDocument(Document):
    """A resource of the knowledge base as stored in Elasticsearch."""

    page_id = Integer()
    # Offsets in the postings: the unified highlighter never re-analyses the text.
    title = Text(
        analyzer=french,
        index_options="offsets",
        fields={"raw": Keyword(), "folded": Text(analyzer=folded)},
    )
    summary = Text(analyzer=french, index_options="offsets")
    body = Text(analyzer=french, index_options="offsets")
    attachments = Text(analyzer=french, index_options="offsets")
    spelling = Text(analyzer=words)
    url = Keyword(index=False)
    visibility = Keyword()
    published_date = Date()
    last_published_at = Date()
    content_hash = Keyword(index=False)
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


def index_definition(name, alias=None):
    """The settings, mappings (and alias, for the first index) of one versioned index."""
    index = Index(name)
    index.settings(
        number_of_shards=1,
        number_of_replicas=0,
        max_result_window=MAX_RESULT_WINDOW,
        highlight={"max_analyzed_offset": HIGHLIGHT_MAX_ANALYZED_OFFSET},
    )
    index.document(KnowledgeDocument)
    if alias:
        index.aliases(**{alias: {}})
    return index


def completion_inputs(title):
    """The title and its tails, so typing any word of a title suggests it."""
    title_words = title.split()
    return [" ".join(title_words[i:]) for i in range(min(len(title_words), 8))]


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
        content_hash=document_hash(document),
        centre_name=document.get("centre_name", ""),
        suggest={
            "input": completion_inputs(document["title"]),
            "contexts": {"visibility": [document["visibility"]]},
        },
        **fields,
    )


def main_clause(text):
    """The term-centric clause: every word looked up in all text fields as one field."""
    return Q(
        "combined_fields",
        query=text,
        fields=TEXT_FIELDS,
        minimum_should_match=MINIMUM_SHOULD_MATCH,
    )


def text_query(text):
    """The query for what a user typed. No syntax is parsed (brackets, operators and
    wildcards are plain words) except quotes: « … » or "…" must appear as such."""
    phrases, plain = split_phrases(text)
    should = [
        main_clause(plain),
        Q(
            "multi_match",
            query=plain,
            fields=FUZZY_FIELDS,
            type="best_fields",
            fuzziness="AUTO",
            prefix_length=1,
            max_expansions=20,
            minimum_should_match=MINIMUM_SHOULD_MATCH,
            tie_breaker=TIE_BREAKER,
        ),
        # Words close together (in any order within the slop) rank above scattered ones.
        Q(
            "multi_match",
            query=plain,
            fields=TEXT_FIELDS,
            type="phrase",
            slop=PHRASE_SLOP,
            tie_breaker=TIE_BREAKER,
            boost=2,
        ),
    ]
    must = [
        Q("multi_match", query=phrase, fields=TEXT_FIELDS, type="phrase", tie_breaker=TIE_BREAKER)
        for phrase in phrases
    ]
    return Q("bool", must=must, should=should, minimum_should_match=1)


TOKEN_RE = re.compile(r"[\w'\u2019]+")


def recase(original, suggestion):
    """The suggestion written like the user's text: same punctuation, capitals kept on the
    words the suggester left alone or capitalised ones it corrected."""
    spans = list(TOKEN_RE.finditer(original))
    proposed = suggestion.split()
    if len(spans) != len(proposed):
        return suggestion
    parts, last = [], 0
    for match, word in zip(spans, proposed, strict=True):
        typed = match.group()
        if typed.lower().replace("\u2019", "'") == word:
            word = typed
        elif typed[:1].isupper():
            word = word[:1].upper() + word[1:]
        parts += [original[last : match.start()], word]
        last = match.end()
    parts.append(original[last:])
    return "".join(parts)


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
        # The node's answer is a named tuple (meta, body): replace its meta, keep its body.
        return response._replace(meta=dataclasses.replace(response.meta, headers=response_headers))


class ElasticsearchBackend(KnowledgeBackend):
    """Knowledge base in Elasticsearch (or OpenSearch in compatibility mode)."""

    name = "elasticsearch"
    suggests_with_results = True

    def __init__(
        self,
        url,
        prefix="crdla",
        opensearch=False,
        search_timeout=3.0,
        index_timeout=60.0,
    ):
        # Web requests: a few seconds, one retry on a refused connection (another node),
        # never on a timeout (a slow cluster would only get slower). Indexing runs in tasks,
        # which retry with backoff themselves: longer timeouts, same rule.
        options = {"request_timeout": search_timeout, "retry_on_timeout": False, "max_retries": 1}
        # OpenSearch (2.2+) spells the highlight limit max_analyzer_offset.
        self.highlight_limit = "max_analyzed_offset"
        if opensearch:
            options["node_class"] = OpenSearchCompatibleNode
            self.highlight_limit = "max_analyzer_offset"
        self.client = Elasticsearch(url, **options)
        self.writer = self.client.options(request_timeout=index_timeout)
        self.alias = f"{prefix}-knowledge"
        self._ready = False

    # --- errors -------------------------------------------------------------------------

    @contextlib.contextmanager
    def engine_errors(self):
        """Every engine error becomes ``SearchUnavailable`` (views show the French notice,
        tasks retry): unreachable, timed out, 5xx and 429, and 4xx too — a refused request is
        a bug or a broken index, never a reason for a 500."""
        try:
            yield
        except SearchUnavailable:
            raise
        except (ApiError, TransportError, helpers.BulkIndexError, helpers.ScanError) as exc:
            if isinstance(exc, NotFoundError) and exc.error == "index_not_found_exception":
                self._ready = False  # the alias went away: create it again next time
            if isinstance(exc, ApiError) and exc.meta.status < 500 and exc.meta.status != 429:
                logger.error("Requête refusée par Elasticsearch (%s) : %s", exc.meta.status, exc)
            raise SearchUnavailable(f"Elasticsearch : {exc}") from exc

    # --- index management -------------------------------------------------------------

    def new_index_name(self):
        return f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"

    @property
    def first_index_name(self):
        # A fixed name: of two processes creating the first index at once, one wins and the
        # other is told it exists, so the alias never ends up on two indices.
        return f"{self.alias}-initial"

    def create_index(self, name, with_alias=False):
        body = index_definition(name, self.alias if with_alias else None).to_dict()
        self.writer.indices.create(index=name, **body)
        return name

    def alias_targets(self, client=None):
        try:
            return sorted((client or self.writer).indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    def ensure_index(self, client=None):
        """Create the first index with its alias in one request if the alias is missing.

        Requests pass the search client: a hung engine then costs them the search timeout,
        not the indexing one (60 s)."""
        if self._ready:
            return
        with self.engine_errors():
            if not self.alias_targets(client):
                try:
                    self.create_index(self.first_index_name, with_alias=True)
                except BadRequestError as exc:
                    if exc.error != "resource_already_exists_exception":
                        raise
                    # Created by another process (with the alias), or left without it.
                    if not self.alias_targets():
                        self.writer.indices.put_alias(index=self.first_index_name, name=self.alias)
        self._ready = True

    def swap_alias(self, new_index):
        """Point the alias at ``new_index`` alone in one atomic call, then drop the old ones."""
        old = self.alias_targets()
        actions = []
        if old:
            # Every index of ours, not only those read above: a concurrent swap cannot leave
            # the alias on two indices.
            actions.append({"remove": {"index": f"{self.alias}-*", "alias": self.alias}})
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self.writer.indices.update_aliases(actions=actions)
        for name in old:
            if name != new_index:
                self.writer.options(ignore_status=404).indices.delete(index=name)

    # --- writing ------------------------------------------------------------------------

    def _actions(self, documents, index):
        for document in documents:
            action = to_es(document).to_dict(include_meta=True)
            action["_index"] = index
            yield action

    def _bulk(self, actions, **kwargs):
        """Bulk requests of at most BULK_CHUNK_BYTES (and BULK_CHUNK_DOCUMENTS), each within
        the indexing timeout; rejections for a full queue (429) are retried with backoff."""
        return helpers.streaming_bulk(
            self.writer,
            actions,
            chunk_size=BULK_CHUNK_DOCUMENTS,
            max_chunk_bytes=BULK_CHUNK_BYTES,
            max_retries=BULK_RETRIES_ON_429,
            raise_on_error=False,
            **kwargs,
        )

    # Every write waits until its documents are searchable, then bumps the cache generation:
    # search results are kept per generation ({% fragment_cache "search_results" %}), so a
    # search made between a publication and its indexing is not kept once the index changed.
    # Writes run in Celery tasks, which can afford the wait (the index's refresh interval).

    def index_many(self, documents):
        self.ensure_index()
        count, failures = 0, []
        with self.engine_errors():
            # require_alias: if the alias vanished, fail instead of auto-creating a concrete
            # index under its name with guessed mappings.
            for ok, item in self._bulk(
                self._actions(documents, self.alias),
                refresh="wait_for",
                require_alias=True,
            ):
                if ok:
                    count += 1
                else:
                    failures.append(item)
        if failures:
            self._ready = False
            logger.error(
                "Indexation Elasticsearch : %s échec(s), ex. %s", len(failures), failures[0]
            )
            # The task retries; the nightly check repairs whatever still differs.
            raise SearchUnavailable(f"{len(failures)} document(s) non indexé(s)")
        generation.bump()
        return count

    def remove(self, page_id):
        self.ensure_index()
        with self.engine_errors():
            self.writer.options(ignore_status=404).delete(
                index=self.alias, id=str(page_id), refresh="wait_for"
            )
        generation.bump()

    def rebuild(self, documents, progress=None):
        """Fill a new index and swap the alias; on any failure (engine, a refused document,
        the database, Ctrl-C) delete the new index: the previous one keeps serving."""
        with self.engine_errors():
            new_index = self.create_index(self.new_index_name())
        try:
            with self.engine_errors():
                count, failures = 0, []
                for ok, item in self._bulk(self._actions(documents, new_index)):
                    if ok:
                        count += 1
                    else:
                        failures.append(item)
                    if progress and count and count % BULK_CHUNK_DOCUMENTS == 0:
                        progress(count)
                if failures:
                    logger.error("Documents refusés : %s", failures[:5])
                    raise SearchUnavailable(
                        f"Reconstruction abandonnée : {len(failures)} document(s) refusé(s) ; "
                        "l'index précédent reste en service."
                    )
                self.writer.indices.refresh(index=new_index)
                self.swap_alias(new_index)
        except BaseException:
            with contextlib.suppress(ApiError, TransportError):
                self.writer.options(ignore_status=404).indices.delete(index=new_index)
            raise
        self._ready = True
        generation.bump()
        if progress:
            progress(count)
        return count

    def indexed_hashes(self):
        self.ensure_index()
        with self.engine_errors():
            return {
                int(hit["_id"]): hit["_source"].get("content_hash")
                for hit in helpers.scan(
                    self.writer,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": ["content_hash"]},
                    size=1000,
                )
            }

    # --- reading ------------------------------------------------------------------------

    def base_search(self, user):
        """Every search starts here: the user's visibility is a filter of the main query."""
        return Search(using=self.client, index=self.alias).filter(
            "terms", visibility=visibilities_for(user)
        )

    def phrase_suggester(self, user):
        """Phrase suggester over the words as written; its collate query is the main clause
        with the user's visibility filter, so only suggestions that find something the user
        may see come back (prune: false drops the others)."""
        collate = {
            "bool": {
                "must": [main_clause("{{suggestion}}").to_dict()],
                "filter": [{"terms": {"visibility": visibilities_for(user)}}],
            }
        }
        return {
            "field": "spelling",
            "size": 1,
            "gram_size": 1,
            "max_errors": 2,
            "direct_generator": [
                {"field": "spelling", "suggest_mode": "always", "min_word_length": 4}
            ],
            "collate": {"query": {"source": collate}, "prune": False},
        }

    def build_search(self, user, query):
        """The complete request for one results page (kept separate to assert its body)."""
        text = query.text.strip()
        search = self.base_search(user).source(HIT_SOURCE).extra(track_total_hits=True)
        search = search.query(text_query(text)) if text else search
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
            search = (
                search.highlight_options(
                    type="unified",
                    pre_tags=[MARK_START],
                    post_tags=[MARK_END],
                    fragment_size=160,
                    number_of_fragments=2,
                    **{self.highlight_limit: HIGHLIGHT_MAX_ANALYZED_OFFSET},
                )
                .highlight("title", number_of_fragments=0)
                .highlight(*HIGHLIGHT_FIELDS)
                .suggest("spelling", text, phrase=self.phrase_suggester(user))
            )
        # SearchQuery keeps the page within MAX_RESULT_WINDOW (index.max_result_window).
        start = (query.page - 1) * query.per_page
        return search[start : start + query.per_page]

    def search(self, user, query):
        self.ensure_index(self.client)
        with self.engine_errors():
            response = self.build_search(user, query).execute()
        hits = []
        for hit in response.hits:
            item = self._hit(hit.to_dict(), float(hit.meta.score or 0))
            highlight = getattr(hit.meta, "highlight", None)
            if highlight:
                fragments = [f for name in HIGHLIGHT_FIELDS for f in getattr(highlight, name, [])]
                item.highlights = [" … ".join(fragments[:2])] if fragments else []
                item.title_highlight = (getattr(highlight, "title", None) or [""])[0]
            hits.append(item)
        counts = {
            field: {
                b["key"]: b["doc_count"]
                for b in response.aggregations[f"facet_{field}"]["values"]["buckets"]
            }
            for field in FACET_FIELDS
        }
        filters = {f: list(v) for f, v in query.filters.items() if v}
        total = response.hits.total.value
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            facets=build_facets(counts, filters),
            page=query.page,
            suggestion=self._suggestion(response, query.text) if total < 3 else None,
        )

    @staticmethod
    def _suggestion(response, text):
        suggest = getattr(response, "suggest", None)
        entries = getattr(suggest, "spelling", None) if suggest else None
        for entry in entries or []:
            for option in entry.options:
                return recase(text.strip(), option.text)
        return None

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
        self.ensure_index(self.client)
        search = self.base_search(user)
        if text.strip():
            search = search.query(text_query(text.strip()))
        with self.engine_errors():
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
        self.ensure_index(self.client)
        allowed = set(visibilities_for(user))
        with self.engine_errors():
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
        return (
            self.base_search(user)
            .source(HIT_SOURCE)
            .query(like)
            .exclude("ids", values=[str(page_id)])[:limit]
        )

    def similar(self, page_id, user, limit=4):
        self.ensure_index(self.client)
        with self.engine_errors():
            response = self.build_similar(page_id, user, limit).execute()
        return [self._hit(hit.to_dict(), float(hit.meta.score or 0)) for hit in response.hits]

    def build_spelling(self, user, text):
        return (
            Search(using=self.client, index=self.alias)
            .suggest("spelling", text, phrase=self.phrase_suggester(user))
            .extra(size=0)
        )

    def spelling_suggestion(self, user, text):
        """« Vouliez-vous dire … » on its own (searches get it with their results)."""
        self.ensure_index(self.client)
        with self.engine_errors():
            response = self.build_spelling(user, text.strip()).execute()
        return self._suggestion(response, text)
