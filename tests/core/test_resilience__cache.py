"""Finding 4 of issue 12: the site serves without its cache (Redis on a closed port)."""

import time

import pytest
from django.urls import reverse

from crdla.resources.models import ResourcePage
from tests.outbox.faults import SilentListener

pytestmark = pytest.mark.django_db


def cache_at(port):
    return {
        "default": {
            "BACKEND": "crdla.core.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def cache_down(settings):
    settings.CACHES = cache_at(1)
    settings.CRDLA_PAGE_CACHE_SECONDS = 300
    settings.CRDLA_OPEN_DATA_RATE = "120/min"
    from django.core.cache import caches

    caches["default"].close()
    yield
    from django.core.cache import cache

    cache.close()


def test_public_pages_health_login_and_admin_answer(client, cache_down, culture_index, make_user):
    assert client.get("/healthz/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get(culture_index.url).status_code == 200
    assert client.get("/api/v2/pages/").status_code == 200
    assert client.get("/connexion/").status_code == 200
    make_user("redactrice", is_superuser=True, is_staff=True)
    response = client.post("/connexion/", {"username": "redactrice", "password": "motdepasse-test"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_publishing_during_the_outage(
    client, cache_down, culture_index, admin_user, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    client.force_login(admin_user)
    data = nested_form_data(
        {
            "title": "Guide du mécénat culturel",
            "slug": "guide-mecenat-culturel",
            "kind": "guide",
            "visibility": "public",
            "summary": "Comment une compagnie diversifie ses financements.",
            "body": streamfield([]),
            "documents": inline_formset([]),
            "published_date": "2026-11-01",
            "action-publish": "action-publish",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", culture_index.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    page = ResourcePage.objects.get(slug="guide-mecenat-culturel")
    assert page.live
    assert client.get(page.url).status_code == 200


def test_a_hung_cache_costs_a_request_at_most_a_few_seconds(client, settings, home):
    with SilentListener() as hung:
        settings.CACHES = cache_at(hung.port)
        settings.CRDLA_PAGE_CACHE_SECONDS = 300
        start = time.monotonic()
        assert client.get("/").status_code == 200
        elapsed = time.monotonic() - start
    # Bounded by the 0.5 s cache timeouts, not by the 30 s of a hung socket (loose: loaded CI).
    assert elapsed < 20, elapsed
