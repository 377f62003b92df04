from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    """Whole-page cache of public Wagtail pages for anonymous visitors."""

    name = "crdla.pagecache"
    label = "pagecache"
    verbose_name = _("Cache des pages publiques")

    def ready(self):
        from . import signals  # noqa: F401
        from .visibility import install

        install()
