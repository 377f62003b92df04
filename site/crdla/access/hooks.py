"""Wagtail hooks applying the access policy: file serving and the admin's page lists.

Imported by ``crdla.core.wagtail_hooks`` (Wagtail loads hooks from installed apps only).
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from .media import can_view_media
from .pages import can_view_page, editable_or_live_pages


def refuse(request):
    """Anonymous visitors are sent to the login page; signed-in users get a 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@hooks.register("before_serve_page")
def refuse_restricted_page_to_signed_in_outsiders(page, request, serve_args, serve_kwargs):
    """A signed-in user outside a page's audience gets a 403 (Wagtail would send them to the
    login page again, in a loop). Anonymous visitors are left to Wagtail's own check, which
    sends them to the login page: the way in for a member who is not signed in yet."""
    if request.user.is_authenticated and not can_view_page(request.user, page):
        raise PermissionDenied
    return None


@hooks.register("before_serve_document")
def serve_document_to_its_audience(document, request):
    """A document is served to whoever may read a live page that uses it (``can_view_media``)."""
    if not can_view_media(request.user, document):
        return refuse(request)
    return None


@hooks.register("construct_page_chooser_queryset")
def chooser_hides_others_drafts(pages, request):
    """The page chooser lists live pages and the pages the user may edit, never another
    centre's unpublished drafts."""
    return editable_or_live_pages(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def explorer_hides_others_drafts(parent_page, pages, request):
    return editable_or_live_pages(request.user, pages)
