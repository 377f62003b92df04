"""Template tags of the knowledge base: « similar resources » on a resource page."""

import logging

from django import template

from crdla.pagecache import generation
from search.backends import SearchUnavailable, get_backend

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def similar_resources(context, page, limit=4):
    """Hits most like ``page`` that the current user may see; [] when the engine is down."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    try:
        return cached_similar(request, page.pk, user, limit)
    except SearchUnavailable:
        logger.warning("Ressources similaires indisponibles pour la page %s", page.pk)
        return []


def cached_similar(request, page_id, user, limit):
    """The similar hits, kept per (page, visibilities, limit) until the cache generation changes.

    The index changes when pages are published, unpublished, moved or deleted, which bump the
    generation (``crdla.pagecache``); a draft's preview reads the engine directly.
    """
    from search.backends.base import visibilities_for

    current = generation.for_request(request) if request is not None else None
    if current is None or getattr(request, "is_preview", False):
        return get_backend().similar(page_id, user, limit=limit)
    visibilities = ",".join(visibilities_for(user))
    key = f"crdla-similar:{current}:{page_id}:{visibilities}:{limit}"
    return generation.remember(key, lambda: get_backend().similar(page_id, user, limit=limit))
