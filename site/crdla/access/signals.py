"""Keep a page's « visibilité » field and its view restriction one truth, whichever side moves.

Wagtail's privacy dialog creates, changes or deletes a ``PageViewRestriction`` directly (on the
live page, at once); these handlers write the result back into the field. Connected by
``crdla.core.apps.CoreConfig.ready``.
"""

import threading

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction

from .pages import sync_visibility_from_restriction

_busy = threading.local()


def _mirror(restriction, raw=False):
    if raw or getattr(_busy, "value", False):
        return
    page = Page.objects.filter(pk=restriction.page_id).first()
    if page is None:
        return
    _busy.value = True
    try:
        sync_visibility_from_restriction(page)
    finally:
        _busy.value = False


def restriction_saved(sender, instance, raw=False, **kwargs):
    _mirror(instance, raw)


def restriction_deleted(sender, instance, origin=None, **kwargs):
    # Deleting the page itself cascades to its restrictions: nothing to mirror then.
    origin_model = getattr(origin, "model", type(origin))
    if isinstance(origin_model, type) and issubclass(origin_model, Page):
        return
    _mirror(instance)


def restriction_groups_changed(sender, instance, action, reverse=False, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        _mirror(instance)


def connect():
    post_save.connect(restriction_saved, sender=PageViewRestriction)
    post_delete.connect(restriction_deleted, sender=PageViewRestriction)
    m2m_changed.connect(restriction_groups_changed, sender=PageViewRestriction.groups.through)
