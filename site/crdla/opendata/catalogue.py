"""The data catalogue: every dataset and feed with its URL, format, licence and update date,
as a page (/donnees/) and as a DCAT-AP catalogue in JSON-LD that data.gouv.fr can harvest."""

from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse

from crdla.centres.models import CentrePage

from .datasets import CALENDARS, DATASETS, FORMATS
from .visibility import public_only

# EU vocabularies (DCAT-AP): file types and the IANA media types.
FILE_TYPES = {
    "csv": "CSV",
    "json": "JSON",
    "ics": "ICAL",
    "atom": "ATOM",
    "openapi": "JSON",
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "ics": "text/calendar",
    "atom": "application/atom+xml",
    "openapi": "application/json",
}


@dataclass
class Distribution:
    title: str
    url: str
    format: str  # key of FILE_TYPES
    licence: tuple  # (name, url)


@dataclass
class CatalogueEntry:
    """A dataset of the catalogue with its distributions (downloads, feeds)."""

    identifier: str
    title: str
    description: str
    keywords: tuple
    modified: object
    distributions: list
    columns: tuple = ()


def _last_published(*model_paths):
    from django.apps import apps

    dates = [
        public_only(apps.get_model(path).objects.all()).aggregate(last=Max("last_published_at"))[
            "last"
        ]
        for path in model_paths
    ]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def catalogue_entries(request):
    """Every dataset and feed, with absolute URLs and licences."""
    from .views import licence

    absolute = request.build_absolute_uri
    site_licence = licence()
    entries = []
    for dataset in DATASETS:
        entries.append(
            CatalogueEntry(
                dataset.slug,
                dataset.title,
                dataset.description,
                dataset.keywords,
                dataset.modified(),
                [
                    Distribution(
                        f"{dataset.title} ({fmt.upper()})",
                        absolute(reverse("opendata:export", args=[dataset.slug, fmt])),
                        fmt,
                        site_licence,
                    )
                    for fmt in FORMATS
                ],
                dataset.columns,
            )
        )
    centres = list(public_only(CentrePage.objects.all()).order_by("path"))
    for kind, (title, model_path) in CALENDARS.items():
        distributions = [
            Distribution(
                f"{title} — tous les centres",
                absolute(reverse("opendata:calendar", args=[kind])),
                "ics",
                site_licence,
            )
        ]
        distributions += [
            Distribution(
                f"{title} — {centre.short_name or centre.title}",
                absolute(reverse("opendata:centre-calendar", args=[centre.slug, kind])),
                "ics",
                licence(centre),
            )
            for centre in centres
        ]
        entries.append(
            CatalogueEntry(
                f"calendrier-{kind}",
                f"{title} (iCalendar)",
                f"{title} : un agenda à ajouter à une application de calendrier, pour tous "
                "les centres ou pour un centre.",
                ("agenda", "iCalendar", "DLA"),
                _last_published(model_path),
                distributions,
            )
        )
    entries.append(
        CatalogueEntry(
            "publications-des-centres",
            "Publications des centres (flux Atom)",
            "Les dernières ressources, actualités et événements publics de chaque centre.",
            ("ressources", "actualités", "Atom"),
            _last_published("resources.ResourcePage", "resources.NewsPage", "resources.EventPage"),
            [
                Distribution(
                    f"Flux Atom — {centre.short_name or centre.title}",
                    absolute(reverse("opendata:centre-feed", args=[centre.slug])),
                    "atom",
                    licence(centre),
                )
                for centre in centres
            ]
            + [
                Distribution(
                    "Flux Atom — toutes les ressources",
                    absolute(reverse("feed-resources")),
                    "atom",
                    site_licence,
                )
            ],
        )
    )
    entries.append(
        CatalogueEntry(
            "api",
            "API publique (Wagtail API v2)",
            "Pages publiques (ressources, actualités, événements, centres, programmes "
            "validés, consultations, réseaux, DLA), documents et images, avec filtres et "
            "recherche ; description OpenAPI 3.1.",
            ("API", "OpenAPI", "ressources", "DLA"),
            _last_published(*(page_type for page_type in _api_models())),
            [
                Distribution(
                    "Description OpenAPI 3.1",
                    absolute(reverse("opendata:api-schema")),
                    "openapi",
                    site_licence,
                ),
                Distribution("Pages", absolute("/api/v2/pages/"), "json", site_licence),
            ],
        )
    )
    return entries


def _api_models():
    from .fields import PAGE_TYPES

    return [page_type.name for page_type in PAGE_TYPES]


def dcat_catalogue(request, settings):
    """The catalogue as DCAT-AP 2 JSON-LD (inline context: no remote document to fetch)."""
    absolute = request.build_absolute_uri
    catalogue_url = absolute(reverse("opendata:dcat"))
    publisher = {
        "@id": absolute("/#editeur"),
        "@type": "foaf:Agent",
        "foaf:name": settings.publisher,
    }
    contact = (
        {
            "@type": "vcard:Organization",
            "vcard:fn": settings.publisher,
            "vcard:hasEmail": {"@id": f"mailto:{settings.contact_email}"},
        }
        if settings.contact_email
        else None
    )
    datasets = []
    modified_dates = []
    for entry in catalogue_entries(request):
        if entry.modified:
            modified_dates.append(entry.modified)
        dataset = {
            "@id": f"{catalogue_url}#{entry.identifier}",
            "@type": "dcat:Dataset",
            "dct:identifier": entry.identifier,
            "dct:title": {"@value": entry.title, "@language": "fr"},
            "dct:description": {"@value": entry.description, "@language": "fr"},
            "dcat:keyword": [{"@value": k, "@language": "fr"} for k in entry.keywords],
            "dct:publisher": {"@id": publisher["@id"]},
            "dct:language": {
                "@id": "http://publications.europa.eu/resource/authority/language/FRA"
            },
            "dcat:landingPage": {"@id": absolute(reverse("opendata:catalogue"))},
            "dcat:distribution": [
                {
                    "@id": distribution.url,
                    "@type": "dcat:Distribution",
                    "dct:title": {"@value": distribution.title, "@language": "fr"},
                    "dcat:accessURL": {"@id": distribution.url},
                    "dcat:downloadURL": {"@id": distribution.url},
                    "dcat:mediaType": {
                        "@id": "http://www.iana.org/assignments/media-types/"
                        + MEDIA_TYPES[distribution.format]
                    },
                    "dct:format": {
                        "@id": "http://publications.europa.eu/resource/authority/file-type/"
                        + FILE_TYPES[distribution.format]
                    },
                    "dct:license": {"@id": distribution.licence[1]},
                }
                for distribution in entry.distributions
            ],
        }
        if entry.modified:
            dataset["dct:modified"] = {
                "@value": entry.modified.isoformat(),
                "@type": "xsd:dateTime",
            }
        if contact:
            dataset["dcat:contactPoint"] = contact
        datasets.append(dataset)
    catalogue = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": catalogue_url,
        "@type": "dcat:Catalog",
        "dct:title": {
            "@value": "Données ouvertes des centres de ressources DLA",
            "@language": "fr",
        },
        "dct:description": {
            "@value": "Annuaire des DLA, consultations, programmes d'actions validés, "
            "agendas, flux et API publique des centres de ressources DLA.",
            "@language": "fr",
        },
        "dct:publisher": publisher,
        "dct:license": {"@id": settings.licence_url},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/FRA"},
        "foaf:homepage": {"@id": absolute(reverse("opendata:catalogue"))},
        "dcat:dataset": datasets,
    }
    if modified_dates:
        catalogue["dct:modified"] = {
            "@value": max(modified_dates).isoformat(),
            "@type": "xsd:dateTime",
        }
    return catalogue
