import base64
import hashlib
import re

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

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
