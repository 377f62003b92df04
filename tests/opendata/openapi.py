"""Validate a response against the OpenAPI description served by the site."""

import re

import jsonschema

from crdla.opendata.schema import build_openapi


def operation_for(document, path):
    """The GET operation of the documented path template matching ``path``."""
    for template, methods in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[a-z_]+\\\}", r"[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return methods["get"]
    raise AssertionError(f"{path} n'est pas décrit dans la description OpenAPI")


def assert_conforms(response, path, document=None):
    """The status is documented for the path, with this content type, and the JSON body
    matches its schema."""
    document = document or build_openapi("http://testserver")
    operation = operation_for(document, path.split("?", 1)[0])
    status = str(response.status_code)
    assert status in operation["responses"], (path, status)
    content = operation["responses"][status].get("content", {})
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in content, (path, media_type, list(content))
    if media_type in ("application/json", "application/ld+json"):
        schema = {**content[media_type]["schema"], "components": document["components"]}
        jsonschema.validate(
            response.json(),
            schema,
            cls=jsonschema.Draft202012Validator,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
