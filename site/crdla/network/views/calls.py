"""The national listing of open calls for tenders."""

from django.shortcuts import render

from crdla.resources.models import paginate

from ..listing import filtered_calls
from ..models import finished_calls


def open_calls_list(request):
    """Open calls from every network, filterable by sector, département and kind."""
    calls, selected, options = filtered_calls(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/calls_list.html",
        {
            "calls": paginate(request, calls),
            "selected": selected,
            "filter_options": options,
            "querystring": query.urlencode(),
            "finished_calls": finished_calls()[:10],
        },
    )
