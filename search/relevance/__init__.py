"""The relevance set of the knowledge base: French queries written as DLA officers type them
(``queries.toml``), each with the demo resources it must bring into the top 5, and the
figures that measure a backend against them (recall@5, nDCG@10).

``evaluate(backend)`` runs every query through ``run_search`` (what the search page shows)
on the demo content (``load_initial_data``); ``manage.py evaluate_relevance`` prints the
figures per backend and fails below the thresholds of the data file.
"""

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..facets import FACETS_BY_PARAM
from ..results import SearchQuery
from ..service import run_search

QUERIES_FILE = Path(__file__).with_name("queries.toml")
ANONYMOUS = "anonyme"
NETWORK = "réseau"


@dataclass
class RelevanceQuery:
    """One query of the set: what is typed, by whom, with which filters, and the titles of
    the resources that must come in the first five results."""

    text: str
    expected: list
    kind: str = ""
    user: str = ANONYMOUS
    filters: dict = field(default_factory=dict)  # URL parameter → values, as on the site

    def search_query(self):
        filters = {FACETS_BY_PARAM[param].field: values for param, values in self.filters.items()}
        return SearchQuery(text=self.text, filters=filters, per_page=10)

    def label(self):
        selected = " ".join(f"{p}={','.join(v)}" for p, v in self.filters.items())
        who = "" if self.user == ANONYMOUS else f" [{self.user}]"
        return f"{self.text}{' ' + selected if selected else ''}{who}"


def load_queries(path=QUERIES_FILE):
    """(queries, thresholds) read from the TOML data file."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    queries = [RelevanceQuery(**item) for item in data["query"]]
    for query in queries:
        unknown = set(query.filters) - set(FACETS_BY_PARAM)
        if unknown or query.user not in (ANONYMOUS, NETWORK) or not query.expected:
            raise ValueError(f"Requête mal décrite dans {path.name} : {query.label()}")
    return queries, data["thresholds"]


def recall_at(k, ranked, expected):
    """Share of the expected resources found in the first ``k`` results."""
    return len(set(ranked[:k]) & set(expected)) / min(len(expected), k)


def ndcg_at(k, ranked, expected):
    """Normalised discounted cumulative gain of the first ``k`` results, binary relevance."""
    relevant = set(expected)
    gain = sum(1 / math.log2(rank + 2) for rank, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return gain / ideal


@dataclass
class Outcome:
    query: RelevanceQuery
    ranked: list  # titles, best first
    recall: float
    ndcg: float

    @property
    def missing(self):
        return [title for title in self.query.expected if title not in self.ranked[:5]]


@dataclass
class Evaluation:
    """The outcome of every query on one backend, and the means."""

    backend: str
    outcomes: list
    thresholds: dict

    @property
    def recall(self):
        return sum(o.recall for o in self.outcomes) / len(self.outcomes)

    @property
    def ndcg(self):
        return sum(o.ndcg for o in self.outcomes) / len(self.outcomes)

    @property
    def failures(self):
        """Queries whose expected resources are not all in the top 5."""
        return [o for o in self.outcomes if o.missing]

    @property
    def passed(self):
        return (
            self.recall >= self.thresholds["recall_at_5"]
            and self.ndcg >= self.thresholds["ndcg_at_10"]
            and len(self.failures) <= self.thresholds.get("failed_queries", 0)
        )


def users():
    """The two kinds of searcher: an anonymous visitor and a member of the DLA network."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    # Unsaved: a superuser reads what the network reads (public and DLA-only resources).
    return {
        ANONYMOUS: AnonymousUser(),
        NETWORK: get_user_model()(username="relevance", is_superuser=True),
    }


def evaluate(backend, queries=None, thresholds=None):
    """Run the relevance set on ``backend`` (over the live demo resources)."""
    from crdla.resources.models import ResourcePage

    if queries is None:
        queries, thresholds = load_queries()
    titles = dict(ResourcePage.objects.live().values_list("pk", "title"))
    known = set(titles.values())
    unknown = sorted({t for q in queries for t in q.expected} - known)
    if unknown:
        raise ValueError(f"Ressources attendues absentes du contenu de démonstration : {unknown}")
    searchers = users()
    outcomes = []
    for query in queries:
        results = run_search(searchers[query.user], query.search_query(), backend=backend)
        ranked = [titles.get(hit.page_id, hit.title) for hit in results.hits]
        outcomes.append(
            Outcome(
                query=query,
                ranked=ranked,
                recall=recall_at(5, ranked, query.expected),
                ndcg=ndcg_at(10, ranked, query.expected),
            )
        )
    return Evaluation(backend=describe(backend), outcomes=outcomes, thresholds=thresholds)


def describe(backend):
    if backend.name == "database":
        from django.db import connection

        return f"database ({connection.vendor})"
    return backend.name
