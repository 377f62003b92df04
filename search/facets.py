"""The facets of the knowledge base: URL parameter, document field, heading and value labels."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from crdla.centres.models import CentrePage
from crdla.core.models import Audience, ProgrammeAxis, Region, Sector, Theme
from crdla.resources.models import ResourceKind


@dataclass(frozen=True)
class Facet:
    param: str
    field: str
    label: str


FACETS = (
    Facet("centre", "centre", _("Centre de ressources")),
    Facet("secteur", "sectors", _("Secteur")),
    Facet("type", "kinds", _("Type de ressource")),
    Facet("theme", "themes", _("Thématique")),
    Facet("public", "audiences", _("Public")),
    Facet("axe", "axes", _("Axe du programme")),
    Facet("region", "regions", _("Région")),
    Facet("annee", "year", _("Année")),
)
FACET_FIELDS = tuple(f.field for f in FACETS)
FACETS_BY_PARAM = {f.param: f for f in FACETS}
FACETS_BY_FIELD = {f.field: f for f in FACETS}


LABELS_CACHE_SECONDS = 3600


def forget_labels(**kwargs):
    """Signal receiver: a taxonomy object or a centre changed, drop the cached labels."""
    from django.core.cache import cache

    cache.delete_many([f"search:facet-labels:{field}" for field in FACET_FIELDS])


def value_labels(field, values):
    """Display labels of facet values (unknown values keep their raw value).

    Every label of a facet is cached until the taxonomy changes (see ``forget_labels``), so
    a search costs no taxonomy query.
    """
    from django.core.cache import cache

    values = [str(v) for v in values]
    if not values:
        return {}
    key = f"search:facet-labels:{field}"
    labels = cache.get(key)
    if labels is None:
        labels = all_labels(field)
        cache.set(key, labels, LABELS_CACHE_SECONDS)
    return {value: labels.get(value, value) for value in values}


def all_labels(field):
    """Every label of one facet, read from the taxonomy."""
    if field == "centre":
        return {
            slug: short or title
            for slug, short, title in CentrePage.objects.values_list("slug", "short_name", "title")
        }
    if field == "kinds":
        return {value: str(label) for value, label in ResourceKind.choices}
    if field in ("sectors", "themes", "audiences"):
        model = {"sectors": Sector, "themes": Theme, "audiences": Audience}[field]
        return dict(model.objects.values_list("slug", "name"))
    if field == "axes":
        return {str(a.number): str(a) for a in ProgrammeAxis.objects.all()}
    if field == "regions":
        return dict(Region.objects.values_list("code", "name"))
    return {}


def known_values(field, values):
    """The subset of ``values`` that exist in the taxonomy (unknown ones are reported)."""
    if field == "year":
        return [v for v in values if v.isdigit() and len(v) == 4]
    labels = value_labels(field, values)
    if field == "kinds":
        return [v for v in values if labels.get(v) != v]

    lookups = {
        "centre": (CentrePage, "slug"),
        "sectors": (Sector, "slug"),
        "themes": (Theme, "slug"),
        "audiences": (Audience, "slug"),
        "regions": (Region, "code"),
    }
    if field == "axes":
        numbers = [int(v) for v in values if v.isdigit() and len(v) < 4]
        existing = {
            str(n)
            for n in ProgrammeAxis.objects.filter(number__in=numbers).values_list(
                "number", flat=True
            )
        }
        return [v for v in values if v in existing]
    model, key = lookups[field]
    existing = set(model.objects.filter(**{f"{key}__in": values}).values_list(key, flat=True))
    return [v for v in values if v in existing]


def build_facets(counts, filters):
    """FacetCount lists (labelled, selected values kept even at zero), largest first."""
    from .results import FacetCount

    facets = {}
    for field in FACET_FIELDS:
        values = dict(counts.get(field, {}))
        for selected in filters.get(field, []):
            values.setdefault(selected, 0)
        labels = value_labels(field, values.keys())
        items = [
            FacetCount(
                value=value,
                label=labels.get(value, value),
                count=count,
                selected=value in filters.get(field, []),
            )
            for value, count in values.items()
        ]
        if field == "year":
            items.sort(key=lambda f: f.value, reverse=True)
        else:
            items.sort(key=lambda f: (-f.count, f.label.lower()))
        facets[field] = items
    return facets
