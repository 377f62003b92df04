"""Everything that can change a public page bumps the cache generation."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import CacheGeneration


def invalidate(**kwargs):
    """Bump the generation inside the changing transaction.

    Other requests see the new generation only when the change is committed with it; until
    then they may still cache the old page, but under the old generation, which dies then.
    """
    CacheGeneration.bump()


page_published.connect(invalidate, dispatch_uid="pagecache-published")
page_unpublished.connect(invalidate, dispatch_uid="pagecache-unpublished")
page_slug_changed.connect(invalidate, dispatch_uid="pagecache-slug")
post_page_move.connect(invalidate, dispatch_uid="pagecache-move")


@receiver(post_delete)
def page_or_dependency_deleted(sender, **kwargs):
    if issubclass(sender, Page) or sender in dependency_models():
        invalidate()


@receiver(post_save)
def page_or_dependency_saved(sender, raw=False, **kwargs):
    # Any page save: code may create live pages without going through a publication.
    if not raw and (issubclass(sender, Page) or sender in dependency_models()):
        invalidate()


@receiver(m2m_changed)
def restriction_groups_changed(sender, **kwargs):
    if sender is PageViewRestriction.groups.through:
        invalidate()


def dependency_models():
    """Non-page models shown on public pages: taxonomy, site settings, documents, privacy."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

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
    }
