"""What the knowledge base stores about a resource, built once for every backend.

``build_document(page)`` turns a live ``ResourcePage`` into a plain dict (text fields,
facet values as lists of strings, visibility, dates); both backends index that dict, so
the bench and the tests can feed them generated documents too.
"""

import hashlib
import json

from django.utils.html import strip_tags

from crdla.access import NETWORK as RESTRICTED  # the page audiences  # noqa: F401
from crdla.access import page_audience

from .extraction import document_text
from .facets import FACET_FIELDS
from .text import clean_text

MAX_ATTACHMENTS_CHARS = 300_000


def page_visibility(page):
    """ "public" only when neither the page nor an ancestor is restricted (``crdla.access``)."""
    return page_audience(page)


def flatten_stream(stream_value):
    """The searchable text of a StreamField value, tags stripped."""
    if not stream_value:
        return ""
    parts = stream_value.stream_block.get_searchable_content(stream_value)
    return " ".join(" ".join(strip_tags(str(part)).split()) for part in parts if part)


def attached_documents(page):
    documents = [link.document for link in page.documents.select_related("document")]
    for block in page.body or []:
        if block.block_type == "document" and block.value.get("document"):
            documents.append(block.value["document"])
    seen, unique = set(), []
    for document in documents:
        if document.pk not in seen:
            seen.add(document.pk)
            unique.append(document)
    return unique


def build_document(page):
    """The knowledge-base document of a resource page (see the module docstring)."""
    centre = page.centre
    attachments = " ".join(filter(None, (document_text(d) for d in attached_documents(page))))
    published = page.published_date
    return {
        "page_id": page.pk,
        "title": clean_text(page.title),
        "summary": clean_text(page.summary),
        "body": clean_text(flatten_stream(page.body)),
        "attachments": clean_text(attachments[:MAX_ATTACHMENTS_CHARS]),
        "url": page.get_url() or page.url_path,
        "visibility": page_visibility(page),
        "published_date": published,
        "last_published_at": page.last_published_at,
        "centre_name": (centre.short_name or centre.title) if centre else "",
        "centre": [centre.slug] if centre else [],
        "sectors": [s.slug for s in page.sectors.all()],
        "kinds": [page.kind] if page.kind else [],
        "themes": [t.slug for t in page.themes.all()],
        "audiences": [a.slug for a in page.audiences.all()],
        "axes": [str(a.number) for a in page.axes.all()],
        "regions": [r.code for r in page.regions.all()],
        "year": [str(published.year)] if published else [],
    }


def facet_values(document):
    """(facet field, value) pairs of a built document."""
    return [(field, value) for field in FACET_FIELDS for value in document.get(field) or []]


def document_hash(document):
    """A digest of everything a backend stores about a document, so that the nightly check
    notices any difference (a renamed centre, a changed facet, a new attachment), not only
    a newer publication date."""
    canonical = json.dumps(document, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
