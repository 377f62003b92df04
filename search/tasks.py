"""Celery tasks keeping the knowledge base in line with published resources."""

import logging

from celery import shared_task

from .backends import SearchUnavailable
from .indexing import check_index, repair_index, sync_page, sync_pages

logger = logging.getLogger(__name__)

# Idempotent indexing tasks: acknowledged after running, retried with backoff while the
# engine is unreachable.
INDEXING_TASK = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (SearchUnavailable,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(**INDEXING_TASK)
def sync_knowledge_entry(self, page_id):
    """Index or remove one page from its committed state (idempotent; retried when down)."""
    return sync_page(page_id)


@shared_task(**INDEXING_TASK)
def sync_knowledge_entries(self, page_ids):
    """Index or remove a batch of pages (a renamed centre or taxonomy item), idempotent."""
    indexed, removed = sync_pages(page_ids)
    return {"indexed": indexed, "removed": removed}


@shared_task(acks_late=True, autoretry_for=(SearchUnavailable,), retry_backoff=60, max_retries=5)
def check_knowledge_base():
    """Nightly: compare the index with the database and repair missing/stale/extra entries."""
    report = check_index()
    fixed = repair_index(report) if not report.ok else 0
    logger.info(
        "Base de connaissances vérifiée : %s manquante(s), %s périmée(s), %s en trop, %s corrigée(s)",
        len(report.missing),
        len(report.stale),
        len(report.extra),
        fixed,
    )
    return {"missing": report.missing, "stale": report.stale, "extra": report.extra}
