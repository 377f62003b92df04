"""The OpenAPI 3.1 description of the open data, built from the same tables as the API.

Page fields come from ``fields.PAGE_TYPES``, filters from ``api.DOMAIN_FILTERS``, exports,
calendars and feeds from ``datasets.DATASETS``: a field added there is described here.
"""

import re

from django.conf import settings

from . import api
from .fields import (
    COMPONENTS,
    DATETIME,
    INTEGER,
    PAGE_TYPES,
    STRING,
    URI,
    array,
    nullable,
    obj,
    ref,
)

ERROR = obj(message=STRING)


def _json(schema):
    return {"application/json": {"schema": schema}}


def _error(description, *, plain=False, html=False):
    content = _json(ref("Error"))
    if plain:
        # A NUL character in the address is refused by the site-wide guard, in plain text.
        content["text/plain"] = {"schema": STRING}
    if html:
        # An identifier that is not a number matches no URL: the site's 404 page.
        content["text/html"] = {"schema": STRING}
    return {"description": description, "content": content}


COMMON_ERRORS = {
    "400": _error("Paramètre invalide (message en français).", plain=True),
    "429": {
        **_error("Trop de requêtes depuis cette adresse (voir l'en-tête Retry-After)."),
        "headers": {"Retry-After": {"schema": INTEGER, "description": "Secondes à attendre."}},
    },
}


def _param(name, description, schema, where="query", required=False, example=None):
    param = {"name": name, "in": where, "description": description, "schema": schema}
    if required:
        param["required"] = True
    if example is not None:
        param["example"] = example
    return param


def _listing_params(order_fields):
    return [
        _param(
            "limit",
            f"Nombre d'éléments (20 par défaut, {settings.WAGTAILAPI_LIMIT_MAX} au plus).",
            {"type": "integer", "minimum": 0, "maximum": settings.WAGTAILAPI_LIMIT_MAX},
        ),
        _param(
            "offset",
            f"Position du premier élément ({api.OFFSET_MAX} au plus).",
            {"type": "integer", "minimum": 0, "maximum": api.OFFSET_MAX},
        ),
        _param(
            "fields",
            "Champs à montrer : « * » pour tous, « _ » pour aucun, « -champ » pour en "
            "retirer, par ex. « fields=*,-body ». Les champs propres à un type de page "
            "demandent « type ».",
            STRING,
            example="*",
        ),
        _param(
            "order",
            "Tri (« -champ » pour décroissant, « random » pour un ordre aléatoire) : "
            + ", ".join(sorted(order_fields))
            + ". Les champs propres à un type demandent « type ».",
            {"type": "string", "pattern": r"^(random|-?[a-z_]+(,-?[a-z_]+)*)$"},
            example="-first_published_at",
        ),
    ]


def _page_schema(page_type):
    properties = {
        "id": INTEGER,
        "meta": ref("PageMeta"),
        "title": STRING,
        **{f.name: {**f.schema, "description": f.description} for f in page_type.fields},
    }
    return {
        "title": page_type.label,
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _object_schema(type_name, **fields):
    return {
        "type": "object",
        "properties": {
            "id": INTEGER,
            "meta": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "const": type_name},
                    "detail_url": URI,
                    "download_url": STRING,
                },
                "additionalProperties": False,
            },
            "title": STRING,
            **fields,
        },
        "additionalProperties": False,
    }


def _listing(item):
    return obj(meta=obj(total_count=INTEGER), items=array(item))


def components():
    schemas = dict(COMPONENTS)
    schemas["Error"] = ERROR
    schemas["PageMeta"] = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": [t.name for t in PAGE_TYPES]},
            "detail_url": URI,
            "html_url": nullable(URI),
            "slug": STRING,
            "first_published_at": nullable(DATETIME),
            "last_published_at": nullable(DATETIME),
        },
        "additionalProperties": False,
    }
    for page_type in PAGE_TYPES:
        schemas[page_type.component] = _page_schema(page_type)
    schemas["Page"] = {"anyOf": [ref(t.component) for t in PAGE_TYPES]}
    schemas["Document"] = _object_schema(
        "wagtaildocs.Document",
        format={"type": "string", "description": "Format (extension)."},
        size={"type": ["integer", "null"], "description": "Taille en octets."},
    )
    schemas["Image"] = _object_schema("wagtailimages.Image", width=INTEGER, height=INTEGER)
    return schemas


def _pages_paths():
    type_names = [t.name for t in PAGE_TYPES]
    names = "|".join(re.escape(name) for name in type_names)
    order_fields = set(api.PublicPagesAPIViewSet.orderable_fields)
    for page_type in PAGE_TYPES:
        order_fields |= {f.name for f in page_type.fields if f.orderable}
    page_ref = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": ["root"]}]}
    listing = {
        "summary": "Pages publiques",
        "description": "Pages publiques et publiées des types listés, filtrables et "
        "paginées. Sans « type », seuls les champs communs sont donnés.",
        "operationId": "listPages",
        "tags": ["Pages"],
        "parameters": [
            _param(
                "type",
                "Type de page (plusieurs séparés par des virgules) : " + ", ".join(type_names),
                {"type": "string", "pattern": f"^({names})(,({names}))*$"},
                example="resources.ResourcePage",
            ),
            *_listing_params(order_fields),
            _param(
                "search",
                "Recherche plein texte dans la base de connaissances (celle de /recherche/) : "
                f"ne trouve que des ressources, {api.SEARCH_MAX_RESULTS} au plus, les plus "
                "pertinentes d'abord (sauf si « order » est donné).",
                {"type": "string", "minLength": 1, "maxLength": 200},
                example="modèle économique",
            ),
            _param("child_of", "Pages enfants de cette page (identifiant ou « root »).", page_ref),
            _param("descendant_of", "Pages sous cette page (identifiant ou « root »).", page_ref),
            _param(
                "ancestor_of", "Pages au-dessus de cette page.", {"type": "integer", "minimum": 0}
            ),
            *[
                _param(name, description, api.filter_schema(name))
                for name, (description, *_rest) in api.DOMAIN_FILTERS.items()
            ],
        ],
        "responses": {
            "200": {
                "description": "Une page de résultats.",
                "content": _json(_listing(ref("Page"))),
            },
            **COMMON_ERRORS,
            "503": _error("La base de connaissances est momentanément indisponible (search)."),
        },
    }
    detail = {
        "summary": "Une page publique",
        "description": "Tous les champs de la page, selon son type.",
        "operationId": "getPage",
        "tags": ["Pages"],
        "parameters": [
            _param(
                "id", "Identifiant de la page.", {"type": "integer", "minimum": 1}, "path", True
            ),
            _param("fields", "Champs à montrer (voir la liste).", STRING),
        ],
        "responses": {
            "200": {"description": "La page.", "content": _json(ref("Page"))},
            "404": _error("Page inconnue, non publiée ou non publique.", html=True),
            **COMMON_ERRORS,
        },
    }
    return {"/api/v2/pages/": {"get": listing}, "/api/v2/pages/{id}/": {"get": detail}}


def _media_paths(name, label, component, order_fields):
    return {
        f"/api/v2/{name}/": {
            "get": {
                "summary": f"{label} publics",
                "description": f"{label} qu'une page publique utilise.",
                "operationId": f"list{component}s",
                "tags": [label],
                "parameters": _listing_params(order_fields),
                "responses": {
                    "200": {
                        "description": "Une page de résultats.",
                        "content": _json(_listing(ref(component))),
                    },
                    **COMMON_ERRORS,
                },
            }
        },
        f"/api/v2/{name}/{{id}}/": {
            "get": {
                "summary": f"Un des {label.lower()}",
                "operationId": f"get{component}",
                "tags": [label],
                "parameters": [
                    _param("id", "Identifiant.", {"type": "integer", "minimum": 1}, "path", True),
                    _param("fields", "Champs à montrer.", STRING),
                ],
                "responses": {
                    "200": {"description": label, "content": _json(ref(component))},
                    "404": _error("Inconnu ou non public.", html=True),
                    **COMMON_ERRORS,
                },
            }
        },
    }


def build_openapi(base_url=""):
    """The whole OpenAPI document (a dict); ``base_url`` becomes the server URL."""
    from .datasets import openapi_paths

    paths = {}
    paths.update(_pages_paths())
    paths.update(
        _media_paths(
            "documents",
            "Documents",
            "Document",
            api.PublicDocumentsAPIViewSet.orderable_fields,
        )
    )
    paths.update(
        _media_paths("images", "Images", "Image", api.PublicImagesAPIViewSet.orderable_fields)
    )
    paths["/api/v2/schema/"] = {
        "get": {
            "summary": "Cette description OpenAPI",
            "operationId": "getSchema",
            "tags": ["Description"],
            "responses": {
                "200": {"description": "OpenAPI 3.1", "content": _json({"type": "object"})},
                "429": COMMON_ERRORS["429"],
            },
        }
    }
    paths.update(openapi_paths(ERROR_RESPONSES=COMMON_ERRORS))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Données ouvertes des centres de ressources DLA",
            "version": "2.0",
            "description": (
                "API publique en lecture seule : ressources, actualités, événements, centres, "
                "programmes d'actions validés, consultations, réseaux régionaux et DLA, "
                "documents et images. Anonyme par conception : quelle que soit la session "
                "de l'appelant, seules les pages publiques et publiées sont données (jamais "
                "une page réservée au réseau DLA, un brouillon ou un programme non validé). "
                "Limitée par adresse IP ; CORS ouvert en lecture."
            ),
            "license": {
                "name": "Licence Ouverte 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
        "servers": [{"url": base_url or "/"}],
        "paths": paths,
        "components": {"schemas": components()},
    }
