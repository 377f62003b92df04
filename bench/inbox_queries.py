"""Bench: a committee member's inbox with 10, 100 and 1,000 open review tasks.

Creates programmes through the real flow (start → submit → five review tasks each), then
requests /pilotage/inbox/ as the DGEFP member who sits on every committee, and reports the
SQL query count and the median time of the page. Goal: the query count does not grow with
the number of processes.

    .venv/bin/python bench/inbox_queries.py      # throwaway test database (SQLite in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crdla .venv/bin/python bench/inbox_queries.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crdla.settings.test")

import django  # noqa: E402

STEPS = [int(n) for n in os.environ.get("BENCH_STEPS", "10,100,1000").split(",")]
CENTRES = 10
REQUESTS = 25


def fresh_database():
    """A throwaway test database (in memory for SQLite, test_<name> for PostgreSQL)."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


def build_site():
    from wagtail.models import Page, Site

    from crdla.accounts import roles
    from crdla.accounts.models import Institution
    from crdla.centres.models import CommitteeSeat
    from tests.factories import CentrePageFactory, HomePageFactory, SectorFactory, UserFactory

    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    reviewer = UserFactory(username="bench.dgefp", groups=[])
    centres = []
    for index in range(CENTRES):
        centre = CentrePageFactory(
            parent=home, slug=f"centre-{index}", sector=SectorFactory(slug=f"secteur-{index}")
        )
        editor = UserFactory(
            username=f"bench.editor{index}",
            groups=[roles.CENTRE_STAFF, centre.editors_group],
        )
        for institution in Institution.values:
            user = reviewer if institution == Institution.DGEFP else None
            if user is None:
                user = UserFactory(username=f"bench.{institution}{index}")
            CommitteeSeat.objects.create(
                centre=centre,
                institution=institution,
                user=user,
                is_chair=institution == Institution.PORTEUSE,
            )
        centres.append((centre, editor))
    return reviewer, centres


def create_programmes(centres, start, stop):
    """Programmes start..stop-1, each started and submitted through the flow's activations."""
    from django.db import transaction

    from tests.workflows.conftest import fill_programme
    from workflows import services
    from workflows.demo import _start_process
    from workflows.flows import ProgrammeFlow

    for number in range(start, stop):
        centre, editor = centres[number % len(centres)]
        with transaction.atomic():
            programme = services.create_programme(
                centre, 1000 + number // len(centres), f"Programme {number}", "Bench", editor
            )
            fill_programme(programme)
            process = _start_process(programme, editor)
        draft = process.task_set.get(flow_task=ProgrammeFlow.draft)
        with draft.activation() as activation:

            class Request:
                user = editor

            activation.start(Request)
            services.submit(activation.process, editor)
            activation.execute()


def measure(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: session, site and settings caches, compiled templates
        client.get("/pilotage/inbox/")
    timings, counts = [], []
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/pilotage/inbox/")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        counts.append(len(queries))
    if os.environ.get("BENCH_VERBOSE"):
        for query in queries.captured_queries:
            print(f"    {query['time']:>6}s  {query['sql'][:110]}")
    return counts, statistics.median(timings) * 1000


def main():
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from viewflow.workflow.models import Task

    setup_test_environment()
    drop_database = fresh_database()
    reviewer, centres = build_site()
    client = Client()
    client.force_login(reviewer)
    done = 0
    print(f"database: {django.db.connection.vendor}")
    print(f"{'processes':>10} {'inbox tasks':>12} {'queries':>8} {'median ms':>10}")
    for step in STEPS:
        create_programmes(centres, done, step)
        done = step
        if django.db.connection.vendor == "postgresql":
            # planner statistics, as autovacuum would have gathered them in production
            with django.db.connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        inbox = Task.objects.filter(owner=reviewer, status="ASSIGNED").count()
        counts, median_ms = measure(client)
        assert len(set(counts)) == 1, counts
        print(f"{step:>10} {inbox:>12} {counts[0]:>8} {median_ms:>10.1f}")
    drop_database()


if __name__ == "__main__":
    main()
