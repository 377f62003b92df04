"""Every change that alters what visitors see bumps the cache generation; drafts do not.

Publishing, unpublishing, moving, renaming or deleting a page, creating one, saving a live page
outside of a revision, and saving the taxonomy, the site settings, documents, images or view
restrictions invalidate. Saving a draft revision (``save_revision()``, which Wagtail's autosave
calls while editors type) only touches the fields of ``DRAFT_ONLY_FIELDS``: the public cache
stays.
"""

import functools

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import generation

# What Page.save_revision(), page locking and workflows write on the page row itself.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "wagtail_admin_comments",
        "comments",
        "latest_revision_created_at",
        "draft_title",
        "latest_revision",
        "has_unpublished_changes",
        "locked",
        "locked_by",
        "locked_at",
    }
)


def is_draft_only(instance, update_fields=None, created=False, **kwargs):
    """A save of a page row that visitors cannot see (a draft revision, a lock, a draft page)."""
    if not isinstance(instance, Page) or created:
        return False
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return True
    return not instance.live and update_fields is not None and "live" not in update_fields


def invalidate(sender=None, **kwargs):
    """Bump the generation (see ``generation.bump``), unless the change is a draft save.

    The receivers of other apps (workflows, network) call it with or without the signal's
    arguments.
    """
    if kwargs.get("instance") is not None and is_draft_only(**kwargs):
        return
    generation.bump()


page_published.connect(invalidate, dispatch_uid="pagecache-published")
page_unpublished.connect(invalidate, dispatch_uid="pagecache-unpublished")
page_slug_changed.connect(invalidate, dispatch_uid="pagecache-slug")
post_page_move.connect(invalidate, dispatch_uid="pagecache-move")


@receiver(post_delete)
def page_or_dependency_deleted(sender, **kwargs):
    if issubclass(sender, Page) or sender in dependency_models():
        invalidate()


@receiver(post_save)
def page_or_dependency_saved(sender, instance, raw=False, **kwargs):
    # Any other page save: code may create live pages without going through a publication.
    if not raw and (issubclass(sender, Page) or sender in dependency_models()):
        invalidate(sender, instance=instance, **kwargs)


@receiver(m2m_changed)
def restriction_groups_changed(sender, **kwargs):
    if sender is PageViewRestriction.groups.through:
        invalidate()


@functools.cache
def dependency_models():
    """Non-page models shown on public pages: taxonomy, site settings, documents, privacy."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from crdla.centres.models import (
        CommitteeSeat,
        Funder,
        HostStructure,
        PartnerNetwork,
        TeamMember,
    )
    from crdla.core.models import (
        Audience,
        Departement,
        ProgrammeAxis,
        Region,
        Sector,
        SiteSettings,
        Theme,
    )

    return {
        Audience,
        Departement,
        ProgrammeAxis,
        Region,
        Sector,
        SiteSettings,
        Theme,
        Site,
        PageViewRestriction,
        get_document_model(),
        get_image_model(),
        # A centre's records, shown in its cached « about » fragment; written when the centre
        # page is published (a draft keeps them in its revision), or directly by code.
        HostStructure,
        TeamMember,
        PartnerNetwork,
        CommitteeSeat,
        Funder,
    }
