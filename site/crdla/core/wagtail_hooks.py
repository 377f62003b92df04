"""The shared taxonomy as snippets, grouped under one « Taxonomie » admin menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Departement, ProgrammeAxis, Region, Sector, Theme


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    list_display = ["name", "slug", "order"]
    search_fields = ["name"]


class ProgrammeAxisViewSet(SnippetViewSet):
    model = ProgrammeAxis
    icon = "list-ol"
    list_display = ["number", "name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


class DepartementViewSet(SnippetViewSet):
    model = Departement
    icon = "site"
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomie")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        SectorViewSet,
        ProgrammeAxisViewSet,
        ThemeViewSet,
        AudienceViewSet,
        RegionViewSet,
        DepartementViewSet,
    )


register_snippet(TaxonomyViewSetGroup)

# The access policy's hooks (document serving, page chooser and explorer).
from crdla.access import hooks as access_hooks  # noqa: E402, F401
