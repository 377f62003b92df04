"""Wagtail admin: the steering committees, one snippet listing for every centre's seats.

Only site administrators hold the committee seat permissions (``accounts.roles``): a seat's
account reviews the centre's programme, so a centre's own editors may not change it.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CommitteeSeat


class CommitteeSeatViewSet(SnippetViewSet):
    """Who sits for which institution on which centre's steering committee, and who chairs it."""

    model = CommitteeSeat
    icon = "group"
    menu_label = _("Comités de pilotage")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["centre", "institution", "member_name", "user", "is_chair"]
    list_filter = ["centre", "institution", "is_chair"]
    search_fields = ["member_name"]
    panels = [
        FieldPanel("centre"),
        FieldPanel("institution"),
        FieldPanel("member_name"),
        FieldPanel("user"),
        FieldPanel("is_chair"),
    ]


register_snippet(CommitteeSeatViewSet)
