"""The national listing of open calls for tenders."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from crdla.resources.models import paginate

from ..listing import filtered_calls, known_filters
from ..models import finished_calls


def open_calls_list(request):
    """Open calls from every network, filterable by sector, département and kind.

    The lists are read only when the template's fragment is rendered: kept per cache
    generation, filters and page when every filter is a known value (a call closes by a
    publication, which bumps the generation).
    """
    calls, selected, options = filtered_calls(request)
    filters_key = str(sorted(selected.items()))
    return render(
        request,
        "network/calls_list.html",
        {
            "calls": SimpleLazyObject(lambda: paginate(request, calls)),
            "filters_key": filters_key,  # the filter form, when every filter is known
            "results_key": f"{filters_key}|{request.GET.get('page', '')[:8]}",
            "cacheable": known_filters(selected, options),
            "selected": selected,
            "filter_options": options,
            # The links keep the valid filters only: they are part of the fragment.
            "querystring": urlencode(sorted(selected.items())),
            "finished_calls": SimpleLazyObject(lambda: list(finished_calls()[:10])),
        },
    )
