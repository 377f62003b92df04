import base64
import hashlib
import re

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def healthz(request):
    """Liveness probe for the load balancer and docker-compose: the process answers."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """Our own French 500 page: a self-contained template rendered without the request, so
    no context processor (navigation, site settings) can touch a database or a cache that
    may be the very cause of the error."""
    try:
        content = loader.get_template("500.html").render()
    except Exception:  # even the template loader failed: a fixed French sentence
        content = "<!DOCTYPE html><html lang=fr><title>Erreur</title><p>Une erreur est survenue."
    response = HttpResponseServerError(content)
    # Its one inline style block, allowed by its hash (what django-csp's ``csp_update`` sets):
    # the public policy refuses inline styles, and a stylesheet would be one more dependency.
    digests = [hashlib.sha256(style.encode()).digest() for style in INLINE_STYLE.findall(content)]
    hashes = [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]
    if hashes:
        response._csp_update = {"style-src": hashes}
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.ico"), permanent=True)


@never_cache
@require_GET
def choose_language(request, code):
    """The footer's language links: keep the choice in the selector's cookie (what
    ``FrenchFirstLocaleMiddleware`` and the page cache read), then back to the page.

    Links rather than Django's ``set_language`` form: a form needs a CSRF token, and every
    public page carrying one had to generate a token and set a cookie for each new visitor,
    even when served from the page cache. Switching one's own interface language is not an
    action anyone could abuse through a forged link.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
