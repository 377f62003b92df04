"""The knowledge-base search page, its JSON twin, and the autocomplete endpoint."""

import logging

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .backends import SearchUnavailable, get_backend
from .facets import FACETS, FACETS_BY_FIELD
from .results import SORT_DATE, SORT_RELEVANCE, plain_highlight
from .service import MAX_QUERY_LENGTH, parse_query, run_search
from .text import clean_text

logger = logging.getLogger(__name__)


def _querystring(query, **changes):
    """The shareable URL parameters of a query, with some changed (None removes)."""
    pairs = []
    values = {"q": query.text, "tri": query.sort if query.sort != SORT_RELEVANCE else ""}
    values.update({k: v for k, v in changes.items() if k in ("q", "tri")})
    for key in ("q", "tri"):
        if values.get(key):
            pairs.append((key, values[key]))
    filters = changes.get("filters", query.filters)
    for facet in FACETS:
        pairs += [(facet.param, v) for v in filters.get(facet.field, [])]
    return urlencode(pairs)


def _without(filters, field, value):
    changed = {
        f: [v for v in values if not (f == field and v == value)] for f, values in filters.items()
    }
    return {f: v for f, v in changed.items() if v}


@require_GET
def search(request):
    """Search page: public results for everyone, DLA-only tools too for the network."""
    query, notices = parse_query(request.GET)
    context = {"query": query, "notices": notices, "max_length": MAX_QUERY_LENGTH}
    try:
        results = run_search(request.user, query)
    except SearchUnavailable:
        logger.exception("Moteur de recherche indisponible")
        context["unavailable"] = True
        return render(request, "search/search.html", context, status=503)
    facet_groups = []
    for field, counts in results.facets.items():
        if counts:
            facet_groups.append({"facet": FACETS_BY_FIELD[field], "values": counts})
    removals = [
        {
            "label": f"{FACETS_BY_FIELD[field].label} : {value_label(results, field, value)}",
            "url": "?" + _querystring(query, filters=_without(query.filters, field, value)),
        }
        for field, values in query.filters.items()
        for value in values
    ]
    context.update(
        results=results,
        facet_groups=facet_groups,
        removals=removals,
        base_querystring=_querystring(query),
        sort_options=[(SORT_RELEVANCE, _("Pertinence")), (SORT_DATE, _("Date"))],
        suggestion_url=(
            "?" + _querystring(query, q=results.suggestion) if results.suggestion else ""
        ),
        page_range=_page_range(results.page, results.num_pages),
        start_index=(results.page - 1) * query.per_page + 1,
    )
    return render(request, "search/search.html", context)


def value_label(results, field, value):
    for count in results.facets.get(field, []):
        if count.value == value:
            return count.label
    return value


def _page_range(current, last, around=2):
    pages = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    return pages


@require_GET
def search_api(request):
    """The same search as JSON, same parameters, same visibility rules."""
    query, notices = parse_query(request.GET)
    try:
        results = run_search(request.user, query)
    except SearchUnavailable:
        return JsonResponse(
            {"error": _("La recherche est momentanément indisponible. Réessayez dans un instant.")},
            status=503,
        )
    return JsonResponse(
        {
            "query": query.text,
            "total": results.total,
            "page": results.page,
            "num_pages": results.num_pages,
            "sort": query.effective_sort,
            "suggestion": results.suggestion,
            "notices": [str(n) for n in notices],
            "results": [
                {
                    "id": hit.page_id,
                    "title": hit.title,
                    "title_highlighted": str(hit.title_html),
                    "url": request.build_absolute_uri(hit.url) if hit.url else "",
                    "summary": hit.summary,
                    "kind": hit.kind,
                    "centre": hit.centre_name,
                    "restricted": hit.is_restricted,
                    "published_date": hit.published_date.isoformat()
                    if hit.published_date
                    else None,
                    "highlights": [str(h) for h in hit.highlighted],
                    "highlights_text": [plain_highlight(h) for h in hit.highlights],
                }
                for hit in results.hits
            ],
            "facets": {
                FACETS_BY_FIELD[field].param: [
                    {"value": c.value, "label": c.label, "count": c.count, "selected": c.selected}
                    for c in counts
                ]
                for field, counts in results.facets.items()
            },
            "html_url": reverse("search") + "?" + _querystring(query),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def autocomplete(request):
    """Titles matching what was typed so far (visible ones only), for suggestions as you type."""
    prefix = " ".join(clean_text(request.GET.get("q")).split())[:100]
    try:
        suggestions = get_backend().autocomplete(request.user, prefix) if prefix else []
    except SearchUnavailable:
        suggestions = []
    return JsonResponse(
        {"query": prefix, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False}
    )
