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


def test_a_hit_on_a_page_without_a_form_sets_no_cookie(site, page_cache):
    """The public pages carry no form (the language selector is made of links): a hit is the
    stored bytes, with no CSRF token to generate and no cookie to set."""
    from django.test import Client

    Client().get("/")  # primes the cache
    response = Client().get("/")
    assert response["X-Page-Cache"] == "hit"
    assert not response.cookies and b"csrfmiddlewaretoken" not in response.content


def test_a_cached_form_carries_each_visitors_own_token(rf, db, page_cache):
    """A page with a form (none today, the mechanism stays for the next one) is stored with a
    placeholder; each visitor served from the cache gets a token matching their own cookie."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware
    from django.template import engines

    from crdla.pagecache.middleware import PublicPageCacheMiddleware

    form = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')

    def page(request):
        request.user = AnonymousUser()
        request._crdla_page_cacheable = True  # what Wagtail's serve hook marks
        return HttpResponse(form.render({}, request))

    stack = PublicPageCacheMiddleware(CsrfViewMiddleware(page))
    assert "X-Page-Cache" not in stack(rf.get("/formulaire/"))

    def visit():
        response = stack(rf.get("/formulaire/"))
        assert response["X-Page-Cache"] == "hit"
        token = response.content.decode().split('value="')[1].split('"')[0]
        return token, response.cookies[settings.CSRF_COOKIE_NAME].value

    def posted(token, cookie):
        request = rf.post("/formulaire/", {"csrfmiddlewaretoken": token})
        request.COOKIES[settings.CSRF_COOKIE_NAME] = cookie
        checker = CsrfViewMiddleware(page)
        checker.process_request(request)
        refused = checker.process_view(request, page, (), {})
        return refused is None

    (token, cookie), (other_token, other_cookie) = visit(), visit()
    assert posted(token, cookie) and posted(other_token, other_cookie)
    assert not posted(token, other_cookie)  # a visitor's token is theirs only


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


def test_a_page_stored_by_another_release_is_not_served(rf, db, page_cache, settings, tmp_path):
    """Pages name hashed static files: after a deployment whose static files changed, a page
    stored by the previous release (in the shared cache, which outlives the web processes)
    would point at files the new release does not serve."""
    import json

    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from crdla.pagecache.middleware import PublicPageCacheMiddleware

    def page(request):
        request.user = AnonymousUser()
        request._crdla_page_cacheable = True  # what Wagtail's serve hook marks
        return HttpResponse("<link href='/static/site.1.css'>")

    def release(manifest_hash):
        (tmp_path / "staticfiles.json").write_text(
            json.dumps({"paths": {}, "version": "1.1", "hash": manifest_hash})
        )
        settings.STATIC_ROOT = str(tmp_path)
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        }
        return PublicPageCacheMiddleware(page)

    old = release("0d1f")
    assert old.release == "0d1f"
    assert "X-Page-Cache" not in old(rf.get("/"))
    assert old(rf.get("/"))["X-Page-Cache"] == "hit"
    new = release("7ab2")
    assert "X-Page-Cache" not in new(rf.get("/"))  # rendered by the new release
    assert new(rf.get("/"))["X-Page-Cache"] == "hit"
