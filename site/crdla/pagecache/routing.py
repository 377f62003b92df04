"""Wagtail's page serving with the route and the page found from the cache: no query.

Wagtail routes ``/culture/ressources/guide/`` by walking the tree from the site's root page,
two queries per level (the child by slug, then its specific row), plus the site, the root page
and two for the view restrictions: ten queries before the page's own. Every page's
``url_path`` already holds the path it is served at (no page type of ours overrides
``route()``), so this view finds the page by it and keeps, per cache generation, the site, the
page's content type and id for each path, and the list of view restrictions; each process
keeps the live pages it served lately, so that a page costs no query at all. A publication,
move, renaming, deletion or restriction change bumps the generation. Whatever this does not
find goes to Wagtail's own ``serve`` unchanged (404s, aliases, the password form).
"""

import copy

from django.contrib.contenttypes.models import ContentType
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from . import generation

TIMEOUT = 3600


def serve(request, path):
    current = generation.for_request(request)
    if current is not None:
        page = find_page(request, path, current)
        if page is not None:
            # Wagtail's documented per-request cache of the route (Page.route_for_request).
            request._wagtail_route_for_request = RouteResult(page)
    return wagtail_views.serve(request, path)


def cached(key, compute):
    """``compute()`` kept until the generation changes; nothing kept for an unknown path."""
    return generation.remember(key, compute, TIMEOUT)


def find_site(request, current):
    hostname, port = split_domain_port(request.get_host())[0], request.get_port()

    def read():
        site = Site._find_for_request(request)
        return (site, site.root_page.url_path) if site else None

    return cached(f"crdla-route-site:{current}:{hostname}:{port}", read) or (None, None)


def site_root_paths(current):
    """``Site.get_site_root_paths()`` kept per generation (a site's change bumps it)."""
    return cached(f"crdla-route-root-paths:{current}", Site.get_site_root_paths)


def site_for_request(request):
    """``Site.find_for_request`` without its query: the site is kept per generation, and then
    cached on the request where Wagtail looks for it ({% pageurl %}, page URLs)."""
    if getattr(request, "_wagtail_site", None) is None:
        current = generation.for_request(request)
        site = find_site(request, current)[0] if current is not None else None
        request._wagtail_site = site or Site.find_for_request(request)
    return request._wagtail_site


def find_page(request, path, current):
    site, root_path = find_site(request, current)
    if site is None:
        return None
    request._wagtail_site = site  # Wagtail's per-request cache (Site.find_for_request)
    # Wagtail's per-request cache of every site's root path (page URLs), else a cache read.
    request._wagtail_cached_site_root_paths = site_root_paths(current)
    url_path = root_path + path

    def read():
        found = (
            Page.objects.filter(url_path=url_path, live=True, alias_of__isnull=True)
            .values_list("content_type_id", "pk")
            .first()
        )
        return found

    found = cached(f"crdla-route-page:{current}:{site.pk}:{url_path}", read)
    if not found:
        return None
    content_type_id, pk = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = live_page(model, pk, current)
    if page is None:
        return None
    restrictions = view_restrictions(page, current)
    # Wagtail's check_view_restrictions hook asks the page; answer from the cached list.
    page.get_view_restrictions = lambda: restrictions
    return page


def live_page(model, pk, current):
    """The live page ``pk`` with its cover image, read once per generation in this process
    (what a visitor sees of a page only changes with a publication or a save of the live page,
    which make a new generation); each request gets its own copy, so that what a request sets
    on its page stays with that request."""

    def read():
        queryset = model.objects.filter(pk=pk, live=True)
        if any(field.name == "cover_image" for field in model._meta.concrete_fields):
            queryset = queryset.select_related("cover_image")
        page = queryset.first()
        if page is not None:  # what ``page.url`` reads, else a cache read per request
            page._wagtail_cached_site_root_paths = site_root_paths(current)
        return page

    page = generation.remember_in_process(f"crdla-route-live:{current}:{pk}", read)
    return copy.copy(page) if page is not None else None


def view_restrictions(page, current):
    """The restrictions on the page and its ancestors, as Page.get_view_restrictions() gives."""

    def read():
        by_path = {}
        for path, pk in PageViewRestriction.objects.values_list("page__path", "pk"):
            by_path.setdefault(path, []).append(pk)
        return {"by_path": by_path}  # never empty: kept even when there is no restriction

    by_path = cached(f"crdla-route-restrictions:{current}", read)["by_path"]
    step = Page.steplen
    ids = [
        pk
        for depth in range(1, len(page.path) // step + 1)
        for pk in by_path.get(page.path[: depth * step], ())
    ]
    if not ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=ids)
