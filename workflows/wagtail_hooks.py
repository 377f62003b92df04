"""Wagtail admin: committee memberships (site administrators) and a link to /pilotage/."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from crdla.access import programmes as access

from .models import CommitteeMembership


class CommitteeMembershipViewSet(SnippetViewSet):
    """Who sits for which institution on which centre's steering committee."""

    model = CommitteeMembership
    icon = "group"
    menu_label = _("Comités de pilotage")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["centre", "institution", "user", "is_chair"]
    list_filter = ["centre", "institution", "is_chair"]
    panels = [
        FieldPanel("centre"),
        FieldPanel("institution"),
        FieldPanel("user"),
        FieldPanel("is_chair"),
    ]


register_snippet(CommitteeMembershipViewSet)


class PilotageMenuItem(MenuItem):
    """Shown to the people who have something to do or to follow in /pilotage/."""

    def is_shown(self, request):
        return access.has_pilotage_access(request.user)


@hooks.register("register_admin_menu_item")
def register_pilotage_menu_item():
    return PilotageMenuItem(
        _("Pilotage des programmes"),
        reverse("programme:index"),
        icon_name="tasks",
        order=260,
    )
