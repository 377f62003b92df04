"""Serve repeat views of public Wagtail pages from the cache, for anonymous visitors only.

The middleware sits near the top of the stack, before the session, CSRF and authentication
middlewares: a hit for a visitor with no session cookie costs one round trip to the cache (the
generation, and the page unless this process holds it) and no SQL query when the cache is shared (see
``generation``). A miss goes down
the whole stack; the response is stored when Wagtail served it (view restrictions passed,
``wagtail_hooks``) to an anonymous visitor, with a 200 status and no cookie but CSRF's.

The page is stored with the generation it was rendered in, and served only while that
generation is current (each process keeps the pages it served lately, so that a hit reads only
the generation from a shared cache). The key holds the language (the selector's cookie, as
``FrenchFirstLocaleMiddleware`` reads it), the host, the full path with its query string, and
the static files' manifest hash: a page names hashed static files (``site.3f2a….css``), and a
page stored by the previous release, whose files the new one no longer serves, would be shown
unstyled after a deployment (the shared cache outlives the web processes).
Public pages carry no form today (the language selector is made of links), so a hit is the
stored bytes and sets no cookie. A page with a form would still work: its CSRF token is
swapped for a placeholder when stored and for the visitor's own token when served, the hit
path running the CSRF middleware's cookie handling itself.
"""

import hashlib
import re

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token

from crdla.core.middleware import chosen_language

from . import generation

TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"__crdla_csrf_token__"
KEPT_HEADERS = ("Content-Type", "X-Frame-Options", "Content-Language", "Cache-Control", "Vary")


class PublicPageCacheMiddleware:
    """Place it after the security headers (CSP…) and before SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        # Read once per process: ManifestStaticFilesStorage loads its manifest when created
        # (no manifest, as in development and tests: no hash).
        self.release = getattr(staticfiles_storage, "manifest_hash", "") or ""

    @property
    def seconds(self):
        return getattr(settings, "CRDLA_PAGE_CACHE_SECONDS", 0)

    def is_candidate(self, request):
        return (
            self.seconds > 0
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not request.path.startswith(tuple(settings.CRDLA_PAGE_CACHE_EXCLUDED_PATHS))
        )

    def key(self, request):
        raw = "|".join(
            [
                self.release,
                chosen_language(request),
                request.get_host(),
                request.get_full_path(),
            ]
        )
        return "crdla-page:" + hashlib.sha256(raw.encode()).hexdigest()

    def __call__(self, request):
        token = generation.active_request.set(request)
        try:
            return self.serve(request)
        finally:
            generation.active_request.reset(token)

    def serve(self, request):
        if not self.is_candidate(request):
            return self.get_response(request)
        key = self.key(request)
        current_generation, stored = generation.page_for_request(request, key)
        if current_generation is None:  # the shared cache is unreachable: serve, store nothing
            return self.get_response(request)
        if stored is not None and stored["generation"] == current_generation:
            return self.replay(request, stored)
        response = self.get_response(request)
        if self.is_storable(request, response):
            stored = self.freeze(response, current_generation)
            generation.store_page(key, stored, self.seconds)
        return response

    def is_storable(self, request, response):
        user = getattr(request, "user", None)
        return (
            getattr(request, "_crdla_page_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and user is not None
            and not user.is_authenticated
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
            and not any(name != settings.CSRF_COOKIE_NAME for name in response.cookies)
        )

    def freeze(self, response, current_generation):
        content = TOKEN_FIELD.sub(rb"\g<1>" + PLACEHOLDER + rb"\g<2>", response.content)
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        return {"generation": current_generation, "content": content, "headers": headers}

    def replay(self, request, stored):
        content = stored["content"]
        needs_token = PLACEHOLDER in content
        if needs_token:
            self.csrf.process_request(request)  # reads (or renews) the visitor's CSRF cookie
            content = content.replace(PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in stored["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        if needs_token:
            self.csrf.process_response(request, response)  # sets the cookie when new
        return response
