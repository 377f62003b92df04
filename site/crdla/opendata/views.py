"""The OpenAPI description and its documentation page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .fields import PAGE_TYPES
from .schema import build_openapi

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
