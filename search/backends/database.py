"""Database backend: PostgreSQL full text (weighted tsvector, GIN, ts_rank, ts_headline,
trigram suggestions) or SQLite FTS5 (bm25, snippet), with facet counts by aggregation.

The SQL differs per engine only in how text is matched, ranked and highlighted (the
``Dialect`` classes); filters, visibility and facet counting are shared. Visibility is a
condition of every statement, so a DLA-only entry never reaches hits, counts, facets,
suggestions or similar resources of a user who may not read it.
"""

import dataclasses
import difflib
import hashlib
import re
from dataclasses import dataclass, replace
from itertools import islice

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from crdla.pagecache import generation

from ..documents import document_hash, facet_values
from ..facets import FACET_FIELDS, build_facets
from ..models import KnowledgeEntry, KnowledgeFacetValue, KnowledgeWord
from ..results import (
    MARK_END,
    MARK_START,
    SORT_DATE,
    Hit,
    SearchResults,
)
from .base import FRENCH_STOP_WORDS, WORD_RE, KnowledgeBackend, visibilities_for, vocabulary
from .postings import Members, bitmap, postings_for

BATCH = 500
ENTRY = "search_knowledgeentry"
FACET = "search_knowledgefacetvalue"
WORD = "search_knowledgeword"
HIT_COLUMNS = (
    "e.page_id, e.title, e.url, e.summary, e.kind, e.centre, e.visibility, e.published_date"
)


def members_in_order(order, found):
    """The page ids of ``order`` (an iterable) that are in the bitmap ``found``, lazily."""
    members = Members(found)
    return (page_id for page_id in order if page_id in members)


@dataclass
class Matches:
    """A dialect's matches: every matching page id (any order); when ranked, the ids ranked
    above the floor (best first) and below it (best first), the floor's ties being the other
    ids; and, when the match computed them, ``(page id, score)`` best first."""

    ids: list
    above: list = dataclasses.field(default_factory=list)
    below: list = dataclasses.field(default_factory=list)
    scored: list | None = None

    def ranked(self):
        """Page ids best first: ``above``, then the floor's ties by page id descending (as
        ``ORDER BY score DESC, page_id DESC`` puts them), then ``below``; lazily, so that a
        page within ``above`` sorts nothing."""
        yield from self.above
        if len(self.above) + len(self.below) < len(self.ids):
            ranked = set(self.above).union(self.below)
            yield from (i for i in sorted(self.ids, reverse=True) if i not in ranked)
        yield from self.below

    def scores(self, page_ids):
        """{page id: score} of ``page_ids`` from ``scored`` (read until all are found)."""
        wanted = set(page_ids)
        found = {}
        for page_id, score in self.scored or ():
            if page_id in wanted:
                found[page_id] = score
                if len(found) == len(wanted):
                    break
        return found


def unranked_hits(page_ids, allowed):
    """The hits statement without text: hit columns, a zero score, no highlight."""
    return (
        f"SELECT {HIT_COLUMNS}, 0, '' FROM {ENTRY} e WHERE e.page_id IN ({placeholders(page_ids)}) "
        f"AND e.visibility IN ({placeholders(allowed)})",
        [*page_ids, *allowed],
    )


def placeholders(values):
    return ", ".join(["%s"] * len(values))


def query_terms(text):
    """Words of a query for FTS expressions: no stop words, no punctuation, no syntax."""
    return [w for w in WORD_RE.findall(text.lower()) if w not in FRENCH_STOP_WORDS and "_" not in w]


def light_stem(word):
    """Cut the French plural and final e so that a prefix query finds the word's forms;
    « -al » and « -aux » share their stem (social, sociales, sociaux → soci*)."""
    if len(word) > 4 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 5 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 5 and (word.endswith("al") or (word.endswith("au") and word[-3] != "e")):
        word = word[:-2]
    return word


RESULTS_CACHE_SECONDS = 30


def index_generation():
    """The cache generation cached results are keyed on: the page cache's own
    (``crdla.pagecache.generation``), read once per request. A write to the index bumps it,
    and so does a publication (which changes what a page's visitors may find)."""
    return generation.for_request(None)


# A query of one or two words of French letters and digits (PostgreSQL's parser makes one
# lexeme at most of each; two words are always ANDed: « or » needs a word on each side).
FEW_WORDS = re.compile(r"\s*[0-9A-Za-zÀ-ÖØ-öø-ÿŒœ]+(?:\s+[0-9A-Za-zÀ-ÖØ-öø-ÿŒœ]+)?\s*")
TSQUERY_TOKEN = re.compile(r"'(?:[^']|'')*'(?::[*A-D]+)?|<(?:-|\d+)>|[&|!()]")


def compound_words_alone(tsquery):
    """``tsquery`` (PostgreSQL's text form) with each hyphenated word's phrase reduced to the
    whole word's lexeme, or None when it has no such phrase or one that is not only a word and
    its parts.

    ``websearch_to_tsquery`` turns « médico-social » into ``'medico-social' <-> 'medico' <->
    'social'``. A phrase is checked on the positions of every candidate, read from its large
    (TOASTed) vector: for « médico-social » at 100,000 resources the match took 25 ms (130 ms
    with a cold cache), 7 ms with the whole word's lexeme alone. The lexeme alone finds the
    same entries, since the parser puts a hyphenated word's parts right after the word itself
    (within as many positions as it has parts, stop words skipped); a longer chain
    (« médico-social,tiers-lieu », a quoted phrase) is left as it is."""
    tokens = TSQUERY_TOKEN.findall(tsquery)
    kept = []
    changed = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        after_phrase = bool(kept) and kept[-1].startswith("<")
        if token.startswith("'") and "-" in token[2:-1] and not after_phrase:
            span, j = 0, i + 1
            while j + 1 < len(tokens) and tokens[j].startswith("<"):
                span += 1 if tokens[j] == "<->" else int(tokens[j][1:-1])
                j += 2
            if j > i + 1:
                if span > token.count("-") + 1:
                    return None
                kept.append(token)
                changed = True
                i = j
                continue
        kept.append(token)
        i += 1
    return " ".join(kept) if changed else None


class PostgresDialect:
    """tsvector column ``search_vector`` (crdla_french), ts_rank, ts_headline, pg_trgm."""

    def text_source(self, text):
        return (
            f"{ENTRY} e CROSS JOIN websearch_to_tsquery('crdla_french'::regconfig, %s) q",
            [text],
            "e.search_vector @@ q",
            [],
        )

    def raw_source(self, tsquery):
        return (
            f"{ENTRY} e CROSS JOIN to_tsquery('crdla_french'::regconfig, %s) q",
            [tsquery],
            "e.search_vector @@ q",
            [],
        )

    # Title and summary only (migration 0003): matches found in the body alone rank below,
    # newest first. Ranking the full vector costs a de-TOAST per match.
    rank = "ts_rank(e.rank_vector, q)"
    rank_order = "score DESC"

    # The narrow copy of the vectors (migration 0005): a match visits its small rows, not the
    # wide entry rows, through the GIN index (no statistics on its vector, so the planner
    # sees no frequent word to scan the table for, and no ``SET enable_seqscan`` transaction
    # is needed around the statement; see ``after_rebuild``).
    MATCH = "search_knowledgematch"
    QUERY = "websearch_to_tsquery('crdla_french'::regconfig, %s)"
    # The rank of a vector holding none of the query's words (its only lexeme, a space, no
    # query holds): the *floor*, 0, or 1e-20 when several words must all be found. A constant
    # (immutable functions of the query's literal text).
    FLOOR = f"ts_rank($$' '$$::tsvector, {QUERY})"
    # Once a rebuild has filled the tables (autovacuum follows later changes, and comes
    # later after a rebuild): VACUUM merges the GIN index's pending list (scanned by every
    # match until then) and records the index's statistics, ANALYZE the row counts; without
    # them the planner may find a scan of the match table cheaper than its GIN index (60 ms
    # instead of 3 at 10,000 resources, seconds at 100,000).
    after_rebuild = [f"VACUUM ANALYZE {MATCH}", f"ANALYZE {WORD}"]

    def match(self, cursor, text, ranked):
        """The matches: every matching page id, the ids ranked above the floor best first,
        those ranked below it best first.

        ``ts_rank`` only looks the query's words up in ``rank_vector`` (title and summary):
        most matches of a frequent word are found in the body alone and rank at the floor.
        ``ORDER BY score DESC, page_id DESC`` puts them, tied, between the two lists by page
        id descending (``Matches.ranked``): only the others are sorted and sent, and no
        ``(id, score)`` pair per match reaches Python. One statement, each match visited
        once (those of a one- or two-word query ranked off the floor, twice)."""
        found, found_params = self.matching(cursor, text)
        if not ranked:
            cursor.execute(
                f"SELECT array_agg(page_id) FROM {self.MATCH} m CROSS JOIN {self.QUERY} q "
                f"WHERE m.search_vector @@ {found}",
                [text, *found_params],
            )
            return Matches(cursor.fetchone()[0] or [])
        if FEW_WORDS.fullmatch(text):
            # One or two words: only the matches whose title or summary holds every word are
            # ranked (``rank_vector @@ q``, through its own index, migration 0006); ``ts_rank``
            # gives every other match exactly the floor — 0 for one word absent from the
            # vector, and for two words the value of « no pair of them found », unless both
            # are there. A word in 66,000 of 100,000 entries: 43 → 36 ms; two frequent words
            # (40,000 matches): 40 → 19 ms.
            ids = (
                f"(SELECT array_agg(page_id) FROM {self.MATCH} WHERE search_vector @@ {self.QUERY})"
            )
            ids_params, ranked_rows = [text], "m.rank_vector @@ q"
        else:
            ids, ids_params, ranked_rows = "array_agg(page_id)", [], f"m.search_vector @@ {found}"
        order = "ORDER BY score DESC, page_id DESC"
        cursor.execute(
            f"SELECT {ids}, "
            f"array_agg(page_id {order}) FILTER (WHERE score > floor), "
            f"array_agg(page_id {order}) FILTER (WHERE score < floor) "
            f"FROM (SELECT m.page_id, ts_rank(m.rank_vector, q) AS score, {self.FLOOR} AS floor "
            f"FROM {self.MATCH} m CROSS JOIN {self.QUERY} q WHERE {ranked_rows}) ranked",
            [*ids_params, text, text, *found_params],
        )
        ids, above, below = cursor.fetchone()
        return Matches(ids or [], above or [], below or [])

    def matching(self, cursor, text):
        """The condition's query, ``q`` (the query) or an equivalent that finds hyphenated
        words without checking positions (``compound_words_alone``), and its parameters."""
        if "-" in text:
            cursor.execute(f"SELECT {self.QUERY}::text", [text])
            simpler = compound_words_alone(cursor.fetchone()[0])
            if simpler is not None:
                return "%s::tsquery", [simpler]
        return "q", []

    def hits(self, text, ranked, page_ids, allowed):
        """Hit columns, score and highlight of the ``page_ids`` that ``allowed`` may see."""
        if not text:
            return unranked_hits(page_ids, allowed)
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=30, "
            'MinWords=12, FragmentDelimiter=" … "'
        )
        score = "ts_rank(m.rank_vector, q)" if ranked else "0"
        return (
            f"SELECT {HIT_COLUMNS}, {score}, ts_headline('crdla_french'::regconfig, "
            "left(e.summary || ' ' || e.body || ' ' || e.attachments, 20000), q, %s) "
            f"FROM {ENTRY} e JOIN {self.MATCH} m ON m.page_id = e.page_id "
            f"CROSS JOIN {self.QUERY} q WHERE e.page_id IN ({placeholders(page_ids)}) "
            f"AND e.visibility IN ({placeholders(allowed)})",
            [options, text, *page_ids, *allowed],
        )

    def similar_source(self, terms):
        tsquery = " | ".join(terms)
        return self.raw_source(tsquery)

    def prefix_source(self, terms):
        parts = [f"{t}:A" for t in terms[:-1]] + [f"{terms[-1]}:*A"]
        return self.raw_source(" & ".join(parts))

    def word_candidates(self, cursor, word, allowed):
        cursor.execute(
            f"SELECT word FROM {WORD} WHERE visibility IN ({placeholders(allowed)}) "
            "AND word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT 1",
            [*allowed, word, word],
        )
        row = cursor.fetchone()
        if row is None:
            # A typo in a word typed without its accents (« tresorerei ») shares too few
            # trigrams with the accented word: compare without accents, among words of
            # about the same length (no index, but only after the indexed lookup failed).
            cursor.execute(
                f"SELECT word FROM {WORD} WHERE visibility IN ({placeholders(allowed)}) "
                "AND length(word) BETWEEN %s AND %s "
                "AND similarity(unaccent(word), unaccent(%s)) >= 0.3 "
                "ORDER BY similarity(unaccent(word), unaccent(%s)) DESC, word LIMIT 1",
                [*allowed, len(word) - 2, len(word) + 2, word, word],
            )
            row = cursor.fetchone()
        return row[0] if row else None


class SqliteDialect:
    """External-content FTS5 table ``search_knowledgefts`` (accent folding), bm25, snippet."""

    FTS = "search_knowledgefts"

    @staticmethod
    def expression(text):
        terms = []
        for term in query_terms(text):
            stem = light_stem(term)
            terms.append(f'"{stem}"*' if len(stem) >= 3 else f'"{stem}"')
        return " ".join(terms)

    def _source(self, expression):
        return (
            f"{self.FTS} JOIN {ENTRY} e ON e.page_id = {self.FTS}.rowid",
            [],
            f"{self.FTS} MATCH %s",
            [expression or '""'],
        )

    def text_source(self, text):
        return self._source(self.expression(text))

    # Title counts most, then summary, body and attachments (bm25 is lower-is-better).
    rank = "-bm25(search_knowledgefts, 10.0, 4.0, 1.5, 1.0)"
    rank_order = "score DESC"
    after_rebuild = []

    def match(self, cursor, text, ranked):
        """The matches, best first when ``ranked`` (the FTS table alone, no join): ``bm25()``
        has no floor (a word in the body alone counts), so every match is ranked, and its
        score kept for the page's hits (``bm25()`` in the hits statement would recount each
        word's documents per hit)."""
        params = [self.expression(text) or '""']
        if not ranked:
            cursor.execute(f"SELECT rowid FROM {self.FTS} WHERE {self.FTS} MATCH %s", params)
            return Matches([row[0] for row in cursor.fetchall()])
        cursor.execute(
            f"SELECT rowid, {self.rank} AS score FROM {self.FTS} WHERE {self.FTS} MATCH %s "
            "ORDER BY score DESC, rowid DESC",
            params,
        )
        scored = cursor.fetchall()
        ids = [row[0] for row in scored]
        return Matches(ids, above=ids, scored=scored)

    def hits(self, text, ranked, page_ids, allowed):
        """Hit columns and highlight of the ``page_ids`` that ``allowed`` may see (their
        scores are ``Matches.scored``)."""
        if not text:
            return unranked_hits(page_ids, allowed)
        return (
            f"SELECT {HIT_COLUMNS}, 0, "
            f"snippet({self.FTS}, -1, char(2), char(3), ' … ', 28) "
            f"FROM {self.FTS} JOIN {ENTRY} e ON e.page_id = {self.FTS}.rowid "
            # « +rowid »: one pass over the matches, the page's ids as a filter. Given to
            # FTS5 as lookups, each id re-merged the doclists of every « word* » prefix
            # (2 ms per hit for a frequent prefix: 97 ms instead of 13 for a page).
            f"WHERE {self.FTS} MATCH %s AND +{self.FTS}.rowid IN ({placeholders(page_ids)}) "
            f"AND e.visibility IN ({placeholders(allowed)})",
            [self.expression(text) or '""', *page_ids, *allowed],
        )

    def similar_source(self, terms):
        return self._source(" OR ".join(f'"{light_stem(t)}"*' for t in terms))

    def prefix_source(self, terms):
        return self._source(" ".join(f'title : "{t}"*' for t in terms))

    def word_candidates(self, cursor, word, allowed):
        cursor.execute(
            f"SELECT word FROM {WORD} WHERE visibility IN ({placeholders(allowed)}) "
            "AND substr(word, 1, 1) = %s AND length(word) BETWEEN %s AND %s",
            [*allowed, word[0], len(word) - 2, len(word) + 2],
        )
        candidates = [row[0] for row in cursor.fetchall()]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
        return close[0] if close else None


class DatabaseBackend(KnowledgeBackend):
    """The embedded default and small installs (see the module docstring)."""

    name = "database"

    @property
    def dialect(self):
        if connection.vendor == "postgresql":
            return PostgresDialect()
        if connection.vendor == "sqlite":
            return SqliteDialect()
        raise ImproperlyConfigured(
            "La recherche en base de données demande PostgreSQL ou SQLite ; "
            "configurez ELASTICSEARCH_URL pour un autre moteur."
        )

    # --- writing ------------------------------------------------------------------------

    def index_many(self, documents):
        count = 0
        batch = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH:
                count += self._write(batch)
                batch = []
        if batch:
            count += self._write(batch)
        return count

    @transaction.atomic
    def _write(self, documents, bump=True):
        if bump:
            # In the writing transaction: committed with the change (and seen by this
            # transaction's own reads at once); a shared cache's copy is bumped again on commit.
            generation.bump()
        ids = [d["page_id"] for d in documents]
        KnowledgeEntry.objects.filter(page_id__in=ids).delete()
        KnowledgeEntry.objects.bulk_create(
            KnowledgeEntry(
                page_id=d["page_id"],
                title=d["title"][:255],
                summary=d["summary"],
                body=d["body"],
                attachments=d["attachments"],
                url=d["url"][:500],
                kind=(d["kinds"] or [""])[0],
                centre=d.get("centre_name", "")[:120],
                visibility=d["visibility"],
                published_date=d["published_date"],
                last_published_at=d["last_published_at"],
                content_hash=document_hash(d),
            )
            for d in documents
        )
        KnowledgeFacetValue.objects.bulk_create(
            KnowledgeFacetValue(entry_id=d["page_id"], facet=field, value=str(value)[:120])
            for d in documents
            for field, value in facet_values(d)
        )
        KnowledgeWord.objects.bulk_create(
            [
                KnowledgeWord(word=word, visibility=visibility)
                for word, visibility in {
                    (w, d["visibility"]) for d in documents for w in vocabulary(d)
                }
            ],
            ignore_conflicts=True,
        )
        return len(documents)

    def remove(self, page_id):
        KnowledgeEntry.objects.filter(page_id=page_id).delete()
        generation.bump()

    def rebuild(self, documents, progress=None):
        # One transaction: readers keep seeing the previous index (and the previous cache
        # generation) until the commit. The generation is bumped once, at its end, so that the
        # rebuild holds the generation's row (which every publication updates) only briefly.
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table in (FACET, ENTRY, WORD):
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            count = 0
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) >= BATCH:
                    count += self._write(batch, bump=False)
                    batch = []
                    if progress:
                        progress(count)
            if batch:
                count += self._write(batch, bump=False)
            if progress:
                progress(count)
            generation.bump()
        if not connection.in_atomic_block:  # VACUUM cannot run in a transaction
            with connection.cursor() as cursor:
                for statement in self.dialect.after_rebuild:
                    cursor.execute(statement)
        return count

    def indexed_hashes(self):
        return dict(KnowledgeEntry.objects.values_list("page_id", "content_hash"))

    # --- reading ------------------------------------------------------------------------

    def _source(self, text):
        dialect = self.dialect
        if text:
            return dialect.text_source(text)
        return f"{ENTRY} e", [], "", []

    @staticmethod
    def _where(match, match_params, allowed, filters, skip=None):
        conditions = [f"e.visibility IN ({placeholders(allowed)})"]
        params = list(allowed)
        if match:
            conditions.append(match)
            params += match_params
        for field, values in filters.items():
            if field == skip or not values:
                continue
            conditions.append(
                f"EXISTS (SELECT 1 FROM {FACET} f WHERE f.entry_id = e.page_id "
                f"AND f.facet = %s AND f.value IN ({placeholders(values)}))"
            )
            params += [field, *values]
        return " AND ".join(conditions), params

    def _select(self, cursor, sql, params):
        cursor.execute(sql, params)
        return cursor.fetchall()

    def search(self, user, query):
        """Results per (query, filters, sort, page, visibilities, index generation), cached.

        Every write to the index bumps the generation (now and once committed), so a cached
        answer is never served after a change, by any process (the generation is in the
        shared cache or, with per-process caches, in the database).
        """
        allowed = visibilities_for(user)
        filters = sorted((f, sorted(v)) for f, v in query.filters.items() if v)
        index = index_generation()
        raw = repr(
            (
                connection.vendor,
                index,
                allowed,
                query.text,
                filters,
                query.effective_sort,
                query.page,
                query.per_page,
            )
        )
        key = "search:db-results:" + hashlib.sha1(raw.encode()).hexdigest()
        results = cache.get(key)
        if results is None:
            results = self._search_with_correction(user, query, index)
            cache.set(key, results, RESULTS_CACHE_SECONDS)
        return results

    def _search_with_correction(self, user, query, index):
        results = self._search(user, query, index)
        if results.total == 0 and query.text.strip():
            # Typo tolerance, the counterpart of Elasticsearch's fuzzy clause: when nothing
            # matches, search the closest words of the visible vocabulary (titles and
            # summaries) instead of the unknown ones. Costs nothing when something matches.
            corrected = self._corrected(user, query.text)
            if corrected:
                results = self._search(user, replace(query, text=corrected), index)
                results.query = query
        return results

    def _search(self, user, query, index):
        """One match in SQL (every matching page id, and the ranked ones in relevance order
        when ranked), then total, facet counts, filters and the page's slice on bitmaps
        (``postings``); then one statement reads the page's hits, with their visibility
        checked in SQL, their scores and highlights."""
        allowed = visibilities_for(user)
        text = query.text.strip()
        filters = {f: list(v) for f, v in query.filters.items() if v}
        by_date = query.effective_sort == SORT_DATE or not text
        postings = postings_for(index, ENTRY, FACET)
        matched = postings.visible(allowed)
        matches = Matches([])
        if text:
            with connection.cursor() as cursor:
                matches = self.dialect.match(cursor, text, ranked=not by_date)
            matched &= bitmap(matches.ids)
        selection = postings.selection(filters)
        found = matched if selection is None else matched & selection
        # Each facet ignores its own selection, so that its alternatives keep their counts.
        counts = postings.counts(found, [f for f in FACET_FIELDS if f not in filters])
        for field in filters:
            others = postings.selection(filters, skip=field)
            counts.update(postings.counts(matched if others is None else matched & others, [field]))
        order = postings.newest_first if by_date else matches.ranked()
        offset = (query.page - 1) * query.per_page
        page_ids = list(islice(members_in_order(order, found), offset, offset + query.per_page))
        return SearchResults(
            query=query,
            hits=self._hits(text, not by_date, page_ids, allowed, matches),
            total=found.bit_count(),
            facets=build_facets(counts, filters),
            page=query.page,
        )

    def _hits(self, text, ranked, page_ids, allowed, matches):
        """The hits of ``page_ids`` in that order, among the entries ``allowed`` may see, with
        their scores and highlights (one statement)."""
        if not page_ids:
            return []
        sql, params = self.dialect.hits(text, ranked, page_ids, allowed)
        with connection.cursor() as cursor:
            rows = self._select(cursor, sql, params)
        by_id = {}
        for row in rows:
            hit = self._hit(row[:-1])
            if MARK_START in (row[-1] or ""):
                hit.highlights = [row[-1]]
            by_id[hit.page_id] = hit
        if matches.scored is not None:
            for page_id, score in matches.scores(page_ids).items():
                if page_id in by_id:
                    by_id[page_id].score = float(score or 0)
        return [by_id[page_id] for page_id in page_ids if page_id in by_id]

    @staticmethod
    def _hit(row):
        page_id, title, url, summary, kind, centre, visibility, published, score = row
        return Hit(
            page_id=page_id,
            title=title,
            url=url,
            summary=summary,
            kind=kind,
            centre_name=centre,
            visibility=visibility,
            published_date=published,
            score=float(score or 0),
        )

    def count(self, user, text):
        source, source_params, match, match_params = self._source(text.strip())
        where, where_params = self._where(match, match_params, visibilities_for(user), {})
        with connection.cursor() as cursor:
            return self._select(
                cursor, f"SELECT count(*) FROM {source} WHERE {where}", source_params + where_params
            )[0][0]

    def _ranked(self, user, source_parts, limit, exclude=None):
        source, source_params, match, match_params = source_parts
        where, where_params = self._where(match, match_params, visibilities_for(user), {})
        if exclude is not None:
            where += " AND e.page_id <> %s"
            where_params.append(exclude)
        with connection.cursor() as cursor:
            rows = self._select(
                cursor,
                f"SELECT {HIT_COLUMNS}, {self.dialect.rank} AS score FROM {source} WHERE {where} "
                f"ORDER BY {self.dialect.rank_order}, e.published_date DESC LIMIT %s",
                source_params + where_params + [limit],
            )
        return [self._hit(row) for row in rows]

    def autocomplete(self, user, prefix, limit=8):
        terms = [t for t in WORD_RE.findall(prefix.lower()) if "_" not in t][:6]
        if not terms or len(terms[-1]) < 2:
            return []
        hits = self._ranked(user, self.dialect.prefix_source(terms), limit)
        return [{"title": h.title, "url": h.url} for h in hits]

    def similar(self, page_id, user, limit=4):
        entry = KnowledgeEntry.objects.filter(page_id=page_id).first()
        if entry is None:
            return []
        terms = sorted(
            {
                w
                for w in query_terms(f"{entry.title} {entry.summary}")
                if len(w) > 3 and w.isalpha()
            },
            key=lambda w: (-len(w), w),
        )[:12]
        if not terms:
            return []
        return self._ranked(user, self.dialect.similar_source(terms), limit, exclude=page_id)

    def _corrected(self, user, text):
        """``text`` with each unknown word replaced by the closest visible vocabulary word,
        or None when no word changes."""
        allowed = visibilities_for(user)
        changed = False
        corrected = []
        with connection.cursor() as cursor:
            for word in WORD_RE.findall(text.lower()):
                if len(word) < 4 or not word.isalpha() or word in FRENCH_STOP_WORDS:
                    corrected.append(word)
                    continue
                cursor.execute(
                    f"SELECT 1 FROM {WORD} WHERE word = %s AND visibility IN ({placeholders(allowed)})",
                    [word, *allowed],
                )
                if cursor.fetchone():
                    corrected.append(word)
                    continue
                candidate = self.dialect.word_candidates(cursor, word, allowed)
                if candidate and candidate != word:
                    corrected.append(candidate)
                    changed = True
                else:
                    corrected.append(word)
        return " ".join(corrected) if changed else None

    def spelling_suggestion(self, user, text):
        suggestion = self._corrected(user, text)
        # Only suggest what actually finds something this user may see.
        return suggestion if suggestion and self.count(user, suggestion) else None
