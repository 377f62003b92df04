"""The relevance set passes on the demo content, on the database backend of the current
engine (SQLite or PostgreSQL) and on the Elasticsearch backend (noida-db stand-in).

The demo content is loaded once for the class (``load_initial_data --no-users``).
"""

import io
import uuid

import pytest
from django.core.management import call_command
from django.test import TestCase

from search.backends.database import DatabaseBackend
from search.backends.elastic import ElasticsearchBackend
from search.indexing import iter_documents
from search.relevance import (
    ANONYMOUS,
    NETWORK,
    evaluate,
    load_queries,
    ndcg_at,
    recall_at,
)

from .standins import NoidaElasticsearch


def test_the_set_covers_what_officers_type():
    queries, thresholds = load_queries()
    assert len(queries) >= 40
    kinds = {q.kind for q in queries}
    for kind in (
        "mot seul",
        "plusieurs mots",
        "mots dans des champs différents",
        "pluriel, féminin",
        "sans accents",
        "faute de frappe",
        "expression entre guillemets",
        "facette",
        "réseau DLA",
    ):
        assert kind in kinds
    assert {q.user for q in queries} == {ANONYMOUS, NETWORK}
    assert thresholds["recall_at_5"] == 1.0


def test_metrics():
    assert recall_at(5, ["a", "x", "b"], ["a", "b"]) == 1.0
    assert recall_at(5, ["x", "y", "z", "w", "v", "a"], ["a"]) == 0.0
    assert ndcg_at(10, ["a", "b"], ["a", "b"]) == 1.0
    assert 0 < ndcg_at(10, ["x", "a"], ["a"]) < 1


class RelevanceSetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_initial_data", "--no-users", stdout=io.StringIO())

    def assert_passes(self, evaluation):
        failures = {o.query.label(): (o.missing, o.ranked[:5]) for o in evaluation.failures}
        assert failures == {}
        assert evaluation.passed, (evaluation.recall, evaluation.ndcg)

    def test_database_backend_passes(self):
        evaluation = evaluate(DatabaseBackend())
        self.assert_passes(evaluation)
        assert evaluation.recall == 1.0

    def test_elasticsearch_backend_passes_on_the_stand_in(self):
        server = NoidaElasticsearch()
        reason = server.start()
        if reason:
            pytest.skip(f"Stand-in Elasticsearch indisponible : {reason}")
        try:
            backend = ElasticsearchBackend(server.url, f"rel{uuid.uuid4().hex[:8]}")
            backend.rebuild(iter_documents())
            self.assert_passes(evaluate(backend))
        finally:
            server.stop()

    def test_command_prints_the_figures(self):
        out = io.StringIO()
        call_command("evaluate_relevance", "--backend", "database", stdout=out)
        assert "rappel@5 = 1.000" in out.getvalue()
        assert "nDCG@10 = " in out.getvalue()
