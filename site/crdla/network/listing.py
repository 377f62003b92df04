"""The filterable listing of open calls (shared by the national list, the network pages and
the RSS feed)."""

import django_filters
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from crdla.core.filters import ListingFilterSet
from crdla.core.models import Departement, Sector
from crdla.pagecache import generation

from .models import CallForTendersPage, SupportKind, open_calls


class CallFilter(ListingFilterSet):
    """An open call matches a département by its own or by one of its territories."""

    secteur = django_filters.CharFilter(field_name="sector__slug")
    departement = django_filters.CharFilter(method="in_departement")
    type = django_filters.CharFilter(field_name="kind")

    def in_departement(self, calls, name, value):
        matching = calls.filter(departement__code=value) | calls.filter(territories__code=value)
        return matching.distinct()


def filtered_calls(request, calls=None):
    """Open calls filtered by ``secteur``, ``departement`` and ``type`` query parameters, and
    the filters' options (read once per cache generation). The calls are a lazy object: the
    listing builds their query only when its fragment is rendered."""
    filters = CallFilter(request.GET, CallForTendersPage.objects.none())
    selected = filters.selected  # validates the query string

    def results():
        return filters.filter_queryset(open_calls() if calls is None else calls)

    def read():
        return {
            "secteur": [(s.slug, s.name) for s in Sector.objects.all()],
            "departement": [(d.code, str(d)) for d in Departement.objects.all()],
        }

    options = generation.remember_for_request(request, "crdla-call-options", read)
    options = {**options, "type": SupportKind.choices}
    return SimpleLazyObject(results), selected, options


def known_filters(selected, options):
    """Whether every selected filter is one of the options (only those answers are kept)."""
    return all(
        any(value == code for code, _label in options.get(name, ()))
        for name, value in selected.items()
    )


class OpenCallsFeed(Feed):
    """RSS feed of the open calls, with the same filters as the listing."""

    feed_type = Rss201rev2Feed
    title = _("Consultations des DLA ouvertes")
    description = _("Les appels d'offres des DLA ouverts aux prestataires.")
    link = "/consultations/"

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def items(self):
        calls, _selected, _options = filtered_calls(self.request)
        return calls[:50]

    def item_title(self, item):
        return f"{item.title} ({item.reference})"

    def item_description(self, item):
        return _("%(kind)s — %(dept)s — réponse avant le %(deadline)s") % {
            "kind": item.get_kind_display(),
            "dept": item.departement,
            "deadline": item.deadline.strftime("%d/%m/%Y %H:%M"),
        }

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.publication_date

    def item_categories(self, item):
        return [item.get_kind_display(), item.sector.name]
