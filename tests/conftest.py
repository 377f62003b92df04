"""Shared fixtures: a site tree (home → centre → resources), and one user per role."""

import os
from pathlib import Path

import pytest
from wagtail.models import Page, Site

from crdla.accounts import roles
from tests import template_db
from tests.factories import (
    CentrePageFactory,
    HomePageFactory,
    ResourceIndexPageFactory,
    SectorFactory,
    UserFactory,
)


def pytest_configure(config):
    template_db.install()


def transaction_kind(item):
    """0: rolled-back test; 1: transactional with serialized rollback; 2: other transactional."""
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    fixtures = set(getattr(item, "fixturenames", ()))
    if not (kwargs.get("transaction") or fixtures & {"transactional_db", "live_server"}):
        return 0
    return 1 if kwargs.get("serialized_rollback") else 2


def pytest_collection_modifyitems(config, items):
    """Transactional tests last, those with a serialized rollback first among them.

    A transactional test empties the database when it ends and, unless it reloads a
    serialized copy, re-runs post_migrate, recreating content types under new ids that a later
    serialized reload would collide with.
    """
    items.sort(key=transaction_kind)  # stable: the collection order holds within each kind


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process, whatever a real-worker test before this one left behind.

    The real-worker tests point the shared Celery app at Redis and close its connection pools
    when they end; a later test must not inherit either (« Acquire on closed pool »).
    """
    if request.node.get_closest_marker("celery_worker"):
        return
    from crdla.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    if app._pool is not None and getattr(app._pool, "_closed", False):
        app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def migration_baseline(request):
    """What the migrations created, recreated for transactional tests.

    A transactional test flushes every table when it ends, so the next one on the same worker
    would miss content types, permissions and role groups (post_migrate), Wagtail's default
    locale, root page and root collection, and our reference data (régions, départements,
    programme axes).
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional or (marker is not None and marker.kwargs.get("serialized_rollback")):
        return  # serialized_rollback tests reload the migration data themselves
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.core.management.sql import emit_post_migrate_signal
    from wagtail.models import Collection, Locale

    from crdla.core.geography import load_reference_data

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    Locale.objects.get_or_create(language_code="fr")
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name=roles.ROOT_COLLECTION_NAME)
    load_reference_data(
        apps.get_model("core", "Region"),
        apps.get_model("core", "Departement"),
        apps.get_model("core", "ProgrammeAxis"),
    )


@pytest.fixture
def home(db):
    """Our HomePage as the root of the default site (Wagtail's welcome page removed)."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    return home


@pytest.fixture
def culture(home):
    return CentrePageFactory(
        parent=home,
        title="Centre de ressources DLA Culture",
        slug="culture",
        short_name="CRDLA Culture",
        sector=SectorFactory(slug="culture", name="Culture"),
    )


@pytest.fixture
def sport(home):
    return CentrePageFactory(
        parent=home,
        title="Centre de ressources DLA Sport",
        slug="sport",
        short_name="CRDLA Sport",
        sector=SectorFactory(slug="sport", name="Sport"),
    )


@pytest.fixture
def culture_index(culture):
    return ResourceIndexPageFactory(parent=culture)


@pytest.fixture
def sport_index(sport):
    return ResourceIndexPageFactory(parent=sport)


@pytest.fixture
def make_user(db):
    def make(username, *group_names, **kwargs):
        return UserFactory(username=username, groups=list(group_names), **kwargs)

    return make


@pytest.fixture
def dla_officer(make_user):
    return make_user("cm.test", roles.DLA_OFFICERS)


@pytest.fixture
def culture_expert(make_user, culture):
    return make_user("expert.culture", roles.CENTRE_STAFF, culture.experts_group)


@pytest.fixture
def culture_editor(make_user, culture):
    return make_user("editeur.culture", roles.CENTRE_STAFF, culture.editors_group)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin.test", is_superuser=True, is_staff=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    """Tests marked ``celery_worker`` start real worker processes that must share the test
    database: on SQLite it then lives in a file (var/) instead of in memory."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    wants_worker = any(item.get_closest_marker("celery_worker") for item in request.session.items)
    if db["ENGINE"].endswith("sqlite3") and wants_worker and not db.get("TEST", {}).get("NAME"):
        suffix = os.environ.get("PYTEST_XDIST_WORKER", "main")
        path = Path(settings.BASE_DIR) / "var" / f"test-crdla-{suffix}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        db.setdefault("TEST", {})["NAME"] = str(path)
    else:
        request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(autouse=True)
def fresh_cache():
    """An empty local-memory cache for every test.

    The menu, the footer and the cached pages are keyed on the cache generation, a database
    row that each test's rollback resets: what one test cached must not be read by the next.
    """
    from django.core.cache import cache

    from crdla.pagecache import generation

    cache.clear()
    generation.forget_process_memory()
