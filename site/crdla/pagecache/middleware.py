"""Serve repeat views of public Wagtail pages from the cache, for anonymous visitors only.

A page is stored when Wagtail served it (view restrictions passed) to a visitor with no
session and no pending message, with a 200 status. Its key holds the cache generation (one
database query per request, see ``CacheGeneration``), the language, the host and the full path
with its query string. The CSRF token of the page's forms is swapped for a placeholder when
stored and for the visitor's own token when served, so forms keep working.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from .models import CacheGeneration

TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"__crdla_csrf_token__"
KEPT_HEADERS = ("Content-Type", "X-Frame-Options", "Content-Language", "Cache-Control")


class PublicPageCacheMiddleware:
    """Place it right after AuthenticationMiddleware (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

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

    def key(self, request, generation):
        raw = "|".join(
            [
                str(generation),
                translation.get_language(),  # set by FrenchFirstLocaleMiddleware
                request.get_host(),
                request.get_full_path(),
            ]
        )
        return "crdla-page:" + hashlib.sha256(raw.encode()).hexdigest()

    def __call__(self, request):
        if not self.is_candidate(request):
            return self.get_response(request)
        cache = caches[settings.CRDLA_PAGE_CACHE_ALIAS]
        key = self.key(request, CacheGeneration.current())
        stored = cache.get(key)
        if stored is not None:
            return self.replay(request, stored)
        response = self.get_response(request)
        if self.is_storable(request, response):
            cache.set(key, self.freeze(response), self.seconds)
        return response

    def is_storable(self, request, response):
        return (
            getattr(request, "_crdla_page_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not request.user.is_authenticated
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
            and not any(name != settings.CSRF_COOKIE_NAME for name in response.cookies)
        )

    def freeze(self, response):
        content = TOKEN_FIELD.sub(rb"\g<1>" + PLACEHOLDER + rb"\g<2>", response.content)
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        return {"content": content, "headers": headers}

    def replay(self, request, stored):
        content = stored["content"]
        if PLACEHOLDER in content:
            content = content.replace(PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in stored["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
