"""The cross-centre listing of resources (/ressources/)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from crdla import access
from crdla.centres.models import CentrePage

from .models import SLUG_RE, ResourcePage, filter_resources, listing_context


def all_resources(request):
    """Every centre's resources with the filters of a centre's listing, plus the centre."""
    centres = list(
        access.public_pages(CentrePage.objects.all()).only(
            "title", "slug", "short_name", "path", "depth"
        )
    )
    centre = request.GET.get("centre", "").strip()[:100]
    chosen = next((c for c in centres if SLUG_RE.fullmatch(centre) and c.slug == centre), None)

    def of_the_centre():
        resources = ResourcePage.objects.all()
        return resources if chosen is None else resources.descendant_of(chosen)

    resources, selected = filter_resources(request, of_the_centre)
    if chosen is not None:
        selected["centre"] = chosen.slug
    context = listing_context(request, resources, selected)
    context["filter_options"]["centre"] = [(c.slug, str(c)) for c in centres]
    context["title"] = _("Toutes les ressources des centres")
    return render(request, "resources/all_resources.html", context)
