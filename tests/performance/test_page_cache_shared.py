"""The page cache with a shared cache (Redis): hits cost no SQL, invalidation crosses processes,
draft saves keep the cache, /healthz/ never looks it up."""

import os
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client

from crdla.pagecache import generation
from crdla.resources.models import ResourcePage
from tests.factories import ResourcePageFactory
from tests.public_site import build_public_site

REDIS_URL = os.environ.get("CRDLA_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def redis_available():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


@pytest.fixture
def site(home):
    return build_public_site(home)


@pytest.fixture
def shared_cache(settings):
    """Two cache aliases on the same Redis database: the caches of two web processes."""
    if not redis_available():
        pytest.skip(f"Redis injoignable ({REDIS_URL})")
    # A prefix of this test process's own, emptied key by key: pytest-xdist runs this file's
    # tests in two processes at once, and FLUSHDB would empty the other one's cache mid-test.
    prefix = f"crdla-test-{os.getpid()}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {
        **settings.CACHES,
        "process_a": {**redis_cache, "KEY_PREFIX": prefix},
        "process_b": {**redis_cache, "KEY_PREFIX": prefix},
    }
    settings.CRDLA_PAGE_CACHE_SECONDS = 300
    settings.CRDLA_PAGE_CACHE_SHARED = True
    settings.CRDLA_PAGE_CACHE_ALIAS = "process_a"
    empty(prefix)
    yield settings
    empty(prefix)


def empty(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_hit_costs_no_sql_query(site, shared_cache, django_assert_num_queries):
    url = site["resource_index"].url
    assert "X-Page-Cache" not in Client().get(url)
    visitor = Client()
    with django_assert_num_queries(0):
        response = visitor.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert not visitor.cookies  # no form on public pages: no token, no cookie


def test_publishing_in_one_process_invalidates_the_other(site, shared_cache):
    url = site["resource_index"].url
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"  # process A serves it from the cache

    shared_cache.CRDLA_PAGE_CACHE_ALIAS = "process_b"  # an editor publishes through process B
    new = ResourcePageFactory(parent=site["resource_index"], title="Nouveau guide", live=False)
    new.save_revision().publish()

    shared_cache.CRDLA_PAGE_CACHE_ALIAS = "process_a"
    response = Client().get(url)
    assert "X-Page-Cache" not in response
    assert "Nouveau guide" in response.content.decode()
    assert Client().get(url)["X-Page-Cache"] == "hit"

    shared_cache.CRDLA_PAGE_CACHE_ALIAS = "process_b"
    ResourcePage.objects.get(pk=new.pk).unpublish()
    shared_cache.CRDLA_PAGE_CACHE_ALIAS = "process_a"
    assert "Nouveau guide" not in Client().get(url).content.decode()


def test_the_generation_survives_an_eviction(site, shared_cache):
    url = site["resource_index"].url
    Client().get(url)
    before = generation.current()
    caches["process_a"].delete(generation.KEY)  # evicted, or Redis restarted empty
    assert generation.current() > before  # never back to a value pages were stored under
    assert "X-Page-Cache" not in Client().get(url)


def test_a_draft_save_keeps_the_cache(site, shared_cache):
    url = site["resource"].url
    Client().get(url)
    before = generation.current()
    resource = ResourcePage.objects.get(pk=site["resource"].pk)
    resource.title = "Titre en cours de rédaction"
    resource.save_revision()  # what Wagtail's autosave does while an editor types
    assert generation.current() == before
    response = Client().get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Titre en cours de rédaction" not in response.content.decode()

    resource.save_revision().publish()
    response = Client().get(url)
    assert "X-Page-Cache" not in response
    assert "Titre en cours de rédaction" in response.content.decode()


def test_a_draft_save_of_a_dla_page_keeps_the_cache(site, shared_cache):
    Client().get("/")
    before = generation.current()
    site["dla"].save_revision()
    assert generation.current() == before


def test_healthz_never_looks_the_cache_up(shared_cache, db):
    with mock.patch.object(generation, "current") as current:
        assert Client().get("/healthz/").status_code == 200
    current.assert_not_called()


def test_a_hit_is_one_round_trip_to_the_cache(site, shared_cache):
    """The generation and the page are read together (MGET), through one reused client; the
    generation alone (GET) when this process holds the page."""
    import redis

    process_a = {
        **shared_cache.CACHES["process_a"],
        "BACKEND": "crdla.core.cache.FailOpenRedisCache",
    }
    shared_cache.CACHES = {**shared_cache.CACHES, "process_a": process_a}
    url = site["resource_index"].url
    assert "X-Page-Cache" not in Client().get(url)
    commands, execute = [], redis.Redis.execute_command

    def spy(client, *args, **options):
        commands.append(args[0])
        return execute(client, *args, **options)

    with mock.patch.object(redis.Redis, "execute_command", spy):
        response = Client().get(url)
    assert response["X-Page-Cache"] == "hit"
    assert commands == ["GET"]  # this process rendered the page: it has its bytes
    generation.forget_process_memory()  # as another process, which has not served it yet
    commands.clear()
    with mock.patch.object(redis.Redis, "execute_command", spy):
        response = Client().get(url)
        assert response["X-Page-Cache"] == "hit" and commands == ["MGET"]
        commands.clear()
        assert Client().get(url)["X-Page-Cache"] == "hit" and commands == ["GET"]
    assert caches["process_a"]._cache.get_client() is caches["process_a"]._cache.get_client()


def test_a_page_of_an_older_generation_is_not_served(site, shared_cache):
    url = site["resource_index"].url
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    generation.bump()  # what any publication does
    assert "X-Page-Cache" not in Client().get(url)


def test_a_page_is_served_no_longer_than_the_cache_keeps_it(site, shared_cache, monkeypatch):
    """PAGE_CACHE_SECONDS bounds what only time changes (an event becoming past): the copy this
    process holds expires with the shared cache's."""
    import time

    url = site["resource_index"].url
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    later = time.time() + shared_cache.CRDLA_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(generation.time, "time", lambda: later)
    assert "X-Page-Cache" not in Client().get(url)  # rendered again
    assert Client().get(url)["X-Page-Cache"] == "hit"
