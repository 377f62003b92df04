"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download does not work here, so the launch points at
``/usr/bin/chromium`` (``apt-get install chromium``). Without it these tests are skipped,
unless ``CRDLA_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns the skip into a failure.

Every test here is transactional (the live server runs in another thread); the tests run last
in the session and each one starts from a known baseline (see ``migration_baseline`` in tests/conftest.py).
"""

import os
from pathlib import Path

import pytest

# Fixtures of the network and programme tests, reused by the journeys.
from tests.network.conftest import (  # noqa: F401
    animator,
    calls_index,
    culture_sector,
    dla10,
    dla51,
    grand_est,
    intranet,
    officer10,
    officer51,
)
from tests.workflows.conftest import committee  # noqa: F401

CHROMIUM = Path(os.environ.get("CRDLA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
PASSWORD = "motdepasse-test"


def in_this_folder(item):
    return E2E_DIR in Path(str(item.fspath)).parents


def pytest_itemcollected(item):
    """Mark every test of this folder ``e2e`` as it is collected, so that ``-m "not e2e"``
    sees the marker (a marker added in ``pytest_collection_modifyitems`` came after ``-m``
    had deselected, and the PostgreSQL pass of CI ran the browser tests)."""
    if in_this_folder(item):
        item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the browser tests after all the others.

    Transactional tests flush the database when they end; running them last keeps the
    reference data of the migrations for every other test of the same worker.
    """
    items[:] = [item for item in items if not in_this_folder(item)] + [
        item for item in items if in_this_folder(item)
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """The browser tests (and only they) may use the ORM while an event loop runs.

    Playwright's sync API runs an event loop in the test thread; the ORM calls these tests
    make between two browser actions are synchronous and safe. Django reads the variable at
    each call, so it is set for the setup, call and teardown of each browser test alone.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"Chromium introuvable ({CHROMIUM}) : apt-get install -y chromium"
        if os.environ.get("CRDLA_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def site_url(live_server):
    """Absolute URL of a path on the live server."""

    def url(path="/"):
        return live_server.url + path

    return url


@pytest.fixture
def login(site_url):
    """Log ``username`` in through the public login form of a Playwright page."""

    def do_login(page, username, password=PASSWORD, next_path="/"):
        page.goto(site_url(f"/connexion/?next={next_path}"))
        page.get_by_label("Nom d’utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").last.click()
        page.wait_for_load_state()

    return do_login
