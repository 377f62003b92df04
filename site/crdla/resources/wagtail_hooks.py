"""The expert's and editor's workspace: « Rédiger une ressource » in their centre, their drafts.

What awaits their moderation is Wagtail's own dashboard panel (« Awaiting your review »).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.models import Page

from crdla import access
from crdla.accounts.workspace import (
    WorkspaceLink,
    WorkspaceMenuItem,
    WorkspaceRow,
    WorkspaceSection,
)

from .models import EventPage, NewsPage, ResourceIndexPage, ResourcePage

DRAFTS_SHOWN = 10


def writable_indexes(user):
    """The resource indexes of the centres ``user`` writes for (cached for the request)."""
    cached = getattr(user, "_crdla_resource_indexes", None)
    if cached is None:
        indexes = ResourceIndexPage.objects.order_by("path")
        cached = access.addable_parents(user, indexes) if user.is_authenticated else []
        user._crdla_resource_indexes = cached
    return cached


def add_resource_url(index):
    return reverse("wagtailadmin_pages:add", args=("resources", "resourcepage", index.pk))


def write_actions(user):
    indexes = writable_indexes(user)
    if user.is_superuser:
        return []  # an administrator writes through the page tree, not in « my » centre
    actions = []
    for index in indexes:
        centre = index.centre
        label = _("Rédiger une ressource")
        if len(indexes) > 1 and centre is not None:
            label = _("Rédiger une ressource — %(centre)s") % {
                "centre": centre.short_name or centre.title
            }
        actions.append(WorkspaceLink(label, add_resource_url(index), primary=True))
    return actions


def draft_state(page):
    if page.workflow_in_progress:
        return _("en modération")
    if not page.live:
        return _("brouillon")
    return _("modifications non publiées")


def my_drafts(user):
    pages = (
        Page.objects.type(ResourcePage, NewsPage, EventPage)
        .filter(owner=user)
        .filter(Q(live=False) | Q(has_unpublished_changes=True))
        .order_by("-latest_revision_created_at")[:DRAFTS_SHOWN]
    )
    rows = []
    for page in pages:
        facts = [draft_state(page)]
        if page.latest_revision_created_at:
            facts.append(
                _("modifié le %(date)s")
                % {"date": date_format(page.latest_revision_created_at, "j F Y")}
            )
        rows.append(
            WorkspaceRow(
                page.get_admin_display_title(),
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
                facts,
            )
        )
    return rows


@hooks.register("register_workspace_sections")
def resources_section(user):
    actions = write_actions(user)
    if not actions:
        return None
    return WorkspaceSection(
        key="resources",
        heading=_("Mes ressources"),
        order=10,
        actions=actions,
        rows=my_drafts(user),
        rows_heading=_("Mes brouillons"),
        empty=_("Aucun brouillon en cours."),
        links=[
            WorkspaceLink(
                _("Mon tableau de bord (brouillons, modération)"),
                reverse("wagtailadmin_home"),
                menu_only=True,
            )
        ],
    )


def single_write_url(user):
    """The add-resource address when ``user`` writes for exactly one centre."""
    actions = write_actions(user)
    return actions[0].url if len(actions) == 1 else None


@hooks.register("register_admin_menu_item")
def register_write_resource_menu_item():
    return WorkspaceMenuItem(
        gettext_lazy("Rédiger une ressource"), single_write_url, icon_name="edit", order=5
    )
