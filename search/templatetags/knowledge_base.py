"""Template tags of the knowledge base: « similar resources » on a resource page."""

import logging

from django import template

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
        return get_backend().similar(page.pk, user, limit=limit)
    except SearchUnavailable:
        logger.warning("Ressources similaires indisponibles pour la page %s", page.pk)
        return []
