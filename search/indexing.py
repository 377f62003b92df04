"""Bring the index in line with the database for one page, for all pages, or check it."""

import logging
from dataclasses import dataclass, field

from crdla.resources.models import ResourcePage

from .backends import get_backend
from .documents import build_document, document_hash

logger = logging.getLogger(__name__)


def indexable_pages():
    """Every resource that belongs in the knowledge base: live resource pages."""
    return ResourcePage.objects.live().specific().order_by("pk")


def prefetched(queryset):
    return queryset.prefetch_related("sectors", "themes", "audiences", "axes", "regions")


def sync_page(page_id, backend=None):
    """Index the page if it is live, else remove it. Idempotent: reads the committed state."""
    backend = backend or get_backend()
    page = prefetched(indexable_pages().filter(pk=page_id)).first()
    if page is None:
        backend.remove(page_id)
        return "removed"
    backend.index(build_document(page))
    return "indexed"


def sync_pages(page_ids, backend=None):
    """``sync_page`` for many pages at once (one bulk request): what a renamed centre or
    taxonomy item needs. Returns (indexed, removed)."""
    backend = backend or get_backend()
    live = indexable_pages().filter(pk__in=page_ids)
    live_ids = set(live.values_list("pk", flat=True))
    indexed = backend.index_many(iter_documents(live)) if live_ids else 0
    gone = sorted(set(page_ids) - live_ids)
    for page_id in gone:
        backend.remove(page_id)
    return indexed, len(gone)


def iter_documents(queryset=None, chunk_size=200):
    queryset = prefetched(queryset if queryset is not None else indexable_pages())
    for page in queryset.iterator(chunk_size=chunk_size):
        yield build_document(page)


@dataclass
class IndexReport:
    """Differences between the database and the index."""

    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    extra: list = field(default_factory=list)

    @property
    def ok(self):
        return not (self.missing or self.stale or self.extra)


def check_index(backend=None):
    """Missing (live but not indexed), stale (the indexed document differs from the one the
    page builds today: any field, compared by ``document_hash``) and extra (not live)."""
    backend = backend or get_backend()
    indexed = backend.indexed_hashes()
    report = IndexReport()
    expected = set()
    for document in iter_documents():
        page_id = document["page_id"]
        expected.add(page_id)
        if page_id not in indexed:
            report.missing.append(page_id)
        elif indexed[page_id] != document_hash(document):
            report.stale.append(page_id)
    report.extra = sorted(set(indexed) - expected)
    report.missing.sort()
    report.stale.sort()
    return report


def repair_index(report, backend=None):
    """Index the missing and stale pages and remove the extra ones; returns the count fixed."""
    backend = backend or get_backend()
    to_index = report.missing + report.stale
    if to_index:
        backend.index_many(iter_documents(indexable_pages().filter(pk__in=to_index)))
    for page_id in report.extra:
        backend.remove(page_id)
    return len(to_index) + len(report.extra)
