"""The read-only public API: Wagtail's API v2 (pages, documents, images) at ``/api/v2/``.

Anonymous by design: no authentication class runs, and every queryset goes through
``visibility.public_only``, so a signed-in administrator gets exactly what an anonymous
visitor gets. Errors are French JSON ``{"message": …}``; rate limiting and CORS are done for
every open-data URL by ``middleware.OpenDataMiddleware``.
"""

import re
from dataclasses import replace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, Q, When
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    OrderingFilter,
)
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page

from crdla.centres.models import CentrePage
from crdla.core.templatetags.french import format_number
from crdla.network.models import CallStatus, SupportKind
from crdla.resources.models import ResourceKind

from .fields import (
    PAGE_TYPES,
    STRING,
    PublicField,
    PublicValueField,
    api_page_models,
    page_type_of,
)
from .visibility import public_only

# Highest ``limit`` (the default page holds 20 items).
LIMIT_MAX = 100
# The knowledge base answers at most this many resources to one API search.
SEARCH_MAX_RESULTS = 100
# Far beyond any listing of this platform, and within every database's integer range.
OFFSET_MAX = 1_000_000

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
REGION_CODE = re.compile(r"[0-9]{2,3}")
DEPARTEMENT_CODE = re.compile(r"[0-9]{2,3}|2[AB]")
YEAR = re.compile(r"[1-9][0-9]{3}")


class JSONOnlyNegotiation(BaseContentNegotiation):
    """Always JSON, whatever the Accept header (no 406 for a browser or a curious client)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _pages_of(model_path, **lookup):
    from django.apps import apps

    model = apps.get_model(model_path)
    return Q(pk__in=model.objects.filter(**lookup).values("pk"))


def _under_centres(centres, *model_paths):
    """Pages of the given types placed under one of ``centres``."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    types = [ContentType.objects.get_for_model(apps.get_model(path)) for path in model_paths]
    paths = Q(pk__in=[])
    for centre in centres:
        paths |= Q(path__startswith=centre.path)
    return paths & Q(content_type__in=types)


def _public_centres(**lookup):
    return list(public_only(CentrePage.objects.filter(**lookup)))


def _filter_centre(value):
    return _under_centres(
        _public_centres(slug=value),
        "centres.CentrePage",
        "resources.ResourcePage",
        "resources.NewsPage",
        "resources.EventPage",
        "workflows.ProgrammePage",
    )


def _filter_sector(value):
    return (
        _pages_of("resources.ResourcePage", sectors__slug=value)
        | _pages_of("network.CallForTendersPage", sector__slug=value)
        | _pages_of("centres.CentrePage", sector__slug=value)
        | _under_centres(
            _public_centres(sector__slug=value),
            "resources.NewsPage",
            "resources.EventPage",
            "workflows.ProgrammePage",
        )
    )


def _filter_region(value):
    return (
        _pages_of("resources.ResourcePage", regions__code=value)
        | _pages_of("network.NetworkPage", region__code=value)
        | _pages_of("network.DLAPage", departement__region__code=value)
        | _pages_of("network.CallForTendersPage", departement__region__code=value)
        | _pages_of("network.CallForTendersPage", territories__region__code=value)
    )


def _filter_departement(value):
    return (
        _pages_of("network.DLAPage", departement__code=value)
        | _pages_of("network.CallForTendersPage", departement__code=value)
        | _pages_of("network.CallForTendersPage", territories__code=value)
        | _pages_of("network.NetworkPage", region__departements__code=value)
    )


def _filter_year(value):
    year = int(value)
    return (
        _pages_of("resources.ResourcePage", published_date__year=year)
        | _pages_of("resources.NewsPage", date__year=year)
        | _pages_of("resources.EventPage", start__year=year)
        | _pages_of("workflows.ProgrammePage", programme__year=year)
        | _pages_of("network.CallForTendersPage", publication_date__year=year)
    )


def _call_statuses():
    return CallStatus.values


def _kinds():
    return ResourceKind.values + SupportKind.values


def _filter_kind(value):
    return _pages_of("resources.ResourcePage", kind=value) | _pages_of(
        "network.CallForTendersPage", kind=value
    )


# param → (description, JSON schema of the value, validation, filter). Each filter keeps the
# pages of the types it applies to and drops the others.
DOMAIN_FILTERS = {
    "centre": (
        "Centre de ressources (identifiant, par ex. « culture ») : le centre et ses pages.",
        {"type": "string", "pattern": SLUG.pattern},
        SLUG,
        _filter_centre,
    ),
    "secteur": (
        "Secteur (identifiant) : ressources, consultations, centres et pages des centres du secteur.",
        {"type": "string", "pattern": SLUG.pattern},
        SLUG,
        _filter_sector,
    ),
    "theme": (
        "Thématique (identifiant) : ressources et consultations.",
        {"type": "string", "pattern": SLUG.pattern},
        SLUG,
        lambda v: (
            _pages_of("resources.ResourcePage", themes__slug=v)
            | _pages_of("network.CallForTendersPage", theme__slug=v)
        ),
    ),
    "public": (
        "Public cible (identifiant) : ressources.",
        {"type": "string", "pattern": SLUG.pattern},
        SLUG,
        lambda v: _pages_of("resources.ResourcePage", audiences__slug=v),
    ),
    "region": (
        "Région (code INSEE, par ex. 44) : ressources, réseaux, DLA et consultations.",
        {"type": "string", "pattern": f"^(?:{REGION_CODE.pattern})$"},
        REGION_CODE,
        _filter_region,
    ),
    "departement": (
        "Département (code INSEE, par ex. 51 ou 2A) : DLA, consultations et réseau de la région.",
        {"type": "string", "pattern": f"^(?:{DEPARTEMENT_CODE.pattern})$"},
        DEPARTEMENT_CODE,
        _filter_departement,
    ),
    "annee": (
        "Année : de publication (ressources, consultations), de l'actualité, du début de "
        "l'événement ou du programme.",
        {"type": "string", "pattern": f"^{YEAR.pattern}$"},
        YEAR,
        _filter_year,
    ),
    "statut": (
        "Statut d'une consultation.",
        {"type": "string", "enum": "call_statuses"},
        "call_statuses",
        lambda v: _pages_of("network.CallForTendersPage", status=v),
    ),
    "nature": (
        "Type de ressource (guide, fiche_pratique…) ou d'accompagnement d'une consultation "
        "(individuel, collectif, regional).",
        {"type": "string", "enum": "kinds"},
        "kinds",
        _filter_kind,
    ),
}
ENUMS = {"call_statuses": _call_statuses, "kinds": _kinds}


def filter_schema(name):
    """The JSON schema of a domain filter's value (enums resolved from the models)."""
    schema = dict(DOMAIN_FILTERS[name][1])
    if isinstance(schema.get("enum"), str):
        schema["enum"] = ENUMS[schema["enum"]]()
    if "pattern" in schema and not schema["pattern"].startswith("^"):
        schema["pattern"] = f"^(?:{schema['pattern']})$"
    return schema


class DomainFilter:
    """The filters of the domain (centre, secteur, theme, public, region, departement,
    annee, statut, nature), valid across page types."""

    def filter_queryset(self, request, queryset, view):
        for name, (_description, _schema, check, build) in DOMAIN_FILTERS.items():
            if name not in request.GET:
                continue
            value = request.GET[name].strip()
            valid = ENUMS[check]() if isinstance(check, str) else None
            if (valid is not None and value not in valid) or (
                valid is None and not check.fullmatch(value)
            ):
                raise BadRequestError(
                    _("Valeur invalide pour le paramètre « %(name)s » : « %(value)s ».")
                    % {"name": name, "value": value[:100]}
                )
            queryset = queryset.filter(build(value))
        return queryset


class KnowledgeBaseSearch:
    """``search``: the resources that the knowledge base finds (the engine of /recherche/),
    most relevant first unless ``order`` is given. Other page types never match."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        from search.backends import SearchUnavailable
        from search.service import parse_query, run_search

        params = QueryDict(mutable=True)
        params["q"] = request.GET["search"]
        query, _notices = parse_query(params)
        if not query.text:
            raise BadRequestError(_("Le paramètre « search » est vide."))
        query = replace(query, page=1, per_page=SEARCH_MAX_RESULTS)
        try:
            results = run_search(AnonymousUser(), query)
        except SearchUnavailable as exc:
            raise SearchUnavailableError() from exc
        ids = [hit.page_id for hit in results.hits]
        queryset = queryset.filter(pk__in=ids)
        if "order" not in request.GET:
            queryset = queryset.order_by(
                Case(
                    *[When(pk=pk, then=rank) for rank, pk in enumerate(ids)],
                    output_field=IntegerField(),
                )
            )
        return queryset


class SearchUnavailableError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE


# Wagtail's own API messages, in French (their variable part is kept).
WAGTAIL_MESSAGES = [
    (
        r"query parameter is not an operation or a recognised field: (.*)",
        N_("Paramètre inconnu : {0}."),
    ),
    (r"unknown fields: (.*)", N_("Champ inconnu : {0}.")),
    (r"'(.*)' does not support nested fields", N_("Le champ « {0} » n'a pas de sous-champs.")),
    (r"fields error: (.*)", N_("Paramètre « fields » mal formé ({0}).")),
    (r"offset must be a positive integer", N_("« offset » doit être un entier positif.")),
    (r"limit must be a positive integer", N_("« limit » doit être un entier positif.")),
    (r"limit cannot be higher than (\d+)", N_("« limit » ne peut pas dépasser {0}.")),
    (
        r"random ordering cannot be combined with other fields",
        N_("« order=random » ne se combine pas avec d'autres champs."),
    ),
    (
        r"random ordering with offset is not supported",
        N_("« order=random » ne se combine pas avec « offset »."),
    ),
    (r"cannot order by '(.*)' \(.*\)", N_("Tri impossible sur « {0} ».")),
    (
        r"(child_of|ancestor_of|descendant_of) must be a positive integer",
        N_("« {0} » doit être un entier positif."),
    ),
    (r"(?:parent|descendant|ancestor) page doesn't exist", N_("Page de référence introuvable.")),
    (
        r"filtering by descendant_of with child_of is not supported",
        N_("« descendant_of » ne se combine pas avec « child_of »."),
    ),
]


def french_message(message):
    for pattern, french in WAGTAIL_MESSAGES:
        match = re.fullmatch(pattern, message)
        if match:
            return _(french).format(*match.groups())
    return message


class OpenDataViewSetMixin:
    """What every endpoint of the public API shares: anonymous, JSON only, French errors."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    renderer_classes = (JSONRenderer,)
    content_negotiation_class = JSONOnlyNegotiation
    extra_fields = ()  # PublicField of the endpoint's model (documents, images)
    orderable_fields = ("id", "title")

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return Response({"message": _("Introuvable.")}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, BadRequestError):
            return Response(
                {"message": french_message(str(exc))}, status=status.HTTP_400_BAD_REQUEST
            )
        if isinstance(exc, SearchUnavailableError):
            message = _("La recherche est momentanément indisponible. Réessayez dans un instant.")
            return Response({"message": message}, status=exc.status_code)
        if isinstance(exc, APIException):
            # DRF's own errors (a method other than GET…), with its French messages.
            return Response({"message": str(exc.detail)}, status=exc.status_code)
        return super().handle_exception(exc)

    @classmethod
    def get_urlpatterns(cls):
        # Wagtail's « find » view is left out: its « id » lookup crashes on non-numbers.
        return [p for p in super().get_urlpatterns() if p.name != "find"]

    @classmethod
    def public_fields(cls, model):
        return cls.extra_fields

    @classmethod
    def get_body_fields(cls, model):
        from wagtail.api import APIField

        return cls._convert_api_fields(cls.body_fields) + [
            APIField(public_field.name, serializer=PublicValueField(public_field))
            for public_field in cls.public_fields(model)
        ]

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        if db_fields_only:
            # Used by Wagtail only for ordering: the fields documented as orderable.
            return list(cls.orderable_fields) + [
                f.name for f in cls.public_fields(model) if f.orderable
            ]
        return super().get_available_fields(model)

    def check_query_parameters(self, queryset):
        unknown = set(self.request.GET) - set(self.known_query_parameters)
        if unknown:
            raise BadRequestError(_("Paramètre inconnu : %s.") % ", ".join(sorted(unknown)))
        offset = self.request.GET.get("offset", "")
        if offset.isdigit() and int(offset) > OFFSET_MAX:
            raise BadRequestError(
                _("« offset » ne peut pas dépasser %(max)s.") % {"max": format_number(OFFSET_MAX)}
            )


class PublicPagesAPIViewSet(OpenDataViewSetMixin, PagesAPIViewSet):
    """Public pages of the API's types, with the domain filters and the knowledge base."""

    filter_backends = [
        DomainFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        KnowledgeBaseSearch,
        OrderingFilter,
    ]
    known_query_parameters = frozenset(
        ["limit", "offset", "fields", "order", "search", "type", "child_of", "ancestor_of"]
        + ["descendant_of", *DOMAIN_FILTERS]
    )
    meta_fields = [
        "type",
        "detail_url",
        "html_url",
        "slug",
        "first_published_at",
        "last_published_at",
    ]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        "html_url",
        "title",
        "slug",
        "first_published_at",
    ]
    detail_only_fields = []
    orderable_fields = ("id", "title", "first_published_at", "last_published_at")

    @classmethod
    def public_fields(cls, model):
        page_type = page_type_of(model)
        return page_type.fields if page_type else ()

    @classmethod
    def get_detail_default_fields(cls, model):
        return cls.get_available_fields(model)

    def get_base_queryset(self):
        return public_only(Page.objects.all()).type(*api_page_models())

    def get_queryset(self):
        names = self.request.GET.get("type")
        if not names:
            return self.get_base_queryset()
        known = {page_type.name: page_type.model for page_type in PAGE_TYPES}
        models = []
        for name in names.split(","):
            if name not in known:
                raise BadRequestError(
                    _("Type de page inconnu : « %(name)s ». Types possibles : %(types)s.")
                    % {"name": name[:100], "types": ", ".join(known)}
                )
            models.append(known[name])
        if len(models) == 1:
            # The specific model, so that its fields can be listed, ordered and shown.
            page_type = page_type_of(models[0])
            return (
                models[0]
                .objects.filter(pk__in=self.get_base_queryset().values("pk"))
                .prefetch_related(*page_type.prefetch)
            )
        return self.get_base_queryset().type(*models)


def _document_fields():
    from .fields import document_size

    return (
        PublicField(
            "format",
            STRING,
            "Format (extension du fichier).",
            lambda d, c: d.file_extension.upper(),
        ),
        PublicField(
            "size",
            {"type": ["integer", "null"]},
            "Taille en octets.",
            lambda d, c: document_size(d),
        ),
    )


class PublicDocumentsAPIViewSet(OpenDataViewSetMixin, DocumentsAPIViewSet):
    """Documents that a public page uses (attachments, blocks, links)."""

    filter_backends = [OrderingFilter]
    known_query_parameters = frozenset(["limit", "offset", "fields", "order"])
    meta_fields = ["type", "detail_url", "download_url"]
    listing_default_fields = ["id", "type", "detail_url", "download_url", "title"]
    nested_default_fields = ["id", "type", "detail_url", "title", "download_url"]

    @classmethod
    def public_fields(cls, model):
        return _document_fields()

    def get_queryset(self):
        return public_only(self.model.objects.all()).order_by("id")


class PublicImagesAPIViewSet(OpenDataViewSetMixin, ImagesAPIViewSet):
    """Images that a public page shows."""

    filter_backends = [OrderingFilter]
    known_query_parameters = frozenset(["limit", "offset", "fields", "order"])
    meta_fields = ["type", "detail_url", "download_url"]
    listing_default_fields = ["id", "type", "detail_url", "download_url", "title"]
    nested_default_fields = ["id", "type", "detail_url", "title", "download_url"]
    orderable_fields = ("id", "title", "width", "height")

    def get_queryset(self):
        return public_only(self.model.objects.all()).order_by("id")


api_router = WagtailAPIRouter("api")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)

ENDPOINTS = {
    "pages": PublicPagesAPIViewSet,
    "documents": PublicDocumentsAPIViewSet,
    "images": PublicImagesAPIViewSet,
}
