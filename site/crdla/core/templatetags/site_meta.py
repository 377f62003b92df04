"""Head metadata shared by every page: absolute URLs for Open Graph and Twitter cards."""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from crdla.pagecache.routing import site_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path=""):
    """``path`` on the address of the site serving the request (its Wagtail Site record)."""
    request = context.get("request")
    if request is None:
        return path
    if path.startswith(("http://", "https://")):
        return path
    site = site_for_request(request)
    root = site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")
    return root.rstrip("/") + "/" + (path or request.path).lstrip("/")


@register.simple_tag
def page_description(page):
    """A page's summary for search engines and link previews: its search description, else
    the text of its introduction (pages without either have none)."""
    if page is None:
        return ""
    text = getattr(page, "search_description", "") or getattr(page, "intro", "") or ""
    return Truncator(" ".join(strip_tags(str(text)).split())).words(40)


@register.simple_tag(takes_context=True)
def menu_position(context):
    """Where the visitor is in the header menu (``Navigation.current``)."""
    request, nav = context.get("request"), context.get("nav")
    if request is None or nav is None:  # no request: nothing is cached either
        return {"page": None, "section": None, "view": None, "key": ""}
    return nav.current(request, context.get("page"))
