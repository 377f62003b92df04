"""Admin widgets shared by the content apps."""

import unicodedata

from django import forms
from django.template.loader import render_to_string


class DepartementsByRegion(forms.CheckboxSelectMultiple):
    """About a hundred départements as checkboxes grouped by région, each région a
    ``<details>`` with a legend, open when it holds a ticked département or ``open_regions``
    names it (the user's own région): a list one can scan instead of a hundred lines.

    The field keeps its queryset for validation; only the rendering is grouped.
    """

    template_name = "core/widgets/departements_by_region.html"

    def __init__(self, *args, open_regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.open_regions = set(open_regions)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        from .models import Departement

        departements = Departement.objects.select_related("region").order_by("region__name", "code")
        by_pk = {str(d.pk): d for d in departements}
        regions = {}
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                departement = by_pk.get(str(option["value"]))
                if departement is None:
                    continue
                region = regions.setdefault(
                    departement.region_id,
                    {"name": departement.region.name, "options": [], "open": False},
                )
                region["options"].append(option)
                region["open"] |= bool(option["selected"])
                region["open"] |= departement.region_id in self.open_regions
        context["widget"]["regions"] = sorted(
            regions.values(), key=lambda region: (not region["open"], _sort_key(region["name"]))
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template directory, which Django's form renderer does not search.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


def _sort_key(name):
    """« Île-de-France » between « Hauts-de-France » and « La Réunion »."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
