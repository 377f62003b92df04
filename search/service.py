"""From request parameters to results: validation, notices, out-of-range pages.

Views (HTML and JSON) go through ``run_search`` so both accept the same parameters:
``q`` (text), ``tri`` (pertinence|date), ``page``, and one repeatable parameter per facet
(``centre``, ``secteur``, ``type``, ``theme``, ``public``, ``axe``, ``region``, ``annee``).
"""

from dataclasses import replace

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .backends import get_backend
from .facets import FACETS, known_values
from .results import (
    MAX_RESULT_WINDOW,
    SORT_DATE,
    SORT_RELEVANCE,
    SearchQuery,
    last_reachable_page,
)
from .text import clean_text

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FACET = 20
PER_PAGE = 10


def parse_query(params):
    """A SearchQuery and the notices to show about what was ignored or cut."""
    notices = []
    text = " ".join(clean_text(params.get("q")).split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        notices.append(
            _(
                "Votre recherche était trop longue : seuls ses %(n)s premiers caractères ont été pris en compte."
            )
            % {"n": MAX_QUERY_LENGTH}
        )
    filters = {}
    for facet in FACETS:
        raw = [clean_text(v).strip()[:120] for v in params.getlist(facet.param)]
        raw = [v for v in raw if v]
        raw = list(dict.fromkeys(raw))[:MAX_VALUES_PER_FACET]
        if not raw:
            continue
        valid = known_values(facet.field, raw)
        unknown = [v for v in raw if v not in valid]
        if unknown:
            notices.append(
                _("Filtre « %(facet)s » : valeur inconnue ignorée (%(values)s).")
                % {"facet": facet.label, "values": ", ".join(unknown)}
            )
        if valid:
            filters[facet.field] = valid
    sort = params.get("tri") or SORT_RELEVANCE
    if sort not in (SORT_RELEVANCE, SORT_DATE):
        sort = SORT_RELEVANCE
    try:
        page = max(1, int(params.get("page") or 1))
    except ValueError:
        page = 1
    # No engine pages past MAX_RESULT_WINDOW hits (SearchQuery clamps, we say so); beyond the
    # last page of results, run_search shows the last one.
    if page > last_reachable_page(PER_PAGE):
        notices.append(
            _(
                "Seules les %(n)s premières réponses peuvent être parcourues : précisez votre recherche ou ajoutez un filtre."
            )
            % {"n": number_format(MAX_RESULT_WINDOW, force_grouping=True)}
        )
    return SearchQuery(text=text, filters=filters, sort=sort, page=page, per_page=PER_PAGE), notices


def run_search(user, query, backend=None):
    """Results for ``user``; a page beyond the last one shows the last page."""
    backend = backend or get_backend()
    results = backend.search(user, query)
    if results.total and query.page > results.num_pages:
        results = backend.search(user, replace(query, page=results.num_pages))
    if query.text and results.total < 3:
        # An engine that answers suggestions with the results (Elasticsearch) has filled
        # them in already: one round trip per page.
        if not backend.suggests_with_results:
            results.suggestion = backend.spelling_suggestion(user, query.text)
        if results.suggestion and results.suggestion.lower() == query.text.lower():
            results.suggestion = None
    else:
        results.suggestion = None
    return results
