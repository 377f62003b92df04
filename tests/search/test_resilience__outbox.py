"""Finding 8 of issue 12: a failed indexing is retried by the outbox sweep, in the embedded
mode too (no beat: a request sweeps), not only by the nightly check."""

import pytest
from django.test import override_settings

from crdla.outbox import service
from crdla.outbox.models import OutboxMessage, OutboxStatus
from search.models import KnowledgeEntry
from tests.factories import ResourcePageFactory
from tests.outbox.faults import broker_down, make_due


@pytest.fixture
def draft(culture_index):
    page = ResourcePageFactory(parent=culture_index, title="Plan de trésorerie", live=False)
    KnowledgeEntry.objects.all().delete()
    return page


def engine_down(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_INDEX_PREFIX = "down-outbox"
    from search.backends import get_backend

    backend = get_backend()
    backend.client = backend.client.options(max_retries=0, request_timeout=1)


def test_engine_down_then_back_the_sweep_indexes(
    draft, settings, django_capture_on_commit_callbacks
):
    engine_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    draft.refresh_from_db()
    assert draft.live
    message = OutboxMessage.objects.get(task="search.tasks.sync_knowledge_entry")
    assert message.status == OutboxStatus.FAILED
    assert "moteur de recherche" in message.reason
    settings.ELASTICSEARCH_URL = ""  # the engine is back (database backend here)
    make_due()
    service.sweep()
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert KnowledgeEntry.objects.filter(page_id=draft.pk).exists()


def test_broker_down_then_back(draft, django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert not KnowledgeEntry.objects.filter(page_id=draft.pk).exists()
    make_due()
    service.sweep()
    assert KnowledgeEntry.objects.filter(page_id=draft.pk).exists()


@override_settings(CRDLA_OUTBOX_REQUEST_SWEEP_SECONDS=0)
def test_embedded_mode_a_request_sweeps(client, draft, django_capture_on_commit_callbacks):
    """No beat in the embedded mode: any request, once a minute at most, sweeps."""
    from django.core.signals import request_finished

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    make_due()
    request_finished.connect(service.sweep_after_request, dispatch_uid="test-sweep")
    try:
        client.get("/healthz/")
    finally:
        request_finished.disconnect(dispatch_uid="test-sweep")
    assert KnowledgeEntry.objects.filter(page_id=draft.pk).exists()
