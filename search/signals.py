"""Wagtail and Django signals → one indexing task per page, sent after the commit.

Drafts, previews and rolled-back transactions send nothing: the task is only queued once
the transaction commits, and it reloads the page from the database anyway. Sending never
breaks publishing: a broker or engine failure is logged and the nightly check repairs it.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)


def _send(page_id):
    from .tasks import sync_knowledge_entry

    try:
        sync_knowledge_entry.delay(page_id)
    except Exception:  # the page is published already; never fail the request for the index
        logger.exception("Indexation de la page %s non envoyée", page_id)


def schedule_sync(page_id):
    transaction.on_commit(partial(_send, page_id), robust=True)


def resource_ids_under(page):
    from crdla.resources.models import ResourcePage

    return ResourcePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)


def _is_resource(page):
    from crdla.resources.models import ResourcePage

    return isinstance(page, ResourcePage) or page.specific_class is ResourcePage


def on_publish_change(sender, instance, **kwargs):
    if _is_resource(instance):
        schedule_sync(instance.pk)


def on_page_delete(sender, instance, **kwargs):
    # Deleting a section deletes its resources (each gets its own post_delete).
    if _is_resource(instance):
        schedule_sync(instance.pk)


def on_page_move(sender, instance, **kwargs):
    for page_id in resource_ids_under(instance):
        schedule_sync(page_id)


def on_restriction_change(sender, instance, **kwargs):
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:
        return
    for page_id in resource_ids_under(page):
        schedule_sync(page_id)


def connect():
    from django.apps import apps

    from .facets import forget_labels

    for label in (
        "core.Sector",
        "core.Theme",
        "core.Audience",
        "core.ProgrammeAxis",
        "core.Region",
        "centres.CentrePage",
    ):
        model = apps.get_model(label)
        post_save.connect(forget_labels, sender=model, dispatch_uid=f"search-labels-{label}")
        post_delete.connect(forget_labels, sender=model, dispatch_uid=f"search-labels-del-{label}")
    page_published.connect(on_publish_change, dispatch_uid="search-published")
    page_unpublished.connect(on_publish_change, dispatch_uid="search-unpublished")
    post_delete.connect(on_page_delete, sender=Page, dispatch_uid="search-page-deleted")
    post_page_move.connect(on_page_move, dispatch_uid="search-moved")
    post_save.connect(
        on_restriction_change, sender=PageViewRestriction, dispatch_uid="search-restr"
    )
    post_delete.connect(
        on_restriction_change, sender=PageViewRestriction, dispatch_uid="search-restr-del"
    )
