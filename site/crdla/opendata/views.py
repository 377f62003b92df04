"""The open-data views: OpenAPI description and documentation, exports, calendars, feeds."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from crdla.centres.models import CentrePage
from crdla.core.csv_export import safe_writer
from crdla.resources.models import EventPage, NewsPage, ResourcePage

from .datasets import CALENDARS, DATASETS_BY_SLUG, FORMATS, calendar_events
from .fields import PAGE_TYPES
from .schema import build_openapi
from .visibility import public_only

COMPONENT_TYPES = {page_type.component: page_type.name for page_type in PAGE_TYPES}


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def api_schema(request):
    """The OpenAPI 3.1 description of the open data (JSON)."""
    return JsonResponse(build_openapi(base_url(request)), json_dumps_params={"ensure_ascii": False})


@require_GET
def api_documentation(request):
    """The API reference as an ordinary page of the site, built from the OpenAPI description:
    no script, so it works under the strict CSP and with assistive technologies."""
    schema = build_openapi(base_url(request))
    return render(request, "opendata/api_documentation.html", documentation_context(schema))


def documentation_context(schema):
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation["operationId"],
                    **operation,
                    "responses": sorted(operation["responses"].items()),
                }
            )
    schemas = schema["components"]["schemas"]
    page_types = [
        {
            "name": name,
            "type": COMPONENT_TYPES[name],
            "title": schemas[name]["title"],
            "fields": [
                (field, describe(value), value.get("description", ""))
                for field, value in schemas[name]["properties"].items()
            ],
        }
        for name in (item["$ref"].rsplit("/", 1)[1] for item in schemas["Page"]["anyOf"])
    ]
    for operation in operations:
        operation["parameter_rows"] = [
            (p["name"], p["in"], describe(p["schema"]), p["description"], p.get("required"))
            for p in operation.get("parameters", [])
        ]
    return {"schema": schema, "operations": operations, "page_types": page_types}


TYPE_LABELS = {
    "string": _("texte"),
    "integer": _("entier"),
    "number": _("nombre"),
    "boolean": _("booléen"),
    "object": _("objet"),
    "null": "null",
}
FORMAT_LABELS = {"date": _("date"), "date-time": _("date et heure"), "uri": _("URL")}


def describe(schema):
    """A short French description of a JSON schema: « liste de Term », « date ou null »…"""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "anyOf" in schema:
        return _(" ou ").join(describe(option) for option in schema["anyOf"])
    if "enum" in schema:
        return _("un de : %s") % ", ".join(map(str, schema["enum"]))
    types = schema.get("type", "object")
    if isinstance(types, list):
        return _(" ou ").join(describe({**schema, "type": t}) for t in types)
    if types == "array":
        return _("liste de %s") % describe(schema["items"])
    if types == "string" and schema.get("format") in FORMAT_LABELS:
        return str(FORMAT_LABELS[schema["format"]])
    return str(TYPE_LABELS.get(types, types))


# --- Exports, calendars, per-centre feeds ------------------------------------------------------


def licence(centre=None):
    """(name, url) of the licence (the site settings, or a centre's own)."""
    return open_data_settings().licence_for(centre)


@require_GET
def export(request, dataset, fmt):
    """One dataset as CSV (« ; », UTF-8 with BOM, formula-safe cells) or JSON."""
    dataset = DATASETS_BY_SLUG.get(dataset)
    if dataset is None or fmt not in FORMATS:
        raise Http404
    columns = [column.name for column in dataset.columns]
    if fmt == "json":
        modified = dataset.modified()
        return JsonResponse(
            {
                "dataset": dataset.slug,
                "title": dataset.title,
                "licence": licence()[1],
                "modified": modified.isoformat() if modified else None,
                "columns": columns,
                "rows": list(dataset.rows()),
            },
            json_dumps_params={"ensure_ascii": False},
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = safe_writer(response, lineterminator="\r\n")
    writer.writerow(columns)
    for row in dataset.rows():
        writer.writerow([csv_value(row[name]) for name in columns])
    return response


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def public_centre(slug):
    centre = public_only(CentrePage.objects.filter(slug=slug)).select_related("sector").first()
    if centre is None:
        raise Http404
    return centre


@require_GET
def calendar(request, kind, centre=None):
    """iCalendar feed of events or of call deadlines, global or of one centre."""
    from icalendar import Calendar, Event

    if kind not in CALENDARS:
        raise Http404
    centre_page = public_centre(centre) if centre else None
    title = str(CALENDARS[kind][0])
    if centre_page is not None:
        title = f"{title} — {centre_page.short_name or centre_page.title}"
    feed = Calendar()
    feed.add("prodid", "-//Centres de ressources DLA//Données ouvertes//FR")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", title)
    feed.add("x-wr-timezone", "Europe/Paris")
    host = request.get_host().split(":")[0]
    now = timezone.now()
    for uid, start, end, summary, description, location, url in calendar_events(kind, centre_page):
        entry = Event()
        entry.add("uid", f"{uid}@{host}")
        entry.add("dtstamp", now)
        entry.add("dtstart", start)
        entry.add("dtend", end)
        entry.add("summary", summary)
        if description:
            entry.add("description", description)
        if location:
            entry.add("location", location)
        entry.add("url", url)
        feed.add_component(entry)
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{kind}.ics"'
    return response


class CentreFeed(Feed):
    """Atom feed of a centre's latest public resources, news and events."""

    feed_type = Atom1Feed

    def get_object(self, request, centre):
        return public_centre(centre)

    def title(self, centre):
        return _("%(centre)s — dernières publications") % {"centre": centre}

    def link(self, centre):
        return centre.url

    def subtitle(self, centre):
        return centre.intro

    def items(self, centre):
        pages = public_only(Page.objects.descendant_of(centre)).type(
            ResourcePage, NewsPage, EventPage
        )
        return [page.specific for page in pages.order_by("-first_published_at")[:30]]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return getattr(item, "summary", "") or getattr(item, "intro", "")

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [str(item._meta.verbose_name)]


# --- The catalogue -------------------------------------------------------------------------------


def open_data_settings():
    from wagtail.models import Site

    from .models import OpenDataSettings

    site = Site.objects.filter(is_default_site=True).first()
    return OpenDataSettings.for_site(site) if site else OpenDataSettings()


@require_GET
def catalogue(request):
    """/donnees/: every dataset and feed with its URL, format, licence and update date."""
    from .catalogue import catalogue_entries

    return render(
        request,
        "opendata/catalogue.html",
        {"entries": catalogue_entries(request), "settings_data": open_data_settings()},
    )


@require_GET
def dcat(request):
    """The DCAT-AP catalogue in JSON-LD, at a stable URL for data.gouv.fr's harvester."""
    from .catalogue import dcat_catalogue

    return JsonResponse(
        dcat_catalogue(request, open_data_settings()),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )
