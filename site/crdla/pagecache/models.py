"""The generation number every cached page is keyed on."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class CacheGeneration(models.Model):
    """One row whose ``value`` grows at each publication; cached pages of older values are dead.

    Kept in the database rather than in the cache so that a publication handled by one web
    process invalidates the pages cached by every other one, whatever the cache backend.
    """

    value = models.BigIntegerField(_("génération"), default=0)
    changed_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("génération du cache des pages")

    def __str__(self):
        return str(self.value)

    @classmethod
    def current(cls):
        value = cls.objects.filter(pk=1).values_list("value", flat=True).first()
        return value or 0

    @classmethod
    def bump(cls):
        from django.utils import timezone

        updated = cls.objects.filter(pk=1).update(value=F("value") + 1, changed_at=timezone.now())
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"value": 1})
