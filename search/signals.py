"""Wagtail and Django signals → indexing tasks, sent after the commit.

A page published, unpublished, moved, deleted or restricted queues one task for each
resource concerned; a change that reaches resources indirectly (a centre renamed, a
taxonomy item edited or deleted, a section's slug changed) queues batches through
``schedule_sync_many``. Drafts, previews and rolled-back transactions send nothing: tasks
are only queued once the transaction commits, and they reload the pages from the database
anyway. Sending never breaks publishing: every task goes through the outbox
(``crdla.outbox``), which retries what the broker or the engine refused.
"""

import logging

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from crdla.outbox.service import enqueue
from crdla.resources.models import ResourcePage

logger = logging.getLogger(__name__)


def schedule_sync(page_id):
    """Re-index one resource: an outbox row written in the change's transaction, dispatched
    after the commit; an engine or broker failure is retried by the outbox sweep."""
    from .tasks import sync_knowledge_entry

    enqueue(sync_knowledge_entry, page_id, description=_("Indexation de la page %s") % page_id)


RELATED_BATCH = 200


def schedule_sync_many(page_ids):
    """Re-index many resources after the commit, in batches of RELATED_BATCH: the one path
    for changes that reach resources indirectly."""
    from .tasks import sync_knowledge_entries

    ids = sorted(set(page_ids))
    for start in range(0, len(ids), RELATED_BATCH):
        batch = ids[start : start + RELATED_BATCH]
        enqueue(
            sync_knowledge_entries,
            batch,
            description=_("Réindexation de %s page(s)") % len(batch),
        )


def resource_ids_under(page):
    return ResourcePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)


def _is_resource(page):
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


def on_slug_change(sender, instance, **kwargs):
    # Every resource below has a new URL.
    schedule_sync_many(resource_ids_under(instance))


# Taxonomy model → the resource field that carries it (documents store its slug or code).
TAXONOMY_FIELDS = {
    "core.Sector": "sectors",
    "core.Theme": "themes",
    "core.Audience": "audiences",
    "core.ProgrammeAxis": "axes",
    "core.Region": "regions",
}


def carriers(instance):
    """Ids of the resources tagged with a taxonomy item."""
    field = TAXONOMY_FIELDS[instance._meta.label]
    return list(ResourcePage.objects.filter(**{field: instance}).values_list("pk", flat=True))


def on_taxonomy_saved(sender, instance, created, **kwargs):
    # Rare admin edits: every carrier is re-indexed, whatever the field changed.
    if not created:
        schedule_sync_many(carriers(instance))


def on_taxonomy_deleting(sender, instance, **kwargs):
    # Before the delete: afterwards the links to the resources are gone.
    schedule_sync_many(carriers(instance))


CENTRE_INDEXED_FIELDS = {"title", "short_name", "slug"}


def centre_label(centre):
    return (centre.short_name or centre.title, centre.slug)


def on_centre_saving(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields and not CENTRE_INDEXED_FIELDS & set(update_fields)):
        return
    previous = sender.objects.filter(pk=instance.pk).first()
    instance._indexed_label = centre_label(previous) if previous else None


def on_centre_saved(sender, instance, created, **kwargs):
    # A centre is published often (team, pages); its resources change only on a rename.
    before = instance.__dict__.pop("_indexed_label", None)
    if before is not None and before != centre_label(instance):
        schedule_sync_many(resource_ids_under(instance))


def connect():
    from django.apps import apps
    from wagtail.signals import page_slug_changed

    from .facets import forget_labels

    for label in (*TAXONOMY_FIELDS, "centres.CentrePage"):
        model = apps.get_model(label)
        post_save.connect(forget_labels, sender=model, dispatch_uid=f"search-labels-{label}")
        post_delete.connect(forget_labels, sender=model, dispatch_uid=f"search-labels-del-{label}")
    for label in TAXONOMY_FIELDS:
        model = apps.get_model(label)
        post_save.connect(on_taxonomy_saved, sender=model, dispatch_uid=f"search-tax-{label}")
        pre_delete.connect(
            on_taxonomy_deleting, sender=model, dispatch_uid=f"search-tax-del-{label}"
        )
    centre = apps.get_model("centres.CentrePage")
    pre_save.connect(on_centre_saving, sender=centre, dispatch_uid="search-centre-saving")
    post_save.connect(on_centre_saved, sender=centre, dispatch_uid="search-centre-saved")
    page_slug_changed.connect(on_slug_change, dispatch_uid="search-slug-changed")
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
