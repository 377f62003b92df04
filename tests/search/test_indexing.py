"""Indexing follows publication: tasks sent after commit on publish/unpublish/delete/move."""

import pytest
from celery.exceptions import Retry
from django.db import transaction

from search.backends import SearchUnavailable
from search.models import KnowledgeEntry
from search.tasks import check_knowledge_base, sync_knowledge_entry
from tests.factories import ResourcePageFactory


@pytest.fixture
def draft(culture_index):
    """A resource created as a draft (never published)."""
    page = ResourcePageFactory(parent=culture_index, title="Plan de trésorerie", live=False)
    KnowledgeEntry.objects.all().delete()
    return page


def entry(page):
    return KnowledgeEntry.objects.filter(page_id=page.pk).first()


def test_publish_indexes_after_commit(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draft.save_revision().publish()
    assert entry(draft) is None  # nothing before the commit
    for callback in callbacks:
        callback()
    assert entry(draft).title == "Plan de trésorerie"


def test_draft_save_and_rolled_back_publish_change_nothing(
    draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Nouveau titre en brouillon"
        draft.save_revision()
    assert entry(draft) is None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                draft.save_revision().publish()
                raise RuntimeError("rollback")
    assert callbacks == []
    assert entry(draft) is None


def test_republish_updates_and_unpublish_removes(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Plan de trésorerie révisé"
        draft.visibility = "dla"
        draft.save_revision().publish()
    assert entry(draft).title == "Plan de trésorerie révisé"
    assert entry(draft).visibility == "dla"
    with django_capture_on_commit_callbacks(execute=True):
        draft.refresh_from_db()
        draft.unpublish()
    assert entry(draft) is None


def test_delete_removes(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert entry(draft)
    page_id = draft.pk
    with django_capture_on_commit_callbacks(execute=True):
        draft.delete()
    assert not KnowledgeEntry.objects.filter(page_id=page_id).exists()


def test_view_restriction_on_ancestor_makes_entries_restricted(
    draft, culture, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert entry(draft).visibility == "public"
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=culture, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.get_or_create(name="x")[0])
    assert entry(draft).visibility == "dla"


def test_move_reindexes_url(draft, sport_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        draft.refresh_from_db()
        draft.move(sport_index, pos="last-child")
    assert "/sport/" in entry(draft).url


def test_task_is_idempotent(draft):
    draft.save_revision().publish()
    sync_knowledge_entry.apply(args=[draft.pk]).get()
    sync_knowledge_entry.apply(args=[draft.pk]).get()
    assert KnowledgeEntry.objects.filter(page_id=draft.pk).count() == 1
    assert sync_knowledge_entry.apply(args=[123456]).get() == "removed"


def test_engine_down_retries_and_publishing_still_succeeds(
    draft, settings, django_capture_on_commit_callbacks, caplog
):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_INDEX_PREFIX = "down-indexing"
    from search.backends import get_backend

    backend = get_backend()
    backend.client = backend.client.options(max_retries=0, request_timeout=1)
    # The task asks for a retry with backoff instead of failing outright…
    with pytest.raises(Retry) as retry:
        sync_knowledge_entry.apply(args=[draft.pk], throw=True)
    assert isinstance(retry.value.exc, SearchUnavailable)
    assert 0 <= retry.value.when <= 5  # first backoff step (retry_backoff=5, with jitter)
    # …and publishing is never broken by an unreachable engine.
    with django_capture_on_commit_callbacks(execute=True):
        revision = draft.save_revision()
        revision.publish()
    draft.refresh_from_db()
    assert draft.live


def test_nightly_check_repairs(resources, db_backend):
    KnowledgeEntry.objects.filter(page_id=resources["festival"].pk).delete()
    KnowledgeEntry.objects.create(page_id=999999, title="Fantôme", visibility="public")
    report = check_knowledge_base.apply().get()
    assert report["missing"] == [resources["festival"].pk]
    assert report["extra"] == [999999]
    assert KnowledgeEntry.objects.filter(page_id=resources["festival"].pk).exists()
    assert not KnowledgeEntry.objects.filter(page_id=999999).exists()
