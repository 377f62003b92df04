"""The whole-page cache: repeat anonymous views cost one query, publications invalidate it."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from crdla.resources.models import ResourcePage
from tests.factories import ResourcePageFactory
from tests.public_site import build_public_site, public_urls

CACHED_PAGES = ["accueil", "centre", "ressources", "ressources-filtrees", "ressource", "actualites"]


@pytest.fixture
def page_cache(settings):
    settings.CRDLA_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(home):
    return build_public_site(home)


@pytest.mark.parametrize("name", CACHED_PAGES)
def test_repeat_views_hit_the_database_once(
    client, site, page_cache, name, django_assert_max_num_queries
):
    url = public_urls(site)[name]
    first = client.get(url)
    assert first.status_code == 200 and "X-Page-Cache" not in first
    with django_assert_max_num_queries(1):
        again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content or b"csrfmiddlewaretoken" in first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_publishing_invalidates(client, site, page_cache):
    url = site["resource_index"].url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    new = ResourcePageFactory(parent=site["resource_index"], title="Nouveau guide", live=False)
    new.save_revision().publish()
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "Nouveau guide" in response.content.decode()
    ResourcePage.objects.get(pk=new.pk).unpublish()
    assert "Nouveau guide" not in client.get(url).content.decode()


def test_taxonomy_change_invalidates(client, site, page_cache):
    url = site["resource"].url
    client.get(url)
    theme = site["theme"]
    theme.name = "Modèle économique et financement"
    theme.save()
    assert "Modèle économique et financement" in client.get(url).content.decode()


def test_logged_in_visitors_and_restricted_pages_are_never_cached(
    client, site, page_cache, dla_officer
):
    restricted = site["restricted_resource"].url
    assert client.get(restricted).status_code == 302
    client.force_login(dla_officer)
    for _ in range(2):
        response = client.get(restricted)
        assert response.status_code == 200 and "X-Page-Cache" not in response
        response = client.get(site["resource_index"].url)
        assert "X-Page-Cache" not in response
        assert site["restricted_resource"].title in response.content.decode()
    client.logout()
    client.cookies.clear()
    assert client.get(restricted).status_code == 302
    listing = client.get(site["resource_index"].url)
    assert site["restricted_resource"].title not in listing.content.decode()


def test_each_visitor_gets_a_csrf_token_matching_their_cookie(site, page_cache):
    from django.test import Client

    Client().get("/")  # primes the cache
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get("/")
    assert response["X-Page-Cache"] == "hit"
    body = response.content.decode()
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert visitor.cookies["csrftoken"].value
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


@override_settings(CRDLA_PAGE_CACHE_SECONDS=300)
def test_language_is_part_of_the_key(client, site):
    cache.clear()
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="en")  # the browser's language does not count
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language selector does
    english = client.get("/")
    assert "X-Page-Cache" not in english
    assert french["Content-Language"] == "fr" and english["Content-Language"] == "en"
    cache.clear()


def test_a_draft_save_keeps_the_cache(client, site, page_cache):
    """Wagtail's autosave calls save_revision() while editors type: visitors keep the cache."""
    url = site["resource"].url
    client.get(url)
    resource = ResourcePage.objects.get(pk=site["resource"].pk)
    resource.title = "Titre en cours de rédaction"
    resource.save_revision()
    assert client.get(url)["X-Page-Cache"] == "hit"
    resource.save_revision().publish()
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "Titre en cours de rédaction" in response.content.decode()
