"""The database backend's answers on a generated corpus stay what they were.

The expected answers (hits in order with their highlights, total, every facet with its counts)
were recorded from the engine before its speed work (issue 13), one file per database engine
(ranking differs between FTS5 and PostgreSQL). Any change of the engine must give the same
answers for these searches, as an anonymous visitor and as a DLA officer. To record them again
after a deliberate change of behaviour: ``SEARCH_GOLDEN_WRITE=1 pytest tests/search/test_database_answers.py``.
"""

import hashlib
import json
import os
from pathlib import Path

import pytest
from django.db import connection

from bench.search_bench import DOMAIN, generate, queries
from search.backends.database import DatabaseBackend
from search.results import SORT_DATE, SearchQuery

CORPUS_SIZE = 600
GOLDEN = Path(__file__).parent / "golden"


def cases():
    """The bench's varied searches plus selections on several facets at once and deep pages."""
    result = queries(60, seed=11)
    result += [
        SearchQuery(text="", filters={"centre": ["culture", "sport"], "regions": ["44"]}),
        SearchQuery(text=DOMAIN[0], filters={"audiences": ["public-1"], "axes": ["2", "3"]}),
        SearchQuery(text=f"{DOMAIN[3]} {DOMAIN[7]}", page=3),
        SearchQuery(text=DOMAIN[5], sort=SORT_DATE, page=2),
        SearchQuery(text="tresorerie", filters={"sectors": ["sport"], "year": ["2020", "2021"]}),
        SearchQuery(text="rapprochement fusion", filters={"kinds": ["guide", "etude"]}),
        SearchQuery(text="motinconnu"),
        SearchQuery(text="financement", filters={"themes": ["theme-0"], "centre": ["iae"]}),
    ]
    return result


def answer(results):
    highlights = json.dumps([hit.highlights for hit in results.hits], ensure_ascii=False)
    return {
        "total": results.total,
        "hits": [hit.page_id for hit in results.hits],
        "highlights": hashlib.sha1(highlights.encode()).hexdigest()[:16],
        "facets": {
            field: [[f.value, f.count, f.selected] for f in items]
            for field, items in results.facets.items()
        },
    }


def label(query):
    filters = ",".join(f"{f}={'|'.join(v)}" for f, v in sorted(query.filters.items()))
    return f"{query.text!r} [{filters}] {query.sort} p{query.page}"


@pytest.fixture
def generated_backend(db):
    backend = DatabaseBackend()
    backend.rebuild(generate(CORPUS_SIZE, seed=5))
    return backend


def test_answers_match_the_recorded_ones(generated_backend, anonymous, dla_officer):
    got = {}
    for user_label, user in (("anonymous", anonymous), ("network", dla_officer)):
        for query in cases():
            got[f"{user_label} {label(query)}"] = answer(generated_backend.search(user, query))
    path = GOLDEN / f"database_answers_{connection.vendor}.json"
    if os.environ.get("SEARCH_GOLDEN_WRITE"):
        lines = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in got.items()]
        path.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    expected = json.loads(path.read_text())
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == value, key
    # The corpus really exercises the engine: large matched sets, restricted entries.
    assert max(v["total"] for v in expected.values()) > CORPUS_SIZE // 4
    assert any(
        expected[f"network {k.split(' ', 1)[1]}"]["total"] > v["total"]
        for k, v in expected.items()
        if k.startswith("anonymous")
    )
